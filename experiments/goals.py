"""Issue 15's goals: this kernel's time on the paths it shares with Linux,
as a ratio to Debian's Linux with `mitigations=off` on the same machine,
emulator, CPU model and binary, beside the ratio it should stay under.

A ratio's spread is the two medians' relative spreads combined
(sqrt(a^2 + b^2)); a ratio is "met" when it is under the goal, and
"met~" or "missed~" when the goal is inside that spread (a quiet host's
rerun may turn it either way).
"""
import math

from experiments import results
from experiments.plots import LINUX_NOMITIG as LINUX


class Goal:
    """One path: the ukva_bench metric timing it, the ratio to Linux it
    should stay under, and the modes the goal is set for (None: all)."""

    def __init__(self, path, metric, ratio, modes=None):
        self.path, self.metric, self.ratio, self.modes = path, metric, ratio, modes

    def applies(self, mode):
        """Is this goal set for mode?"""
        return self.modes is None or mode in self.modes


# The modes a goal names are the issue's own; per-task and per-cpu threads
# pay a CR3 write per same-mm switch by design, so the yield goal is not
# set for them (their ratio is still printed).
GOALS = [
    Goal("null syscall (getppid)", "syscall.ns", 0.5),
    Goal("first-touch fault", "page_fault.ns", 0.5),
    Goal("fork + exit + wait", "fork.ns", 0.25),
    Goal("yield between 2 threads", "yield_threads.ns", 0.4, modes=("shared", "per-mm")),
]


def ratio(doc, mach, mode, goal):
    """(ratio, spread_pct) of mode's median to Linux's for goal on mach, or None."""
    ours = results.stat(doc, mach, mode, goal.metric)
    theirs = results.stat(doc, mach, LINUX, goal.metric)
    if not ours or not theirs or not theirs["median"]:
        return None
    spreads = [s["stddev_pct"] or 0.0 for s in (ours, theirs)]
    return ours["median"] / theirs["median"], math.hypot(*spreads)


def verdict(r, spread_pct, goal):
    """How r (with its spread) stands against goal: met, met~, missed~, missed."""
    near = abs(r - goal.ratio) <= r * spread_pct / 100.0
    if r <= goal.ratio:
        return "met~" if near else "met"
    return "missed~" if near else "missed"


def cell(doc, mach, mode, goal):
    """One cell: `0.31x ±4% met`, `1.7x ±3% (no goal)` or n/a."""
    got = ratio(doc, mach, mode, goal)
    if got is None:
        return "n/a"
    r, spread = got
    tail = verdict(r, spread, goal) if goal.applies(mode) else "(no goal)"
    return f"{r:.2f}x ±{spread:.0f}% {tail}"


def machines_with_linux(doc):
    """The machines of doc where Linux with mitigations=off ran."""
    return [m for m in results.machine_names(doc)
            if doc["metrics"].get(m, {}).get(LINUX)]


def rows(doc, mach):
    """(path, goal text, Linux's median ns as text, cells per mode) for one machine."""
    out = []
    for g in GOALS:
        lin = results.median(doc, mach, LINUX, g.metric)
        cells = [cell(doc, mach, mode, g) for mode in results.mode_columns(doc)]
        out.append((g.path, f"<= {g.ratio}x", "n/a" if lin is None else f"{lin:,.0f}", cells))
    return out


def markdown(doc):
    """The goal tables of doc as Markdown lines ([] without Linux)."""
    lines = []
    modes = results.mode_columns(doc)
    for mach in machines_with_linux(doc):
        lines += ["", f"### {doc['machines'][mach]['title']}", "",
                  "| path | goal | Linux, ns | " + " | ".join(modes) + " |",
                  "|---|---|---:|" + "---|" * len(modes)]
        for path, goal, lin, cells in rows(doc, mach):
            lines.append(f"| {path} | {goal} | {lin} | " + " | ".join(cells) + " |")
    return lines


def screen(doc):
    """The goal tables as text ("" without Linux)."""
    out = []
    modes = results.mode_columns(doc)
    for mach in machines_with_linux(doc):
        out.append(f"\n== goals, ratio to Linux (mitigations=off): "
                   f"{doc['machines'][mach]['title']}")
        out.append(f"{'path':<26}{'goal':>8}{'Linux ns':>10}" +
                   "".join(f"{m:>22}" for m in modes))
        for path, goal, lin, cells in rows(doc, mach):
            out.append(f"{path:<26}{goal:>8}{lin:>10}" + "".join(f"{c:>22}" for c in cells))
    return "\n".join(out)
