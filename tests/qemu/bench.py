#!/usr/bin/env python3
"""Benchmarks: `make bench`.

    tests/qemu/bench.py [--runs N] [--only boot|modes|capacity|goals] [--accel kvm]
                        [--capacity-machines cap-2g,cap-8g,cap-64g] [PATTERN...]

Three parts, each with its own tables:

1. Boot timings.  For each configuration (default: those of
   tests/qemu/configs.py expected to pass; PATTERN selects others), boot it
   --runs times, one boot at a time, and measure the wall time from
   starting the emulator to the first KTAP line on COM1 (the boot itself)
   and to the emulator's exit (boot plus tests).  Each machine (the 64 GiB
   one is the interesting one) also reports the lowmem left after boot,
   from the kernel's boot report: the line containing "lowmem left" ("n/a"
   if it prints none).  Writes build/bench/boot.json.

2. The address-space modes side by side (bench_modes.py): ukva_bench in
   every mode on 128 MiB (1, 2 and 4 CPUs) and on 64 GiB, and on this
   host, --runs times each.  Writes build/bench/results.json and results.csv.

3. Capacity (bench_capacity.py): threads, then processes, until the kernel
   says no, in every mode on 2, 8 and 64 GiB, one boot each.  Writes
   build/bench/capacity.json and capacity.csv.

4. Issue 15's goals: `make run`'s driver (experiments/) on the 512 MiB
   machines, with and without -mem-prealloc, --runs times: every mode
   beside Debian's Linux 6.1 under the same QEMU, and the table of each
   path's ratio to Linux with mitigations=off against its goal.  Writes
   build/bench/goals/<date>-<commit>/ (and build/bench/goals/latest).

Timings are for comparison on one host only; tests never look at them.
The exit status is 1 if a boot hung or a benchmark boot failed.
"""
import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", ".."))
import bench_capacity               # noqa: E402
import bench_modes                  # noqa: E402
import harness                      # noqa: E402
import machine                      # noqa: E402
from experiments import run as experiments_run   # noqa: E402

# Issue 15's machine, as experiments/machines.py names its two rows.
GOAL_MACHINES = "512m-1cpu"

OUT_DIR = os.path.join(machine.ROOT, "build", "bench")
POLL = 0.002                        # seconds between looks at the serial log
LOWMEM = re.compile(r"lowmem left.*", re.IGNORECASE)


def time_boot(cfg, opts, serial):
    """One boot: (seconds to the first KTAP line or None, seconds to exit,
    whether it hung: killed at the configuration's timeout)."""
    if os.path.exists(serial):
        os.remove(serial)
    env = None
    if cfg.boot == "bochs":
        cmd, env = machine.bochs_command(cfg, serial, serial + ".bochs")
    else:
        cmd = machine.qemu_command(cfg, serial, opts.accel, opts.initrd)
    deadline = cfg.timeout * opts.timeout_scale
    first_ktap = None
    hung = False
    start = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=machine.ROOT, env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    while proc.poll() is None:
        now = time.monotonic() - start
        if first_ktap is None and "KTAP version 1" in harness._read(serial):
            first_ktap = now
        if now > deadline:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            hung = True
            break
        time.sleep(POLL)
    total = time.monotonic() - start
    if first_ktap is None and "KTAP version 1" in harness._read(serial):
        first_ktap = total          # it all happened between two looks
    return first_ktap, total, hung


def fmt(seconds):
    return "n/a" if seconds is None else f"{seconds:.3f}"


def boot_timings(opts):
    """Part 1: the boot timing table of the selected configurations.  A boot
    that hangs is left out of the timings; its log is kept as
    <name>.hang<N>.log.  Returns the number of hangs."""
    patterns = [p for arg in opts.patterns for p in re.split(r"[,\s]+", arg) if p]
    cfgs = [c for c in harness.select(patterns)
            if patterns or c.expect.exit == "pass"]
    print(f"boot timings: accel={opts.accel}, {opts.runs} boot(s) each; median (min) in seconds")
    print(f"{'config':<20} {'to first KTAP':>18} {'to exit':>18}   lowmem left after boot")
    rows, hangs = [], []
    for cfg in cfgs:
        if cfg.boot in ("cdrom", "bochs"):
            machine.make_iso(cfg, opts.initrd)
        serial = os.path.join(OUT_DIR, cfg.name + ".log")
        runs = []
        for n in range(1, opts.runs + 1):
            runs.append(time_boot(cfg, opts, serial))
            if runs[-1][2]:
                kept = os.path.join(OUT_DIR, f"{cfg.name}.hang{n}.log")
                shutil.copyfile(serial, kept)
                hangs.append(f"{cfg.name} run {n} hung (killed after {runs[-1][1]:.0f} s); "
                             f"log in {os.path.relpath(kept, machine.ROOT)}")
        firsts = [f for f, _, hung in runs if f is not None and not hung]
        totals = [t for _, t, hung in runs if not hung] or [None]
        m = LOWMEM.search(harness._read(serial))
        lowmem = m.group(0).strip() if m else "n/a"
        row = {
            "config": cfg.name,
            "first_ktap_median": statistics.median(firsts) if firsts else None,
            "first_ktap_min": min(firsts) if firsts else None,
            "exit_median": None if None in totals else statistics.median(totals),
            "exit_min": None if None in totals else min(totals),
            "lowmem": lowmem,
            "runs": runs,
        }
        rows.append(row)
        first = f"{fmt(row['first_ktap_median'])} ({fmt(row['first_ktap_min'])})"
        total = f"{fmt(row['exit_median'])} ({fmt(row['exit_min'])})"
        print(f"{cfg.name:<20} {first:>18} {total:>18}   {lowmem}")
        sys.stdout.flush()
    with open(os.path.join(OUT_DIR, "boot.json"), "w") as f:
        json.dump({"accel": opts.accel, "runs": opts.runs, "results": rows}, f, indent=2)
    for hang in hangs:
        print(f"HANG: {hang}")
    print(f"results in {os.path.relpath(OUT_DIR, machine.ROOT)}/boot.json")
    return len(hangs)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("patterns", nargs="*", metavar="PATTERN")
    ap.add_argument("--runs", type=int, default=3, help="boots per configuration (3)")
    ap.add_argument("--only", choices=["boot", "modes", "capacity", "goals"],
                    help="run one part only")
    ap.add_argument("--capacity-machines", default=None,
                    help="comma-separated capacity machines (default: all)")
    ap.add_argument("--accel", default=os.environ.get("ACCEL") or "tcg",
                    help="tcg (default) or kvm: the modes are then also compared "
                         "under KVM, if a 32-bit guest runs there")
    ap.add_argument("--initrd", default=None)
    ap.add_argument("--timeout-scale", type=float, default=1.0)
    opts = ap.parse_args()

    if opts.initrd is None and os.path.exists(machine.DEFAULT_INITRD):
        opts.initrd = machine.DEFAULT_INITRD
    os.makedirs(OUT_DIR, exist_ok=True)
    accels = ["tcg"]
    if opts.accel == "kvm":
        ok, why = bench_modes.kvm_works(opts)
        if ok:
            accels.append("kvm")
        else:
            print(f"kvm: skipped, a 32-bit paging guest does not run under -accel kvm "
                  f"here ({why}); TCG only")
            opts.accel = "tcg"
    failed = 0
    if opts.only in (None, "boot"):
        failed += boot_timings(opts)
    if opts.only in (None, "modes"):
        failed += bench_modes.run(opts, accels)
    if opts.only in (None, "capacity"):
        if opts.capacity_machines:
            names = opts.capacity_machines.split(",")
            bench_capacity.MACHINES = [m for m in bench_capacity.MACHINES if m.name in names]
        failed += bench_capacity.run(opts)
    if opts.only in (None, "goals"):
        failed += experiments_run.main(["--machines", GOAL_MACHINES, "--runs", str(opts.runs),
                                        "--out", os.path.join(OUT_DIR, "goals"),
                                        "--accel", opts.accel,
                                        "--timeout-scale", str(opts.timeout_scale)])
    if failed:
        print(f"{failed} boot(s) or run(s) failed or hung: see above")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
