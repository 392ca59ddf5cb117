"""An organisation's portfolio: its programmes with their figures, small counts withheld, only what
the viewer may see; the PDF tagged, in the requester's language, with no table cut off."""

import re
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from conftest import World, signed_in
from pilotti.evaluation.tests.layout import table_overflows
from pilotti.evaluation.tests.test_pdf import catalog_language
from pilotti.organisations.viewer import Viewer
from pilotti.portfolio import overview, pdf, views
from pilotti.portfolio.tests.conftest import Model
from pilotti.programmes.selectors import programmes_run_by
from tests.factories import make_programme


def _lines(viewer: Any, organisation: Any) -> dict[str, overview.Line]:
    table = overview.portfolio(organisation, programmes_run_by(Viewer.everywhere(viewer), organisation.pk))
    return {line.programme.name: line for line in table.lines}


def test_it_lists_the_programmes_with_their_units_people_and_latest_figures(world: World, model: Model) -> None:
    make_programme(world.org, name="Valoa arkeen")
    lines = _lines(world.owner, world.org)
    assert list(lines) == ["Perhepolku", "Valoa arkeen"]
    line = lines["Perhepolku"]
    assert (line.relation, line.units, line.target) == ("owner", 1, 20)
    assert line.started == 6
    # Five of the six completed: the one who did not is a small number, so "completed" is withheld.
    assert line.completed == "suppressed"
    assert line.attendance_rate == pytest.approx(17 / 22)
    assert line.last_held == model.pilot.meetings[-1].starts_at.date()
    assert (lines["Valoa arkeen"].units, lines["Valoa arkeen"].started, lines["Valoa arkeen"].last_held) == (0, 0, None)


def test_an_adopters_portfolio_shows_its_own_units_with_small_counts_withheld(model: Model) -> None:
    line = _lines(model.adopter_admin, model.adopter)["Perhepolku"]
    assert (line.relation, line.units) == ("adopter", 1)
    assert (line.started, line.completed, line.attendance_rate) == ("suppressed",) * 3


def test_it_shows_only_what_the_viewer_may_see(world: World, model: Model) -> None:
    make_programme(world.other_org, name="Toisen ohjelma")
    page = signed_in(world.owner).get(reverse("portfolio:portfolio", args=[world.org.uuid])).content.decode()
    assert "Perhepolku" in page
    assert "Toisen ohjelma" not in page
    # The owner's portfolio counts its own units only: Delta's three people are not among its six.
    assert re.search(r'data-key="started">6\b', page)
    strangers = ((world.outsider, world.org), (model.adopter_admin, world.org), (world.owner, model.adopter))
    for user, organisation in strangers:
        assert signed_in(user).get(reverse("portfolio:portfolio", args=[organisation.uuid])).status_code == 404
        assert signed_in(user).post(reverse("portfolio:portfolio_pdf", args=[organisation.uuid])).status_code == 404
    assert signed_in(world.facilitator).get(reverse("portfolio:portfolio", args=[world.org.uuid])).status_code == 404


def test_the_page_runs_a_constant_number_of_queries(
    world: World, model: Model, django_assert_max_num_queries: Any
) -> None:
    client = signed_in(world.owner)
    url = reverse("portfolio:portfolio", args=[world.org.uuid])
    client.get(url)
    with django_assert_max_num_queries(20):
        client.get(url)
    for n in range(3):
        make_programme(world.org, name=f"Lisäohjelma {n}")
    with django_assert_max_num_queries(20):
        client.get(url)


def test_the_pdf_is_tagged_in_finnish_and_no_table_is_cut_off(world: World, model: Model, tmp_path: Path) -> None:
    for n in range(12):
        make_programme(world.org, name=f"Pitkänimisen ohjelman kokeilu numero {n} Pohjois-Pohjanmaalla")
    table = overview.portfolio(world.org, programmes_run_by(Viewer.everywhere(world.owner), world.org.pk))
    made = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
    with translation.override("fi"):
        assert table_overflows(pdf.document(table, today=made).render()) == []
        content = pdf.render_pdf(table, today=made)
    assert catalog_language(content) == "fi"
    if shutil.which("pdfinfo") is None:
        pytest.skip("pdfinfo (poppler-utils) is not installed")
    path = tmp_path / "portfolio.pdf"
    path.write_bytes(content)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.MULTILINE)
    assert re.search(rf"^Title:\s+Toimintamallisalkku: {world.org.name}$", info, re.MULTILINE)


def test_the_pdf_is_a_post_download(world: World, model: Model) -> None:
    client = signed_in(world.owner)
    url = reverse("portfolio:portfolio_pdf", args=[world.org.uuid])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_pdf_is_limited_per_person_and_hour(world: World, model: Model, monkeypatch: Any) -> None:
    monkeypatch.setattr(views, "PDFS_PER_HOUR", 1)
    client = signed_in(world.owner)
    url = reverse("portfolio:portfolio_pdf", args=[world.org.uuid])
    assert client.post(url).status_code == 200
    assert client.post(url).status_code == 429
