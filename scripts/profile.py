#!/usr/bin/env python3
"""Name the kernel addresses of a profile (make profile; docs/benchmarks.md).

Reads a serial log on stdin (or the file given) and prints, for each
PROFILE line ukva_bench wrote (user/bench/profile.c), its top kernel
functions named from build/kernel.sym, as readprofile did with System.map;
then the kernel's own power-off profile ("profile: ..." lines), which the
kernel names itself.
"""
import bisect
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SYMS = os.path.join(ROOT, "build", "kernel.sym")


def load_symbols(path):
    """Sorted (address, name) of the kernel's functions."""
    out = []
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3 and parts[1] in "tTwW":
                out.append((int(parts[0], 16), parts[2]))
    out.sort()
    return out


def name_of(syms, addr):
    """The function containing addr, or its hex."""
    i = bisect.bisect_right(syms, (addr, "\xff")) - 1
    return syms[i][1] if i >= 0 else f"{addr:08x}"


def print_bench(syms, obj):
    """One PROFILE line as a table."""
    total = obj["kernel"] + obj["user"]
    print(f"== {obj['bench']}: {total} samples at {obj['hz']} Hz "
          f"(kernel {obj['kernel']}, user {obj['user']})")
    for addr, hits in obj["top"]:
        share = 100.0 * hits / total if total else 0.0
        print(f"  {hits:7d} {share:5.1f}%  {name_of(syms, int(addr, 16))}")


def main():
    text = open(sys.argv[1], errors="replace").read() if len(sys.argv) > 1 else sys.stdin.read()
    syms = load_symbols(SYMS)
    kernel_lines = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("PROFILE "):
            try:
                print_bench(syms, json.loads(line[len("PROFILE "):]))
            except (ValueError, KeyError):
                print(f"(unreadable: {line[:60]})")
        elif line.startswith("profile: "):
            kernel_lines.append(line)
    if kernel_lines:
        print("== the whole run, as the kernel printed it at power-off")
        for line in kernel_lines:
            print("  " + line[len("profile: "):])
    elif "PROFILE " not in text:
        print("no profile in the log: was the kernel booted with profile=?")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
