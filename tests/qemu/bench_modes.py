"""The address-space mode comparison of `make bench` (docs/benchmarks.md).

Boots the kernel with `init=/bin/ukva_bench mm=MODE` for every mode on each
machine of MACHINES, runs the same binary on this host (the Linux column),
and prints one side-by-side table per machine and accelerator: a row per
metric, a column per mode and one for Linux.  Each cell is the median over
--runs boots (runs interleave the modes, so a slow spell of the host hits
them alike).  Writes build/bench/results.json, build/bench/results.csv, and
build/bench/modes.png when matplotlib is installed.
"""
import csv
import dataclasses
import json
import os
import re
import statistics
import subprocess
import time

import configs
import machine

OUT_DIR = os.path.join(machine.ROOT, "build", "bench")
LOG_DIR = os.path.join(OUT_DIR, "modes")
HOST_BIN = os.path.join(machine.ROOT, "build", "user", "bin", "ukva_bench")
LINUX = "linux"
COLUMNS = configs.MODES + [LINUX]
PAGE = 4096
KSTACK = 8192                       # kernel/task.h: KSTACK_SIZE
PGD = 32                            # a PAE PDPT, from kmalloc
LOWMEM_LEFT = re.compile(r"lowmem left after boot: (\d+) KiB")

MACHINES = [
    configs.Config("bench-128m", memory="128M", timeout=120),
    configs.Config("bench-64g", qemu="qemu-system-x86_64", memory="64G",
                   lazy_ram=True, big=True, timeout=300),
    configs.Config("bench-128m-smp2", memory="128M", smp=2, timeout=180),
    configs.Config("bench-128m-smp4", memory="128M", smp=4, timeout=240),
]
TITLES = {"bench-128m": "128 MiB, qemu-system-i386",
          "bench-64g": "64 GiB, qemu-system-x86_64 (lazy RAM)",
          "bench-128m-smp2": "128 MiB, qemu-system-i386, 2 CPUs",
          "bench-128m-smp4": "128 MiB, qemu-system-i386, 4 CPUs"}


def parse(text):
    """The BENCH objects of a log, by metric, plus the boot's lowmem left."""
    out = {}
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("BENCH "):
            try:
                obj = json.loads(line[len("BENCH "):])
            except ValueError:
                continue
            out[obj.get("metric")] = obj
    m = LOWMEM_LEFT.search(text)
    if m:
        out["boot"] = {"lowmem_left_kib": int(m.group(1))}
    return out


def read(path):
    """The text of a log file."""
    with open(path, errors="replace") as f:
        return f.read()


def boot(cfg, mode, accel, log, opts):
    """One boot of ukva_bench in mode: (results or None, problem or None)."""
    cfg = dataclasses.replace(cfg, cmdline=f"init=/bin/ukva_bench mm={mode}")
    if os.path.exists(log):
        os.remove(log)
    cmd = machine.qemu_command(cfg, log, accel, opts.initrd)
    try:
        proc = subprocess.run(cmd, cwd=machine.ROOT, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              timeout=cfg.timeout * opts.timeout_scale)
        status, said = proc.returncode, proc.stdout.decode(errors="replace").strip()
    except subprocess.TimeoutExpired:
        status, said = None, ""
    text = read(log) if os.path.exists(log) else ""
    if status == machine.QEMU_EXIT_PASS and "ukva_bench: done" in text:
        return parse(text), None
    if status is None:
        why = "hang (timeout)"
    elif status == 0:
        why = "exit status 0 (a triple fault or reset: no verdict from the guest)"
    else:
        why = f"exit status {status}"
    tail = " | ".join(text.strip().splitlines()[-3:] or said.splitlines()[-1:])
    return None, f"{why}: {tail}" if tail else why


def host_run(log, opts):
    """One run of ukva_bench on this host: (results or None, problem or None)."""
    try:
        proc = subprocess.run([HOST_BIN], cwd=machine.ROOT, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              timeout=300 * opts.timeout_scale)
    except (OSError, subprocess.TimeoutExpired) as e:
        return None, f"cannot run {os.path.relpath(HOST_BIN, machine.ROOT)}: {e}"
    text = proc.stdout.decode(errors="replace")
    with open(log, "w") as f:
        f.write(text)
    if proc.returncode != 0:
        return None, f"exit status {proc.returncode}"
    return parse(text), None


def kvm_works(opts):
    """Whether a 32-bit paging guest runs under -accel kvm here (one boot)."""
    if not os.path.exists("/dev/kvm"):
        return False, "no /dev/kvm"
    os.makedirs(LOG_DIR, exist_ok=True)
    log = os.path.join(LOG_DIR, "kvm-probe.log")
    results, problem = boot(MACHINES[0], "shared", "kvm", log, opts)
    return results is not None, problem


def task_struct_bytes():
    """sizeof(struct task) from the kernel's debug information (through gdb),
    rounded up to its kmalloc size class; None without gdb."""
    try:
        out = subprocess.run(["gdb", "-batch", "-nx", "-ex", "print sizeof(struct task)",
                              machine.KERNEL], capture_output=True, text=True,
                             timeout=60).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    m = re.search(r"= (\d+)", out)
    if not m:
        return None
    size = 16
    while size < int(m.group(1)):
        size *= 2
    return size


def theory(r, mode, what, task_struct):
    """The least memory a process or thread can cost in mode (docs/benchmarks.md):
    what is "process", "thread", or either with "_lowmem" (assuming page tables
    go to highmem whenever the machine has any)."""
    fp, env = r.get("footprint_process"), r.get("env")
    if mode not in configs.MODES or not fp or "pte_pages" not in fp or task_struct is None:
        return None
    mm_pages = (3 + fp["pte_pages"]) * PAGE + (2 * PAGE if mode == "per-mm" else 0)
    # The window modes keep user tasks' stacks in highmem, mapped in a window.
    stack_low = KSTACK if mode == "shared" else 0
    # per-task: a kernel PMD copy and a window page; per-cpu: the window page only.
    task_pages = {"per-task": 2 * PAGE, "per-cpu": PAGE}.get(mode, 0) + KSTACK - stack_low
    task_low = stack_low + task_struct + (PGD if mode == "per-task" else 0)
    pages = task_pages + (mm_pages if what.startswith("process") else 0)
    low = task_low + (PGD if what.startswith("process") else 0)
    if what.endswith("_lowmem") and env and env.get("free_highmem_kib", 0) > 0:
        return low
    return low + pages


def field(metric, key, scale=1.0):
    """A row getter: a field of one BENCH object, scaled."""
    def get(r, mode, task_struct):
        v = r.get(metric, {}).get(key)
        return None if v is None else v * scale
    return get


def per_op(metric, counter):
    """A row getter: a raw counter delta per operation of one metric."""
    def get(r, mode, task_struct):
        m = r.get(metric, {})
        if "delta" not in m or not m.get("reps"):
            return None
        return m["delta"][counter] / (m["n"] * m["reps"])
    return get


def theory_of(what):
    """A row getter: theory() of what."""
    def get(r, mode, task_struct):
        return theory(r, mode, what, task_struct)
    return get


# (section or None, label, unit, getter, decimals)
ROWS = [
    ("time per operation (median)", "null syscall (getppid)", "ns", field("syscall", "ns"), 1),
    (None, "yield, 2 threads", "ns/yield", field("yield_threads", "ns"), 1),
    (None, "yield, 2 threads, 1 priv. pg", "ns/yield", field("yield_threads_priv1", "ns"), 1),
    (None, "yield, 2 threads, 8 priv. pg", "ns/yield", field("yield_threads_priv8", "ns"), 1),
    (None, "yield, 2 threads, 32 priv. pg", "ns/yield", field("yield_threads_priv32", "ns"), 1),
    (None, "yield, 2 processes", "ns/yield", field("yield_processes", "ns"), 1),
    (None, "fork + exit + wait", "us", field("fork", "ns", 1e-3), 1),
    (None, "first-touch page fault", "ns/page", field("page_fault", "ns"), 1),
    ("counters (this kernel only)", "threads: switches", "/1k yields",
     field("yield_threads", "switches_per_1k_yields"), 0),
    (None, "threads: CR3 writes", "/1k switch", field("yield_threads", "cr3_writes_per_1k_switches"), 0),
    (None, "threads: full TLB flushes", "/1k switch",
     field("yield_threads", "tlb_flush_all_per_1k_switches"), 0),
    (None, "threads: INVLPGs", "/1k switch", field("yield_threads", "invlpg_per_1k_switches"), 0),
    (None, "threads, 8 priv. pg: INVLPGs", "/1k switch",
     field("yield_threads_priv8", "invlpg_per_1k_switches"), 0),
    (None, "threads, 32 priv. pg: INVLPGs", "/1k switch",
     field("yield_threads_priv32", "invlpg_per_1k_switches"), 0),
    (None, "processes: switches", "/1k yields", field("yield_processes", "switches_per_1k_yields"), 0),
    (None, "processes: CR3 writes", "/1k switch",
     field("yield_processes", "cr3_writes_per_1k_switches"), 0),
    (None, "processes: full TLB flushes", "/1k switch",
     field("yield_processes", "tlb_flush_all_per_1k_switches"), 0),
    (None, "processes: INVLPGs", "/1k switch", field("yield_processes", "invlpg_per_1k_switches"), 0),
    (None, "page fault: kmap_atomic", "/fault", field("page_fault", "kmap_atomic_per_fault"), 1),
    (None, "page fault: window accesses", "/fault", field("page_fault", "window_access_per_fault"), 1),
    (None, "fork: kmap_atomic", "/fork", per_op("fork", "kmap_atomic"), 0),
    (None, "fork: single-page TLB flushes", "/fork", per_op("fork", "tlb_flush_one"), 0),
    (None, "fork: CR3 writes", "/fork", field("fork", "cr3_writes_per_fork"), 1),
    ("memory (this kernel only)", "per process, measured", "B", field("footprint_process", "bytes"), 0),
    (None, "  of which lowmem", "B", field("footprint_process", "lowmem_bytes"), 0),
    (None, "  of which highmem", "B", field("footprint_process", "highmem_bytes"), 0),
    (None, "per process, theory", "B", theory_of("process"), 0),
    (None, "  theory, lowmem", "B", theory_of("process_lowmem"), 0),
    (None, "per thread, measured", "B", field("footprint_thread", "bytes"), 0),
    (None, "  of which lowmem", "B", field("footprint_thread", "lowmem_bytes"), 0),
    (None, "  of which highmem", "B", field("footprint_thread", "highmem_bytes"), 0),
    (None, "per thread, theory", "B", theory_of("thread"), 0),
    (None, "  theory, lowmem", "B", theory_of("thread_lowmem"), 0),
    (None, "not returned: processes", "pages", field("footprint_process", "pages_not_returned"), 0),
    (None, "not returned: threads", "pages", field("footprint_thread", "pages_not_returned"), 0),
    (None, "lowmem left after boot", "KiB", field("boot", "lowmem_left_kib"), 0),
]

# The rows of smp.c, only in the tables of machines with more than one CPU
# (A and B: the first two CPUs the program may use).
SMP_ROWS = [
    ("two CPUs (A, B)", "munmap 1 page, alone", "ns", field("munmap_alone", "ns"), 1),
    (None, "munmap, thread asleep on B", "ns", field("munmap_sleeper", "ns"), 1),
    (None, "munmap, thread spins on B", "ns", field("munmap_spinner", "ns"), 1),
    (None, "  alone: shootdowns", "/munmap", field("munmap_alone", "shootdowns_per_munmap"), 2),
    (None, "  asleep: shootdowns", "/munmap", field("munmap_sleeper", "shootdowns_per_munmap"), 2),
    (None, "  spins: shootdowns", "/munmap", field("munmap_spinner", "shootdowns_per_munmap"), 2),
    (None, "handoff, both threads on A", "ns/handoff", field("handoff_one_cpu", "ns"), 1),
    (None, "handoff, threads on A and B", "ns/handoff", field("handoff_spread", "ns"), 1),
    (None, "  on A: yields", "/handoff", field("handoff_one_cpu", "yields_per_handoff"), 1),
    (None, "  on A+B: yields", "/handoff", field("handoff_spread", "yields_per_handoff"), 1),
    (None, "  on A: switches", "/1k handoff", field("handoff_one_cpu", "switches_per_1k_handoffs"), 0),
    (None, "  on A+B: switches", "/1k handoff",
     field("handoff_spread", "switches_per_1k_handoffs"), 0),
    (None, "  on A: CR3 writes", "/1k switch",
     field("handoff_one_cpu", "cr3_writes_per_1k_switches"), 0),
    (None, "  on A+B: CR3 writes", "/1k handoff",
     field("handoff_spread", "cr3_writes_per_1k_handoffs"), 1),
    (None, "  on A: shootdowns", "/1k handoff",
     field("handoff_one_cpu", "shootdowns_per_1k_handoffs"), 1),
    (None, "  on A+B: shootdowns", "/1k handoff",
     field("handoff_spread", "shootdowns_per_1k_handoffs"), 1),
]


def rows_of(cfg):
    """The rows of cfg's table."""
    return ROWS + (SMP_ROWS if cfg.smp > 1 else [])


def table(columns, task_struct, rows_spec=ROWS):
    """Rows of the table for one machine: each a dict with label, unit, decimals,
    section, and per column the median over its runs (None: no number;
    "FAIL": no run of that column succeeded)."""
    rows = []
    for section, label, unit, get, decimals in rows_spec:
        row = {"section": section, "label": label, "unit": unit, "decimals": decimals}
        for col in COLUMNS:
            runs = columns.get(col, {}).get("runs", [])
            vals = [v for v in (get(r, col, task_struct) for r in runs) if v is not None]
            if vals:
                row[col] = statistics.median(vals)
            elif columns.get(col, {}).get("problems") and not runs:
                row[col] = "FAIL"
            else:
                row[col] = None
        rows.append(row)
    return rows


def cell(v, decimals):
    """A table cell: v with decimals, "n/a" or a word."""
    if v is None:
        return "n/a"
    if isinstance(v, str):
        return v
    return f"{v:,.{decimals}f}"


def print_table(title, rows):
    """Prints one machine's table."""
    print(f"\n== {title}")
    print(f"{'metric':<30} {'unit':<11}" + "".join(f"{c:>13}" for c in COLUMNS))
    for row in rows:
        if row["section"]:
            print(f"-- {row['section']}")
        print(f"{row['label']:<30} {row['unit']:<11}" +
              "".join(f"{cell(row[c], row['decimals']):>13}" for c in COLUMNS))


def csv_value(v):
    """A CSV field: empty for no number, floats to three decimals."""
    if v is None:
        return ""
    return round(v, 3) if isinstance(v, float) else v


def write_csv(path, blocks):
    """One CSV row per table row and machine, a column per mode and Linux."""
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["machine", "accel", "metric", "unit"] + COLUMNS)
        for b in blocks:
            for row in b["table"]:
                w.writerow([b["machine"], b["accel"], row["label"].strip(), row["unit"]] +
                           [csv_value(row[c]) for c in COLUMNS])


def plot(path, blocks):
    """Bar charts of the time rows, one panel per machine; False without matplotlib."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    fig, axes = plt.subplots(1, len(blocks), figsize=(7 * len(blocks), 4.5), squeeze=False)
    for ax, b in zip(axes[0], blocks):
        rows = [r for r in b["table"] if r["unit"].startswith(("ns", "us"))]
        width = 0.8 / len(COLUMNS)
        for i, col in enumerate(COLUMNS):
            vals = [r[col] if isinstance(r[col], (int, float)) else 0 for r in rows]
            ax.bar([x + i * width for x in range(len(rows))], vals, width, label=col)
        ax.set_xticks([x + 0.4 - width / 2 for x in range(len(rows))])
        ax.set_xticklabels([f"{r['label']}\n({r['unit']})" for r in rows], fontsize=7)
        ax.set_yscale("log")
        ax.set_title(f"{TITLES.get(b['machine'], b['machine'])}, {b['accel']}")
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    return True


def run(opts, accels):
    """The whole comparison under each accelerator of accels ("tcg", "kvm");
    returns the number of boots or runs that failed."""
    os.makedirs(LOG_DIR, exist_ok=True)
    columns = {(m.name, a): {c: {"runs": [], "problems": []} for c in COLUMNS}
               for m in MACHINES for a in accels}
    host = columns[(MACHINES[0].name, "tcg")][LINUX]
    failed = 0
    print(f"mode comparison: {opts.runs} run(s) of ukva_bench per column; "
          f"logs in {os.path.relpath(LOG_DIR, machine.ROOT)}/")
    for n in range(1, opts.runs + 1):
        for m in MACHINES:
            for accel in accels:
                for mode in configs.MODES:
                    log = os.path.join(LOG_DIR, f"{m.name}-{mode}-{accel}-{n}.log")
                    start = time.monotonic()
                    results, problem = boot(m, mode, accel, log, opts)
                    col = columns[(m.name, accel)][mode]
                    col["runs" if results else "problems"].append(results or problem)
                    failed += results is None
                    print(f"  {m.name:<10} {mode:<8} {accel} run {n}: "
                          f"{problem or 'ok'} ({time.monotonic() - start:.1f} s)", flush=True)
        start = time.monotonic()
        results, problem = host_run(os.path.join(LOG_DIR, f"host-{n}.log"), opts)
        host["runs" if results else "problems"].append(results or problem)
        failed += results is None
        print(f"  {'host':<10} {LINUX:<8} run {n}: {problem or 'ok'} "
              f"({time.monotonic() - start:.1f} s)", flush=True)
    for key in columns:                 # every machine shows the host column
        columns[key][LINUX] = host

    task_struct = task_struct_bytes()
    blocks = []
    cfgs = {m.name: m for m in MACHINES}
    for (name, accel), cols in columns.items():
        rows = table(cols, task_struct, rows_of(cfgs[name]))
        blocks.append({"machine": name, "accel": accel, "columns": cols, "table": rows})
        print_table(f"{TITLES[name]}, {accel}: median of {opts.runs} run(s); "
                    f"linux = this host, same binary", rows)
        for col in COLUMNS:
            for problem in cols[col]["problems"]:
                print(f"  {col} failed: {problem}")
    if task_struct is None:
        print("theory rows: n/a (no gdb to read sizeof(struct task) from build/kernel.elf)")
    with open(os.path.join(OUT_DIR, "results.json"), "w") as f:
        json.dump({"runs": opts.runs, "accels": accels, "task_struct_bytes": task_struct,
                   "machines": blocks}, f, indent=1)
    write_csv(os.path.join(OUT_DIR, "results.csv"), blocks)
    plotted = plot(os.path.join(OUT_DIR, "modes.png"), blocks)
    print(f"\nresults in build/bench/results.json, results.csv"
          f"{', modes.png' if plotted else ' (no plot: matplotlib is not installed)'}")
    return failed
