"""`make run`: the address-space modes, Linux beside them, in tables and
plots (docs/benchmarks.md).  run.py drives; the other modules each do one
step."""
