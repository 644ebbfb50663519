#!/usr/bin/env python3
"""Turn `nm -n` output of the kernel into an assembly symbol table.

The kernel embeds the table (section .ksyms) so that a panic prints function
names.  Layout, read by kernel/ksyms.c:

    u32 count
    struct { u32 addr; u32 name_offset; } entries[count]   (sorted by addr)
    char names[]                                           (NUL-terminated)
"""
import sys


def text_symbols(lines):
    """(address, name) of every function symbol, sorted, duplicates dropped."""
    seen = {}
    for line in lines:
        parts = line.split()
        if len(parts) != 3 or parts[1] not in "tTwW":
            continue
        addr = int(parts[0], 16)
        seen.setdefault(addr, parts[2])
    return sorted(seen.items())


def main():
    syms = text_symbols(sys.stdin)
    out = ['\t.section .ksyms, "a"', "\t.align 4", f"\t.long {len(syms)}"]
    offset = 0
    for addr, name in syms:
        out.append(f"\t.long 0x{addr:08x}, {offset}")
        offset += len(name) + 1
    for _, name in syms:
        out.append(f'\t.asciz "{name}"')
    print("\n".join(out))


if __name__ == "__main__":
    main()
