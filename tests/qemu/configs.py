"""The machines `make test` boots: one table, one row per configuration.
(At the end of the file: the host-side suites it runs too.)

Each row says how to boot the kernel (emulator, memory, boot method, boot
options) and what must come out of it.  harness.py runs them; bench.py
times them.  docs/testing.md explains every field.

  name      what `make test T=...` selects (shell-style globs work)
  boot      "kernel": QEMU -kernel (multiboot straight from the ELF)
            "cdrom":  QEMU boots build/test-iso/<name>.iso through GRUB
            "bochs":  Bochs boots that ISO (tests/qemu/bochsrc.txt)
  qemu      which QEMU binary (ignored for Bochs).  qemu-system-i386's CPU
            has 32 physical address bits: every machine over 3 GiB uses
            qemu-system-x86_64, which boots the same 32-bit kernel
  memory    guest RAM as QEMU spells it ("128M", "64G"); Bochs takes MiB
  smp       CPUs (QEMU -smp N, Bochs cpu: count=N).  More than one runs
            QEMU's TCG multi-threaded, so the CPUs really run at once
  cmdline   the kernel's boot options
  extra     more emulator arguments (QEMU only)
  lazy_ram  back the RAM with a memory-backend-ram,reserve=off object, so a
            guest bigger than the host (64 GiB on a 24 GiB host) can boot:
            host pages are only taken when the guest touches them
  nodes     NUMA: the CPUs of each node as QEMU spells them ("0-1"); the
            memory is split equally, one RAM backend per node (QEMU then
            publishes an SRAT)
  distances NUMA: (src, dst, distance) triples (QEMU then publishes a SLIT)
  big       uses a lot of host memory: never runs next to another big one
  initrd    a multiboot module of this machine's own (path from the repository
            root) instead of build/initrd.cpio
  timeout   seconds before the boot counts as a hang
  expect    what a correct run looks like (Expect below)
"""
import re
from dataclasses import dataclass, field, replace

import modes


@dataclass
class Expect:
    """What a boot must produce to count as correct.

    exit      "pass": the kernel ends with status 33 (all tests passed);
              "fail": it ends with status 35 (a deliberate failure).
              Bochs has no exit status: there the KTAP text decides.
    results   expected results of particular test cases, by "suite.case":
              "ok", "not ok" or "skip".  Every case not listed must be
              ok or skipped.
    complete  True: every KTAP plan must be fulfilled.  False: the run is
              allowed to stop early (a deliberate panic ends the kernel
              in the middle of a suite).
    output    regular expressions (Python re, multiline) that must all
              match somewhere in the serial log.
    ktap      False: the boot ends before any test speaks (a refused
              initrd); only the exit status and the output count.
    """
    exit: str = "pass"
    results: dict = field(default_factory=dict)
    complete: bool = True
    output: list = field(default_factory=list)
    ktap: bool = True


@dataclass
class Config:
    name: str
    boot: str = "kernel"
    qemu: str = "qemu-system-i386"
    memory: str = "128M"
    smp: int = 1
    cmdline: str = "ktest=all"
    extra: list = field(default_factory=list)
    lazy_ram: bool = False
    nodes: list = field(default_factory=list)
    distances: list = field(default_factory=list)
    big: bool = False
    initrd: str = None
    timeout: float = 60
    expect: Expect = field(default_factory=Expect)


# A case that faults is caught by the framework, reported "not ok", and
# the next case still runs (kernel/ktest_selftest.c).
FAULT_REPORT = Expect(
    exit="fail",
    results={
        "ktest_fault_report.deliberate_fault": "not ok",
        "ktest_fault_report.runs_after_fault": "ok",
    },
    output=[r"# deliberate_fault: exception 14 .* at write_unmapped"],
)

# Deliberate panic and oops (manual suites panic_report and oops_report):
# the report must name the message, the registers and every function of
# the known call chain, innermost first.  The kernel echoes its command
# line, so no pattern may match "panic_report" alone.
PANIC_REPORT = Expect(
    exit="fail",
    complete=False,
    output=[r"Kernel panic: panic_report: deliberate panic, value 42",
            r"EIP: 0060:[0-9a-f]{8} panic_report_inner\+0x",
            r"CR0: [0-9a-f]{8} CR2: ",
            r"Call Trace:\n.*do_panic\+0x.*\n.*panic_report_inner\+0x.*\n"
            r".*panic_report_middle\+0x.*\n.*panic_report_outer\+0x"],
)
OOPS_REPORT = Expect(
    exit="fail",
    complete=False,
    output=[r"Oops: page fault \(#PF\), vector 14, error 0x0002 \[not-present write kernel\]",
            r"unable to handle page fault for address 40000000",
            r"CR2: 40000000",
            r"Call Trace:\n.*oops_report_inner\+0x.*\n.*oops_report_outer\+0x"],
)

# A kernel stack overflow: the #PF cannot be delivered, the CPU raises #DF
# through its task gate (arch/i386/doublefault.c), which reports the
# broken context and its call chain from a stack of its own.
DOUBLE_FAULT_REPORT = Expect(
    exit="fail",
    complete=False,
    output=[r"Oops: double fault \(#DF\), error 0x0000",
            r"EIP: 0060:[0-9a-f]{8} double_fault_inner\+0x",
            r"ESP: 40001000",
            r"Call Trace:\n.*double_fault_inner\+0x.*\n.*double_fault_outer\+0x.*\n"
            r".*stack_overflow_double_faults\+0x"],
)

# Rewriting a present page-table entry in place is caught by set_pte's
# check (mm/pgtable.h), reported through mm's VM_BUG: a panic naming the
# entry, both values, the registers and the caller.
PTE_REWRITE_REPORT = Expect(
    exit="fail",
    complete=False,
    output=[r"Kernel panic: BUG: mm/mmdebug\.c:\d+: set_pte on a present entry at 0x[0-9a-f]{8}: "
            r"0x0000000123456003 -> 0x0000000654321001",
            r"EIP: 0060:[0-9a-f]{8} ",
            r"Call Trace:\n.*do_panic\+0x.*\n(.*\n)*.*rewrite_present_pte\+0x"],
)

# Sleeping with a spinlock held is caught on the spot (kernel/sched.c).
ATOMIC_SLEEP_REPORT = Expect(
    exit="fail",
    complete=False,
    output=[r"Kernel panic: scheduling while atomic: preempt_count 1 in kinit",
            r"Call Trace:\n.*do_panic\+0x.*\n.*schedule\+0x.*\n(.*\n)*.*sleep_holding_a_spinlock\+0x"],
)

# A timer at a window address (a kernel stack in per-task mode) is refused
# on the spot, before another CPU's tick could follow it (kernel/timer.c).
WINDOW_ADDR_REPORT = Expect(
    exit="fail",
    complete=False,
    output=[r"BUG: kernel/timer.c:\d+: .*: timer at window address 0xffe08000"],
)

BAD_INITRD = Expect(
    exit="fail",
    complete=False,
    ktap=False,
    output=[r"initrd: not a valid cpio \(newc\) archive: .* at offset 0x0; ignored",
            r"init: cannot run /init: no such file \(is the initrd there\?\); powering off"],
)

BAD_INIT_ELF = Expect(
    exit="fail",
    complete=False,
    ktap=False,
    output=[r"init: cannot run /bin/h_notelf: not a static ELF32 i386 executable; powering off"],
)

# init exiting with live children: a clean power-off with its status.
INIT_EXITS = Expect(
    ktap=False,
    output=[r"init: exited with status 0x0: powering off"],
)

NO_PAE = Expect(
    exit="fail",
    complete=False,
    ktap=False,
    output=[r"FATAL: this CPU has no PAE \(CPUID.1:EDX bit 6\); this kernel needs it. Halting."],
)

# Every address-space mode the kernel has (mm/ukva/, read by modes.py).
MODES = modes.kernel_modes()

# The fuzzer's short run in `make test`: a fixed seed, a few seconds per
# machine, every known bug provoked (no --avoid: docs/testing.md).
FUZZ_TEST_ARGS = "--seed 1 --calls 20000"


def with_option(cmdline, option):
    """cmdline plus a kernel option, which goes before any " -- " (the
    words after it are init's arguments)."""
    kernel, sep, init_args = cmdline.partition(" -- ")
    return f"{kernel} {option}{sep}{init_args}"


def per_mode(name, cmdline, expect=None, **kw):
    """One configuration per address-space mode (mm=...); each must report
    that it runs in that mode (mm/ukva's boot line)."""
    expect = expect or Expect()
    return [Config(f"{name}-{mode}", cmdline=with_option(cmdline, f"mm={mode}"),
                   expect=replace(expect, output=expect.output + [rf"^ukva: mode {re.escape(mode)}:"]),
                   **kw)
            for mode in MODES]


def numa_per_mode(name, cmdline, cpus, nodes, output=(), **kw):
    """A NUMA machine in every mode: all CPUs online and the topology
    the SRAT gives (expect_nodes), the text replicas reported where the
    mode has them, and the lines of output."""
    cmdline += f" expect_cpus={cpus} expect_nodes={len(nodes)}"
    out = []
    for mode in MODES:
        report = (r"^ktext: \d+ replicas of text\+rodata" if mode != "shared"
                  else r"^ktext: text replication off: mm=shared")
        out.append(Config(f"{name}-{mode}", cmdline=f"{cmdline} mm={mode}", smp=cpus,
                          nodes=nodes, expect=Expect(output=[rf"^smp: {cpus} CPUs? online",
                                                             rf"^numa: {len(nodes)} nodes",
                                                             report, *output]), **kw))
    return out


# The NUMA suites and the suites whose expectations NUMA changes (text
# PTEs not global, tables in node memory, kernel threads on node PGDs).
NUMA_SUITES = "ktest=numa,paging,traps,page_alloc,kmalloc,ukva,ukva_per_cpu"


def cpus_online(n):
    """A boot that must bring exactly n CPUs online (arch/i386/smpboot.c's line)."""
    return Expect(output=[rf"^smp: {n} CPUs? online"])


def smp_per_mode(name, cmdline, cpus, **kw):
    """per_mode on a machine with cpus CPUs, all of which must come online.
    In-kernel suites also get expect_cpus=N, which the smp suite checks."""
    if "ktest=" in cmdline:
        cmdline = with_option(cmdline, f"expect_cpus={cpus}")
    return per_mode(name, cmdline, smp=cpus, expect=cpus_online(cpus), **kw)


CONFIGS = [
    # The in-kernel suites in every mode, on the everyday machine (128 MiB,
    # no highmem: per-task carves 8 MiB of highmem for its private areas)
    # and on the largest one.
    *per_mode("qemu-128m", "ktest=all", memory="128M"),
    # All RAM below 4 GiB, most of it highmem.
    Config("qemu-3g", memory="3G"),
    # per-task PGDs from kmalloc (lowmem), as on a machine with no highmem
    # below 4 GiB: mm/pdpt.c's fallback, under the suites that build, walk
    # and run on per-task PGDs.
    Config("qemu-pdpt-lowmem", memory="128M",
           cmdline="ktest=ukva,pdpt,traps,sched mm=per-task pdpt=lowmem",
           expect=Expect(output=[r"^mem: PDPTs of per-task PGDs: kmalloc-32",
                                 r"^ukva: mode per-task:"])),
    # RAM above 4 GiB: needs 36-bit PAE addresses and a CPU with more than
    # 32 physical address bits.
    Config("qemu-8g", qemu="qemu-system-x86_64", memory="8G", big=True,
           timeout=120),
    # The largest machine: [0, 3 GiB) + [4 GiB, 65 GiB).  The last GiB is
    # past the 36-bit (64 GiB) line: the kernel must report and ignore it.
    # (-m 63G would end exactly at 64 GiB; see docs/testing.md.)
    *per_mode("qemu-64g", "ktest=all", qemu="qemu-system-x86_64", memory="64G",
              lazy_ram=True, big=True, timeout=300),
    # Through GRUB, as on real hardware.
    Config("qemu-cdrom", boot="cdrom", memory="128M"),
    # Bochs: a second, independent CPU model.
    Config("bochs-128m", boot="bochs", memory="128M", timeout=180),
    # The user suite: /init runs every user/tests program from the initrd
    # and powers off with its verdict, in every mode, small and large.
    *per_mode("user-128m", "init=/init", memory="128M"),
    *per_mode("user-64g", "init=/init", qemu="qemu-system-x86_64", memory="64G",
              lazy_ram=True, big=True, timeout=300),
    # Running out: threads until clone fails, then processes until fork
    # fails (user/bench/capacity.c), then every frame back and fork, clone,
    # mmap and brk as Linux has them.  On a machine with no highmem, and on
    # one with about 70 MiB of lowmem and 120 MiB of highmem (small, so the boot
    # stays short; the big machines run it in make bench).
    *per_mode("exhaust-64m", "init=/bin/capacity", memory="64M"),
    *per_mode("exhaust-hm", "init=/bin/capacity highmem=120M", memory="192M"),
    Config("user-bochs", boot="bochs", cmdline="init=/init", memory="128M", timeout=600),
    # The attack suite (user/tests/a_*.c, run by /attack): exhaustion on a
    # small machine in every mode and on a highmem one, races and CPU abuse
    # on 2 and 4 CPUs.  The kernel survives and every frame comes back.
    # (Exhaustion on 2+ CPUs makes the CPUs wait on each other's IPIs: on
    # a loaded host, where the emulator's CPU threads wait for a core, it
    # takes minutes, hence the long timeouts; a pass takes 20-40 s.)
    *per_mode("attack-64m", "init=/attack", memory="64M", timeout=180),
    Config("attack-highmem", cmdline="init=/attack mm=per-task highmem=64M",
           memory="128M", timeout=180),
    *smp_per_mode("attack-smp2", "init=/attack", 2, memory="64M", timeout=300),
    Config("attack-smp4", smp=4, memory="64M", cmdline="init=/attack mm=per-task",
           timeout=300, expect=cpus_online(4)),
    # SMP: every CPU started, per-CPU data, IPIs, cross-calls from every
    # CPU at once (multi-threaded TCG), every CPU's APIC timer; the user
    # suite with the other CPUs live (sched_setaffinity moves it across).
    *smp_per_mode("qemu-smp2", "ktest=all", 2),
    *smp_per_mode("qemu-smp4", "ktest=all", 4),
    *smp_per_mode("user-smp2", "init=/init", 2),
    *smp_per_mode("user-smp4", "init=/init", 4),
    # The random system call fuzzer (user/fuzz) as /init, a short run per
    # mode on 1 and 2 CPUs; `make fuzz` runs long ones (docs/testing.md).
    *per_mode("fuzz-1cpu", f"init=/bin/fuzz -- {FUZZ_TEST_ARGS}", memory="128M"),
    *smp_per_mode("fuzz-smp2", f"init=/bin/fuzz -- {FUZZ_TEST_ARGS}", 2, memory="128M"),
    # APs with NX (EFER.NXE set in the trampoline) and RAM above 4 GiB.
    Config("qemu-8g-smp4", qemu="qemu-system-x86_64", memory="8G", big=True, smp=4,
           cmdline="ktest=all expect_cpus=4 mm=per-task", timeout=120,
           expect=cpus_online(4)),
    Config("bochs-smp2", boot="bochs", smp=2, cmdline="ktest=all expect_cpus=2",
           timeout=180, expect=cpus_online(2)),
    Config("user-bochs-smp2", boot="bochs", smp=2, cmdline="init=/init mm=per-task",
           timeout=600, expect=cpus_online(2)),
    # mm=per-cpu on Bochs's own CPU model: its switch rewrites a kernel PMD
    # entry and INVLPGs instead of writing CR3, the path QEMU's TLB model
    # could hide a missing flush from.
    Config("bochs-smp2-per-cpu", boot="bochs", smp=2, cmdline="ktest=all expect_cpus=2 mm=per-cpu",
           timeout=180, expect=cpus_online(2)),
    Config("user-bochs-smp2-per-cpu", boot="bochs", smp=2, cmdline="init=/init mm=per-cpu",
           timeout=600, expect=cpus_online(2)),
    # The profiler from user space: samples per CPU and mode, at 4 per tick.
    Config("user-profile-smp2", smp=2, cmdline="init=/bin/t_profile profile=4",
           expect=cpus_online(2)),
    # The kernel's profile suite with NMI samples, which see interrupts-off code.
    Config("qemu-profile-nmi-smp2", smp=2, cmdline="ktest=profile profile=10,nmi expect_cpus=2",
           expect=Expect(results={"profile.nmi_samples_land_where_interrupts_are_off": "ok"},
                         output=[r"the PIT sends every CPU an NMI 1000 times a second"])),
    # An SMP machine told to use one CPU; one with ACPI ignored, which
    # must fall back to the 8259s, the PIT and one CPU.
    Config("qemu-nosmp", smp=2, cmdline="ktest=all nosmp expect_cpus=1",
           expect=Expect(output=[r"^smp: 1 CPU online \(APIC mode; the MADT lists 2"])),
    Config("qemu-acpi-off", smp=2, cmdline="ktest=all acpi=off expect_cpus=1",
           expect=Expect(output=[r"^apic: no usable MADT: PIC mode, one CPU",
                                 r"^time: 100 Hz tick from the PIT",
                                 r"^smp: 1 CPU online \(PIC mode\)"])),
    # NUMA (numa/): nodes from the SRAT and SLIT, per-node free lists, text
    # replicas that follow each task, in every mode: 2 nodes x 2 CPUs,
    # 4 nodes x 1 CPU, and 64 GiB over 2 nodes (node 0 [0, 3G) + [4G, 33G),
    # node 1 [33G, 65G), its last GiB past the 36-bit line).
    *numa_per_mode("numa-2x2", NUMA_SUITES, 4, ["0-1", "2-3"], memory="256M",
                   distances=[(0, 1, 21)], timeout=120),
    *numa_per_mode("numa-4x1", NUMA_SUITES, 4, ["0", "1", "2", "3"], memory="256M",
                   distances=[(0, 1, 15), (0, 2, 20), (0, 3, 25), (1, 2, 15), (1, 3, 20),
                              (2, 3, 15)], timeout=120),
    # The user suite on 2 nodes (t_numa: a migration storm of one process's
    # threads through sched_setaffinity, walked from every CPU's live CR3).
    *numa_per_mode("user-numa-2x2", "init=/init", 4, ["0-1", "2-3"], memory="256M",
                   distances=[(0, 1, 21)], timeout=300),
    *numa_per_mode("numa-64g", "ktest=numa", 2, ["0", "1"], qemu="qemu-system-x86_64",
                   memory="64G", lazy_ram=True, big=True, timeout=300,
                   output=[r"^numa: node 0: \[0x000100000-0x0c0000000\)",
                           r"^numa: node 0: \[0x100000000-0x840000000\)",
                           r"^numa: node 1: \[0x840000000-0x1040000000\)",
                           r"^numa: node 1: zone Normal  managed 0 KiB"]),
    # No SRAT (a plain SMP machine), and a SRAT whose copy a boot option
    # corrupts: one node and the reason, never a crash.
    Config("numa-no-srat", smp=2, cmdline="ktest=numa expect_cpus=2 expect_nodes=1 mm=per-task",
           expect=Expect(output=[r"^warning: numa: no usable SRAT", r"^numa: 1 node$",
                                 r"^ktext: text replication off: one node"])),
    Config("numa-corrupt-srat", smp=4, memory="256M", nodes=["0-1", "2-3"],
           cmdline="ktest=numa expect_cpus=4 expect_nodes=1 mm=per-task numa_test=corrupt-srat",
           expect=Expect(output=[r"^warning: numa: SRAT \(a copy corrupted by "
                                 r"numa_test=corrupt-srat\) refused: checksum wrong: one node",
                                 r"^numa: 1 node$"])),
    # Deliberate failures: the right failure is the pass.
    Config("fault-report", cmdline="ktest=ktest_fault_report",
           expect=FAULT_REPORT),
    Config("panic-report", cmdline="ktest=panic_report", expect=PANIC_REPORT),
    Config("oops-report", cmdline="ktest=oops_report", expect=OOPS_REPORT),
    Config("double-fault-report", cmdline="ktest=double_fault_report",
           expect=DOUBLE_FAULT_REPORT),
    Config("atomic-sleep-report", cmdline="ktest=atomic_sleep_report",
           expect=ATOMIC_SLEEP_REPORT),
    Config("window-addr-report", cmdline="ktest=window_addr_report mm=per-task",
           expect=WINDOW_ADDR_REPORT),
    Config("pte-rewrite-report", cmdline="ktest=pte_rewrite_report",
           expect=PTE_REWRITE_REPORT),
    # A malformed initial archive: a clear message and a failing power-off,
    # never a panic.
    Config("bad-initrd", cmdline="init=/init", initrd="tests/qemu/data/bad-initrd.cpio",
           expect=BAD_INITRD),
    Config("bad-init-elf", cmdline="init=/bin/h_notelf", expect=BAD_INIT_ELF),
    Config("init-exits", cmdline="init=/bin/h_init_exit", smp=2, expect=INIT_EXITS),
    # A CPU without PGE: no global pages, so flush_tlb_all reloads CR3 and
    # every CR3 write must still be counted (mm/tlbflush_test.c); the suites
    # that look for global entries expect none.
    Config("qemu-no-pge", cmdline="ktest=all mm=per-task", memory="128M",
           extra=["-cpu", "qemu32,-pge"], expect=Expect(output=[r"cpu: no PGE: "])),
    # A CPU without PAE (a 486): a clear message, not a triple fault.
    Config("no-pae", extra=["-cpu", "486"], expect=NO_PAE),
]


# Suites that run on the host, not in a machine: scripts that end with a
# line "N passed, N failed" and exit non-zero on failure.  The harness runs
# those that exist, before the boots, and adds their counts to the total.
@dataclass
class HostSuite:
    name: str
    script: str                     # relative to the repository root
    timeout: float = 600


HOST_SUITES = [
    HostSuite("host-unit", "tests/host/run.sh"),            # C units, ASan+UBSan
    HostSuite("host-user", "tests/host/run-user-suite.sh"),  # user programs on Linux
]
