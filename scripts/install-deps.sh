#!/usr/bin/env bash
# Install the Debian packages the build, `make run` and `make test` need,
# but only those that are missing: on a machine that has everything this
# prints nothing and touches nothing (no apt-get update either).
#
#   scripts/install-deps.sh           install what is missing (needs root)
#   scripts/install-deps.sh --check   only list what is missing; exit 1 if any
#
# "Missing" means "does not work", not "has no file": each thing is proved
# by using it the way the build does (a -m32 program that compiles and
# links with -lgcc, an emulator that prints its version, a Bochs plugin
# that is a loadable shared object, ...).  After installing, every probe
# runs again and the script fails, naming the culprit, if one still fails.
# Tested on Debian 12 (bookworm); tests/host/install_deps_test.sh runs the
# probes against fake tools.
set -euo pipefail

# "probe  Debian package": probe_<probe> must succeed for the package to
# count as present.
NEEDS=(
	"cc_native            gcc"
	"make                 make"
	"binutils             binutils"
	"python3              python3"
	"cpio                 cpio"
	"gdb                  gdb"
	"qemu_i386            qemu-system-x86"
	"qemu_x86_64          qemu-system-x86"
	"bochs                bochs"
	"bochs_bios           bochsbios"
	"vgabios              vgabios"
	"bochs_term           bochs-term"
	"grub_mkrescue        grub-common"
	"grub_pc_modules      grub-pc-bin"
	"xorriso              xorriso"
	"mtools               mtools"
	"cc_m32_libgcc        gcc-multilib"
	"matplotlib           python3-matplotlib"
)

# A scratch directory for the compiler probes, removed on exit.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# The host compiler builds and runs a native program (the host unit tests).
probe_cc_native() {
	printf 'int main(void) { return 0; }\n' > "$scratch/native.c"
	gcc -o "$scratch/native" "$scratch/native.c" && "$scratch/native"
}

# What the kernel link needs: a freestanding -m32 object linked statically
# with -lgcc, calling a libgcc helper (64-bit division) so that a libgcc.a
# of the wrong word size cannot pass.  Without gcc-multilib, gcc prints the
# 64-bit libgcc.a for -print-file-name and the link says "skipping
# incompatible": only a real link tells.
probe_cc_m32_libgcc() {
	cat > "$scratch/m32.c" <<-'EOF'
	unsigned long long n = 1234567890123ULL, d = 97;
	unsigned long long q;
	void _start(void) { q = n / d; for (;;) ; }
	EOF
	gcc -m32 -ffreestanding -fno-pic -fno-pie -nostdlib -static -no-pie \
		-o "$scratch/m32" "$scratch/m32.c" -lgcc 2>"$scratch/m32.err" &&
		objdump -f "$scratch/m32" | grep -q 'elf32-i386'
}

probe_make() { make --version >/dev/null; }
probe_binutils() { objdump --version >/dev/null && nm --version >/dev/null; }
probe_python3() { python3 -c 'import json, subprocess, concurrent.futures'; }
probe_cpio() { cpio --version | grep -q 'GNU cpio'; }
probe_gdb() { gdb --batch -nx -ex 'set architecture i386' >/dev/null 2>&1; }
probe_qemu_i386() { qemu-system-i386 -version | grep -q 'QEMU emulator'; }
probe_qemu_x86_64() { qemu-system-x86_64 -version | grep -q 'QEMU emulator'; }
# Bochs's --help exits non-zero; its usage line is the proof.
probe_bochs() { { bochs --help 2>&1 || true; } | grep -q 'Usage: bochs'; }
probe_bochs_bios() { [ -s /usr/share/bochs/BIOS-bochs-latest ]; }
probe_vgabios() { [ -s /usr/share/vgabios/vgabios.bin ]; }
# The terminal display plugin: a shared object Bochs can load.
probe_bochs_term() {
	local so
	so=$(ls /usr/lib/*/bochs/plugins/libbx_term_gui.so 2>/dev/null | head -n 1)
	[ -n "$so" ] && objdump -f "$so" | grep -q 'elf64\|elf32'
}
probe_grub_mkrescue() { grub-mkrescue --version >/dev/null 2>&1; }
# The BIOS-platform modules grub-mkrescue puts on the ISO.
probe_grub_pc_modules() {
	[ -s /usr/lib/grub/i386-pc/multiboot.mod ] &&
		[ -s /usr/lib/grub/i386-pc/cdboot.img ]
}
probe_xorriso() { xorriso -version 2>&1 | grep -q 'xorriso'; }
probe_mtools() { mformat --version >/dev/null 2>&1; }
# The plot step of make run (Agg: no display needed).  Debian's package
# serves Debian's interpreter, which need not be the python3 first on PATH.
probe_matplotlib() {
	MPLBACKEND=Agg /usr/bin/python3 -c 'import matplotlib.pyplot' >/dev/null 2>&1
}

# Prints the Debian packages whose probe fails, one per line, once each.
missing_packages() {
	local line probe pkg seen=" "
	for line in "${NEEDS[@]}"; do
		read -r probe pkg <<<"$line"
		case "$seen" in *" $pkg "*) continue ;; esac
		if ! ( "probe_$probe" ) >/dev/null 2>&1; then
			seen+="$pkg "
			echo "$pkg"
		fi
	done
}

# `source`d by the host test: it calls the functions, not the installer.
[ "${INSTALL_DEPS_LIB-}" = 1 ] && return 0

mapfile -t missing < <(missing_packages)
if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi

if [ "${1-}" = "--check" ]; then
	echo "missing Debian packages: ${missing[*]}"
	exit 1
fi

echo "install-deps: missing or not working: ${missing[*]}"
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

# Installed is not working: prove it again.
mapfile -t still < <(missing_packages)
if [ ${#still[@]} -ne 0 ]; then
	echo "install-deps: installed, but still not working: ${still[*]}" >&2
	if [ -s "$scratch/m32.err" ]; then
		echo "install-deps: the -m32 link said:" >&2
		sed 's/^/    /' "$scratch/m32.err" >&2
	fi
	exit 1
fi
