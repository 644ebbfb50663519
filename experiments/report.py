"""The tables of a `make run`: on the screen, and report.md with the plots
and a paragraph on each.

A cell is the median over every sample with its spread, `1,499 ±3%`
(relative standard deviation); beside the first mode column (`shared`,
the 2002 design) each other column also shows its %change from it, as
lkp's compare does, marked `~` when the change is inside the noise and
`?` when the spread is unknown (one sample of a time).  docs/benchmarks.md
explains every metric.
"""
import os

from experiments import goals, plots, results, samples

MARK = {"noise": "~", "unknown": "?", "real": "", "same": ""}
SCREEN_WIDTH = 23


def number(v):
    """A median as people read it."""
    if v is None:
        return "n/a"
    a = abs(v)
    if a >= 100 or float(v).is_integer():
        return f"{v:,.0f}"
    if a >= 1 or a == 0:
        return f"{v:.1f}"
    return f"{v:.3g}"


def cell(doc, mach, col, metric):
    """One table cell: median ±spread [%change vs the base column]."""
    s = results.stat(doc, mach, col, metric)
    if s is None:
        return "n/a"
    text = number(s["median"])
    if s["stddev_pct"] is not None and s["stddev_pct"] > 0:
        text += f" ±{s['stddev_pct']:.0f}%"
    c = results.comparison(doc, mach, col, metric)
    if c and c["verdict"] != "same":
        change = "new" if c["change_pct"] is None else f"{c['change_pct']:+.0f}%"
        text += f" {change}{MARK[c['verdict']]}"
    return text


def table_metrics(doc):
    """The metrics of the tables: every one ukva_bench reported except the
    raw counter deltas (those are in the JSON and CSV)."""
    return [m for m in results.metric_order(doc) if not samples.is_raw_counter(m)]


def rows(doc, mach):
    """(metric, unit, cells) for one machine's table."""
    out = []
    for metric in table_metrics(doc):
        cells = [cell(doc, mach, col, metric) for col in doc["columns"]]
        if any(c != "n/a" for c in cells):
            out.append((metric, samples.unit(metric), cells))
    return out


def heading(col):
    """A column's heading."""
    return plots.label(col)


def legend(doc):
    """The lines that say how to read the cells and what each Linux column is."""
    base = results.base_column([c for c in doc["columns"] if c in doc.get("modes", [])])
    lines = [f"cells: median ±relative stddev; other columns: %change from `{base}`, "
             "`~` inside the noise (|change| < 2 x combined stddev), `?` spread unknown "
             "(one sample); n/a: not measured there"]
    lx = doc.get("linux", {})
    if lx.get("package"):
        lines.append(f"Linux: Debian's {lx['package']} {lx['version']} on the same QEMU "
                     f"machine, ukva_bench as /init; `linux`: {lx['columns']['linux']}; "
                     f"`linux-mitigations-off`: {lx['columns'][plots.LINUX_NOMITIG]}")
    else:
        lines.append(f"Linux columns: {lx.get('status', 'not run')}")
    h = doc.get("host", {})
    lines.append(f"host*: the same binary on this host's own Linux ({h.get('kernel')}, "
                 f"{h.get('cpu_model')}): a different kernel on different hardware")
    return lines


def screen(doc):
    """The tables as text, one per machine."""
    out = []
    cols = doc["columns"]
    for mach in results.machine_names(doc):
        out.append(f"\n== {doc['machines'][mach]['title']}")
        out.append(f"{'metric':<44}{'unit':<7}" + "".join(
            f"{c + ('*' if c == results.HOST else ''):>{SCREEN_WIDTH}}" for c in cols))
        for metric, unit, cells in rows(doc, mach):
            out.append(f"{metric:<43} {unit:<6}" + "".join(f"{c:>{SCREEN_WIDTH}}" for c in cells))
    out += [goals.screen(doc), ""] + legend(doc)
    return "\n".join(out)


def markdown_table(doc, mach):
    """One machine's table as Markdown lines."""
    cols = doc["columns"]
    lines = ["| metric | unit | " + " | ".join(heading(c) for c in cols) + " |",
             "|---|---|" + "---:|" * len(cols)]
    for metric, unit, cells in rows(doc, mach):
        lines.append(f"| `{metric}` | {unit} | " + " | ".join(cells) + " |")
    return lines


def failures(doc):
    """A line for every boot that did not run ukva_bench to the end."""
    bad = [b for b in doc["boots"] if not b["ok"]]
    return [f"- {b['machine']} {b['column']} run {b['run']}: {b['problem']} "
            f"(`{b['log']}`)" for b in bad]


def skipped(doc):
    """A line for every benchmark that skipped itself, and where."""
    seen = {}
    for b in doc["boots"]:
        for metric, why in b.get("skipped", {}).items():
            seen.setdefault((metric, why), set()).add(f"{b['machine']}/{b['column']}")
    return [f"- `{m}`: {why} ({', '.join(sorted(w))})" for (m, why), w in sorted(seen.items())]


def write(doc, out, plot_note=None):
    """report.md in out, next to the plots plots.py drew there."""
    h = doc.get("host", {})
    lines = [
        f"# make run: {doc.get('describe') or doc.get('commit')}, {doc.get('started')}",
        "",
        f"- commit `{doc.get('commit')}`; {doc.get('runs')} run(s) per column"
        f"{' (FULL=1)' if doc.get('full') else ''}; took {doc.get('seconds')} s",
        f"- host: {h.get('cpu_model')}, {h.get('cpus')} CPUs, {h.get('kernel')}; "
        f"{h.get('qemu')}, accel {doc.get('accel')}",
        f"- modes: {', '.join(doc.get('modes', []))} (the kernel has: "
        f"{', '.join(doc.get('kernel_modes', []))})",
    ]
    for name, why in doc.get("left_out", {}).items():
        lines.append(f"- left out: {name}: {why}")
    lines += [""] + [f"{l}  " for l in legend(doc)]
    for mach in results.machine_names(doc):
        m = doc["machines"][mach]
        lines += ["", f"## {m['title']}", "", f"Guest CPU model: {m.get('guest_cpu', '?')}.", ""]
        lines += markdown_table(doc, mach)
    goal_lines = goals.markdown(doc)
    if goal_lines:
        lines += ["", "## Goals: ratio to Linux with mitigations=off", "",
                  "Issue 15's goals (`experiments/goals.py`): median over median, "
                  "± the two spreads combined; `~`: the goal is inside that spread."]
        lines += goal_lines
    lines += ["", "## Plots", ""]
    for p in plots.PLOTS:
        if not p.available(doc):
            lines += [f"### {p.name}", "",
                      f"Not measured in this run: waits for {p.waits_for}.", ""]
            continue
        lines += [f"### {p.name}", ""]
        if os.path.exists(os.path.join(out, f"{p.name}.png")):
            lines += [f"![{p.name}]({p.name}.svg)", ""]
        else:
            lines += [f"(no picture: {plot_note or 'the plot step did not run'})", ""]
        lines += [p.says(doc), ""]
    bad, skip = failures(doc), skipped(doc)
    if bad:
        lines += ["## Boots that failed", ""] + bad + [""]
    if skip:
        lines += ["## Benchmarks that did not run where noted", ""] + skip + [""]
    lines += ["Every sample is in `results.json`; one row per machine x column x metric in "
              "`results.csv`; each boot's serial log in `logs/`.", ""]
    with open(os.path.join(out, "report.md"), "w") as f:
        f.write("\n".join(lines))


def main(argv):
    """Writes report.md again from the results.json in argv[1] and prints the
    tables (after a change to this file, or to read an old run)."""
    out = argv[1]
    doc = results.load(out)
    write(doc, out)
    print(screen(doc))
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(main(sys.argv))
