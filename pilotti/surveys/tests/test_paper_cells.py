"""The paper-answer template's cells as spreadsheets treat them: several choices typed as text and
separated by semicolons (commas and spaces accepted too), and cells holding a formula or a
spreadsheet error refused by row and column, every one at once, saving nothing."""

import io
from datetime import date

from openpyxl import load_workbook

from conftest import World, signed_in
from pilotti.instruments.models import Answer, InstrumentVersion, Response
from pilotti.meetings.models import Meeting
from pilotti.people.models import Participant
from pilotti.programmes.models import DeliveryUnit
from pilotti.surveys.tests.test_paper_import import download, filled, upload
from tests.factories import enrol, library_version, make_participant


def _three(world: World, unit: DeliveryUnit, person: Participant) -> list[Participant]:
    people = [person]
    for name in ("Toinen Osallistuja", "Kolmas Osallistuja"):
        other = make_participant(world.org, name=name)
        enrol(other, unit)
        people.append(other)
    return people


def _row_of(template: bytes, code: str) -> int:
    codes = [row[0] for row in load_workbook(io.BytesIO(template))["answers"].iter_rows(min_row=3, values_only=True)]
    return 3 + codes.index(code)


def test_several_choices_are_text_separated_by_semicolons_commas_or_spaces(
    world: World, group: tuple[DeliveryUnit, Meeting], person: Participant
) -> None:
    survey: InstrumentVersion = library_version("pilotti-final-survey")
    people = _three(world, group[0], person)
    client = signed_in(world.facilitator)
    template = download(client, group[0], survey)
    sheet = load_workbook(io.BytesIO(template))["answers"]
    header = [cell.value for cell in sheet[1]]
    column = header.index("drew_in") + 1
    assert "separated by semicolons, e.g. 1;2" in sheet.cell(row=2, column=column).value
    # Formatted as text, so Excel keeps "1;3" and Finnish Excel does not turn "1,3" into 1.3.
    assert {sheet.cell(row=row, column=column).number_format for row in range(3, 6)} == {"@"}
    typed = {people[0].code: "1;3", people[1].code: "1, 3", people[2].code: "1 3"}
    content = filled(template, {code: [date(2025, 3, 1), "fi", 4, value] for code, value in typed.items()})
    response = upload(client, group[0], survey, content)
    assert response.status_code == 302, response.context and response.context.get("problems")
    chosen = {
        response.participant.code: sorted(
            Answer.objects.get(response=response, item__key="drew_in").choices.values_list("value", flat=True)
        )
        for response in Response.objects.select_related("participant")
    }
    assert chosen == {code: [1, 3] for code in typed}


def test_formulas_and_spreadsheet_errors_are_refused_by_row_and_column(
    world: World, group: tuple[DeliveryUnit, Meeting], person: Participant
) -> None:
    who5: InstrumentVersion = library_version("who-5")
    people = _three(world, group[0], person)
    client = signed_in(world.coordinator)
    template = download(client, group[0], who5)
    content = filled(
        template,
        {
            people[0].code: [date(2025, 3, 1), "en", 5, 4, 3, 2, 1],  # a good row: not saved either
            people[1].code: [date(2025, 3, 1), "en", "=2+3", "#VALUE!", 9, 2, 1],
            people[2].code: [date(2025, 3, 1), "en", 5, 4, 3, 2, "#N/A"],
        },
    )
    response = upload(client, group[0], who5, content)
    assert response.status_code == 400
    second, third = _row_of(template, people[1].code), _row_of(template, people[2].code)
    assert response.context["problems"] == sorted(
        [
            f"row {second}, column D (q1): holds a formula (=2+3): type the value itself",
            f"row {second}, column E (q2): holds the spreadsheet error #VALUE!: type the value itself",
            f"row {second}, item 3 (q3): '9' is not one of 5, 4, 3, 2, 1, 0",
            f"row {third}, column H (q5): holds the spreadsheet error #N/A: type the value itself",
        ],
        key=lambda problem: (int(problem.split(",")[0].split()[1]), problem),
    )
    assert not Response.objects.exists()
