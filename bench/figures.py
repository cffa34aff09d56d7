"""The figures a bench script hands to bench/report.py, which prints `make bench`'s one table.

Every script (bench.py, scale_bench.py, logs_bench.py, tui_bench.py, eval_bench.py) takes
`--json PATH` and writes there a list of rows of one shape:

  {"section": "headless 100k", "figure": "glmwb wall", "unit": "s", "runs": [0.41, 0.43, ...],
   "target": "< 1 s", "met": true, "note": "..."}

`runs` holds the raw value of every timed run, so the report computes min / median / max itself
and nothing is summarised twice. `target` is text for the table and `met` is judged here, on the
median, by the script that knows the figure; a figure with no target has "" and null. Ratios are
taken run by run (the runs alternate between the clients, so run i of each saw the same load),
which gives a ratio its own spread instead of one number from two medians.
Standard library only.
"""
import json
import operator
import statistics

# The comparisons a target may make, and how each reads in the table.
_OPS = {"<": (operator.lt, "<"), "<=": (operator.le, "≤"), ">": (operator.gt, ">"), ">=": (operator.ge, "≥")}


def ratios(nums, dens):
    """Run-by-run num / den; a run whose denominator rounds to zero (curl's CPU on a fast machine)
    is left out rather than divided by."""
    return [n / d for n, d in zip(nums, dens) if d > 0]


def count(n):
    """A size as the table names it: 100000 -> 100k, 1000000 -> 1M, 5000000 -> 5M."""
    if n >= 1_000_000 and n % 100_000 == 0:
        return f"{n / 1e6:g}M"
    if n >= 1000 and n % 1000 == 0:
        return f"{n // 1000}k"
    return str(n)


def fmt(v):
    """A figure with about three significant digits: 0.238, 4.53, 45.5, 1234."""
    if v is None:
        return "n/a"
    a = abs(v)
    if a >= 100:
        return f"{v:.0f}"
    if a >= 10:
        return f"{v:.1f}"
    if a >= 1:
        return f"{v:.2f}"
    return f"{v:.3f}"


class Figures:
    """The rows of one script, in the order the table shows them."""

    def __init__(self, section):
        self.section = section
        self.rows = []

    def add(self, figure, unit, runs, target=None, note="", section=None):
        """One figure. `target` is (op, limit) with op one of < <= > >=, judged on the median of
        `runs` (the median is what the table's target column is read against: a single slow run
        on a loaded 2-core machine should show in max, not flip the verdict)."""
        runs = [float(x) for x in runs]
        text, met = "", None
        if target is not None:
            op, limit = target
            compare, shown = _OPS[op]
            suffix = "x" if unit == "x" else f" {unit}"
            text = f"{shown} {limit:g}{suffix}"
            met = bool(compare(statistics.median(runs), limit)) if runs else None
        self.rows.append({"section": section or self.section, "figure": figure, "unit": unit, "runs": runs,
                          "target": text, "met": met, "note": note})

    def write(self, path):
        """Writes the rows as JSON to path (nothing when path is None: the script was run alone)."""
        if path:
            with open(path, "w") as f:
                json.dump(self.rows, f, indent=1, ensure_ascii=False)
