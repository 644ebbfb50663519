#!/usr/bin/env bash
# Prove README's set-up on a machine that has never seen the project: a
# minimal Debian 12 made by debootstrap (no gcc, no gcc-multilib, no QEMU,
# no python3), a clone of this repository's HEAD inside it, and then, as
# root in a chroot, exactly what README says: apt-get install git make,
# make test.  Needs root, debootstrap and access to Debian's archive.
#
#   scripts/fresh-machine-test.sh [DIR]     (default /var/tmp/ukva-fresh)
set -euo pipefail
root=${1:-/var/tmp/ukva-fresh}
repo=$(cd "$(dirname "$0")/.." && pwd)
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

command -v debootstrap >/dev/null || apt-get install -y debootstrap
[ -x "$root/bin/bash" ] || debootstrap --variant=minbase bookworm "$root" "$mirror"

# The chroot needs the kernel's file systems (QEMU reads /proc, /dev).
mounted=()
cleanup() {
	for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount "${mounted[$i]}" || true; done
}
trap cleanup EXIT
for fs in proc sys dev dev/pts; do
	mount --bind "/$fs" "$root/$fs"
	mounted+=("$root/$fs")
done
cp /etc/resolv.conf "$root/etc/resolv.conf"

rm -rf "$root/root/ukva"
git clone -q "$repo" "$root/root/ukva"
chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root TERM=dumb \
	DEBIAN_FRONTEND=noninteractive /bin/bash -exc '
		apt-get update && apt-get install -y git make
		! dpkg -s gcc-multilib >/dev/null 2>&1   # really without it
		cd /root/ukva && make test'
