#!/usr/bin/env bash
# Install the Debian packages the build, `make run` and `make test` need,
# but only those that are missing: on a machine that has everything this
# prints nothing and touches nothing (no apt-get update either).
#
#   scripts/install-deps.sh           install what is missing (needs root)
#   scripts/install-deps.sh --check   only list what is missing; exit 1 if any
#
# Each line of NEEDS is "what proves it is there" (a command name, an
# absolute path, or m32-libgcc: gcc can find a 32-bit libgcc.a) and the
# Debian package that provides it.  Tested on Debian 12 (bookworm).
set -euo pipefail

NEEDS=(
	"gcc                       gcc"
	"make                      make"
	"objdump                   binutils"
	"python3                   python3"
	"cpio                      cpio"
	"gdb                       gdb"
	"qemu-system-i386          qemu-system-x86"
	"qemu-system-x86_64        qemu-system-x86"
	"bochs                     bochs"
	"/usr/share/bochs/BIOS-bochs-latest      bochsbios"
	"/usr/share/vgabios/vgabios.bin          vgabios"
	"/usr/lib/x86_64-linux-gnu/bochs/plugins/libbx_term_gui.so   bochs-term"
	"grub-mkrescue             grub-common"
	"/usr/lib/grub/i386-pc/multiboot.mod     grub-pc-bin"
	"xorriso                   xorriso"
	"mformat                   mtools"
	"m32-libgcc                gcc-multilib"
)

# Is this thing (a command name, an absolute path, m32-libgcc) present?
present() {
	case "$1" in
	m32-libgcc) command -v gcc >/dev/null 2>&1 &&
		[ -e "$(gcc -m32 -print-file-name=libgcc.a)" ] ;;
	/*) [ -e "$1" ] ;;
	*) command -v "$1" >/dev/null 2>&1 ;;
	esac
}

missing=()
for line in "${NEEDS[@]}"; do
	read -r thing pkg <<<"$line"
	if ! present "$thing"; then
		case " ${missing[*]-} " in
		*" $pkg "*) ;;
		*) missing+=("$pkg") ;;
		esac
	fi
done

if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi

if [ "${1-}" = "--check" ]; then
	echo "missing Debian packages: ${missing[*]}"
	exit 1
fi

echo "install-deps: missing Debian packages: ${missing[*]}"
if ! command -v apt-get >/dev/null 2>&1; then
	echo "install-deps: no apt-get here; install the packages above by hand" >&2
	exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: run as root to install them, e.g.:" >&2
	echo "    sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends "${missing[@]}"
