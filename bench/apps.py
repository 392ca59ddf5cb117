from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Scale data and benchmarks (docs/benchmarks.md). No models; installed only by
    ``bench.settings`` and the test settings, never by Pilotti's own."""

    name = "bench"
    verbose_name = "Scale data and benchmarks"
