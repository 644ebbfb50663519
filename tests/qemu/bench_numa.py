"""NUMA text locality and its cost, per mode (`make bench-numa`).

Boots init=/bin/numa_bench (user/bench/numa/numa_bench.c) on the NUMA test
machines (2 nodes x 2 CPUs, 4 nodes x 1 CPU) in every mode, with text
replicas on and, where the mode has them, off; prints one table per
machine: per phase (syscall-heavy, fork-heavy, a migration storm) the
share of timer-tick samples of kernel text that came from the sampling
CPU's own node, the text repoints and remote-text switches, and the
elapsed time.  Each cell is the median over --runs boots, with min-max.
Writes build/bench/numa.json and build/bench/numa.csv.
"""
import argparse
import csv
import dataclasses
import json
import os
import statistics
import subprocess
import sys

import configs
import machine

OUT_DIR = os.path.join(machine.ROOT, "build", "bench")
LOG_DIR = os.path.join(OUT_DIR, "numa")
PHASES = ["syscall", "fork", "storm"]
FIELDS = ["local_pct", "text_repoint", "text_remote_switch", "ms"]
MACHINES = {c.name: c for c in configs.CONFIGS
            if c.name in ("numa-2x2-shared", "numa-4x1-shared")}
# (column, mode, boot options): replicas on by default where the mode has them.
COLUMNS = [("shared", "shared", ""), ("per-mm", "per-mm", ""),
           ("per-mm off", "per-mm", "ktextrepl=off"), ("per-task", "per-task", ""),
           ("per-task off", "per-task", "ktextrepl=off")]


def boot(cfg, mode, extra, log, opts):
    """One numa_bench boot: {phase: BENCH object}, or None with the reason."""
    cfg = dataclasses.replace(cfg, cmdline=f"init=/bin/numa_bench mm={mode} {extra}".strip(),
                              timeout=300)
    cmd = machine.qemu_command(cfg, log, "tcg", opts.initrd)
    try:
        status = subprocess.run(cmd, cwd=machine.ROOT, stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                timeout=cfg.timeout).returncode
    except subprocess.TimeoutExpired:
        return None, "hang (timeout)"
    out = {}
    with open(log, errors="replace") as f:
        for line in f:
            if line.startswith("BENCH "):
                obj = json.loads(line[len("BENCH "):])
                out[obj["metric"][len("numa_"):]] = obj
    if sorted(out) != sorted(PHASES) or any(o["failed"] for o in out.values()):
        return None, f"exit status {status}, phases {sorted(out)}"
    return out, None


def cell(values):
    """median (min-max) of a list of numbers."""
    if not values:
        return "-"
    med = statistics.median(values)
    return f"{med:g}" if min(values) == max(values) else f"{med:g} ({min(values)}-{max(values)})"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--initrd", default=machine.DEFAULT_INITRD)
    opts = ap.parse_args()
    os.makedirs(LOG_DIR, exist_ok=True)
    results, rows, problems = {}, [], 0
    for name, cfg in MACHINES.items():
        for col, mode, extra in COLUMNS:
            for run in range(opts.runs):
                log = os.path.join(LOG_DIR, f"{name}-{col.replace(' ', '-')}-{run}.log")
                got, why = boot(cfg, mode, extra, log, opts)
                if got is None:
                    print(f"{name} {col} run {run}: {why} (log {log})", file=sys.stderr)
                    problems += 1
                    continue
                for phase, obj in got.items():
                    results.setdefault(name, {}).setdefault(col, {}).setdefault(phase, []).append(obj)
                    rows.append({"machine": name, "column": col, "run": run, "phase": phase,
                                 **{k: obj[k] for k in FIELDS + ["text_local", "text_remote"]}})
    for name, by_col in results.items():
        print(f"\n{name.replace('-shared', '')}: kernel text locality (sampled at each tick)")
        print(f"{'phase / metric':<28}" + "".join(f"{c:>20}" for c, _, _ in COLUMNS))
        for phase in PHASES:
            for field in FIELDS:
                line = f"{phase + ' ' + field:<28}"
                for col, _, _ in COLUMNS:
                    vals = [o[field] for o in by_col.get(col, {}).get(phase, [])]
                    line += f"{cell(vals):>20}"
                print(line)
    with open(os.path.join(OUT_DIR, "numa.json"), "w") as f:
        json.dump(results, f, indent=1)
    with open(os.path.join(OUT_DIR, "numa.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]) if rows else ["machine"])
        w.writeheader()
        w.writerows(rows)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
