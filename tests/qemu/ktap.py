"""A KTAP version 1 parser for the kernel's serial log (kernel/ktest.c).

    KTAP version 1
    1..1
      KTAP version 1
      # Subtest: frames
      1..2
      ok 1 alloc_all_free_all
      not ok 2 kmap_patterns
    not ok 1 frames
    # ktest: 1 passed, 1 failed, 0 skipped

Nested suites are indented two spaces per level.  Lines that are not KTAP
(boot messages, the kernel's printk output in the middle of a test) are
ignored.  The parser never raises on bad input: it reports what it found,
lists malformed output in Report.problems and missing results (a crash or
a hang) in Report.unfinished.
"""
import re
from dataclasses import dataclass, field

VERSION = "KTAP version 1"
PLAN = re.compile(r"^1\.\.(\d+)$")
SUBTEST = re.compile(r"^# Subtest: (\S+)")
RESULT = re.compile(r"^(ok|not ok) (\d+) ([^#]*?)\s*(?:#\s*(.*))?$")
SUMMARY = re.compile(r"^# ktest: (\d+) passed, (\d+) failed, (\d+) skipped")


@dataclass
class Suite:
    depth: int
    name: str = ""
    plan: int = None
    results: list = field(default_factory=list)     # of Result
    pending_diags: list = field(default_factory=list)  # since the last result


@dataclass
class Result:
    number: int
    name: str
    ok: bool
    skip: bool
    children: Suite = None          # the nested suite this line closes
    diagnostics: list = field(default_factory=list)  # "# ..." lines before it

    @property
    def outcome(self):
        """"ok", "not ok" or "skip"."""
        if not self.ok:
            return "not ok"
        return "skip" if self.skip else "ok"


@dataclass
class Case:
    """A leaf test case, named "suite.case" (just "case" at top level)."""
    path: str
    outcome: str
    diagnostics: list


@dataclass
class Report:
    found: bool = False             # saw "KTAP version 1"
    root: Suite = None
    cases: list = field(default_factory=list)       # of Case
    problems: list = field(default_factory=list)    # of str: malformed output
    unfinished: list = field(default_factory=list)  # of str: results missing
    summary: tuple = None           # (passed, failed, skipped) from the kernel

    def count(self, outcome):
        return sum(1 for c in self.cases if c.outcome == outcome)


def parse(text):
    """Parse a serial log; returns a Report."""
    report = Report()
    stack = []                      # open suites, outermost first
    for raw in text.splitlines():
        line = raw.rstrip("\r")
        body = line.lstrip(" ")
        indent = len(line) - len(body)
        if indent % 2:
            continue
        depth = indent // 2

        m = SUMMARY.match(body)
        if m and depth == 0:
            report.summary = tuple(int(x) for x in m.groups())
            continue
        if body == VERSION:
            if not stack and depth == 0 and not report.found:
                report.found = True
                report.root = Suite(0)
                stack = [report.root]
            elif stack and depth == len(stack):
                stack.append(Suite(depth))
            continue
        if not stack or depth >= len(stack):
            continue
        suite = stack[depth]
        if depth == len(stack) - 1:
            m = SUBTEST.match(body)
            if m:
                suite.name = m.group(1)
                continue
            m = PLAN.match(body)
            if m:
                if suite.plan is not None:
                    report.problems.append(f"suite '{suite.name}': second plan line")
                suite.plan = int(m.group(1))
                continue
        m = RESULT.match(body)
        if m:
            # A result at this depth closes the suite nested under it.
            child = stack[depth + 1] if depth + 1 < len(stack) else None
            del stack[depth + 1:]
            directive = (m.group(4) or "").strip()
            suite.results.append(Result(
                number=int(m.group(2)),
                name=m.group(3).strip(),
                ok=m.group(1) == "ok",
                skip=directive.upper().startswith("SKIP"),
                children=child,
                diagnostics=suite.pending_diags))
            suite.pending_diags = []
            continue
        if body.startswith("#"):
            suite.pending_diags.append(body)
    if not report.found:
        report.problems.append("no KTAP output (no 'KTAP version 1' line)")
        return report
    _check(report.root, "", report)
    # Suites still open at the end: the kernel died inside them.  Their
    # finished cases still count.
    prefix = ""
    for open_suite in stack[1:]:
        report.unfinished.append(
            f"suite '{open_suite.name or '?'}' never finished (crashed inside it?)")
        prefix += (open_suite.name or "?") + "."
        _check(open_suite, prefix, report)
    if report.summary:
        counted = (report.count("ok"), report.count("not ok"), report.count("skip"))
        if counted != report.summary:
            report.problems.append(
                f"kernel's summary says {report.summary[0]} passed, {report.summary[1]} "
                f"failed, {report.summary[2]} skipped, but the results say "
                f"{counted[0]}/{counted[1]}/{counted[2]}")
    return report


def _check(suite, prefix, report):
    """Check plans and numbering; collect leaf cases into report.cases."""
    label = suite.name or "top level"
    if suite.plan is None:
        report.unfinished.append(f"{label}: no plan line")
    elif len(suite.results) < suite.plan:
        report.unfinished.append(
            f"{label}: plan 1..{suite.plan}, only {len(suite.results)} reported")
    elif len(suite.results) > suite.plan:
        report.problems.append(
            f"{label}: plan 1..{suite.plan}, but {len(suite.results)} reported")
    for i, r in enumerate(suite.results, 1):
        if r.number != i:
            report.problems.append(f"{label}: result '{r.name}' numbered {r.number}, expected {i}")
        if r.children is None:
            report.cases.append(Case(prefix + r.name, r.outcome, r.diagnostics))
            continue
        if r.children.name and r.children.name != r.name:
            report.problems.append(
                f"subtest '{r.children.name}' closed by a result named '{r.name}'")
        before = len(report.cases)
        _check(r.children, prefix + r.name + ".", report)
        inner_failed = any(c.outcome == "not ok" for c in report.cases[before:])
        if r.ok == inner_failed:
            report.problems.append(
                f"suite '{r.name}' reported '{r.outcome}' but its cases "
                f"{'include' if inner_failed else 'have no'} failures")
