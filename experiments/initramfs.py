"""A tiny initramfs for Linux: /init and /dev/console, nothing else.

Written here in the cpio "newc" format Linux unpacks
(Documentation/driver-api/early-userspace/buffer-format.rst), so that the
device node needs no root and no mknod: every entry is owned by root,
whatever the user who builds it.
"""
import os
import stat

TRAILER = "TRAILER!!!"


def _entry(name, mode, data=b"", rdev=(0, 0), ino=1):
    """One newc header, name and data, each padded to 4 bytes."""
    fields = [ino, mode, 0, 0, 1, 0, len(data), 0, 0, rdev[0], rdev[1],
              len(name) + 1, 0]
    head = b"070701" + b"".join(b"%08X" % f for f in fields)
    out = head + name.encode() + b"\0"
    out += b"\0" * (-len(out) % 4)
    out += data + b"\0" * (-len(data) % 4)
    return out


def build(path, init_binary):
    """Write an archive with init_binary as /init and a /dev/console
    (character device 5:1, where the kernel opens init's stdio)."""
    with open(init_binary, "rb") as f:
        init = f.read()
    parts = [
        _entry("dev", stat.S_IFDIR | 0o755, ino=1),
        _entry("dev/console", stat.S_IFCHR | 0o600, rdev=(5, 1), ino=2),
        _entry("init", stat.S_IFREG | 0o755, init, ino=3),
        _entry(TRAILER, 0, ino=0),
    ]
    blob = b"".join(parts)
    blob += b"\0" * (-len(blob) % 512)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(blob)
    os.replace(tmp, path)
