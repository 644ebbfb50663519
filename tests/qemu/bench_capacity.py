"""The capacity experiment (part 3 of `make bench`): how many threads and
processes fit before the kernel says no, per address-space mode, on 2, 8
and 64 GiB machines.  Each boot runs init=/bin/capacity mm=MODE
(user/bench/capacity.c), whose BENCH lines this reads.  One boot per
column: the counts are exact and repeat from run to run.

Writes build/bench/capacity.json (every BENCH object, curves included)
and capacity.csv (the curves: tasks vs lowmem in use), and prints one
table per machine.  At 64 GiB the table also shows the kmap_atomic calls
per page fault and per fork from the mode comparison (part 2), when its
build/bench/results.json is there.  docs/benchmarks.md explains it.

Run by itself (python3 tests/qemu/bench_capacity.py), it prints the tables
again from build/bench/capacity.json, with part 2's numbers as they are now.
"""
import csv
import dataclasses
import json
import os
import subprocess
import time

import bench_modes
import configs
import machine

OUT_DIR = bench_modes.OUT_DIR
LOG_DIR = os.path.join(OUT_DIR, "capacity")

MACHINES = [
    configs.Config("cap-64g", qemu="qemu-system-x86_64", memory="64G", lazy_ram=True,
                   big=True, timeout=3600),
    configs.Config("cap-8g", qemu="qemu-system-x86_64", memory="8G", lazy_ram=True,
                   big=True, timeout=1800),
    configs.Config("cap-2g", memory="2G", timeout=1800),
]
TITLES = {"cap-2g": "2 GiB, qemu-system-i386",
          "cap-8g": "8 GiB, qemu-system-x86_64 (lazy RAM)",
          "cap-64g": "64 GiB, qemu-system-x86_64 (lazy RAM)"}

LOW_SPLIT = ["kernel_stacks", "task_structs", "page_tables", "windows", "kmalloc", "other"]


def boot(cfg, mode, log, opts):
    """One boot of capacity in mode: (BENCH objects by metric, curves) or a problem."""
    cfg = dataclasses.replace(cfg, cmdline=f"init=/bin/capacity mm={mode}")
    cmd = machine.qemu_command(cfg, log, "tcg", opts.initrd)
    try:
        proc = subprocess.run(cmd, cwd=machine.ROOT, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              timeout=cfg.timeout * opts.timeout_scale)
        status = proc.returncode
    except subprocess.TimeoutExpired:
        status = None
    text = bench_modes.read(log) if os.path.exists(log) else ""
    found, curves = {}, {}
    for line in text.splitlines():
        if not line.startswith("BENCH "):
            continue
        try:
            obj = json.loads(line[len("BENCH "):])
        except ValueError:
            continue
        if obj.get("metric", "").endswith("_curve"):
            curves.setdefault(obj["metric"], []).append(obj)
        else:
            found[obj.get("metric")] = obj
    if status != machine.QEMU_EXIT_PASS:
        return found, curves, "hang (timeout)" if status is None else f"exit status {status}"
    return found, curves, None


def kmap_rows():
    """kmap_atomic per fault and per fork at 64 GiB, by mode, from part 2's results."""
    path = os.path.join(OUT_DIR, "results.json")
    if not os.path.exists(path):
        return {}
    with open(path) as f:
        blocks = json.load(f).get("machines", [])
    out = {}
    for b in blocks:
        if b["machine"] != "bench-64g" or b["accel"] != "tcg":
            continue
        for row in b["table"]:
            if row["label"].startswith(("page fault: kmap_atomic", "fork: kmap_atomic")):
                out[row["label"]] = {m: row.get(m) for m in configs.MODES}
    return out


def rows_for(results):
    """(label, unit, {mode: value}) rows of one machine's table."""
    rows = []
    for phase, one in (("threads", "thread"), ("processes", "process")):
        per = {m: results[m].get(f"capacity_{phase}", {}) for m in configs.MODES}
        def get(key):
            return {m: per[m].get(key) for m in configs.MODES}
        rows += [(f"{phase}", "count", get("count")),
                 (f"  stopped by", "", get("stopped")),
                 (f"  fit in free lowmem", "projected", get("lowmem_fit")),
                 (f"  lowmem per {one}", "B", get("lowmem_per_task")),
                 *[(f"    {k}", "B", get(f"low_{k}")) for k in LOW_SPLIT],
                 (f"  highmem per {one}", "B", get("highmem_per_task")),
                 (f"  lowmem free at peak", "KiB", get("lowmem_free_peak_kib")),
                 (f"  not returned", "pages", get("pages_not_returned"))]
    return rows


def print_table(title, rows, extra):
    print(f"\n== capacity, {title}")
    print(f"{'':<28} {'unit':<10}" + "".join(f"{m:>12}" for m in configs.MODES))
    for label, unit, vals in rows:
        print(f"{label:<28} {unit:<10}" +
              "".join(f"{bench_modes.cell(vals.get(m), 0):>12}" for m in configs.MODES))
    for label, vals in extra.items():
        print(f"{label:<28} {'(part 2)':<10}" +
              "".join(f"{bench_modes.cell(vals.get(m), 1):>12}" for m in configs.MODES))


def report(out):
    """The table of every machine in out (machine -> mode -> results)."""
    for m in MACHINES:
        if m.name not in out:
            continue
        extra = kmap_rows() if m.name == "cap-64g" else {}
        print_table(TITLES[m.name], rows_for(out[m.name]), extra)
        for mode in configs.MODES:
            if out[m.name][mode]["problem"]:
                print(f"  {mode} failed: {out[m.name][mode]['problem']}")


def run(opts):
    """Every machine in every mode, one boot each; returns the failures."""
    os.makedirs(LOG_DIR, exist_ok=True)
    failed, out, curve_rows = 0, {}, []
    print(f"capacity: one boot per mode and machine; logs in {os.path.relpath(LOG_DIR, machine.ROOT)}/")
    for m in MACHINES:
        out[m.name] = {}
        for mode in configs.MODES:
            log = os.path.join(LOG_DIR, f"{m.name}-{mode}.log")
            start = time.monotonic()
            found, curves, problem = boot(m, mode, log, opts)
            out[m.name][mode] = dict(found, curves=curves, problem=problem)
            failed += problem is not None
            print(f"  {m.name:<8} {mode:<8}: {problem or 'ok'} "
                  f"({time.monotonic() - start:.0f} s)", flush=True)
            for metric, points in curves.items():
                curve_rows += [[m.name, mode, metric, p["tasks"], p["lowmem_used_kib"]]
                               for p in points]
    report(out)
    with open(os.path.join(OUT_DIR, "capacity.json"), "w") as f:
        json.dump(out, f, indent=1)
    with open(os.path.join(OUT_DIR, "capacity.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["machine", "mode", "curve", "tasks", "lowmem_used_kib"])
        w.writerows(curve_rows)
    print("\ncapacity results in build/bench/capacity.json, capacity.csv (curves)")
    return failed


if __name__ == "__main__":
    with open(os.path.join(OUT_DIR, "capacity.json")) as f:
        report(json.load(f))
