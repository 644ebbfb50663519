#!/usr/bin/env bash
# `make gdb`: start QEMU halted at the first instruction, waiting for a
# debugger on GDB_PORT (1234), and attach gdb with the kernel's symbols,
# stopped at kmain.  COM1 goes to build/gdb-serial.log (tail -f it).
# Interactive only: it refuses to start without a terminal.
set -euo pipefail

if [ ! -t 0 ]; then
	echo "gdb: interactive only (no terminal on stdin); nothing started" >&2
	exit 1
fi
port=${GDB_PORT:-1234}
log=build/gdb-serial.log

# setsid: QEMU and its wrapper get a process group of their own, which the
# trap ends when gdb quits.
SERIAL=file:$log setsid scripts/run-qemu.sh -S -gdb tcp:127.0.0.1:$port </dev/null &
group=$!
trap 'kill -- -$group 2>/dev/null || true' EXIT
for _ in $(seq 50); do         # until QEMU listens (at most 5 s)
	(exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null && break
	sleep 0.1
done
echo "gdb: QEMU waits on 127.0.0.1:$port; COM1 output goes to $log"
gdb -q build/kernel.elf \
	-ex "target remote 127.0.0.1:$port" \
	-ex "break kmain" \
	-ex "continue"
