"""The benchmark's pieces at a tiny size: the worker's measurements, the floor view, the table."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings

from bench import run, views
from bench.worker import PAGES, Worker
from tests.processes import run_python

pytestmark = pytest.mark.django_db

SEED = 11


@pytest.fixture
def worker() -> Worker:
    call_command("generate_scale_data", "--participants", "120", "--seed", str(SEED), stdout=io.StringIO())
    return Worker(SEED)


@override_settings(ROOT_URLCONF="bench.urls")
def test_the_floor_view_inserts_one_row() -> None:
    views.create_table()
    response = Client().post("/bench/insert-one/", {"value": "8"})
    assert response.status_code == 302
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {views.TABLE}")  # noqa: S608
        assert cursor.fetchone()[0] == 1


def test_the_floor_view_does_not_exist_in_pilotti_itself(client: Client) -> None:
    assert client.post("/bench/insert-one/", {"value": "8"}).status_code == 404


def test_pilotti_itself_has_no_benchmark_command(tmp_path: Path) -> None:
    env = {"DJANGO_SETTINGS_MODULE": "pilotti.settings", "PILOTTI_VAR_DIR": str(tmp_path)}
    result = run_python(["manage.py", "help", "generate_scale_data"], env)
    assert result.returncode != 0
    assert "Unknown command: 'generate_scale_data'" in result.stderr


def test_it_measures_the_pages_and_the_report_and_writes_the_table(worker: Worker, tmp_path: Path) -> None:
    pages = {name: worker.page(name) for name in PAGES}
    for name, measured in pages.items():
        assert measured["status"] == 200, name
    report, sql = [worker.report_json()], [worker.report_sql()]
    repeated = [worker.report_json(cached=True)]
    assert report[0]["bytes"] > 1000
    assert sql[0]["rows"] > 0
    assert worker.check() == {"problems": []}
    assert worker.info()["participants"] == 120
    side = {"participants": 120, "generation": {"rows": 1, "seconds": 1.0, "cpu": 1.0}, "info": worker.info()}
    results = {
        "title": "SQLite",
        "kind": "sqlite",
        "repeat": 1,
        "machine": {"date": "today", "cpu": "cpu", "cores": "2", "memory": "1 GiB", "python": "3.11",
                    "database": "SQLite", "load": "0", "wrk": "wrk"},
        "small": side,
        "large": side,
        "report_vs_sql": {"report": run.median(report), "sql": run.median(sql),
                          "ratio": run.median(report) / run.median(sql), "problems": [],
                          "repeated": run.median(repeated)},
        "growth": {name: {"small": p["seconds"], "large": p["seconds"], "ratio": 1.0, "small_queries": p["queries"],
                          "large_queries": p["queries"]} for name, p in pages.items()},
    }  # fmt: skip
    out = tmp_path / "benchmarks.md"
    out.write_text("# Benchmarks\n\n<!-- bench:postgresql -->\nPG table\n<!-- /bench:postgresql -->\n")
    run.write(out, "sqlite", run.markdown(results))
    run.write(out, "sqlite", run.markdown(results))
    text = out.read_text()
    # A second run replaces its own section and keeps the other database's.
    assert text.count("### SQLite") == 1
    assert "PG table" in text
    assert "| roll-call page |" in text
    assert "same figures: yes" in text
    assert "1b. The same report repeated" in text
