#!/usr/bin/env python3
"""Boot the kernel in every test configuration and judge what it reports.

    tests/qemu/harness.py [options] [PATTERN...]
    tests/qemu/harness.py --parse-only LOG [--config NAME] [--exit-status N]

First the host-side suites (configs.HOST_SUITES) that exist run.  Then
each configuration (tests/qemu/configs.py) is booted under a timeout with
COM1 going to build/test-logs/<name>.log.  The KTAP in that log, the
emulator's exit status and the configuration's expectations decide the
verdict.  The last line printed is the total:

    N passed, N failed[, N skipped]

counting test cases summed over all configurations, plus one failure for
every configuration that went wrong outside its cases (hang, crash, wrong
exit status, missing output), plus one test for every configuration that
reports no case at all (a deliberate panic).  The exit status is 1 if
anything failed.  docs/testing.md has the details.
"""
import argparse
import fnmatch
import os
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import configs                      # noqa: E402
import ktap                         # noqa: E402
import machine                      # noqa: E402

LOG_DIR = os.path.join(machine.ROOT, "build", "test-logs")
TAIL_LINES = 20


@dataclass
class Outcome:
    """The verdict on one configuration."""
    name: str
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    hung: bool = False
    show_log: bool = False          # went wrong outside its cases: show the log
    duration: float = 0.0
    problems: list = field(default_factory=list)    # why it is not a pass
    log: str = ""

    @property
    def verdict(self):
        if self.hung:
            return "HANG"
        return "FAIL" if self.failed else "PASS"


def config_initrd(cfg, opts):
    """The multiboot module for cfg: its own, or the one of the run."""
    return os.path.join(machine.ROOT, cfg.initrd) if cfg.initrd else opts.initrd


def judge(cfg, serial_text, exit_status=None, hung=False, bochs_log=None):
    """Compare one boot's output with cfg.expect; returns an Outcome.

    exit_status is QEMU's (None: not known, as with Bochs or --parse-only);
    bochs_log is the text of Bochs's own log, for a Bochs run.
    """
    expect = cfg.expect
    out = Outcome(cfg.name, hung=hung)
    boot_problems = []

    report = ktap.parse(serial_text)
    any_not_ok = any(c.outcome == "not ok" for c in report.cases)

    if hung:
        boot_problems.append("HANG: no verdict before the timeout")
    elif exit_status is not None:
        # The kernel must say "fail" exactly when a case failed (or when
        # the configuration provokes a failure on purpose).
        fail = any_not_ok or expect.exit == "fail"
        want = machine.QEMU_EXIT_FAIL if fail else machine.QEMU_EXIT_PASS
        said = {machine.QEMU_EXIT_PASS: "the kernel reported success",
                machine.QEMU_EXIT_FAIL: "the kernel reported failure",
                0: "QEMU stopped with no verdict from the kernel "
                   "(a triple fault or reset, with -no-reboot)"}
        if exit_status != want:
            boot_problems.append(
                f"exit status {exit_status} ({said.get(exit_status, 'QEMU itself failed')}), "
                f"expected {want}")
    if bochs_log is not None and not hung and machine.BOCHS_SHUTDOWN not in bochs_log:
        boot_problems.append("Bochs stopped without the kernel's shutdown request: "
                             + (_tail(bochs_log, 3).replace("\n", " | ") or "no log"))

    if expect.ktap:
        boot_problems += report.problems
    if report.root and report.root.plan == 0:
        boot_problems.append("no test ran (plan 1..0): " +
                             ("; ".join(d for d in report.root.pending_diags) or "no suite selected"))
    if expect.complete or not report.found:
        boot_problems += report.unfinished

    # Every case counts once: passed if its result is the one expected.
    seen = set()
    for case in report.cases:
        seen.add(case.path)
        want = expect.results.get(case.path)
        if want is None:
            want = "skip" if case.outcome == "skip" else "ok"
        if case.outcome != want:
            out.failed += 1
            if want == "ok":
                out.problems.append(f"not ok: {case.path}")
            else:
                out.problems.append(f"{case.path}: '{case.outcome}', expected '{want}'")
            out.problems += ["    " + d for d in case.diagnostics]
        elif case.outcome == "skip":
            out.skipped += 1
        else:
            out.passed += 1
    for path, want in expect.results.items():
        if path not in seen:
            out.failed += 1
            out.problems.append(f"{path}: no result, expected '{want}'")

    for pattern in expect.output:
        if not re.search(pattern, serial_text, re.MULTILINE):
            boot_problems.append(f"output lacks /{pattern}/")

    out.problems += boot_problems
    out.show_log = bool(boot_problems)
    if boot_problems:
        out.failed += 1
    elif not report.cases:
        out.passed += 1
    return out


def _tail(text, n):
    return "\n".join(text.rstrip("\n").splitlines()[-n:])


def _read(path):
    try:
        with open(path, "r", errors="replace") as f:
            return f.read()
    except FileNotFoundError:
        return ""


def boot(cfg, opts):
    """Boot one configuration, wait for it (or time it out), judge it."""
    serial = os.path.join(LOG_DIR, cfg.name + ".log")
    console = os.path.join(LOG_DIR, cfg.name + ".emulator.log")
    bochs_log = os.path.join(LOG_DIR, cfg.name + ".bochs.log")
    for path in (serial, console, bochs_log):
        if os.path.exists(path):
            os.remove(path)

    env = None
    monitor = None
    if cfg.boot == "bochs":
        cmd, env = machine.bochs_command(cfg, serial, bochs_log)
    else:
        monitor = os.path.join(LOG_DIR, cfg.name + ".monitor")
        cmd = machine.qemu_command(cfg, serial, opts.accel, config_initrd(cfg, opts),
                                   monitor=monitor)
    timeout = cfg.timeout * opts.timeout_scale

    start = time.monotonic()
    hung = False
    hang_state = []
    with open(console, "w") as con:
        con.write("$ " + " ".join(cmd) + "\n")
        con.flush()
        # A session of its own, so a hang is ended by killing its group.
        proc = subprocess.Popen(cmd, cwd=machine.ROOT, env=env, stdin=subprocess.DEVNULL,
                                stdout=con, stderr=subprocess.STDOUT,
                                start_new_session=True)
        try:
            status = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            hung = True
            if monitor:
                hang_state = post_mortem(monitor)
            os.killpg(proc.pid, signal.SIGKILL)     # Bochs ignores SIGTERM
            proc.wait()
            status = None
    duration = time.monotonic() - start

    text = _read(serial)
    if cfg.boot == "bochs":
        out = judge(cfg, text, None, hung, _read(bochs_log))
    else:
        out = judge(cfg, text, status, hung)
        if status not in (None, 0, machine.QEMU_EXIT_PASS, machine.QEMU_EXIT_FAIL):
            said = [l for l in _read(console).splitlines() if not l.startswith("$ ")]
            out.problems.append("QEMU said: " + (" | ".join(said[-3:]) or "nothing"))
    out.problems += hang_state
    out.duration = duration
    out.log = serial
    if monitor and os.path.exists(monitor):
        os.remove(monitor)
    return out


def symbolize(addr):
    """'function+0xoff' for a kernel text address, from build/kernel.sym."""
    best = None
    try:
        with open(os.path.join(machine.ROOT, "build", "kernel.sym")) as f:
            for line in f:
                parts = line.split()
                if len(parts) == 3 and parts[1] in "tT" and int(parts[0], 16) <= addr:
                    best = (int(parts[0], 16), parts[2])
    except (OSError, ValueError):
        return hex(addr)
    return f"{best[1]}+{addr - best[0]:#x}" if best else hex(addr)


def post_mortem(monitor):
    """Where a hung QEMU guest is: its registers, through the monitor."""
    import socket
    try:
        with socket.socket(socket.AF_UNIX) as s:
            s.settimeout(5)
            s.connect(monitor)
            # An NMI makes the kernel print its tasks and run queues (serial log).
            s.sendall(b"nmi\n")
            time.sleep(1.0)
            s.sendall(b"info registers\n")
            time.sleep(0.5)
            text = s.recv(65536).decode(errors="replace")
    except OSError as e:
        return [f"post-mortem: monitor unavailable ({e})"]
    lines = []
    m = re.search(r"EIP=([0-9a-f]+)", text)
    if m:
        lines.append(f"hung at EIP {m.group(1)} ({symbolize(int(m.group(1), 16))})")
    regs = [l for l in text.splitlines() if re.match(r"^(EAX|ESI|EIP|CR0|EFL)", l)]
    return lines + ["    " + l.strip() for l in regs[:6]]


def matches(name, patterns):
    """Does name match a pattern?  A glob (qemu-*) must match the whole
    name, a plain word (64g) any part of it.  No patterns: everything."""
    for pat in patterns:
        glob = pat if any(c in pat for c in "*?[") else f"*{pat}*"
        if fnmatch.fnmatchcase(name, glob):
            return True
    return not patterns


def select(patterns):
    """The configurations to boot."""
    return [c for c in configs.CONFIGS if matches(c.name, patterns)]


def select_host(patterns):
    """The host suites to run: those selected whose script exists."""
    return [h for h in configs.HOST_SUITES if matches(h.name, patterns)
            and os.path.exists(os.path.join(machine.ROOT, h.script))]


CLOSING = re.compile(r"(\d+) passed, (\d+) failed(?:, (\d+) skipped)?\s*$")


def run_host(suite, opts):
    """Run one host suite; its closing "N passed, N failed" line gives the counts."""
    log = os.path.join(LOG_DIR, suite.name + ".log")
    out = Outcome(suite.name, log=log)
    start = time.monotonic()
    with open(log, "w") as f:
        proc = subprocess.Popen([os.path.join(machine.ROOT, suite.script)], cwd=machine.ROOT,
                                stdin=subprocess.DEVNULL, stdout=f, stderr=subprocess.STDOUT,
                                start_new_session=True)
        try:
            status = proc.wait(timeout=suite.timeout * opts.timeout_scale)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            status = None
    out.duration = time.monotonic() - start
    lines = _read(log).splitlines()
    m = CLOSING.search(lines[-1]) if lines else None
    if m:
        out.passed, out.failed = int(m.group(1)), int(m.group(2))
        out.skipped = int(m.group(3) or 0)
    if status is None:
        out.hung = True
        out.problems.append(f"HANG: still running after {suite.timeout * opts.timeout_scale:.0f}s")
    elif not m:
        out.problems.append("no closing 'N passed, N failed' line")
    elif status != 0 and out.failed == 0:
        out.problems.append(f"exit status {status} with no failure counted")
    if out.problems:
        out.show_log = True
        out.failed += 1
    elif status != 0:
        out.show_log = True         # its log says which cases failed
    return out


class Scheduler:
    """Hands out configurations to worker threads, never two big ones at once."""

    def __init__(self, cfgs):
        self.pending = list(cfgs)
        self.big_running = False
        self.cond = threading.Condition()

    def take(self):
        """The next configuration to boot, or None when all are taken."""
        with self.cond:
            while self.pending:
                for cfg in self.pending:
                    if not (cfg.big and self.big_running):
                        self.pending.remove(cfg)
                        self.big_running |= cfg.big
                        return cfg
                self.cond.wait()
            return None

    def done(self, cfg):
        with self.cond:
            if cfg.big:
                self.big_running = False
            self.cond.notify_all()


def print_outcome(out, printed_log=True):
    counts = f"{out.passed} passed, {out.failed} failed, {out.skipped} skipped"
    if out.hung:
        print(f"HANG: {out.name}  ({counts}, killed after {out.duration:.1f}s)")
    else:
        print(f"{out.verdict}  {out.name:<14} {counts:<32} {out.duration:6.1f}s")
    for p in out.problems:
        print(f"    {p}")
    if out.show_log and printed_log and out.log:
        rel = os.path.relpath(out.log, machine.ROOT)
        print(f"    --- last {TAIL_LINES} lines of {rel} ---")
        tail = _tail(_read(out.log), TAIL_LINES)
        for line in (tail.splitlines() or ["(empty)"]):
            print(f"    | {line}")
    sys.stdout.flush()


def summary_line(outcomes):
    passed = sum(o.passed for o in outcomes)
    failed = sum(o.failed for o in outcomes)
    skipped = sum(o.skipped for o in outcomes)
    line = f"{passed} passed, {failed} failed"
    if skipped:
        line += f", {skipped} skipped"
    return line, failed


def run_all(hosts, cfgs, opts):
    """Run the host suites, then boot every configuration (opts.jobs at a
    time); returns the Outcomes."""
    os.makedirs(LOG_DIR, exist_ok=True)
    outcomes = []
    for suite in hosts:
        out = run_host(suite, opts)
        outcomes.append(out)
        print_outcome(out)
    for cfg in cfgs:
        if cfg.boot in ("cdrom", "bochs"):
            try:
                machine.make_iso(cfg, config_initrd(cfg, opts))
            except subprocess.CalledProcessError:
                pass                # the boot then fails and says why

    scheduler = Scheduler(cfgs)
    lock = threading.Lock()

    def worker():
        while (cfg := scheduler.take()) is not None:
            try:
                out = boot(cfg, opts)
            except Exception as e:          # e.g. emulator not installed
                out = Outcome(cfg.name, failed=1, problems=[f"could not boot: {e}"])
            scheduler.done(cfg)
            with lock:
                outcomes.append(out)
                print_outcome(out)

    threads = [threading.Thread(target=worker) for _ in range(max(1, opts.jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def parse_only(opts):
    """--parse-only: judge an existing log, to debug the parser or a log."""
    cfg = next((c for c in configs.CONFIGS if c.name == opts.config), None)
    if cfg is None:
        cfg = configs.Config(opts.config or os.path.basename(opts.parse_only))
    text = _read(opts.parse_only)
    report = ktap.parse(text)
    for case in report.cases:
        print(f"  {case.outcome:<6} {case.path}")
    out = judge(cfg, text, opts.exit_status)
    out.log = opts.parse_only
    print_outcome(out, printed_log=False)
    line, failed = summary_line([out])
    print(line)
    return 1 if failed else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("patterns", nargs="*", metavar="PATTERN",
                    help="configurations to run (default: all); commas separate too")
    ap.add_argument("-j", "--jobs", type=int, default=2, help="boots at a time (2)")
    ap.add_argument("--accel", default=os.environ.get("ACCEL") or "tcg",
                    help="QEMU accelerator: tcg (default) or kvm")
    ap.add_argument("--initrd", default=None,
                    help="multiboot module to pass (default: build/initrd.cpio if it exists)")
    ap.add_argument("--timeout-scale", type=float,
                    default=float(os.environ.get("TIMEOUT_SCALE") or 1),
                    help="multiply every timeout (slow host)")
    ap.add_argument("--list", action="store_true", help="list configurations and exit")
    ap.add_argument("--parse-only", metavar="LOG", help="judge this serial log; boot nothing")
    ap.add_argument("--config", help="with --parse-only: whose expectations to apply")
    ap.add_argument("--exit-status", type=int, help="with --parse-only: QEMU's exit status")
    opts = ap.parse_args()

    if opts.parse_only:
        return parse_only(opts)

    patterns = [p for arg in opts.patterns for p in re.split(r"[,\s]+", arg) if p]
    cfgs = select(patterns)
    hosts = select_host(patterns)
    if opts.list:
        for h in hosts:
            print(f"{h.name:<14} host    {h.script}")
        for c in cfgs:
            what = c.qemu if c.boot != "bochs" else "bochs"
            print(f"{c.name:<14} {c.boot:<7} {what:<19} {c.memory:>5} {c.smp:>2} CPU  {c.cmdline}")
        return 0
    if not cfgs and not hosts:
        print(f"no configuration matches {' '.join(patterns)}; try --list")
        print("0 passed, 1 failed")
        return 1
    if not os.path.exists(machine.KERNEL):
        print(f"{machine.KERNEL} is missing: run make first")
        return 2
    if opts.initrd is None and os.path.exists(machine.DEFAULT_INITRD):
        opts.initrd = machine.DEFAULT_INITRD
    if opts.initrd == "":
        opts.initrd = None

    print(f"{len(hosts)} host suite(s), then {len(cfgs)} boot(s), {opts.jobs} at a time; "
          f"logs in {os.path.relpath(LOG_DIR, machine.ROOT)}/")
    sys.stdout.flush()
    outcomes = run_all(hosts, cfgs, opts)
    line, failed = summary_line(outcomes)
    bad = [o.name for o in outcomes if o.verdict != "PASS"]
    if bad:
        print("not passing: " + " ".join(bad))
    print(line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
