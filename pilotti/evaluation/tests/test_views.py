"""The report page, its PDF and the command: who sees which view."""

import json
import re
import zlib
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from conftest import World, signed_in
from pilotti.evaluation import charts, selectors
from pilotti.evaluation.models import GeneratedFile
from pilotti.evaluation.tests.downloads import fetch
from pilotti.organisations.viewer import Viewer
from tests.factories import build


def pdf_pages(content: bytes) -> int:
    """The page count of WeasyPrint's PDF, whose objects sit in compressed object streams."""
    texts = [content]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", content, re.DOTALL):
        try:
            texts.append(zlib.decompress(stream))
        except zlib.error:
            continue
    counts = [int(n) for text in texts for n in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", text)]
    counts += [int(n) for text in texts for n in re.findall(rb"/Count\s+(\d+)[^>]*?/Type\s*/Pages\b", text)]
    return max(counts, default=0)


def test_it_shows_the_internal_report_to_an_evaluator(world: World) -> None:
    pilot = build(world, people=5)
    response = signed_in(world.evaluator).get(reverse("evaluation:programme_report", args=[pilot.programme.slug]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Internal view." in page
    assert 'role="img"' in page
    assert "<title" in page
    assert "style=" not in page
    assert "Muutti pois." in page  # reasons for leaving: internal only


def test_it_shows_the_shared_view_when_asked(world: World) -> None:
    pilot = build(world, people=5)
    url = reverse("evaluation:programme_report", args=[pilot.programme.slug])
    page = signed_in(world.evaluator).get(url, {"view": "shared"}).content.decode()
    assert "Shared view." in page
    assert "Muutti pois." not in page


def test_a_facilitator_gets_the_shared_view_of_their_own_unit(world: World) -> None:
    pilot = build(world, people=5, facilitator=world.facilitator)
    client = signed_in(world.facilitator)
    page = client.get(reverse("evaluation:unit_report", args=[pilot.unit.uuid]), {"view": "internal"})
    assert page.status_code == 200
    assert "Shared view." in page.content.decode()
    other = build(world, people=5, name="Muiden")
    assert client.get(reverse("evaluation:programme_report", args=[other.programme.slug])).status_code == 404
    assert client.get(reverse("evaluation:unit_report", args=[other.unit.uuid])).status_code == 404


def test_it_checks_ownership(world: World) -> None:
    pilot = build(world, people=5)
    client = signed_in(world.outsider)
    for name, argument in (
        ("evaluation:programme_report", pilot.programme.slug),
        ("evaluation:programme_report_pdf", pilot.programme.slug),
        ("evaluation:unit_report", pilot.unit.uuid),
        ("evaluation:unit_report_pdf", pilot.unit.uuid),
    ):
        assert client.get(reverse(name, args=[argument])).status_code == 404


def test_it_downloads_the_pdf(world: World) -> None:
    pilot = build(world, people=5)
    url = reverse("evaluation:unit_report_pdf", args=[pilot.unit.uuid])
    response = fetch(signed_in(world.evaluator), url, method="post")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert pdf_pages(response.content) >= 1


def test_it_makes_no_pdf_for_a_get_such_as_another_sites_link(world: World) -> None:
    pilot = build(world, people=2)
    client = signed_in(world.evaluator)
    url = reverse("evaluation:programme_report_pdf", args=[pilot.programme.slug])
    assert client.get(url, headers={"Sec-Fetch-Site": "cross-site"}).status_code == 405
    assert not GeneratedFile.objects.exists()
    page = client.get(reverse("evaluation:programme_report", args=[pilot.programme.slug])).content.decode()
    assert f'<form method="post" action="{url}">' in page


def test_it_rejects_a_period_that_ends_before_it_starts(world: World) -> None:
    pilot = build(world, people=5)
    url = reverse("evaluation:programme_report", args=[pilot.programme.slug])
    response = signed_in(world.evaluator).get(url, {"since": "2022-10-01", "until": "2022-09-01"})
    assert response.status_code == 400


def test_the_command_writes_json_with_every_figure_named(world: World, tmp_path: Path) -> None:
    pilot = build(world, people=6)
    out = StringIO()
    call_command("report", pilot.programme.slug, stdout=out)
    report = json.loads(out.getvalue())
    assert report["view"] == "internal"
    assert set(report) >= {
        "programme",
        "filters",
        "recruitment",
        "attendance",
        "feedback",
        "before_after",
        "comparison",
    }
    out = StringIO()
    call_command("report", pilot.programme.slug, "--shared", stdout=out)
    assert json.loads(out.getvalue())["view"] == "shared"
    out = StringIO()
    call_command("report", pilot.programme.slug, "--format", "csv", stdout=out)
    assert out.getvalue().startswith("\ufeffview,table,row,column,value")  # Excel needs the byte-order mark
    target = tmp_path / "report.xlsx"
    call_command("report", pilot.programme.slug, "--format", "xlsx", "--out", str(target))
    assert target.read_bytes().startswith(b"PK")
    pdf = tmp_path / "report.pdf"
    call_command("report", pilot.programme.slug, "--format", "pdf", "--out", str(pdf), "--shared")
    assert pdf.read_bytes().startswith(b"%PDF")


def test_a_large_programme_is_summarised_on_the_page_and_listed_in_the_downloads(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The limits of a national programme, scaled down to a pilot of five people and four meetings.
    monkeypatch.setattr(charts, "MEETING_ROWS", 2)
    monkeypatch.setattr(charts, "PARTICIPANT_ROWS", 3)
    monkeypatch.setattr(charts, "UNIT_ROWS", 0)
    pilot = build(world, people=5)
    page = signed_in(world.evaluator).get(reverse("evaluation:programme_report", args=[pilot.programme.slug]))
    text = page.content.decode()
    assert "Attendance by meeting number" in text
    assert "4 meetings held: too many to list one by one here" in text
    assert "Attendance of 5 participants: too many to list here" in text
    assert "1 unit: too many to list one by one here" in text
    assert not any(person.code in text for person in pilot.people)
    report = selectors.report(Viewer.everywhere(world.evaluator), pilot.programme)
    bands = report["attendance"]["rate_bands"]
    assert sum(band["n"] for band in bands) == report["attendance"]["summary"]["starters"] == 5
    first = report["attendance"]["by_number"][0]
    assert (first["number"], first["meetings"], first["present"]) == (
        1,
        1,
        report["attendance"]["meetings"][0]["present"],
    )
    out = StringIO()
    call_command("report", pilot.programme.slug, format="csv", stdout=out)
    assert all(person.code in out.getvalue() for person in pilot.people)


def test_the_page_shows_the_newest_written_answers_of_many(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(charts, "TEXT_ROWS", 2)
    answers = [{"text": f"vastaus {n}", "date": "2026-01-0{n}", "unit": ""} for n in range(1, 6)]
    item = {"key": "q", "type": "free_text", "label": "Mitä?", "n": 5, "answers": answers}
    report = {
        "attendance": {"meetings": [], "participants": [], "by_number": []},
        "comparison": {"units": []},
        "recruitment": {"flow": []},
        "feedback": [{"items": [item]}],
        "before_after": [],
    }
    shown = charts.with_charts(report)["feedback"][0]["items"][0]
    assert [a["text"] for a in shown["answers"]] == ["vastaus 4", "vastaus 5"]
    assert shown["answers_not_shown"] == 3
    assert len(item["answers"]) == 5  # the report itself keeps every answer
