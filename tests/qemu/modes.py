"""The address-space modes, read from the kernel's own source.

The kernel names its modes once, in mm/ukva/: the names the mm= boot
option accepts, as the name field of each mode's table of operations
(`ukva_per_mm_ops = { .name = "per-mm", ...}`, put in order by the table
`[UKVA_PER_MM] = &ukva_per_mm_ops`), or in a table of names indexed by
the mode (`[UKVA_PER_MM] = "per-mm"`).  The test machines (configs.py) and the
experiments (experiments/) take the list from here, so a mode added to the
kernel is booted and measured without touching either.  The count is
checked against `enum ukva_mode`, so a name this reader misses is an
error, not a mode silently left out.
"""
import glob
import os
import re

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SOURCES = ["mm/ukva", "abi/ukva.h"]       # the modes, and their enum

NAME = r'"([a-z][a-z0-9-]*)"'
INDEXED = re.compile(r"\[\s*(UKVA_[A-Z0-9_]+)\s*\]\s*=\s*" + NAME)
INDEXED_OPS = re.compile(r"\[\s*(UKVA_[A-Z0-9_]+)\s*\]\s*=\s*&\s*(\w+)")
OPS = re.compile(r"(\w+)\s*=\s*\{[^{}]*?\.name\s*=\s*" + NAME, re.S)
FIELD = re.compile(r"\.name\s*=\s*" + NAME)
ENUM = re.compile(r"enum\s+ukva_mode\s*\{([^}]*)\}", re.S)


def _strip_comments(text):
    """text without C comments (a commented-out name is no mode)."""
    return re.sub(r"/\*.*?\*/|//[^\n]*", " ", text, flags=re.S)


def enumerators(text):
    """The modes of `enum ukva_mode` in text, in order (None: no enum);
    a trailing count such as NR_UKVA_MODES is not a mode."""
    m = ENUM.search(text)
    if not m:
        return None
    names = [e.split("=")[0].strip() for e in m.group(1).split(",")]
    return [n for n in names if n and not re.match(r"^(NR_|UKVA_NR|UKVA_MODE_COUNT)", n)]


def parse(texts):
    """The mode names in the C sources texts (a list of strings), in the
    enum's order where the names are indexed by it, else in source order.
    Raises ValueError if they cannot be read or disagree with the enum."""
    texts = [_strip_comments(t) for t in texts]
    whole = "\n".join(texts)
    enum = enumerators(whole)
    indexed = {}
    for key, name in INDEXED.findall(whole):
        indexed.setdefault(key, name)
    ops = dict(OPS.findall(whole))
    for key, var in INDEXED_OPS.findall(whole):
        if var in ops:
            indexed.setdefault(key, ops[var])
    names = []
    if enum:
        names = [indexed[k] for k in enum if k in indexed]
    for name in FIELD.findall(whole):
        if name not in names:
            names.append(name)
    if not names:
        raise ValueError(f"no mode names found in {', '.join(SOURCES)} "
                         '(expected [UKVA_X] = "name" or .name = "name")')
    if enum is not None and len(names) != len(enum):
        raise ValueError(f"enum ukva_mode has {len(enum)} modes "
                         f"({', '.join(enum)}) but {len(names)} names were found "
                         f"({', '.join(names)}); teach tests/qemu/modes.py the new form")
    return names


def kernel_modes(root=ROOT):
    """The modes of the kernel in root, as the mm= option spells them."""
    texts = []
    paths = []
    for src in SOURCES:
        where = os.path.join(root, src)
        paths += [where] if os.path.isfile(where) else sorted(
            glob.glob(os.path.join(where, "**", "*.[ch]"), recursive=True))
    for path in paths:
        if path.endswith("_test.c"):
            continue
        with open(path, errors="replace") as f:
            texts.append(f.read())
    return parse(texts)


if __name__ == "__main__":
    print(" ".join(kernel_modes()))
