"""Imports are all or nothing, report every bad row, and flag duplicates for the user to decide."""

import io
import re
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook  # type: ignore[import-untyped]

from conftest import World, signed_in
from pilotti.audit.models import AccessLog
from pilotti.people.models import ContactDetails, Participant
from pilotti.programmes.models import DeliveryUnit, Programme
from pilotti.recruitment.importer import COLUMNS, read_table
from pilotti.recruitment.models import Enrolment
from tests.factories import make_participant, make_programme, make_unit

HEADER = "name;birth_year;identity_code;email;segment;unit;referral_source;contacted_on;stage;stage_date;reason"


@pytest.fixture
def unit(world: World) -> DeliveryUnit:
    return make_unit(make_programme(world.org), name="Hervanta")


def upload(client: Client, programme: Programme, name: str, content: bytes | str) -> str:
    data = content.encode() if isinstance(content, str) else content
    response = client.post(
        reverse("recruitment:import"), {"programme": programme.pk, "file": SimpleUploadedFile(name, data)}
    )
    return response.content.decode() if response.status_code != 302 else f"REDIRECT {response['Location']}"


def csv_file(*rows: str) -> str:
    return "\n".join([HEADER, *rows]) + "\n"


def test_it_imports_participants_and_enrolments_from_csv(world: World, unit: DeliveryUnit) -> None:
    result = upload(
        signed_in(world.coordinator),
        unit.programme,
        "osallistujat.csv",
        csv_file(
            "Testi Henkilö 1;1990;131052-308T;t1@example.org;Suomalaiset perheet;hervanta;"
            "child_health_clinic;1.9.2019;enrolled;8.9.2019;",
            "Testi Henkilö 2;1985;;;;;Outreach;2019-09-02;dropped out;2019-09-20;Muutti pois",
        ),
    )
    assert result == f"REDIRECT {reverse('recruitment:programme_funnel', args=[unit.programme.slug])}"
    assert Participant.objects.count() == 2
    first = Enrolment.objects.get(participant__contact__name_index__isnull=False, stage="enrolled")
    assert (first.unit, first.segment, first.referral_source) == (unit, "Suomalaiset perheet", "child_health_clinic")
    assert Enrolment.objects.get(stage="dropped_out").end_reason == "Muutti pois"
    assert ContactDetails.objects.filter(identity_code_index__gt="").count() == 1
    assert AccessLog.objects.filter(action="change", purpose="import").count() == 2


def test_it_reports_every_bad_row_and_saves_nothing(world: World, unit: DeliveryUnit) -> None:
    page = upload(
        signed_in(world.coordinator),
        unit.programme,
        "huono.csv",
        csv_file(
            "Testi Henkilö 1;1990;;;;;outreach;1.9.2019;;;",
            "Testi Henkilö 2;19xx;131052-308U;ei-osoite;Tuntematon;Ei ryhmää;postcard;31.2.2019;finished;;",
            ";;;;;;outreach;1.9.2019;dropped_out;2.9.2019;",
            "Testi Henkilö 1;1990;;;;;outreach;1.9.2019;;;",
        ),
    )
    assert "Nothing was saved" in page
    for row, column in [
        (3, "birth_year"),
        (3, "identity_code"),
        (3, "email"),
        (3, "segment"),
        (3, "unit"),
        (3, "referral_source"),
        (3, "contacted_on"),
        (3, "stage"),
        (4, "name"),
        (4, "reason"),
        (5, "name"),
    ]:
        assert f'<td data-label="Row">{row}</td><td data-label="Column">{column}</td>' in page, (row, column)
    assert "The same person is on row 2" in page
    assert not Participant.objects.exists()
    assert not Enrolment.objects.exists()


def test_it_rolls_back_everything_when_a_service_refuses_a_row(world: World, unit: DeliveryUnit) -> None:
    unit.capacity = 1
    unit.save()
    page = upload(
        signed_in(world.coordinator),
        unit.programme,
        "täysi.csv",
        csv_file(
            "Testi Henkilö 1;1990;;;;Hervanta;outreach;1.9.2019;enrolled;2.9.2019;",
            "Testi Henkilö 2;1991;;;;Hervanta;outreach;1.9.2019;enrolled;2.9.2019;",
        ),
    )
    assert "Hervanta is full (1 of 1 places)" in page
    assert not Participant.objects.exists()


def test_it_explains_unreadable_files_and_wrong_columns(world: World, unit: DeliveryUnit) -> None:
    client = signed_in(world.coordinator)
    assert "not in UTF-8" in upload(
        client, unit.programme, "latin1.csv", "name;referral_source\nÄäkkönen".encode("latin-1")
    )
    assert "Choose a .csv or .xlsx file." in upload(client, unit.programme, "notes.txt", "hello")
    assert "could not be opened as Excel" in upload(client, unit.programme, "broken.xlsx", b"not a zip")
    page = upload(client, unit.programme, "columns.csv", "nimi;referral_source\nTesti;outreach\n")
    assert "Unknown column" in page
    assert "This column is missing" in page
    assert not Participant.objects.exists()


def test_it_imports_an_xlsx_file_with_real_dates(world: World, unit: DeliveryUnit) -> None:
    from datetime import datetime

    workbook = Workbook()
    workbook.active.append(["name", "birth_year", "referral_source", "contacted_on"])
    workbook.active.append(["Testi Henkilö 5", 1990, "self-referral", datetime(2019, 9, 1)])  # noqa: DTZ001
    out = io.BytesIO()
    workbook.save(out)
    result = upload(signed_in(world.coordinator), unit.programme, "osallistujat.xlsx", out.getvalue())
    assert result.startswith("REDIRECT")
    enrolment = Enrolment.objects.get()
    assert (enrolment.referral_source, str(enrolment.contacted_on)) == ("self", "2019-09-01")


def declaring(rows: int, columns: str) -> bytes:
    """A workbook of two filled rows and a third on row ``rows``, declared to reach column ``columns``:
    openpyxl pads every row in the gap to the declared width."""
    workbook = Workbook()
    workbook.active.append(["name", "referral_source", "contacted_on"])
    workbook.active.append(["Testi Henkilö 6", "self-referral", "2019-09-01"])
    out = io.BytesIO()
    workbook.save(out)
    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="A1:{columns}{rows}"'.encode(), data)
                last = f'<row r="{rows}"><c r="A{rows}" t="inlineStr"><is><t>loppu</t></is></c></row>'
                data = data.replace(b"</sheetData>", last.encode() + b"</sheetData>")
            target.writestr(item, data)
    return bomb.getvalue()


def test_it_refuses_an_xlsx_declaring_a_million_rows_in_bounded_memory(world: World, unit: DeliveryUnit) -> None:
    content = declaring(1_000_000, "T")
    assert len(content) < 10_000
    client = signed_in(world.coordinator)
    tracemalloc.start()
    try:
        page = upload(client, unit.programme, "pommi.xlsx", content)
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # Before the reader was bounded this file built a million padded rows (over 250 MB here).
    assert peak < 20 * 1024 * 1024
    assert "The file has more than 2000 rows" in page
    assert not Participant.objects.exists()


def test_it_reads_an_xlsx_with_blank_rows_and_columns_up_to_its_limits() -> None:
    rows = read_table("leveä.xlsx", declaring(15_000, "XFD"))
    assert [row[0] for row in rows] == ["name", "Testi Henkilö 6", "loppu"]


def test_it_flags_duplicates_and_lets_the_user_decide(world: World, unit: DeliveryUnit) -> None:
    existing = make_participant(world.org, name="Testi Henkilö 1", birth_year=1990, identity_code="131052-308T")
    client = signed_in(world.coordinator)
    page = upload(
        client,
        unit.programme,
        "tuplat.csv",
        csv_file(
            "testi henkilö 1;1990;;;;;outreach;1.9.2019;;;",
            "Testi Henkilö 3;1970;131052-308T;;;;outreach;1.9.2019;;;",
            "Testi Henkilö 4;1971;;;;;outreach;1.9.2019;;;",
        ),
    )
    assert "Possible duplicates" in page
    assert existing.code in page
    assert Participant.objects.count() == 1  # nothing saved yet
    assert AccessLog.objects.filter(action="search", purpose="import", participant=existing).count() == 2
    response = client.post(reverse("recruitment:import_confirm"), {"row-2": "existing", "row-3": "skip"})
    assert response.status_code == 302
    assert Participant.objects.count() == 2  # row 4 added, row 2 matched, row 3 left out
    assert existing.enrolments.count() == 1
    # The file waited in the session encrypted, and is gone now.
    assert client.post(reverse("recruitment:import_confirm")).status_code == 302
    assert Participant.objects.count() == 2


def test_it_offers_templates_with_the_expected_columns(world: World) -> None:
    client = signed_in(world.coordinator)
    csv_text = client.get(reverse("recruitment:import_template_csv")).content.decode()
    assert csv_text.splitlines()[0].split(",") == COLUMNS
    assert "Maija Malli" in csv_text  # the example row
    response = client.get(reverse("recruitment:import_template_xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]] == COLUMNS


def test_it_keeps_imports_to_coordinators(world: World, unit: DeliveryUnit) -> None:
    for user in (world.evaluator, world.facilitator, world.owner):
        assert signed_in(user).get(reverse("recruitment:import")).status_code == 403
