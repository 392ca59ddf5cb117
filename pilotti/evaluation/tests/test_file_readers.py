"""The data exports read back by programs nobody here wrote: GNU PSPP and pyreadstat for SPSS,
the header bytes and pandas for Stata, openpyxl for the workbooks, Python's csv module for the
Finnish Excel CSV. Under CI=true a missing PSPP fails the test rather than skipping it, so that
CI never passes by not reading the file (.ci/run installs it)."""

import csv
import io
import os
import shutil
import subprocess
from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd
import pyreadstat
import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]

from conftest import World
from pilotti.evaluation import exports
from pilotti.evaluation.selectors import Filters
from pilotti.evaluation.tests.test_exports import pilot_with_survey
from pilotti.organisations.viewer import Viewer
from tests.factories import START, answer_version, build

IN_CI = os.environ.get("CI", "").lower() == "true"
# A free-text answer past Stata's 2,045-byte fixed strings, with two-byte letters in it: haven
# 2.5.1 read a whole column of such answers as empty from the format-119 file Pilotti wrote before.
LONG_TEXT = ("Ryhmä auttoi jaksamaan arjessa. " * 70).strip()


def pspp() -> str:
    found = shutil.which("pspp")
    if found:
        return found
    if IN_CI:
        pytest.fail("CI=true and pspp is missing: the SPSS files must be read back in CI (apt-get install pspp)")
    pytest.skip("GNU PSPP is not installed (apt-get install pspp)")


@pytest.fixture
def data(world: World) -> exports.DataSet:
    pilot, who = pilot_with_survey(world)
    answer_version(
        world, who["survey"], pilot.people[0], {"benefit": 5, "comments": LONG_TEXT}, START + timedelta(days=62)
    )
    return exports.data_set(Viewer.everywhere(world.evaluator), pilot.programme, Filters())


def name_of(data: exports.DataSet, ending: str) -> str:
    return next(v.name for v in data.variables if v.source.endswith(ending))


def written(content: bytes, suffix: str, folder: Path) -> Path:
    path = folder / f"export{suffix}"
    path.write_bytes(content)
    return path


def pspp_dictionary(path: Path) -> dict[str, dict[str, str]]:
    """PSPP's DISPLAY DICTIONARY of the file, as CSV output: the row of each variable by name."""
    syntax = path.with_suffix(".sps")
    out = path.with_suffix(".csv")
    syntax.write_text(f'GET FILE="{path}".\nDISPLAY DICTIONARY.\n')
    subprocess.run([pspp(), str(syntax), "-o", str(out)], check=True, capture_output=True, timeout=120)
    lines = out.read_text().splitlines()
    start = lines.index("Table: Variables") + 1
    end = next((n for n in range(start, len(lines)) if not lines[n]), len(lines))
    return {row["Name"]: row for row in csv.DictReader(lines[start:end])}


def pspp_listing(path: Path, variables: list[str]) -> list[dict[str, str]]:
    syntax = path.with_suffix(".list.sps")
    out = path.with_suffix(".list.csv")
    syntax.write_text(f'GET FILE="{path}".\nLIST /VARIABLES={" ".join(variables)}.\n')
    subprocess.run([pspp(), str(syntax), "-o", str(out)], check=True, capture_output=True, timeout=120)
    lines = out.read_text().splitlines()
    start = lines.index("Table: Data List") + 1
    return list(csv.DictReader(line for line in lines[start:] if line))


def test_pspp_reads_measurement_levels_and_fitting_formats(data: exports.DataSet, tmp_path: Path) -> None:
    path = written(exports.as_sav(data), ".sav", tmp_path)
    variables = pspp_dictionary(path)
    who5_q1, rating = name_of(data, "who5-" + data.programme.slug + " v1 q1"), name_of(data, " v1 rating")
    benefit, comments = name_of(data, " v1 benefit"), name_of(data, " v1 comments")
    drew_in = name_of(data, " v1 drew_in = 1")
    seen = {name: (row["Measurement Level"], row["Print Format"]) for name, row in variables.items()}
    assert seen["answered_on"] == ("Scale", "DATE11")
    assert seen["total"][0] == "Scale"
    assert seen["total"][1].endswith(".0")  # WHO-5's totals are whole: no "12.00"
    assert seen["mean_item_score"] == ("Scale", "F8.2")  # a real score keeps its decimals
    assert seen[who5_q1] == ("Ordinal", "F2.0")  # a scored single choice: points on one scale
    assert seen[rating] == ("Ordinal", "F2.0")  # a 1-10 rating scale
    assert seen[benefit] == ("Nominal", "F2.0")  # a survey's unscored single choice
    assert seen[drew_in] == ("Nominal", "F2.0")
    assert seen[comments][0] == "Nominal"
    assert seen[comments][1].startswith("A")
    assert seen["participant_code"][0] == "Nominal"
    assert not [name for name, (level, _format) in seen.items() if level not in ("Nominal", "Ordinal", "Scale")]
    # Labels whole in the .sav: only the .dta cuts them to Stata's 80 characters.
    long_labels = [v for v in data.variables if len(v.label) > 80]
    assert long_labels
    for variable in long_labels:
        assert variables[variable.name]["Label"] == variable.label
    rows = pspp_listing(path, ["answered_on", who5_q1])
    assert rows[0]["answered_on"].strip() == f"{data.wide[0]['answered_on']:%d-%b-%Y}".upper()
    assert rows[0][who5_q1].strip().isdigit()


def test_pyreadstat_reads_the_sav_with_dates_and_whole_labels(data: exports.DataSet, tmp_path: Path) -> None:
    frame, meta = pyreadstat.read_sav(str(written(exports.as_sav(data), ".sav", tmp_path)))
    assert meta.original_variable_types["answered_on"] == "DATE11"
    assert meta.variable_measure["answered_on"] == "scale"
    assert frame["answered_on"][0] == data.wide[0]["answered_on"]
    comments = name_of(data, " v1 comments")
    assert LONG_TEXT in set(frame[comments])
    labels = dict(zip(meta.column_names, meta.column_labels, strict=True))
    assert max(len(label) for label in labels.values()) > 80


def test_stata_file_is_format_118_and_pandas_reads_long_text_whole(data: exports.DataSet, tmp_path: Path) -> None:
    content = exports.as_dta(data)
    assert content.startswith(b"<stata_dta><header><release>118</release>")
    assert len(LONG_TEXT.encode()) >= 2100
    path = written(content, ".dta", tmp_path)
    frame = pd.read_stata(path)
    comments = name_of(data, " v1 comments")
    assert LONG_TEXT in set(frame[comments])  # whole: a strL, not cut at 2,045 bytes
    assert frame["answered_on"][0] == pd.Timestamp(data.wide[0]["answered_on"])
    _frame, meta = pyreadstat.read_dta(str(path))
    assert meta.original_variable_types["answered_on"] == "%td"
    reader = pd.io.stata.StataReader(path)
    with reader:
        labels = reader.variable_labels()
    assert max(len(label) for label in labels.values()) == 80  # Stata's limit, only here


def test_the_workbook_has_frozen_filterable_sheets_with_real_dates(data: exports.DataSet) -> None:
    book = load_workbook(io.BytesIO(exports.as_xlsx(data)))
    assert book.sheetnames == ["responses", "answers", "attendance", "funnel", "codebook"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref.startswith("A1:")
        assert 8 <= sheet.column_dimensions["A"].width <= 60
    answered_on = [row[6] for row in book["responses"].iter_rows(min_row=2, values_only=True)]
    assert all(isinstance(value, datetime) for value in answered_on)
    attendance = list(book["attendance"].iter_rows(values_only=True))
    assert list(attendance[0]) == exports.ATTENDANCE_COLUMNS
    assert {row[4] for row in attendance[1:]} == {"present", "absent"}
    assert all(isinstance(row[3], datetime) for row in attendance[1:])
    assert sorted({row[2] for row in attendance[1:]}) == [1, 2, 3, 4]
    funnel = list(book["funnel"].iter_rows(values_only=True))
    assert list(funnel[0]) == exports.FUNNEL_COLUMNS
    stages = {row[5] for row in funnel[1:]}
    assert {"completed", "dropped_out"} <= stages
    assert all(isinstance(row[6], datetime) for row in funnel[1:])  # contacted_on
    codes = {p.code for p in data.participants}
    shown = {row[1] for row in funnel[1:]} - {None}  # an empty cell: someone not otherwise in the file
    assert shown
    assert shown <= codes
    texts = [cell.value for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert "=HYPERLINK(1) Hyvä ryhmä" in texts
    assert all(cell.data_type != "f" for sheet in book.worksheets for row in sheet.iter_rows() for cell in row)


def test_the_finnish_excel_csv_uses_semicolons_and_decimal_commas(data: exports.DataSet) -> None:
    content = exports.as_csv_fi(data)
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert list(rows[0]) == exports.LONG_COLUMNS
    values = [r["value"] for r in rows if r["value"]]
    assert values
    assert not [v for v in values if v.endswith(".0") or "." in v]  # whole numbers plain, commas for decimals
    day: date = data.long[0]["answered_on"]
    assert rows[0]["answered_on"] == f"{day.day}.{day.month}.{day.year}"
    comment = next(r for r in rows if r["item"] == "comments" and r["text"].startswith("'"))
    assert comment["text"] == "'=HYPERLINK(1) Hyvä ryhmä"


def test_a_date_column_stays_a_date_when_no_one_answered(world: World, tmp_path: Path) -> None:
    pilot = build(world, people=2)
    empty = exports.data_set(Viewer.everywhere(world.evaluator), pilot.programme, Filters(since=date(2099, 1, 1)))
    assert not empty.wide
    _frame, meta = pyreadstat.read_sav(str(written(exports.as_sav(empty), ".sav", tmp_path)))
    assert meta.original_variable_types["answered_on"] == "DATE11"
    _frame, meta = pyreadstat.read_dta(str(written(exports.as_dta(empty), ".dta", tmp_path)))
    assert meta.original_variable_types["answered_on"] == "%td"
