"""The machines `make run` measures: one row each.

A row is data only; adding a machine (say a NUMA one) is adding a row.
`quick` rows make the default matrix, FULL=1 runs every row.  A row whose
`needs` path has no C source in the tree (a feature not merged yet) is
left out, and the run says so.

  name      what MACHINES= selects (shell-style globs work)
  memory    guest RAM as QEMU spells it
  cpus      guest CPUs
  nodes     NUMA nodes (QEMU -numa; RAM and CPUs split evenly); numa_bench
            (text locality) also runs there
  emulator  "qemu" or "bochs"
  quick     in the default matrix
  linux     Debian's Linux also runs here (QEMU rows only; not on the NUMA
            rows: on 64 GiB Linux takes minutes a boot, or panics)
  needs     a directory of the kernel source this row needs
  prealloc  QEMU allocates every host page of the guest's RAM up front
            (-mem-prealloc): the guest's fault cost without the host's
"""
import fnmatch
import glob
import os
from dataclasses import dataclass

from experiments.common import configs, machine

# Above this, qemu-system-i386's 32 physical address bits cannot reach the
# RAM (docs/testing.md): the same kernel boots under qemu-system-x86_64.
I386_MAX_MIB = 3 * 1024


@dataclass(frozen=True)
class Machine:
    name: str
    memory: str
    cpus: int = 1
    nodes: int = 1
    emulator: str = "qemu"
    quick: bool = False
    linux: bool = True
    needs: str = None
    prealloc: bool = False

    @property
    def title(self):
        """How the tables name the machine: "2 GiB, 2 CPUs, qemu-system-i386"."""
        mem = self.memory.replace("M", " MiB").replace("G", " GiB")
        parts = [mem, f"{self.cpus} CPU" + ("s" if self.cpus > 1 else "")]
        if self.nodes > 1:
            parts.append(f"{self.nodes} nodes")
        parts.append(self.emulator_binary)
        if self.prealloc:
            parts.append("-mem-prealloc")
        return ", ".join(parts)

    @property
    def emulator_binary(self):
        """The emulator binary: qemu-system-x86_64 for RAM qemu-system-i386 cannot address."""
        if self.emulator == "bochs":
            return "bochs"
        return "qemu-system-i386" if self.mib <= I386_MAX_MIB else "qemu-system-x86_64"

    @property
    def guest_cpu(self):
        """The CPU model the guest sees: each emulator's default, as the
        test machines use (Bochs: tests/qemu/bochsrc.txt)."""
        if self.emulator == "bochs":
            return "corei7_sandy_bridge_2600k"
        return "qemu32" if self.emulator_binary == "qemu-system-i386" else "qemu64"

    @property
    def mib(self):
        """Guest RAM in MiB."""
        return machine.memory_mib(self.memory)

    @property
    def big(self):
        """More RAM than the host may have: backed lazily."""
        return self.mib > 8 * 1024

    def available(self, root=machine.ROOT):
        """None, or why this row cannot run on this tree."""
        if self.needs and not glob.glob(os.path.join(root, self.needs, "*.c")):
            return f"needs {self.needs} (not in this tree yet)"
        return None


MACHINES = [
    Machine("2g-1cpu", "2G", 1, quick=True),
    Machine("2g-2cpu", "2G", 2, quick=True),
    # Issue 15's machine, where its Linux times were taken, with the host's
    # RAM allocated up front: the one row whose fault cost is the guest's own.
    Machine("512m-1cpu-prealloc", "512M", 1, quick=True, prealloc=True),
    Machine("512m-1cpu", "512M", 1),
    Machine("64g-2cpu-2node", "64G", 2, nodes=2, quick=True, linux=False, needs="numa"),
    Machine("128m-1cpu", "128M", 1),
    Machine("2g-4cpu", "2G", 4),
    Machine("8g-1cpu", "8G", 1),
    Machine("64g-1cpu", "64G", 1),
    Machine("64g-4cpu-4node", "64G", 4, nodes=4, linux=False, needs="numa"),
    Machine("bochs-128m-1cpu", "128M", 1, emulator="bochs", linux=False),
]


def select(patterns, full):
    """The rows to run: those matching patterns (globs or substrings), or
    the quick ones (all with full).  Returns (rows, [(row, why left out)])."""
    def matches(m):
        """Is m selected by the patterns (or, without any, by the matrix)?"""
        if not patterns:
            return full or m.quick
        return any(fnmatch.fnmatchcase(m.name, p if any(c in p for c in "*?[") else f"*{p}*")
                   for p in patterns)
    rows, left_out = [], []
    for m in MACHINES:
        if not matches(m):
            continue
        why = m.available()
        if why:
            left_out.append((m, why))
        else:
            rows.append(m)
    return rows, left_out


def config(m, cmdline, timeout, initrd_boot="kernel"):
    """The tests/qemu Config that boots m with cmdline."""
    boot = "bochs" if m.emulator == "bochs" else initrd_boot
    return configs.Config(
        name=f"run-{m.name}", boot=boot, qemu=m.emulator_binary, memory=m.memory, smp=m.cpus,
        cmdline=cmdline, lazy_ram=m.big, big=m.big, timeout=timeout, nodes=node_cpus(m),
        extra=["-mem-prealloc"] if m.prealloc else [])


def node_cpus(m):
    """The CPUs of each of m's nodes as QEMU spells them ("0-1"), dealt out
    in order; [] for a machine without NUMA."""
    if m.nodes <= 1:
        return []
    out = []
    for n in range(m.nodes):
        cpus = [c for c in range(m.cpus) if c * m.nodes // m.cpus == n]
        out.append(f"{cpus[0]}-{cpus[-1]}" if len(cpus) > 1 else str(cpus[0]))
    return out

