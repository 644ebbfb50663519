"""What one run of ukva_bench said, as flat metrics.

ukva_bench prints one `BENCH {json}` line per benchmark (user/bench/
measure.h).  Every number in it becomes a metric named
"<benchmark>.<key>", so a benchmark or a key added to ukva_bench shows up
in the results, tables and CSV with no change here.  Also read:

  ns_samples           every repetition's time: the samples of <bench>.ns
  delta                the kernel's counters over the benchmark: kept as
                       <bench>.delta.<counter>, and per context switch
                       (<bench>.<counter>_per_switch) where it switched
  other lists          kept whole as series (a curve, such as capacity)
  skip                 the benchmark did not run here, and why
  env                  where it ran (os, mode, cpus, free memory)

and from the kernel's own lines: "lowmem left after boot" and the
"counters:" line it prints when it powers off.
"""
import json
import re

# Keys that describe a measurement rather than measure something.
BOOKKEEPING = {"metric", "n", "reps", "k", "cpu", "ns_min", "ns_max", "cycles", "skip", "failed"}
SWITCH_COUNTERS = ("switch_same_mm", "switch_cross_mm")
LOWMEM_LEFT = re.compile(r"lowmem left after boot: (\d+) KiB")
COUNTERS = re.compile(r"^counters: ((?:\w+=\d+\s*)+)$", re.M)
DONE = "ukva_bench: done"


def bench_objects(text):
    """The JSON objects of text's BENCH lines, in order (bad lines skipped)."""
    out = []
    for line in text.splitlines():
        line = line.strip().lstrip("\x00")
        i = line.find("BENCH {")
        if i < 0:
            continue
        try:
            obj = json.loads(line[i + len("BENCH "):])
        except ValueError:
            continue
        if isinstance(obj, dict) and isinstance(obj.get("metric"), str):
            out.append(obj)
    return out


def is_number(v):
    """True for a JSON number (not a boolean)."""
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _per_switch(name, delta, out):
    """Counters per context switch for a benchmark that switched."""
    switches = sum(delta.get(c, 0) for c in SWITCH_COUNTERS)
    if switches <= 0:
        return
    for counter in ("cr3_writes", "tlb_flush_all", "tlb_flush_one"):
        if counter in delta:
            out[f"{name}.{counter}_per_switch"] = delta[counter] / switches


def parse(text):
    """The metrics of one run's output; see the module's comment."""
    run = {"metrics": {}, "samples": {}, "series": {}, "skipped": {}, "env": {},
           "counters": {}, "done": DONE in text}
    for obj in bench_objects(text):
        name = obj["metric"]
        if name == "env":
            run["env"] = {k: v for k, v in obj.items() if k != "metric"}
            continue
        if "skip" in obj:
            run["skipped"][name] = str(obj["skip"])
            continue
        for key, v in obj.items():
            if key in BOOKKEEPING:
                continue
            if is_number(v):
                run["metrics"][f"{name}.{key}"] = v
            elif key == "ns_samples" and isinstance(v, list):
                run["samples"][f"{name}.ns"] = [x for x in v if is_number(x)]
            elif key == "delta" and isinstance(v, dict):
                delta = {c: x for c, x in v.items() if is_number(x)}
                for c, x in delta.items():
                    run["metrics"][f"{name}.delta.{c}"] = x
                _per_switch(name, delta, run["metrics"])
            elif isinstance(v, list):
                run["series"][f"{name}.{key}"] = v
    m = LOWMEM_LEFT.search(text)
    if m:
        run["metrics"]["boot.lowmem_left_kib"] = int(m.group(1))
    m = None
    for m in COUNTERS.finditer(text):
        pass
    if m:
        run["counters"] = {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", m.group(1))}
    return run


def unit(metric):
    """The unit of a metric, from its key's name (one rule for every table)."""
    key = metric.rsplit(".", 1)[-1]
    if key in ("ns", "ms"):
        return key
    if key.endswith("_pct"):
        return "%"
    if key == "bytes" or key.endswith("_bytes"):
        return "B"
    if key.endswith("_kib"):
        return "KiB"
    if "per_1k" in key:
        return "/1k"
    if "_per_" in key:
        return "ratio"
    if "pages" in key:
        return "pages"
    return ""


def is_time(metric):
    """A timed metric (noisy), as opposed to a count or a size."""
    return unit(metric) in ("ns", "ms")


def is_raw_counter(metric):
    """A raw counter delta: in the JSON and CSV, not in the tables."""
    return ".delta." in metric
