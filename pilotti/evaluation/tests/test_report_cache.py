"""A repeated report comes from the cache, and a report whose data changed by any path is built anew."""

import json
import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from conftest import World
from pilotti.evaluation import files, selectors, services, versions
from pilotti.measurement.models import PlanEntry
from pilotti.meetings.models import Attendance
from pilotti.organisations.viewer import Viewer
from pilotti.people import services as people
from pilotti.people.models import Consent
from pilotti.recruitment import counts
from tests.factories import START, Pilot, build


def _build(world: World, pilot: Pilot, shared: bool = False) -> dict[str, Any]:
    report = services.report_build(
        viewer=Viewer.everywhere(world.evaluator), programme=pilot.programme, filters=selectors.Filters(), shared=shared
    )
    return {key: value for key, value in report.items() if key != "generated_at"}


def _fresh(world: World, pilot: Pilot) -> dict[str, Any]:
    cache.clear()
    return _build(world, pilot)


def test_every_table_a_report_reads_has_the_triggers_that_version_it(world: World) -> None:
    pilot = build(world, people=6)
    other = build(world, people=5, name="Toinen")
    for when in ("intake", "end"):  # the plan's windows and the response rate are read only with a plan
        PlanEntry.objects.create(
            programme=pilot.programme, instrument=pilot.who5.instrument, when=when, audience="participants"
        )
    viewer = Viewer.everywhere(world.evaluator)
    with CaptureQueriesContext(connection) as queries:
        for shared in (False, True):
            for unit in (None, pilot.unit):
                for who in (viewer, None):
                    services.report_build(
                        viewer=who, programme=pilot.programme, filters=selectors.Filters(unit=unit), shared=shared
                    )
        services.report_build(viewer=viewer, programme=other.programme, filters=selectors.Filters(), shared=True)
    read = {
        table
        for query in queries.captured_queries
        for table in re.findall(r'(?:FROM|JOIN)\s+"?(\w+)"?', query["sql"])
        if not table.startswith("evaluation_scope_")  # the report's own temporary tables
    }
    unversioned = read - versions.WATCHED.keys() - versions.NOT_WATCHED.keys()
    assert not unversioned, f"tables the report reads without a trigger: {sorted(unversioned)}"
    assert versions.triggered(connection) == set(versions.WATCHED)


def test_a_repeated_report_is_read_from_the_cache(world: World, django_assert_max_num_queries: Any) -> None:
    pilot = build(world, people=6)
    other = build(world, people=5, name="Toinen")
    first = _build(world, pilot)
    # The viewer's right to the internal view and the data version: nothing of the report itself.
    with django_assert_max_num_queries(3):
        assert _build(world, pilot) == first
    # Another programme's writes leave this one's version, and its cached report, as they were.
    Attendance.objects.filter(meeting__unit=other.unit).update(status=Attendance.Status.ABSENT)
    with django_assert_max_num_queries(3):
        assert _build(world, pilot) == first


def _service(pilot: Pilot) -> None:
    consent = Consent.objects.get(participant=pilot.people[0], purpose="evaluation")
    people.consent_withdraw(actor=None, consent=consent, on=START)


def _bulk_update(pilot: Pilot) -> None:
    Attendance.objects.filter(meeting__unit=pilot.unit).update(status=Attendance.Status.ABSENT)


def _raw_sql(pilot: Pilot) -> None:
    # An operator's SQL, which no application code sees: the second person's consent withdrawn.
    consent = Consent.objects.get(participant=pilot.people[1], purpose="evaluation")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE people_consent SET withdrawn_on = %s WHERE id = %s", [START, consent.pk])


def _delete(pilot: Pilot) -> None:
    pilot.meetings[-1].responses.all().delete()


@pytest.mark.parametrize("write", [_service, _bulk_update, _raw_sql, _delete], ids=lambda write: write.__name__[1:])
def test_a_write_by_any_path_builds_the_report_anew(world: World, write: Callable[[Pilot], None]) -> None:
    pilot = build(world, people=6)
    before = _build(world, pilot)
    write(pilot)
    served = _build(world, pilot)
    assert served != before
    assert served == _fresh(world, pilot)


def test_a_write_that_rolls_back_leaves_the_cached_report(world: World, django_assert_max_num_queries: Any) -> None:
    pilot = build(world, people=6)
    before = _build(world, pilot)

    def failing_write() -> None:
        with transaction.atomic():
            _bulk_update(pilot)
            raise RuntimeError

    with pytest.raises(RuntimeError):
        failing_write()
    with django_assert_max_num_queries(3):
        assert _build(world, pilot) == before


def test_prune_keeps_every_programmes_version(world: World) -> None:
    pilot = build(world, people=6)
    other = build(world, people=5, name="Toinen")
    kept = versions.version(pilot.programme.pk), versions.version(other.programme.pk)
    assert versions.prune() > 0
    assert (versions.version(pilot.programme.pk), versions.version(other.programme.pk)) == kept


def test_a_repeated_reports_pdf_is_laid_out_once(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    pilot = build(world, people=6)
    laid_out: list[str] = []
    monkeypatch.setattr(files.pdf, "render_pdf", lambda report: laid_out.append(report["view"]) or b"%PDF-")

    def pdf() -> bytes:
        report, _form = files.report_for(Viewer.everywhere(world.evaluator), pilot.programme, None, QueryDict())
        return files.pdf_of(report)

    assert pdf() == pdf()
    assert laid_out == ["internal"]
    with translation.override("sv"):
        pdf()  # the labels are another language's
    _bulk_update(pilot)
    pdf()
    assert laid_out == ["internal"] * 3


def _report_file(pilot: Pilot, made: list[str], format: str = "json") -> dict[str, Any]:
    def render(report: selectors.Report) -> bytes:
        made.append(format)
        return json.dumps(report, ensure_ascii=False, default=str).encode()

    content = services.report_rendered(
        viewer=None, programme=pilot.programme, filters=selectors.Filters(), shared=False, format=format, render=render
    )
    report: dict[str, Any] = json.loads(content)
    return report


def test_a_repeated_reports_file_is_read_back_and_never_stale(world: World) -> None:
    pilot = build(world, people=6)
    made: list[str] = []
    first = _report_file(pilot, made)
    assert _report_file(pilot, made) == first
    assert made == ["json"]
    _report_file(pilot, made, "csv")  # another format is its own file
    assert made == ["json", "csv"]
    _bulk_update(pilot)
    changed = _report_file(pilot, made)
    assert made == ["json", "csv", "json"]
    assert changed["attendance"] != first["attendance"]
    cache.clear()  # built from nothing: the same figures as the file read back
    assert {k: v for k, v in _report_file(pilot, made).items() if k != "generated_at"} == {
        k: v for k, v in changed.items() if k != "generated_at"
    }


def test_a_pruned_reports_file_is_made_again(world: World) -> None:
    pilot = build(world, people=6)
    made: list[str] = []
    first = _report_file(pilot, made)
    assert services.rendered_prune() == 0  # made just now: kept
    assert services.rendered_prune(now=timezone.now() + timedelta(days=2)) == 1
    assert _report_file(pilot, made) == first
    assert made == ["json", "json"]


def test_the_report_command_repeats_a_report_from_its_file(
    world: World, tmp_path: Path, django_assert_max_num_queries: Any
) -> None:
    pilot = build(world, people=6)
    out = tmp_path / "report.json"
    call_command("report", pilot.programme.slug, format="json", out=str(out))
    first = out.read_bytes()
    # The programme, its data version: the figures are read back from the file laid out before.
    with django_assert_max_num_queries(2):
        call_command("report", pilot.programme.slug, format="json", out=str(out))
    assert out.read_bytes() == first
    _bulk_update(pilot)
    call_command("report", pilot.programme.slug, format="json", out=str(out))
    assert json.loads(out.read_bytes())["attendance"] != json.loads(first)["attendance"]


@pytest.mark.django_db(transaction=True)
def test_triggers_a_table_rebuild_dropped_come_back_with_the_next_migrate() -> None:
    # SQLite alters a table by rebuilding it, which drops its triggers: here dropped by hand.
    versions.drop_triggers(connection)
    with connection.schema_editor() as editor:
        counts.drop_triggers(editor)
    call_command("migrate", verbosity=0)
    assert versions.triggered(connection) == set(versions.WATCHED)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT trigger_name FROM information_schema.triggers WHERE trigger_name = 'funnel_count'")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'funnel_count_%'")
        assert cursor.fetchall()
