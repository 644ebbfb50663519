#!/usr/bin/env python3
"""`make run`: ukva_bench in every address-space mode on each machine of the
matrix, Debian's Linux (default mitigations and mitigations=off) and the
host beside them; results, plots and a report in results/<date>-<commit>/.

    python3 -m experiments.run [--full] [--runs N] [--modes a,b] [--machines p,q]
                               [--no-linux] [--out DIR]

(make run FULL=1 RUNS=N MODES=... MACHINES=... passes these.)  One line
per boot while it runs, the tables at the end.  Exit status 1 if a boot
failed (Linux missing from the archive is said, not a failure).
"""
import argparse
import datetime
import os
import re
import subprocess
import sys
import time

from experiments import initramfs, linux, machines, report, results, samples
from experiments.common import machine, modes

OUT = os.path.join(machine.ROOT, "results")
HOST_BIN = os.path.join(machine.ROOT, "build", "user", "bin", "ukva_bench")
SYSTEM_PYTHON = "/usr/bin/python3"      # Debian's, which has python3-matplotlib
# First guesses of a boot's length (s), until the run has its own.
GUESS = {"ukva": 15, "numa": 30, "linux": 40, "host": 15, "bochs": 600}
# Generous: a shared host can slow a boot tenfold (the two-CPU handoff
# waits for the host to run both vCPU threads).
TIMEOUT = {"ukva": 600, "numa": 600, "linux": 900, "host": 900, "bochs": 1800}
# What a boot of each kind runs (this kernel's command line).
PROGRAM = {"ukva": "init=/bin/ukva_bench mm={mode}", "bochs": "init=/bin/ukva_bench mm={mode}",
           "numa": "init=/bin/numa_bench mm={mode}"}


class Boot:
    """One boot (or host run) of the plan."""

    def __init__(self, mach, column, run, kind):
        self.machine, self.column, self.run, self.kind = mach, column, run, kind

    @property
    def key(self):
        """What boots are alike for the time estimate: machine and kind."""
        return (self.machine.name if self.machine else "host", self.kind)


def git(*args):
    """git's output in the repository ('' when git cannot say)."""
    try:
        return subprocess.run(["git", *args], cwd=machine.ROOT, capture_output=True,
                              text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return ""


def version_of(cmd):
    """The first line a program prints, or None."""
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.strip().splitlines()[0] if out.strip() else None


def split_list(text):
    """MODES= and MACHINES= values: commas or spaces separate."""
    return [p for p in re.split(r"[,\s]+", text or "") if p]


def plan(rows, mode_list, runs, with_linux):
    """The boots, run by run, so that a slow spell of the host hits every
    column alike."""
    boots = []
    for n in range(1, runs + 1):
        for m in rows:
            kind = "bochs" if m.emulator == "bochs" else "ukva"
            boots += [Boot(m, mode, n, kind) for mode in mode_list]
            if m.nodes > 1:             # text locality: numa_bench (docs/benchmarks.md)
                boots += [Boot(m, mode, n, "numa") for mode in mode_list]
            if with_linux and m.linux:
                boots += [Boot(m, col, n, "linux") for col in linux.COLUMNS]
        boots.append(Boot(None, "host", n, "host"))
    return boots


def run_emulator(cmd, log, timeout, env=None):
    """Runs an emulator command, its own output next to log; returns its
    exit status (None: killed at the timeout)."""
    with open(log + ".emulator", "w") as con:
        con.write("$ " + " ".join(cmd) + "\n")
        con.flush()
        p = subprocess.Popen(cmd, cwd=machine.ROOT, env=env, stdin=subprocess.DEVNULL,
                             stdout=con, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            return p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, 9)         # Bochs ignores SIGTERM
            p.wait()
            return None


def execute(b, log, ctx):
    """Runs one boot; returns (output text, problem or None)."""
    timeout = TIMEOUT[b.kind] * ctx.timeout_scale
    if b.kind == "host":
        try:
            p = subprocess.run([HOST_BIN], cwd=machine.ROOT, stdin=subprocess.DEVNULL,
                               capture_output=True, text=True, timeout=timeout)
        except (OSError, subprocess.TimeoutExpired) as e:
            return "", f"cannot run {os.path.relpath(HOST_BIN, machine.ROOT)}: {e}"
        with open(log, "w") as f:
            f.write(p.stdout + p.stderr)
        return p.stdout, None if p.returncode == 0 else f"exit status {p.returncode}"
    if b.kind == "linux":
        cfg = machines.config(b.machine, linux.COLUMNS[b.column], timeout)
        cmd = machine.qemu_command(cfg, log, ctx.accel, ctx.linux_initrd,
                                   kernel=ctx.linux["vmlinuz"])
    else:
        cfg = machines.config(b.machine, PROGRAM[b.kind].format(mode=b.column), timeout)
        if b.kind == "bochs":
            machine.make_iso(cfg, ctx.initrd)
            cmd, env = machine.bochs_command(cfg, log, log + ".bochs")
            status = run_emulator(cmd, log, timeout, env)
            return _read(log), judge(_read(log), status, bochs_log=_read(log + ".bochs"))
        cmd = machine.qemu_command(cfg, log, ctx.accel, ctx.initrd)
    status = run_emulator(cmd, log, timeout)
    return _read(log), judge(_read(log), status, done=NUMA_DONE if b.kind == "numa" else None)


# numa_bench's last phase: its BENCH line ends a complete run.
NUMA_DONE = '"metric": "numa_storm"'


def judge(text, status, bochs_log=None, done=None):
    """None if the boot ran its benchmark to the end (the line done, by
    default ukva_bench's last), else why not."""
    done = done or samples.DONE
    if status is None:
        return "hang: killed at the timeout"
    if done not in text:
        tail = " | ".join(text.strip().splitlines()[-2:])
        return f"no '{done}' (exit status {status}): {tail or 'no output'}"
    if bochs_log is not None:
        return None if machine.BOCHS_SHUTDOWN in bochs_log else "Bochs did not shut down"
    if status not in (machine.QEMU_EXIT_PASS, 0):   # 0: Linux powered off by reboot(2)
        return f"exit status {status}"
    return None


def _read(path):
    """A log's text ("" if the boot wrote none)."""
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except FileNotFoundError:
        return ""


def fmt_time(s):
    """Seconds as m:ss."""
    s = int(s + 0.5)
    return f"{s // 60}:{s % 60:02d}"


class Progress:
    """Elapsed time and an estimate of what is left, from the boots so far."""

    def __init__(self, boots):
        self.boots, self.start, self.seen = boots, time.monotonic(), {}

    def estimate(self, b):
        """The seconds b will probably take."""
        same = self.seen.get(b.key)
        if same:
            return sum(same) / len(same)
        kind = [d for (_, k), ds in self.seen.items() if k == b.kind for d in ds]
        return sum(kind) / len(kind) if kind else GUESS[b.kind]

    def done(self, i, b, seconds, problem):
        """Prints the progress line of boot i, which took seconds."""
        self.seen.setdefault(b.key, []).append(seconds)
        left = sum(self.estimate(x) for x in self.boots[i + 1:])
        where = b.machine.name if b.machine else "host"
        print(f"[{i + 1:>3}/{len(self.boots)}] {where:<16} {b.column:<22} run {b.run}: "
              f"{'ok' if not problem else 'FAILED'} {seconds:5.1f}s | elapsed "
              f"{fmt_time(time.monotonic() - self.start)}, left ~{fmt_time(left)}", flush=True)
        if problem:
            print(f"      {problem}", flush=True)


def out_dir(base):
    """results/<date>-<commit>[-dirty]/ under base."""
    stamp = datetime.datetime.now().strftime("%Y-%m-%d-%H%M%S")
    commit = git("rev-parse", "--short", "HEAD") or "nocommit"
    dirty = "-dirty" if git("status", "--porcelain", "--untracked-files=no") else ""
    return os.path.join(base, f"{stamp}-{commit}{dirty}")


def point_latest(base, target):
    """Points base/latest at target, atomically."""
    latest = os.path.join(base, "latest")
    tmp = latest + ".new"
    if os.path.lexists(tmp):
        os.remove(tmp)
    os.symlink(os.path.basename(target), tmp)
    os.replace(tmp, latest)


def plot(out):
    """The plot step, under Debian's python3 (python3-matplotlib); returns
    None or why there are no plots."""
    python = SYSTEM_PYTHON if os.path.exists(SYSTEM_PYTHON) else sys.executable
    try:
        p = subprocess.run([python, "-m", "experiments.plots", out], cwd=machine.ROOT,
                           capture_output=True, text=True, timeout=300,
                           env=dict(os.environ, MPLBACKEND="Agg"))
    except (OSError, subprocess.TimeoutExpired) as e:
        return f"plot step failed: {e}"
    if p.returncode:
        return "plot step failed: " + (p.stderr.strip().splitlines() or ["?"])[-1]
    return None


def parse_args(argv):
    """The options, with the make variables as defaults."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    env = os.environ
    ap.add_argument("--full", action="store_true", default=env.get("FULL") not in (None, "", "0"),
                    help="every machine of experiments/machines.py (FULL=1)")
    ap.add_argument("--runs", type=int, default=int(env.get("RUNS") or 1),
                    help="boots per column (RUNS=N, default 1)")
    ap.add_argument("--modes", default=env.get("MODES", ""), help="modes to run (MODES=)")
    ap.add_argument("--machines", default=env.get("MACHINES", ""),
                    help="machines to run, names or globs (MACHINES=)")
    ap.add_argument("--no-linux", action="store_true", help="leave out Debian's Linux")
    ap.add_argument("--out", default=OUT, help="where results/<date>-<commit>/ goes")
    ap.add_argument("--accel", default=env.get("ACCEL") or "tcg")
    ap.add_argument("--timeout-scale", type=float, default=float(env.get("TIMEOUT_SCALE") or 1))
    return ap.parse_args(argv)


def main(argv=None):
    """The whole run; returns the exit status."""
    opts = parse_args(argv)
    all_modes = modes.kernel_modes()
    mode_list = split_list(opts.modes) or all_modes
    unknown = [m for m in mode_list if m not in all_modes]
    if unknown:
        print(f"unknown mode(s) {' '.join(unknown)}; the kernel has: {' '.join(all_modes)}")
        return 2
    rows, left_out = machines.select(split_list(opts.machines), opts.full)
    if not rows:
        print(f"no machine matches {opts.machines!r}; the machines: "
              + " ".join(m.name for m in machines.MACHINES))
        return 2
    for m, why in left_out:
        print(f"left out: {m.name}: {why}")

    ctx = argparse.Namespace(accel=opts.accel, timeout_scale=opts.timeout_scale,
                             initrd=machine.DEFAULT_INITRD, linux=None, linux_initrd=None)
    linux_note = None
    if opts.no_linux:
        linux_note = "left out (--no-linux)"
    elif any(m.linux for m in rows):
        try:
            ctx.linux = linux.prepare(log=lambda s: print(s, flush=True))
        except linux.Unavailable as e:
            linux_note = f"not run: {e}"
            print(f"linux: {linux_note}; the run goes on without the Linux columns")
    out = out_dir(opts.out)
    logs = os.path.join(out, "logs")
    os.makedirs(logs, exist_ok=True)
    if ctx.linux:
        ctx.linux_initrd = os.path.join(out, "linux-initramfs.cpio")
        initramfs.build(ctx.linux_initrd, HOST_BIN)

    boots = plan(rows, mode_list, opts.runs, ctx.linux is not None)
    print(f"make run: {len(rows)} machine(s) x {len(mode_list)} mode(s)"
          f"{' + Linux x 2' if ctx.linux else ''}, {opts.runs} run(s): {len(boots)} boots; "
          f"results in {os.path.relpath(out, machine.ROOT)}/", flush=True)
    started = datetime.datetime.now(datetime.timezone.utc)
    progress = Progress(boots)
    records = []
    for i, b in enumerate(boots):
        where = b.machine.name if b.machine else "host"
        log = os.path.join(logs, f"{where}-{b.column}-{b.run}.log")
        t0 = time.monotonic()
        try:
            text, problem = execute(b, log, ctx)
        except (OSError, subprocess.SubprocessError) as e:
            text, problem = "", f"could not boot: {e}"
        seconds = time.monotonic() - t0
        records.append(results.boot_record(where, b.column, b.run, b.kind, text, problem,
                                           seconds, os.path.relpath(log, out)))
        progress.done(i, b, seconds, problem)
    if ctx.linux_initrd and os.path.exists(ctx.linux_initrd):
        os.remove(ctx.linux_initrd)

    columns = mode_list + (list(linux.COLUMNS) if ctx.linux else []) + ["host"]
    info = {
        "started": started.isoformat(timespec="seconds"),
        "seconds": round(time.monotonic() - progress.start, 1),
        "commit": git("rev-parse", "HEAD"), "describe": git("describe", "--always", "--dirty"),
        "runs": opts.runs, "full": opts.full, "accel": opts.accel,
        "modes": mode_list, "kernel_modes": all_modes,
        "machines": {m.name: {"title": m.title, "memory": m.memory, "cpus": m.cpus,
                              "nodes": m.nodes, "emulator": m.emulator_binary,
                              "guest_cpu": m.guest_cpu} for m in rows},
        "left_out": {m.name: why for m, why in left_out},
        "host": dict(linux.host_info(), qemu=version_of(["qemu-system-i386", "--version"]),
                     bochs=version_of(["bochs", "--help"]) if any(
                         m.emulator == "bochs" for m in rows) else None),
        "linux": dict({k: v for k, v in (ctx.linux or {}).items() if k != "vmlinuz"},
                      columns=linux.COLUMNS, status=linux_note or "ran"),
    }
    doc = results.build(records, columns, info)
    results.write(doc, out)
    plot_note = plot(out)
    if plot_note:
        print(plot_note)
    report.write(doc, out, plot_note)
    point_latest(opts.out, out)
    print(report.screen(doc))
    failed = [r for r in records if not r["ok"]]
    print(f"\n{len(records) - len(failed)} of {len(records)} boots ran to the end in "
          f"{fmt_time(doc['seconds'])}; {os.path.relpath(out, machine.ROOT)}/: results.json, "
          f"results.csv, report.md, plots ({os.path.relpath(opts.out, machine.ROOT)}/latest "
          f"points there)")
    if linux_note:
        print(f"Linux: {linux_note}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
