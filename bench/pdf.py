"""The PDF report of a data set's largest programme, in a process of its own: time and peak memory.

``python -m bench.pdf`` with the data set's ``DATABASE_URL``; prints one JSON line.
The peak is the process's maximum resident set (``ru_maxrss``), so it includes Django, WeasyPrint
and the report's data; the resident set just before rendering is given beside it.
"""

import json
import os
import resource
import tempfile
import time
from pathlib import Path


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    import weasyprint  # noqa: F401 - loaded before the baseline, as a server process has it
    from django.core.management import call_command

    from bench.worker import _largest

    programme = _largest(f"skaala-{int(os.environ.get('BENCH_SEED', '1'))}")
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with tempfile.TemporaryDirectory() as directory:
        out = Path(directory) / "report.pdf"
        started = time.perf_counter()
        call_command("report", programme.slug, format="pdf", out=str(out))
        seconds = time.perf_counter() - started
        size = out.stat().st_size
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = {"seconds": seconds, "peak_mib": peak / 1024, "baseline_mib": baseline / 1024, "bytes": size}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
