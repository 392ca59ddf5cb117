"""The report's CSV and XLSX tables of its later sections, read back: the client council per
meeting and each suggestion, and service use before and after; in the view asked for, the shared
one suppressed by the same step as the page (suppression.shared_set)."""

import csv
import io
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from openpyxl import load_workbook  # type: ignore[import-untyped]

from conftest import World
from pilotti.core.zone import HELSINKI
from tests.factories import Pilot, build, council_suggestions, family_work, service_use_counts

X = "suppressed"


def _pilot(world: World) -> Pilot:
    pilot = build(world, people=6, meetings=3)
    council_suggestions(world, pilot)
    # Six people counted before, three of them after as well: three pairs, fewer than five.
    service_use_counts(
        world, pilot, family_work(world, pilot), [(9, 3), (7, 2), (11, 5), (6, None), (8, None), (10, None)]
    )
    return pilot


def _sheet(book: Any, name: str) -> list[dict[str, Any]]:
    rows = list(book[name].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_the_workbook_has_the_council_and_service_use_in_the_view_asked_for(world: World, tmp_path: Path) -> None:
    pilot = _pilot(world)
    slug, unit = pilot.programme.slug, pilot.meetings[1].unit.name
    day = pilot.meetings[1].starts_at.astimezone(HELSINKI).date()
    books = {}
    for view, extra in (("internal", []), ("shared", ["--shared"])):
        out = tmp_path / f"{view}.xlsx"
        call_command("report", slug, "--format", "xlsx", "--out", str(out), *extra)
        books[view] = load_workbook(io.BytesIO(out.read_bytes()))
    for book in books.values():
        # Suggestions, not people: the same in both views, per meeting and in all.
        meeting, total = _sheet(book, "council")
        assert isinstance(meeting["meeting_on"], datetime)  # a date in the sheet
        assert meeting["meeting_on"].date() == day
        counts = {"suggestions": 2, "accepted": 1, "declined": 0, "done": 1}
        assert meeting == {**counts, "meeting_on": meeting["meeting_on"], "unit": unit}
        assert total == {**counts, "meeting_on": "(total)", "unit": None}
        suggestions = _sheet(book, "council_suggestions")
        assert [row["suggestion"] for row in suggestions] == ["Yhteistä ruoanlaittoa", "Myöhempi aloitus"]
        assert suggestions[0]["action"] == "Ruoanlaitto joka toinen kerta"
    [internal] = _sheet(books["internal"], "service_use")
    assert (internal["name"], internal["measured"], internal["pairs"], internal["withheld"]) == ("Perhetyö", 6, 3, None)
    assert (internal["before_mean"], internal["after_mean"]) == (9, pytest.approx(10 / 3))
    # The shared view as its page: three pairs are withheld, and six measured beside them would
    # give away the three counted only before.
    [shared] = _sheet(books["shared"], "service_use")
    assert (shared["measured"], shared["pairs"], shared["withheld"]) == (X, X, "fewer_people")
    assert all(shared[key] is None for key in ("before_mean", "after_mean", "change_mean", "t", "p_t", "g_z"))


def test_the_shared_csv_carries_the_page_s_suppression_of_service_use(world: World, tmp_path: Path) -> None:
    pilot = _pilot(world)
    out = tmp_path / "shared.csv"
    call_command("report", pilot.programme.slug, "--format", "csv", "--shared", "--out", str(out))
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    use = {r["column"]: r["value"] for r in rows if r["table"] == "service_use"}
    assert (use["view"] if "view" in use else rows[0]["view"], use["pairs"], use["withheld"]) == (
        "shared",
        X,
        "fewer_people",
    )
    assert use["before_mean"] == ""
    council = [r for r in rows if r["table"] == "council" and r["column"] == "suggestions"]
    assert [r["value"] for r in council] == ["2", "2"]
