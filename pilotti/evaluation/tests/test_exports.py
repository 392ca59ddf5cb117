"""The person-level data exports: files, labels, consent, privacy, access and the access log."""

import csv
import io
import re
import tempfile
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import pyreadstat
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook  # type: ignore[import-untyped]

from conftest import PASSWORD, World, reauthenticated, signed_in
from pilotti.audit.models import AccessLog, Action, Category, Purpose
from pilotti.evaluation import exports
from pilotti.evaluation.models import GeneratedFile
from pilotti.evaluation.selectors import Filters
from pilotti.evaluation.tests.downloads import Fetched, fetch
from pilotti.organisations.viewer import Viewer
from pilotti.people.models import Consent
from pilotti.people.services import consent_withdraw
from tests.factories import (
    START,
    Pilot,
    answer_version,
    build,
    enrol,
    library_file,
    make_participant,
    people_consent,
    pilot_instrument,
    who5_answers,
)

SECRET_NAME = "Zyxwarth Quillonen"
SECRET_EMAIL = "zyxwarth@salainen.example"
SECRET_PHONE = "+358401234987"
FORMATS = ["csv", "xlsx", "sav", "dta", "codebook"]
EVERY_FORMAT = ["csv", "csv-fi", "xlsx", "sav", "dta", "codebook"]


def pilot_with_survey(world: World, people: int = 4) -> tuple[Pilot, dict[str, Any]]:
    """The small pilot, plus a final survey (single and multiple choice, free text) answered by a
    person with distinctive contact details, and a person who withdrew consent before answering."""
    pilot = build(world, people=people)
    survey = pilot_instrument(world, "pilotti-final-survey", f"final-{pilot.programme.slug}")
    secret = make_participant(world.org, name=SECRET_NAME, email=SECRET_EMAIL, phone=SECRET_PHONE)
    enrol(secret, pilot.unit, stage="started", on=START - timedelta(days=7))
    people_consent(secret, START - timedelta(days=7))
    answer_version(world, pilot.who5, secret, who5_answers(4), START + timedelta(days=1))
    answer_version(
        world,
        survey,
        secret,
        {"benefit": 4, "drew_in": [1, 3], "comments": "=HYPERLINK(1) Hyvä ryhmä"},
        START + timedelta(days=61),
    )
    withdrawn = make_participant(world.org, name="Peruttu Henkilö", email="peruttu@example.fi")
    enrol(withdrawn, pilot.unit, stage="started", on=START - timedelta(days=7))
    people_consent(withdrawn, START - timedelta(days=7))
    consent = Consent.objects.get(participant=withdrawn)
    consent_withdraw(actor=world.owner, consent=consent, on=START - timedelta(days=5))
    answer_version(world, pilot.who5, withdrawn, who5_answers(1), START + timedelta(days=2))
    return pilot, {"secret": secret, "withdrawn": withdrawn, "survey": survey}


def download(client: Client, pilot: Pilot, format: str, **query: str) -> Fetched:
    url = reverse("evaluation:programme_export", args=[pilot.programme.slug, format])
    return fetch(client, url, query, method="post")


def read_back(content: bytes, suffix: str) -> tuple[Any, Any]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"file{suffix}"
        path.write_bytes(content)
        reader = pyreadstat.read_sav if suffix == ".sav" else pyreadstat.read_dta
        return reader(str(path))


def csv_rows(content: bytes) -> list[dict[str, str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # the byte-order mark
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


@pytest.mark.parametrize("suffix", [".sav", ".dta"])
def test_it_writes_statistics_files_with_variable_and_value_labels(world: World, suffix: str) -> None:
    pilot, who = pilot_with_survey(world)
    content = download(reauthenticated(world.evaluator), pilot, suffix[1:]).content
    frame, meta = read_back(content, suffix)
    survey_key = f"final-{pilot.programme.slug}"
    benefit = exports.variable_name(f"{survey_key} v1 benefit", set())
    labels = dict(zip(meta.column_names, meta.column_labels, strict=True))
    assert labels["participant_code"] == "Pseudonymous participant code"
    # The requester's language (the suite's English here); Swedish and Finnish:
    # test_its_labels_follow_the_requesters_language_and_its_names_do_not.
    assert labels[benefit].startswith("How much")
    value_labels = meta.variable_value_labels
    assert value_labels[benefit][1] == "Not at all"
    who5_q1 = exports.variable_name(f"who5-{pilot.programme.slug} v1 q1", set())
    assert value_labels[who5_q1][5] == "All of the time"  # WHO-5 has English only
    assert labels[who5_q1] == "I have felt cheerful and in good spirits"
    rating = exports.variable_name(f"rating-{pilot.programme.slug} v1 rating", set())
    # Too long as it was: the instrument's key is cut, the version and item stay whole, no hash.
    assert rating == "rating_paivatoimin_v1_rating"
    assert value_labels[rating] == {1: "Very poor", 10: "Excellent"}
    drew_in = [name for name in meta.column_names if "drew_in" in name]
    assert len(drew_in) == 6
    assert value_labels[drew_in[0]] == {0: "not chosen", 1: "chosen"}
    row = frame[frame["participant_code"] == who["secret"].code]
    survey_row = row[row["instrument"] == survey_key].iloc[0]
    assert survey_row[benefit] == 4
    assert [survey_row[name] for name in drew_in[:3]] == [1, 0, 1]
    assert all(len(name) <= 28 and name.isascii() for name in meta.column_names)


def test_it_writes_the_long_csv_and_the_codebook(world: World) -> None:
    pilot, who = pilot_with_survey(world)
    client = reauthenticated(world.evaluator)
    response = download(client, pilot, "csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = csv_rows(response.content)
    assert list(rows[0]) == exports.LONG_COLUMNS
    chosen = [r for r in rows if r["participant_code"] == who["secret"].code and r["item"] == "drew_in"]
    assert [r["value"] for r in chosen] == ["1", "3"]
    assert chosen[0]["value_label"] == "Getting out of home"
    comment = next(r for r in rows if r["item"] == "comments")
    assert comment["text"] == "'=HYPERLINK(1) Hyvä ryhmä"  # not run as a formula by a spreadsheet
    anonymous = [r for r in rows if r["mode"] == "client_panel"]
    assert anonymous
    assert all(r["participant_code"] == "" for r in anonymous)
    codebook = csv_rows(download(client, pilot, "codebook").content)
    assert list(codebook[0]) == exports.CODEBOOK_COLUMNS
    benefit = next(r for r in codebook if r["source"].endswith("v1 benefit"))
    assert benefit["values"].startswith("1 = Not at all; 2 = ")
    assert benefit["instrument"] == f"final-{pilot.programme.slug}"
    assert benefit["version"] == "1"
    who5 = next(r for r in codebook if r["source"].endswith("v1 q1"))
    assert who5["scoring"]


def test_it_writes_a_workbook_with_a_sheet_per_table(world: World) -> None:
    pilot, _who = pilot_with_survey(world)
    content = download(reauthenticated(world.evaluator), pilot, "xlsx").content
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["responses", "answers", "attendance", "funnel", "codebook"]
    header = [cell.value for cell in book["responses"][1]]
    assert header[:10] == [v.name for v in exports._fixed_variables()]
    assert [cell.value for cell in book["answers"][1]] == exports.LONG_COLUMNS
    assert [cell.value for cell in book["codebook"][1]] == exports.CODEBOOK_COLUMNS
    codebook_names = [row[0].value for row in book["codebook"].iter_rows(min_row=2)]
    assert codebook_names == header
    texts = [cell.value for row in book["answers"].iter_rows(min_row=2) for cell in row]
    assert "=HYPERLINK(1) Hyvä ryhmä" in texts
    assert all(cell.data_type != "f" for row in book["answers"].iter_rows() for cell in row)


@pytest.mark.parametrize("format", FORMATS)
def test_no_export_holds_contact_details(world: World, format: str) -> None:
    pilot, who = pilot_with_survey(world)
    content = download(reauthenticated(world.evaluator), pilot, format).content
    parts = [content]
    if format == "xlsx":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            parts = [archive.read(name) for name in archive.namelist()]
    for part in parts:
        for secret in (SECRET_NAME, SECRET_EMAIL, SECRET_PHONE, "Peruttu", "Henkilö"):
            assert secret.encode() not in part
            assert secret.encode("utf-16-le") not in part
    if format != "codebook":
        assert any(who["secret"].code.encode() in part for part in parts)


@pytest.mark.parametrize("format", ["csv", "sav"])
def test_it_leaves_out_answers_without_consent(world: World, format: str) -> None:
    pilot, who = pilot_with_survey(world)
    content = download(reauthenticated(world.evaluator), pilot, format).content
    codes = (
        {r["participant_code"] for r in csv_rows(content)}
        if format == "csv"
        else set(read_back(content, ".sav")[0]["participant_code"])
    )
    assert who["secret"].code in codes
    assert who["withdrawn"].code not in codes
    assert {p.code for p in pilot.people} <= codes


def test_it_logs_an_entry_per_person_exported(world: World) -> None:
    pilot, who = pilot_with_survey(world)
    download(reauthenticated(world.evaluator), pilot, "dta")
    entries = AccessLog.objects.filter(user=world.evaluator, action=Action.EXPORT)
    assert {e.participant_code for e in entries} == {p.code for p in pilot.people} | {who["secret"].code}
    assert entries.count() == len(pilot.people) + 1
    entry = entries.first()
    assert entry is not None
    assert entry.category == Category.ANSWERS
    assert entry.purpose == Purpose.EVALUATION
    assert entry.item.startswith(f"dta export: {pilot.programme.slug}")
    assert entry.role == "evaluator"


def test_it_filters_by_period_and_unit_like_the_report(world: World) -> None:
    pilot, _who = pilot_with_survey(world)
    client = reauthenticated(world.coordinator)
    rows = csv_rows(download(client, pilot, "csv", since=str(START + timedelta(days=60))).content)
    assert rows
    assert all(r["answered_on"] >= str(START + timedelta(days=60)) for r in rows)
    url = reverse("evaluation:unit_export", args=[pilot.unit.uuid, "csv"])
    assert csv_rows(fetch(client, url, method="post").content)
    assert download(client, pilot, "csv", since="2023-01-01", until="2022-01-01").status_code == 400


def test_the_codebook_logs_nobody(world: World) -> None:
    pilot, _who = pilot_with_survey(world)
    assert download(reauthenticated(world.evaluator), pilot, "codebook").status_code == 200
    assert not AccessLog.objects.filter(action=Action.EXPORT).exists()


def test_it_checks_ownership_before_asking_for_reauthentication(world: World) -> None:
    pilot, _who = pilot_with_survey(world)
    client = reauthenticated(world.outsider)
    assert download(client, pilot, "sav").status_code == 404
    assert download(signed_in(world.outsider), pilot, "sav").status_code == 404
    url = reverse("evaluation:unit_export", args=[pilot.unit.uuid, "sav"])
    assert client.get(url).status_code == 404  # not 405: the method tells an outsider nothing either
    assert client.post(url).status_code == 404
    assert not AccessLog.objects.filter(action=Action.EXPORT).exists()


def test_a_facilitator_cannot_export(world: World) -> None:
    pilot = build(world, people=3, facilitator=world.facilitator)
    client = reauthenticated(world.facilitator)
    assert client.get(reverse("evaluation:unit_report", args=[pilot.unit.uuid])).status_code == 200
    assert client.get(reverse("evaluation:unit_export", args=[pilot.unit.uuid, "csv"])).status_code == 404
    assert client.post(reverse("evaluation:unit_export", args=[pilot.unit.uuid, "csv"])).status_code == 404
    assert download(client, pilot, "csv").status_code == 404


def test_it_asks_for_reauthentication_and_returns_to_the_export_buttons(world: World) -> None:
    """After the password, back to the report's buttons with the same filters, not to the
    export's address: the browser would go there with a GET, which makes nothing."""
    pilot, _who = pilot_with_survey(world)
    client = signed_in(world.evaluator)
    response = download(client, pilot, "sav", since="2022-09-01", view="internal")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/?next=")
    assert not GeneratedFile.objects.exists()
    prompt = client.get(response["Location"]).content.decode()
    assert "To export, confirm your password. You then return to the report to choose the file again." in prompt
    confirmed = client.post(response["Location"], {"password": PASSWORD})
    report = reverse("evaluation:programme_report", args=[pilot.programme.slug])
    assert confirmed["Location"] == f"{report}?since=2022-09-01&view=internal#exports-heading"
    page = client.get(confirmed["Location"]).content.decode()
    export = reverse("evaluation:programme_export", args=[pilot.programme.slug, "sav"])
    assert f'<form method="post" action="{export}?since=2022-09-01&amp;view=internal">' in page
    assert not GeneratedFile.objects.exists()
    assert download(client, pilot, "sav", since="2022-09-01", view="internal").content.startswith(b"$FL2")
    assert AccessLog.objects.filter(action=Action.EXPORT).exists()


def export_urls(pilot: Pilot, format: str) -> list[str]:
    return [
        reverse("evaluation:programme_export", args=[pilot.programme.slug, format]),
        reverse("evaluation:unit_export", args=[pilot.unit.uuid, format]),
    ]


@pytest.mark.parametrize("format", EVERY_FORMAT)
def test_another_sites_link_or_image_starts_no_export(world: World, format: str) -> None:
    """SameSite=Lax sends the session with another site's top-level link, and an <img> tries the
    address too. While the exports answered a GET, within five minutes of the password such a
    request made a file in the user's name, and the browser, following to the download, wrote an
    access-log row for everyone in it. Now a GET, after the access check, is told to use POST."""
    pilot = build(world, people=2)
    client = reauthenticated(world.evaluator)  # recently re-authenticated: no prompt stands in the way
    for url in export_urls(pilot, format):
        link = client.get(url, {"since": "2022-09-01"}, headers={"Sec-Fetch-Site": "cross-site"}, follow=True)
        image = client.get(url, headers={"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Dest": "image"}, follow=True)
        assert (link.status_code, image.status_code) == (405, 405), url
        assert link["Allow"] == "POST"
    assert not GeneratedFile.objects.exists()
    assert not AccessLog.objects.filter(action=Action.EXPORT).exists()


def test_another_sites_form_without_the_token_starts_no_export_and_pilottis_own_button_does(world: World) -> None:
    pilot = build(world, people=2)
    browser = reauthenticated(world.evaluator)
    forged = Client(enforce_csrf_checks=True, headers={"Sec-Fetch-Site": "cross-site"})
    forged.cookies = browser.cookies  # the same browser's session, sent by a form without Pilotti's token
    for format in EVERY_FORMAT:
        for url in export_urls(pilot, format):
            assert forged.post(url).status_code == 403, url
    assert not GeneratedFile.objects.exists()
    # Pilotti's own button: the report page's form carries the token.
    own = Client(enforce_csrf_checks=True, headers={"Sec-Fetch-Site": "same-origin"})
    own.cookies = browser.cookies
    page = own.get(reverse("evaluation:unit_report", args=[pilot.unit.uuid])).content.decode()
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert match is not None
    url = reverse("evaluation:unit_export", args=[pilot.unit.uuid, "dta"])
    response = own.post(url, {"csrfmiddlewaretoken": match[1]}, follow=True)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"<stata_dta>")  # type: ignore[attr-defined]
    assert GeneratedFile.objects.get().format == "dta"
    assert AccessLog.objects.filter(action=Action.EXPORT).count() == len(pilot.people)


def test_it_limits_exports_per_hour(world: World) -> None:
    pilot = build(world, people=2)
    client = reauthenticated(world.evaluator)
    for _n in range(20):
        assert download(client, pilot, "codebook").status_code == 200
    assert download(client, pilot, "codebook").status_code == 429


def test_it_reads_in_a_constant_number_of_queries(world: World) -> None:
    small = build(world, people=2, meetings=2, name="Pieni")
    large, _who = pilot_with_survey(world, people=8)
    counts = []
    for pilot in (small, large):
        with CaptureQueriesContext(connection) as queries:
            data = exports.data_set(Viewer.everywhere(world.evaluator), pilot.programme, Filters())
            exports.as_sav(data)
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 9
    assert len(data.participants) == 9


def test_it_maps_names_deterministically_within_the_limits() -> None:
    taken: set[str] = set()
    names = [exports.variable_name(source, taken) for source in ("Ääni v1 q1", "2nd v1 q1", "x" * 40, "x" * 40)]
    assert names[:2] == ["aani_v1_q1", "v_2nd_v1_q1"]
    assert len(set(names)) == 4
    assert all(len(name) <= exports.MAX_NAME and name.isascii() for name in names)
    assert exports.variable_name("x" * 40, set()) == names[2]


def test_the_internal_report_has_a_button_for_each_export(world: World) -> None:
    pilot = build(world, people=2)
    url = reverse("evaluation:programme_report", args=[pilot.programme.slug])
    client = signed_in(world.evaluator)
    page = client.get(url).content.decode()
    for format in EVERY_FORMAT:
        export = reverse("evaluation:programme_export", args=[pilot.programme.slug, format])
        assert f'<form method="post" action="{export}">' in page
        assert f'href="{export}' not in page
    assert 'class="button button--secondary">SPSS (.sav), one row per response</button>' in page
    assert "Data exports" not in client.get(url, {"view": "shared"}).content.decode()


def test_its_labels_follow_the_requesters_language_and_its_names_do_not(world: World) -> None:
    """A Swedish-speaking evaluator's file is labelled in Swedish where the questionnaire has
    Swedish wording; a syntax file written against the Finnish export's names still runs."""
    pilot, _ = pilot_with_survey(world)
    viewer = Viewer.everywhere(world.evaluator)
    files = {}
    for language in ("fi", "sv"):
        with translation.override(language):
            files[language] = exports.data_set(viewer, pilot.programme, Filters())
    names = {language: [v.name for v in data.variables] for language, data in files.items()}
    assert names["fi"] == names["sv"]
    labels = {language: {v.name: v for v in data.variables} for language, data in files.items()}
    library = library_file("pilotti-final-survey")
    drew_in = next(item for item in library["items"] if item["key"] == "drew_in")
    chosen = [name for name, v in labels["sv"].items() if v.source.endswith("drew_in = 1")]
    assert chosen, "the multiple-choice item's first option column"
    swedish, finnish = labels["sv"][chosen[0]], labels["fi"][chosen[0]]
    assert swedish.label.startswith(drew_in["text"]["sv"])
    assert finnish.label.startswith(drew_in["text"]["fi"])
    assert swedish.values == {0: "inte vald", 1: "vald"}
    assert finnish.values == {0: "ei valittu", 1: "valittu"}
