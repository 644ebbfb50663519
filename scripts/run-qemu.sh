#!/usr/bin/env bash
# Boot the kernel once in QEMU with COM1 on this terminal: `make boot`.
#
#   scripts/run-qemu.sh [more QEMU arguments]
#
# The machine comes from the environment (the Makefile sets it):
#   QEMU (qemu-system-i386)  ACCEL (tcg; kvm on a host that can)
#   MEM (2G)  SMP (1)  CMDLINE (boot options)  INITRD (multiboot module)
#   SERIAL (mon:stdio: Ctrl-A x quits, Ctrl-A c is QEMU's monitor)
# QEMU's exit status 33 means the kernel reported success: exit 0;
# 35 means it reported failure: exit 1.
set -uo pipefail

QEMU=${QEMU:-qemu-system-i386}
ACCEL=${ACCEL:-tcg}
MEM=${MEM:-2G}
SMP=${SMP:-1}
CMDLINE=${CMDLINE-}
INITRD=${INITRD-}
SERIAL=${SERIAL:-mon:stdio}
# Several CPUs under TCG: one host thread each, so they really run at once.
if [ "$ACCEL" = tcg ] && [ "$SMP" -gt 1 ]; then
	ACCEL=tcg,thread=multi
fi

args=(-accel "$ACCEL" -m "$MEM" -smp "$SMP" -display none -no-reboot
      -device isa-debug-exit,iobase=0xf4,iosize=0x04 -serial "$SERIAL"
      -kernel build/kernel.elf -append "$CMDLINE")
if [ -n "$INITRD" ]; then
	args+=(-initrd "$INITRD")
fi

"$QEMU" "${args[@]}" "$@"
status=$?
case $status in
33) echo "run: the kernel reported success"; exit 0 ;;
35) echo "run: the kernel reported failure"; exit 1 ;;
0)  echo "run: QEMU stopped with no verdict from the kernel (quit, reset or triple fault)"; exit 1 ;;
*)  echo "run: QEMU exited with status $status"; exit 1 ;;
esac
