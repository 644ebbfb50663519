"""The results of a `make run`: from the boots to results.json and
results.csv (docs/benchmarks.md describes both).

A boot record is what run.py collected from one boot or host run:
machine, column (a mode, "linux", "linux-mitigations-off" or "host"), run
number, ok, problem, seconds, log, and the fields of samples.parse().
"""
import csv
import json
import os

from experiments import samples, stats

SCHEMA = 1
BASE_COLUMN = "shared"          # the 2002 design: one kernel PMD, kmap for the rest


def boot_record(machine, column, run, kind, text, problem, seconds, log):
    """The record of one boot: who, how it went, and what its output said."""
    rec = {"machine": machine, "column": column, "run": run, "kind": kind,
           "ok": problem is None, "problem": problem, "seconds": round(seconds, 2), "log": log}
    rec.update(samples.parse(text))
    return rec


def values(boots, metric):
    """Every sample of metric over the boots: a timed metric's repetitions,
    else one value per boot."""
    out = []
    for b in boots:
        if metric in b["samples"] and b["samples"][metric]:
            out += b["samples"][metric]
        elif metric in b["metrics"]:
            out.append(b["metrics"][metric])
    return out


def base_column(columns):
    """The column the others are compared with on one machine."""
    return BASE_COLUMN if BASE_COLUMN in columns else (columns[0] if columns else None)


def aggregate(boots, columns):
    """{machine: {column: {metric: summary + per_run}}} over the ok boots,
    and {machine: {column: {metric: comparison with the base column}}}."""
    metrics, comparisons = {}, {}
    for b in boots:
        if b["ok"]:
            metrics.setdefault(b["machine"], {}).setdefault(b["column"], {})
    for mach, cols in metrics.items():
        for col in cols:
            runs = [b for b in boots if b["ok"] and b["machine"] == mach and b["column"] == col]
            names = sorted({m for b in runs for m in b["metrics"]})
            for name in names:
                s = stats.summary(values(runs, name))
                if s:
                    s["per_run"] = [b["metrics"].get(name) for b in runs]
                    cols[col][name] = s
        order = [c for c in columns if c in cols]
        base = base_column(order)
        comparisons[mach] = {"base": base, "columns": {}}
        for col in order:
            if col == base:
                continue
            comparisons[mach]["columns"][col] = {
                name: stats.compare(cols[base].get(name), s, counted=not samples.is_time(name))
                for name, s in cols[col].items() if name in cols[base]}
    return metrics, comparisons


def build(boots, columns, info):
    """The whole results document: info (host, commit, versions, matrix,
    machines, column labels, ...) plus every boot and the aggregates."""
    metrics, comparisons = aggregate(boots, columns)
    doc = dict(info)
    doc.update(schema=SCHEMA, columns=columns, boots=boots, metrics=metrics,
               comparisons=comparisons)
    return doc


def metric_order(doc):
    """Every metric of doc, in the order ukva_bench reported them."""
    seen = {}
    for b in doc["boots"]:
        for name in b["metrics"]:
            seen.setdefault(name, len(seen))
    return sorted(seen, key=seen.get)


CSV_FIELDS = ["machine", "column", "metric", "unit", "count", "min", "q1", "median", "q3",
              "max", "mean", "stddev_pct", "compared_with", "change_pct", "verdict"]


def csv_rows(doc):
    """One row per machine x column x metric."""
    order = metric_order(doc)
    for mach, cols in doc["metrics"].items():
        cmp = doc["comparisons"].get(mach, {})
        for col in doc["columns"]:
            for name in order:
                s = cols.get(col, {}).get(name)
                if s is None:
                    continue
                c = cmp.get("columns", {}).get(col, {}).get(name)
                row = {"machine": mach, "column": col, "metric": name,
                       "unit": samples.unit(name), "compared_with": cmp.get("base") if c else ""}
                row.update({k: s[k] for k in CSV_FIELDS if k in s})
                if c:
                    row["change_pct"] = c["change_pct"]
                    row["verdict"] = c["verdict"]
                yield {k: _csv(row.get(k)) for k in CSV_FIELDS}


def _csv(v):
    """A CSV field: empty for none, floats to four decimals."""
    if v is None:
        return ""
    return round(v, 4) if isinstance(v, float) else v


def write(doc, out_dir):
    """results.json and results.csv in out_dir; returns their paths."""
    os.makedirs(out_dir, exist_ok=True)
    js = os.path.join(out_dir, "results.json")
    with open(js + ".tmp", "w") as f:
        json.dump(doc, f, indent=1, allow_nan=False, default=str)
    os.replace(js + ".tmp", js)
    cs = os.path.join(out_dir, "results.csv")
    with open(cs, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=CSV_FIELDS)
        w.writeheader()
        w.writerows(csv_rows(doc))
    return js, cs


def load(out_dir):
    """The results document in out_dir."""
    with open(os.path.join(out_dir, "results.json")) as f:
        return json.load(f)


# Reading a results document (report.py and plots.py).

HOST = "host"


def machine_names(doc):
    """The guest machines of doc, in the order they ran."""
    return list(doc.get("machines", {}))


def stat(doc, mach, column, metric):
    """The summary of metric in column on machine mach (None: not there).
    The host column is the same on every machine: it ran on the host."""
    where = HOST if column == HOST else mach
    return doc["metrics"].get(where, {}).get(column, {}).get(metric)


def median(doc, mach, column, metric):
    """The median of stat(), or None."""
    s = stat(doc, mach, column, metric)
    return s["median"] if s else None


def comparison(doc, mach, column, metric):
    """column's comparison with the machine's base column, or None."""
    return doc["comparisons"].get(mach, {}).get("columns", {}).get(column, {}).get(metric)


def mode_columns(doc):
    """doc's columns that are address-space modes."""
    return [c for c in doc["columns"] if c in doc.get("modes", [])]


def has_metric(doc, metric):
    """Does any column of any machine have metric?"""
    return any(metric in cols.get(c, {}) for cols in doc["metrics"].values() for c in cols)
