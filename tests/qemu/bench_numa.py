"""NUMA text locality and its cost, per mode (`make bench-numa`).

Boots init=/bin/numa_bench (user/bench/numa/numa_bench.c) on the NUMA test
machines (2 nodes x 2 CPUs, 4 nodes x 1 CPU) in every mode, with text
replicas on and, where the mode has them, off; prints one table per
machine: per phase (syscall-heavy, fork-heavy, a migration storm) the
share of timer-tick samples of kernel text that came from the sampling
CPU's own node, the text repoints and remote-text switches, and the
elapsed time.  Each cell is the median over --runs boots, with min-max.
Writes build/bench/numa.json and build/bench/numa.csv.

With --plugin (build/textloc.so, `make plugin`: tests/qemu/plugin/textloc.c)
each node's RAM is a file in /dev/shm and the TCG plugin counts every
kernel text instruction by the node of the frame it came from: the exact
local share over the whole boot, and the mean SLIT distance of a fetch.
"""
import argparse
import csv
import dataclasses
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

import configs
import machine

OUT_DIR = os.path.join(machine.ROOT, "build", "bench")
LOG_DIR = os.path.join(OUT_DIR, "numa")
PHASES = ["syscall", "fork", "storm"]
FIELDS = ["local_pct", "text_repoint", "text_remote_switch", "ms"]
PLUGIN = os.path.join(machine.ROOT, "build", "textloc.so")
PLUGIN_TOTAL = re.compile(r"textloc: total (\d+) insns, ([\d.]+)% local, mean SLIT distance ([\d.]+)")
MACHINES = {c.name: c for c in configs.CONFIGS
            if c.name in ("numa-2x2-shared", "numa-4x1-shared")}
# (column, mode, boot options): replicas on by default where the mode has them.
COLUMNS = [("shared", "shared", ""), ("per-mm", "per-mm", ""),
           ("per-mm off", "per-mm", "ktextrepl=off"), ("per-task", "per-task", ""),
           ("per-task off", "per-task", "ktextrepl=off")]


def text_range():
    """The kernel's text+rodata virtual range, "lo-hi" in hex, from its symbols."""
    syms = {}
    for line in subprocess.run(["nm", machine.KERNEL], capture_output=True, text=True).stdout.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2] in ("__text_start", "__rodata_end"):
            syms[parts[2]] = parts[0]
    return f"{syms['__text_start']}-{syms['__rodata_end']}"


def plugin_args(cfg, cmd, shm):
    """cmd with each node's RAM in a file under shm and the textloc plugin loaded."""
    cmd = [re.sub(r"^memory-backend-ram,id=m(\d+),(.*)$",
                  lambda m: f"memory-backend-file,id=m{m.group(1)},{m.group(2)},"
                            f"mem-path={shm}/node{m.group(1)},share=on", a) for a in cmd]
    cpus = "".join(str(n) for n, spec in enumerate(cfg.nodes)
                   for _ in range(len(machine_cpus(spec))))
    nodes = len(cfg.nodes)
    dist = [[10 if a == b else 20 for b in range(nodes)] for a in range(nodes)]
    for a, b, d in cfg.distances:
        dist[a][b] = dist[b][a] = d
    flat = ":".join(str(dist[a][b]) for a in range(nodes) for b in range(nodes))
    return cmd + ["-plugin", f"{PLUGIN},text={text_range()},cpus={cpus},dist={flat},"
                  f"files={shm}/node", "-d", "plugin", "-D", f"{shm}/plugin.log"]


def machine_cpus(spec):
    """The CPU numbers of a QEMU cpus= spec ("0-1", "3")."""
    lo, _, hi = spec.partition("-")
    return range(int(lo), int(hi or lo) + 1)


def boot(cfg, mode, extra, log, opts):
    """One numa_bench boot: {phase: BENCH object}, or None with the reason."""
    cfg = dataclasses.replace(cfg, cmdline=f"init=/bin/numa_bench mm={mode} {extra}".strip(),
                              timeout=300)
    cmd = machine.qemu_command(cfg, log, "tcg", opts.initrd)
    shm = tempfile.mkdtemp(prefix="ukva-numa-", dir="/dev/shm") if opts.plugin else None
    try:
        if shm:
            cmd = plugin_args(cfg, cmd, shm)
        status = subprocess.run(cmd, cwd=machine.ROOT, stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                timeout=cfg.timeout).returncode
        exact = None
        if shm and os.path.exists(f"{shm}/plugin.log"):
            m = PLUGIN_TOTAL.search(open(f"{shm}/plugin.log").read())
            exact = m and {"exact_local_pct": float(m.group(2)), "exact_distance": float(m.group(3))}
    except subprocess.TimeoutExpired:
        return None, "hang (timeout)"
    finally:
        if shm:
            shutil.rmtree(shm, ignore_errors=True)
    if opts.plugin and not exact:
        return None, "the plugin reported nothing"
    out = {}
    with open(log, errors="replace") as f:
        for line in f:
            if line.startswith("BENCH "):
                obj = json.loads(line[len("BENCH "):])
                out[obj["metric"][len("numa_"):]] = obj
    if sorted(out) != sorted(PHASES) or any(o["failed"] for o in out.values()):
        return None, f"exit status {status}, phases {sorted(out)}"
    if exact:
        out["whole run"] = exact
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
    ap.add_argument("--plugin", action="store_true",
                    help="also count exact text locality with build/textloc.so")
    opts = ap.parse_args()
    if opts.plugin and not os.path.exists(PLUGIN):
        print(f"{PLUGIN} missing: make plugin", file=sys.stderr)
        return 1
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
                    if phase in PHASES:
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
        for field in (["exact_local_pct", "exact_distance"] if opts.plugin else []):
            line = f"{'whole run ' + field:<28}"
            for col, _, _ in COLUMNS:
                vals = [o[field] for o in by_col.get(col, {}).get("whole run", [])]
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
