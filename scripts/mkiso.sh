#!/usr/bin/env bash
# Build a bootable GRUB ISO of the kernel (for QEMU -cdrom and Bochs).
#
#   scripts/mkiso.sh OUT.iso "BOOT OPTIONS" [INITRD]
#
# The ISO holds /boot/kernel.elf, /boot/initrd.cpio when INITRD is given
# (passed to the kernel as a multiboot module) and a grub.cfg made from
# boot/grub.cfg.in with the options substituted.
set -euo pipefail

out=$1
cmdline=${2-}
initrd=${3-}
kernel=build/kernel.elf

case "$cmdline" in
*[\;\&\|\`\$\"\'\\]*)
	echo "mkiso: boot options may not contain ; & | \` \$ quotes or \\: '$cmdline'" >&2
	exit 1 ;;
esac

tree=$(mktemp -d "${TMPDIR:-/tmp}/ukva-iso.XXXXXX")
trap 'rm -rf "$tree"' EXIT
mkdir -p "$tree/boot/grub"
cp "$kernel" "$tree/boot/kernel.elf"
module=""
if [ -n "$initrd" ]; then
	cp "$initrd" "$tree/boot/initrd.cpio"
	module="module /boot/initrd.cpio /boot/initrd.cpio"  # string = its path, as with QEMU -initrd
fi
sed -e "s|@CMDLINE@|$cmdline|" -e "s|@MODULE@|$module|" boot/grub.cfg.in \
	> "$tree/boot/grub/grub.cfg"

mkdir -p "$(dirname "$out")"
# grub-mkrescue talks a lot through xorriso; keep it quiet unless it fails.
if ! grub-mkrescue -o "$out.tmp" "$tree" >"$out.log" 2>&1; then
	cat "$out.log" >&2
	exit 1
fi
mv "$out.tmp" "$out"
rm -f "$out.log"
