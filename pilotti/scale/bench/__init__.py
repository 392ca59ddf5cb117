"""Benchmarks as ratios (``make bench``, docs/benchmarks.md): run.py drives, worker.py measures."""
