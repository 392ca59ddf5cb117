"""Benchmarks and scale data (``make bench``, docs/benchmarks.md): run.py drives, worker.py measures.

Not part of the product: installed only by ``bench.settings`` and the test settings.
"""
