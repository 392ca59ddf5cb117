"""The report page, its PDF and the command: who sees which view."""

import json
import re
import zlib
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.urls import reverse

from conftest import World, signed_in
from pilotti.evaluation.tests.downloads import fetch
from pilotti.evaluation.tests.helpers import build


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
    response = fetch(signed_in(world.evaluator), reverse("evaluation:unit_report_pdf", args=[pilot.unit.uuid]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert pdf_pages(response.content) >= 1


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
    assert out.getvalue().startswith("view,table,row,column,value")
    target = tmp_path / "report.xlsx"
    call_command("report", pilot.programme.slug, "--format", "xlsx", "--out", str(target))
    assert target.read_bytes().startswith(b"PK")
    pdf = tmp_path / "report.pdf"
    call_command("report", pilot.programme.slug, "--format", "pdf", "--out", str(pdf), "--shared")
    assert pdf.read_bytes().startswith(b"%PDF")
