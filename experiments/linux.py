"""Linux beside the modes: Debian's own i386 PAE kernel, fetched from the
archive and unpacked into build/ (never installed), boots ukva_bench as
its /init on the same QEMU machine; and the host's own Linux runs the same
binary directly.

The version is pinned here, once; the results name the one that ran.  If
the archive no longer has it, the newest 686-pae kernel of the release is
taken instead and the results say so.  Without the archive (no network,
not root, no apt) prepare() says why and the run goes on without Linux.
"""
import glob
import os
import platform
import re
import subprocess

from experiments.common import machine

PACKAGE = "linux-image-6.1.0-50-686-pae-unsigned"      # Debian 12 (bookworm)
VERSION = "6.1.176-1"
ARCH = "i386"
DIR = os.path.join(machine.ROOT, "build", "linux")
ANY_PACKAGE = re.compile(r"^(linux-image-[0-9.]+-\d+-686-pae-unsigned) ")

# The two Linux columns: Debian's defaults (QEMU's CPU has an Intel vendor
# string, so Linux turns page-table isolation on: two CR3 writes per system
# call), and no mitigations (no PTI: the fair match for a kernel without it).
# panic=-1: a Linux that panics (its memory map for 64 GiB does not fit in
# lowmem) resets at once, and QEMU (-no-reboot) exits, instead of waiting
# for the timeout.
COLUMNS = {
    "linux": "console=ttyS0 quiet panic=-1",
    "linux-mitigations-off": "console=ttyS0 quiet panic=-1 mitigations=off",
}


class Unavailable(Exception):
    """Why Linux cannot run here."""


def _run(cmd, timeout=300, cwd=None):
    """cmd's (status, output); raises Unavailable if it cannot start."""
    try:
        p = subprocess.run(cmd, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=timeout, text=True)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise Unavailable(f"{' '.join(cmd)}: {e}") from e
    return p.returncode, p.stdout


def _last_line(text):
    """A command output's last non-empty line, for a one-line reason."""
    lines = [l for l in text.strip().splitlines() if l.strip()]
    return lines[-1] if lines else "no output"


def unpacked(package, version):
    """The vmlinuz of an unpacked package, or None."""
    found = glob.glob(os.path.join(DIR, f"{package}_{version}", "boot", "vmlinuz-*"))
    return found[0] if found else None


def _ensure_i386_index(log):
    """dpkg knows i386 and apt has its package lists."""
    status, out = _run(["dpkg", "--print-foreign-architectures"])
    if ARCH not in out.split():
        if os.geteuid() != 0:
            raise Unavailable("dpkg has no i386 architecture and this is not root "
                              "(as root: dpkg --add-architecture i386; apt-get update)")
        log(f"linux: dpkg --add-architecture {ARCH}")
        status, out = _run(["dpkg", "--add-architecture", ARCH])
        if status:
            raise Unavailable(f"dpkg --add-architecture {ARCH}: {_last_line(out)}")
    status, out = _run(["apt-cache", "policy", f"{PACKAGE}:{ARCH}"])
    if "Candidate:" not in out:
        if os.geteuid() != 0:
            raise Unavailable("apt has no i386 package lists and this is not root")
        log("linux: apt-get update (for the i386 package lists)")
        status, out = _run(["apt-get", "update"], timeout=600)
        if status:
            raise Unavailable(f"apt-get update failed (no network?): {_last_line(out)}")


def _newest_available():
    """(package, version) of the newest 686-pae kernel apt knows, or None."""
    status, out = _run(["apt-cache", "search", "--names-only",
                        r"^linux-image-.*-686-pae-unsigned$"])
    names = sorted({m.group(1) for m in map(ANY_PACKAGE.match, out.splitlines()) if m},
                   key=lambda n: [int(x) for x in re.findall(r"\d+", n)])
    for name in reversed(names):
        status, out = _run(["apt-cache", "policy", f"{name}:{ARCH}"])
        m = re.search(r"Candidate: (\S+)", out)
        if m and m.group(1) != "(none)":
            return name, m.group(1)
    return None


def _download(package, version, log):
    """apt-get download and dpkg -x; returns vmlinuz or raises Unavailable."""
    os.makedirs(DIR, exist_ok=True)
    log(f"linux: apt-get download {package}:{ARCH}={version}")
    status, out = _run(["apt-get", "download", f"{package}:{ARCH}={version}"], cwd=DIR, timeout=900)
    debs = glob.glob(os.path.join(DIR, f"{package}_{version.replace(':', '%3a')}_{ARCH}.deb"))
    if status or not debs:
        raise Unavailable(f"apt-get download {package}={version} failed: {_last_line(out)}")
    target = os.path.join(DIR, f"{package}_{version}")
    status, out = _run(["dpkg", "-x", debs[0], target])
    if status:
        raise Unavailable(f"dpkg -x {os.path.basename(debs[0])}: {_last_line(out)}")
    os.remove(debs[0])              # the unpacked tree is what is kept
    vmlinuz = unpacked(package, version)
    if not vmlinuz:
        raise Unavailable(f"{package} has no boot/vmlinuz-*")
    return vmlinuz


def prepare(log=print):
    """Debian's kernel, fetched once: {"vmlinuz", "package", "version", "note"};
    raises Unavailable with the reason it cannot be had."""
    vmlinuz = unpacked(PACKAGE, VERSION)
    if vmlinuz:
        return {"vmlinuz": vmlinuz, "package": PACKAGE, "version": VERSION, "note": "pinned"}
    _ensure_i386_index(log)
    status, out = _run(["apt-cache", "policy", f"{PACKAGE}:{ARCH}"])
    if re.search(rf"^\s+(\*\*\* )?{re.escape(VERSION)}\s", out, re.M):
        return {"vmlinuz": _download(PACKAGE, VERSION, log), "package": PACKAGE,
                "version": VERSION, "note": "pinned"}
    newest = _newest_available()
    if not newest:
        raise Unavailable(f"{PACKAGE}={VERSION} is not in the archive, nor any 686-pae kernel")
    package, version = newest
    vmlinuz = unpacked(package, version) or _download(package, version, log)
    return {"vmlinuz": vmlinuz, "package": package, "version": version,
            "note": f"the pinned {PACKAGE}={VERSION} is gone from the archive; "
                    f"experiments/linux.py should pin {package}={version}"}


def host_info():
    """The host's own Linux, for the host column's label."""
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            m = re.search(r"^model name\s*:\s*(.+)$", f.read(), re.M)
            model = m.group(1).strip() if m else model
    except OSError:
        pass
    return {"kernel": f"{platform.system()} {platform.release()} {platform.machine()}",
            "cpu_model": model, "cpus": os.cpu_count()}
