"""The plots of a `make run`, as PNG and SVG, and what each one says.

    /usr/bin/python3 -m experiments.plots RESULTS_DIR

Runs under Debian's python3 (python3-matplotlib; scripts/install-deps.sh
installs it).  Each entry of PLOTS names the metrics it needs, draws
itself from results.json, and says in one paragraph (report.md) what it
shows about the 2002 argument: that per-task kernel data in a per-task
window costs a TLB flush on every same-mm switch, and buys lowmem and
no kmap of page tables.  A plot whose metrics this run lacks is skipped,
and the report says what it waits for.
"""
import os
import sys

if __package__ in (None, ""):
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from experiments import results          # noqa: E402

FORMATS = ("png", "svg")
LINUX_NOMITIG = "linux-mitigations-off"


def label(column):
    """A column's name in plots and tables."""
    return {"linux": "Linux (PTI)", LINUX_NOMITIG: "Linux (mitigations=off)",
            "host": "host Linux*"}.get(column, column)


def factor(a, b):
    """a relative to b as a factor, 'n/a' without both."""
    if a is None or not b:
        return "n/a"
    return f"{a / b:.2f}x"


def verdict(doc, mach, col, metric):
    """' (inside the noise)' or the like, for a change in a paragraph."""
    c = results.comparison(doc, mach, col, metric)
    if not c:
        return ""
    if c["verdict"] == "noise":
        return " (inside the noise)"
    if c["verdict"] == "unknown":
        return " (spread unknown: one sample)"
    return ""


def versus_base(doc):
    """(machine, mode, base mode) for every mode but the one the others are
    compared with, machine by machine."""
    for mach in results.machine_names(doc):
        base = doc["comparisons"].get(mach, {}).get("base")
        for col in results.mode_columns(doc):
            if base and col != base:
                yield mach, col, base


def grouped_bars(ax, doc, mach, columns, metrics, names, scale=1.0, log=False):
    """Bars of the medians, q1..q3 as error bars, a group per column."""
    width = 0.8 / len(metrics)
    positive = False
    for i, (metric, name) in enumerate(zip(metrics, names)):
        xs, ys, lo, hi = [], [], [], []
        for x, col in enumerate(columns):
            s = results.stat(doc, mach, col, metric)
            if not s:
                continue
            xs.append(x + i * width)
            ys.append(s["median"] * scale)
            lo.append((s["median"] - s["q1"]) * scale)
            hi.append((s["q3"] - s["median"]) * scale)
        ax.bar(xs, ys, width, yerr=[lo, hi], capsize=2, label=name)
        positive = positive or any(y > 0 for y in ys)
    ax.set_xticks([x + 0.4 - width / 2 for x in range(len(columns))])
    ax.set_xticklabels([label(c) for c in columns], rotation=20, ha="right", fontsize=8)
    if log and positive:
        ax.set_yscale("log")
    ax.set_title(doc["machines"][mach]["title"], fontsize=9)
    ax.legend(fontsize=7)


def machines_with(doc, metrics):
    """The machines of doc on which some column has one of metrics."""
    return [m for m in results.machine_names(doc)
            if any(results.stat(doc, m, c, x) for c in doc["columns"] for x in metrics)]


def panels(plt, doc, metrics, n_rows=1):
    """A figure with one column of panels per machine that has metrics, n_rows high."""
    machs = machines_with(doc, metrics)
    fig, axes = plt.subplots(n_rows, len(machs), figsize=(5.5 * len(machs), 4.2 * n_rows),
                             squeeze=False)
    return fig, axes, machs


# --- 1. context switches -------------------------------------------------

SWITCH = ["yield_threads.ns", "yield_processes.ns"]


def draw_switch(plt, doc):
    """Same-mm and cross-mm switch times, every column."""
    fig, axes, machs = panels(plt, doc, SWITCH)
    for ax, mach in zip(axes[0], machs):
        grouped_bars(ax, doc, mach, doc["columns"], SWITCH,
                     ["same mm (2 threads)", "cross mm (2 processes)"], 1e-3, log=True)
        ax.set_ylabel("us per yield (a switch), log scale")
    fig.suptitle("Context switch cost per mode: same-mm vs cross-mm")
    return fig


def say_switch(doc):
    """What the switch plot says, with this run's numbers."""
    parts = {}
    for mach, col, base in versus_base(doc):
        same = results.median(doc, mach, col, SWITCH[0])
        cross = results.median(doc, mach, col, SWITCH[1])
        if same is None:
            continue
        parts.setdefault(mach, []).append(
            f"`{col}` {factor(same, results.median(doc, mach, base, SWITCH[0]))} of `{base}`'s "
            f"same-mm switch{verdict(doc, mach, col, SWITCH[0])} (cross-mm: "
            f"{factor(cross, results.median(doc, mach, base, SWITCH[1]))})")
    out = []
    for mach, p in parts.items():
        lin = results.median(doc, mach, LINUX_NOMITIG, SWITCH[0])
        base = results.median(doc, mach, doc["comparisons"][mach]["base"], SWITCH[0])
        if lin is not None and base:
            p.append(f"Linux without mitigations {factor(lin, base)}")
        out.append(f"on {doc['machines'][mach]['title']}: " + "; ".join(p))
    return ("A same-mm switch (two threads) needs no CR3 write where the kernel half is "
            "shared by the mm, and one in a per-task window design, which makes it cost "
            "what a cross-mm switch (two processes) costs: the 2002 objection (per-cpu "
            "keeps per-task windows but INVLPGs the outgoing thread's window pages "
            "instead).  Measured "
            + "; ".join(out) + ".  Under TCG a CR3 write flushes QEMU's whole soft TLB, "
            "global entries included, so the factor is larger than hardware with PGE "
            "would show; the count of flushes (next plot) is exact.")


# --- 2. what a switch flushes ---------------------------------------------

FLUSH_KINDS = [("cr3_writes_per_switch", "CR3 writes"),
               ("tlb_flush_all_per_switch", "full flushes"),
               ("tlb_flush_one_per_switch", "INVLPGs")]
FLUSH = [f"{b}.{k}" for b in ("yield_threads", "yield_processes") for k, _ in FLUSH_KINDS]


def draw_flushes(plt, doc):
    """CR3 writes, full flushes and INVLPGs per switch, every mode."""
    fig, axes, machs = panels(plt, doc, FLUSH)
    names = [f"{'threads' if b == 'yield_threads' else 'processes'}: {n}"
             for b in ("yield_threads", "yield_processes") for _, n in FLUSH_KINDS]
    for ax, mach in zip(axes[0], machs):
        grouped_bars(ax, doc, mach, results.mode_columns(doc), FLUSH, names)
        ax.set_ylabel("per context switch (kernel counters)")
    fig.suptitle("TLB work per context switch, by mode")
    return fig


def say_flushes(doc):
    """What the flushes plot says, with this run's numbers."""
    mach = machines_with(doc, FLUSH)[0]
    parts = []
    for col in results.mode_columns(doc):
        t = results.median(doc, mach, col, "yield_threads.cr3_writes_per_switch")
        p = results.median(doc, mach, col, "yield_processes.cr3_writes_per_switch")
        if t is not None and p is not None:
            parts.append(f"`{col}` {t:.2f} between threads and {p:.2f} between processes")
    return ("The kernel's own counters, per context switch, on "
            f"{doc['machines'][mach]['title']}: CR3 writes {'; '.join(parts)}.  This is the "
            "mechanism behind the first plot, counted rather than timed: a mode whose "
            "threads write CR3 on every switch pays a full flush of the non-global TLB "
            "entries each time (no PCID in 32-bit mode), and no mode needs explicit full "
            "flushes or INVLPGs to switch.  Linux has no such counters; its columns are absent.")


# --- 3. page faults and fork ----------------------------------------------

FAULT_FORK = ["page_fault.ns", "fork.ns"]


def draw_fault_fork(plt, doc):
    """Page fault and fork times, every column."""
    fig, axes, machs = panels(plt, doc, FAULT_FORK, n_rows=2)
    for row, (metric, name, scale) in enumerate([(FAULT_FORK[0], "first-touch fault", 1e-3),
                                                 (FAULT_FORK[1], "fork + exit + wait", 1e-3)]):
        for ax, mach in zip(axes[row], machs):
            grouped_bars(ax, doc, mach, doc["columns"], [metric], [name], scale, log=True)
            ax.set_ylabel("us, log scale")
    fig.suptitle("Page fault and fork cost per mode")
    return fig


def say_fault_fork(doc):
    """What the fault and fork plot says, with this run's numbers."""
    parts = []
    kmaps = "page_fault.kmap_atomic_per_fault"
    for mach, col, base in versus_base(doc):
        f = results.median(doc, mach, col, FAULT_FORK[0])
        if f is None:
            continue
        k, kb = (results.median(doc, mach, c, kmaps) for c in (col, base))
        parts.append(f"{doc['machines'][mach]['title']}, `{col}`: a fault costs "
                     f"{factor(f, results.median(doc, mach, base, FAULT_FORK[0]))} of `{base}`'s"
                     f"{verdict(doc, mach, col, FAULT_FORK[0])}"
                     + (f", with {k:.1f} kmap_atomic per fault against {kb:.1f}"
                        if k is not None and kb is not None else ""))
    return ("The window's promise: the kernel reaches user page tables through the "
            "linear map instead of a kmap_atomic per level, so faults and fork should get "
            "cheaper where page tables live in highmem.  " + "; ".join(parts) + ".  TCG has "
            "no cache model, so a kmap's real cost (a TLB miss, an INVLPG) is "
            "under-represented; the kmap counts are exact.")


# --- 4. lowmem: what each task costs, how many fit --------------------------

CAPACITY = ["footprint_thread.lowmem_bytes", "footprint_process.lowmem_bytes",
            "boot.lowmem_left_kib"]


def capacity_curve(doc, mach, col, per="footprint_thread.lowmem_bytes"):
    """(tasks, lowmem left in MiB) from the lowmem left after boot and the
    measured lowmem per task, extrapolated linearly until lowmem runs out."""
    left = results.median(doc, mach, col, "boot.lowmem_left_kib")
    each = results.median(doc, mach, col, per)
    if not left or not each:
        return None
    most = int(left * 1024 // each)
    xs = [most * i // 20 for i in range(21)]
    return xs, [(left * 1024 - x * each) / 2**20 for x in xs]


def draw_capacity(plt, doc):
    """Lowmem per task, and the lowmem left as threads are added."""
    fig, axes, machs = panels(plt, doc, CAPACITY, n_rows=2)
    for ax, mach in zip(axes[0], machs):
        grouped_bars(ax, doc, mach, results.mode_columns(doc), CAPACITY[:2],
                     ["per thread", "per process"])
        ax.set_ylabel("lowmem bytes per task (measured, 64 tasks)")
    for ax, mach in zip(axes[1], machs):
        for col in results.mode_columns(doc):
            curve = capacity_curve(doc, mach, col)
            if curve:
                ax.plot(curve[0], curve[1], label=col)
        ax.set_xlabel("threads")
        ax.set_ylabel("lowmem left, MiB (extrapolated)")
        ax.legend(fontsize=7)
    fig.suptitle("Lowmem per task and the threads that fit")
    return fig


def say_capacity(doc):
    """What the capacity plot says, with this run's numbers."""
    parts = []
    for mach in results.machine_names(doc):
        for col in results.mode_columns(doc):
            each = results.median(doc, mach, col, CAPACITY[0])
            curve = capacity_curve(doc, mach, col)
            if each and curve:
                parts.append(f"{doc['machines'][mach]['title']}, `{col}`: {each:,.0f} B of "
                             f"lowmem per thread, room for about {curve[0][-1]:,} threads")
    return ("Lowmem, the ~896 MiB the kernel maps directly, is what runs out first on a "
            "32-bit PAE machine; the 2002 argument for windows is that per-task kernel data "
            "can move to highmem.  " + "; ".join(parts) + ".  The curve is a straight-line "
            "extrapolation from 64 tasks measured (lowmem left after boot minus tasks x "
            "lowmem per thread), not a run to exhaustion.")


# --- 5. text locality per node ----------------------------------------------

def locality_metrics(doc):
    """The text-locality metrics this run has: the share of kernel text
    samples from the CPU's own node, per numa_bench phase (NUMA rows only)."""
    return sorted({m for cols in doc["metrics"].values() for c in cols.values() for m in c
                   if m.endswith(".local_pct")})


def numa_machines(doc):
    """The machines of doc with more than one node."""
    return [m for m in results.machine_names(doc) if doc["machines"][m].get("nodes", 1) > 1]


def draw_locality(plt, doc):
    """The locality metrics per mode, a panel per NUMA machine."""
    metrics = locality_metrics(doc)
    machs = numa_machines(doc)
    fig, axes = plt.subplots(1, len(machs), figsize=(5.5 * len(machs), 4.2), squeeze=False)
    for ax, mach in zip(axes[0], machs):
        grouped_bars(ax, doc, mach, results.mode_columns(doc), metrics,
                     [m.split(".")[0].replace("numa_", "") for m in metrics])
        ax.set_ylabel("% of kernel text samples from the CPU's own node")
        ax.set_ylim(0, 105)
    fig.suptitle("Kernel text locality per mode (numa_bench phases)")
    return fig


def say_locality(doc):
    """What the locality plot says, with this run's numbers."""
    parts = []
    for m in numa_machines(doc):
        for c in results.mode_columns(doc):
            vals = [f"{metric.split('.')[0].replace('numa_', '')} {v:.0f}%"
                    for metric in locality_metrics(doc)
                    if (v := results.median(doc, m, c, metric)) is not None]
            if vals:
                parts.append(f"{doc['machines'][m]['title']}, `{c}`: " + ", ".join(vals))
    return ("With kernel text replicated per node, a task should run the kernel text "
            "from its own node's copy; where the copy belongs to an mm or to the whole "
            "machine, it can follow only one node at a time.  Share of kernel-text "
            "samples from the sampling CPU's node: " + "; ".join(parts) + ".  QEMU has no "
            "NUMA latency model: this counts where the text came from, it cannot time it.")


class Plot:
    def __init__(self, name, needs, draw, says, waits_for):
        self.name, self.needs, self.draw, self.says, self.waits_for = (
            name, needs, draw, says, waits_for)

    def available(self, doc):
        """Does doc have any metric this plot needs?"""
        needs = self.needs(doc) if callable(self.needs) else self.needs
        return bool(needs) and any(results.has_metric(doc, m) for m in needs)


PLOTS = [
    Plot("switch", SWITCH, draw_switch, say_switch, "the yield benchmarks"),
    Plot("flushes", FLUSH, draw_flushes, say_flushes, "the kernel's counters"),
    Plot("fault_fork", FAULT_FORK, draw_fault_fork, say_fault_fork,
         "the fault and fork benchmarks"),
    Plot("capacity", CAPACITY, draw_capacity, say_capacity, "the footprint benchmarks"),
    Plot("locality", locality_metrics, draw_locality, say_locality,
         "a NUMA machine in the matrix (numa_bench runs there)"),
]


def main(argv):
    """Draws every plot the results in argv[1] have data for."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = argv[1]
    doc = results.load(out)
    for p in PLOTS:
        if not p.available(doc):
            continue
        fig = p.draw(plt, doc)
        fig.tight_layout()
        for ext in FORMATS:
            fig.savefig(os.path.join(out, f"{p.name}.{ext}"), dpi=110)
        plt.close(fig)
        print(f"plots: {p.name}.png, {p.name}.svg")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
