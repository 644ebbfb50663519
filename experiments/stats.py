"""Summaries of samples and comparisons between columns, in the manner of
lkp's compare: each side's %stddev, the %change of the median, and whether
the change is larger than the noise.

A change counts as real when it exceeds twice the two sides' combined
relative spread: |%change| > 2 * sqrt(%stddev_a^2 + %stddev_b^2).  Exact
counts and sizes seen once (one boot) count as exact: they differ for real
whenever they differ.  A time with one sample has no known spread, and its
comparisons say so instead of guessing.
"""
import math
import statistics

NOISE_FACTOR = 2.0


def quantile(sorted_vals, q):
    """The q-quantile of sorted values, interpolated linearly."""
    if len(sorted_vals) == 1:
        return sorted_vals[0]
    pos = q * (len(sorted_vals) - 1)
    lo = math.floor(pos)
    hi = min(lo + 1, len(sorted_vals) - 1)
    return sorted_vals[lo] + (sorted_vals[hi] - sorted_vals[lo]) * (pos - lo)


def summary(values):
    """min, q1, median, q3, max, count, mean, stddev (sample), stddev_pct
    of a list of numbers; None for an empty list."""
    vals = sorted(v for v in values if v is not None)
    if not vals:
        return None
    mean = statistics.fmean(vals)
    sd = statistics.stdev(vals) if len(vals) > 1 else None
    return {
        "min": vals[0], "q1": quantile(vals, 0.25), "median": quantile(vals, 0.5),
        "q3": quantile(vals, 0.75), "max": vals[-1], "count": len(vals), "mean": mean,
        "stddev": sd,
        "stddev_pct": (100.0 * sd / abs(mean) if mean else 0.0) if sd is not None else None,
    }


def compare(base, other, counted=False):
    """other against base (two summaries): change_pct of the medians,
    verdict "same" (equal medians), "noise", "real", or "unknown" (a timed
    side with one sample), and the bound used.  counted: the metric is a
    count or a size, not a time, so a side seen once has no spread."""
    if base is None or other is None:
        return None
    b, o = base["median"], other["median"]
    change = (o - b) / abs(b) * 100.0 if b else (0.0 if o == b else None)
    sds = [s["stddev_pct"] if s["stddev_pct"] is not None or not counted else 0.0
           for s in (base, other)]
    if o == b:
        verdict, bound = "same", 0.0
    elif change is None:
        verdict, bound = "real", None         # from zero: no ratio, but a difference
    elif None in sds:
        verdict, bound = "unknown", None
    else:
        bound = NOISE_FACTOR * math.sqrt(sds[0] ** 2 + sds[1] ** 2)
        verdict = "real" if abs(change) > bound else "noise"
    return {"change_pct": change, "verdict": verdict, "noise_bound_pct": bound}
