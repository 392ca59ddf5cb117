"""The model description: Innokylä's sections filled from the programme and its shared report,
read back from the DOCX with python-docx, as Markdown, and in the requester's language."""

import io
from typing import Any

import docx
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from conftest import World, signed_in
from pilotti.evaluation import services
from pilotti.evaluation.selectors import Filters
from pilotti.evaluation.summary import summarise
from pilotti.handbook.models import Kind
from pilotti.handbook.services import FileFields, handbook_file_add
from pilotti.organisations.viewer import Viewer
from pilotti.portfolio.tests.conftest import Model
from pilotti.programmes.models import Programme

PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
SECTIONS_EN = [
    "Basic information",
    "The basic idea",
    "Operating environment",
    "Conditions for it to work and to be adopted",
    "Development path",
    "Evaluation",
]
SECTIONS_FI = [
    "Perustiedot",
    "Ratkaisun perusidea",
    "Toimintaympäristö",
    "Toimivuuden ja käyttöönoton ehdot",
    "Kehittämisen polku",
    "Arviointi",
]


@pytest.fixture
def described(world: World, model: Model) -> Model:
    Programme.objects.filter(pk=model.programme.pk).update(
        description="Perheterapeuttinen tuki pakolaistaustaisille perheille.\n\nTyövälineistö ja opas.",
        target_groups="Pakolaistaustaiset perheet",
        measurement_plan="WHO-5 alussa ja lopussa.",
    )
    handbook_file_add(
        actor=world.owner,
        programme=model.programme,
        fields=FileFields("Työntekijän opas", Kind.WORKER_GUIDE, "fi"),
        upload=SimpleUploadedFile("opas.pdf", PDF),
    )
    return model


def _client(user: Any, language: str) -> Client:
    client = signed_in(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _docx(client: Client, model: Model) -> Any:
    response = client.get(reverse("portfolio:model_description_docx", args=[model.programme.slug]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    return docx.Document(io.BytesIO(response.content))


def _text(document: Any) -> str:
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_the_docx_reads_back_with_innokylas_sections_and_the_programmes_facts(world: World, described: Model) -> None:
    document = _docx(_client(world.owner, "en"), described)
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == SECTIONS_EN
    text = _text(document)
    assert "In Innokylä: Perustiedot" in text
    assert "Pakolaistaustaiset perheet" in text  # target groups
    assert "Perheterapeuttinen tuki pakolaistaustaisille perheille." in text  # the description's paragraphs
    assert "Raskausaika" in text  # the curriculum
    assert "Public health nurse" in text or "public health nurse" in text  # the roles
    assert "4–6" in text  # meetings in the session plan
    assert "Työntekijän opas (worker's guide, Finnish, version 1)" in text  # the handbook
    assert "Delta ry (adopted the model on" in text  # the adopters
    assert "WHO-5 alussa ja lopussa." in text  # the measurement plan
    # The evaluation is the shared report's summary for the same viewer, sentence by sentence.
    report = services.report_build(
        viewer=Viewer.everywhere(world.owner), programme=described.programme, filters=Filters(), shared=True
    )
    with translation.override("en"):
        summary = summarise(report)
    assert "WHO-5" in " ".join(s for p in summary.paragraphs for s in p.sentences)
    for paragraph in summary.paragraphs:
        assert paragraph.heading in text
        assert " ".join(paragraph.sentences) in text
    to_write = [p.text for p in document.paragraphs if p.text.startswith("To write: ")]
    assert "To write: How the model was developed, and with whom" in to_write
    assert document.core_properties.title == f"Model description: {described.programme.name}"


def test_it_is_written_in_the_requesters_language(world: World, described: Model) -> None:
    finnish = _docx(_client(world.owner, "fi"), described)
    assert [p.text for p in finnish.paragraphs if p.style.name == "Heading 1"] == SECTIONS_FI
    assert any(p.text.startswith("Kirjoita itse: ") for p in finnish.paragraphs)
    swedish = _docx(_client(world.owner, "sv"), described)
    assert next(p.text for p in swedish.paragraphs if p.style.name == "Heading 1") == "Grunduppgifter"
    assert "I Innokylä: Perustiedot" in _text(swedish)


def test_an_adopters_description_withholds_its_small_counts(described: Model) -> None:
    # Delta's report covers its own three people: below the threshold, never written as a number.
    text = _text(_docx(_client(described.adopter_admin, "en"), described))
    assert "3 people started" not in text
    assert "withheld" in text


def test_the_markdown_has_the_sections_and_escapes_what_markdown_would_read(world: World, described: Model) -> None:
    Programme.objects.filter(pk=described.programme.pk).update(target_groups="Perheet *ja* [lapset]")
    response = _client(world.owner, "en").get(
        reverse("portfolio:model_description_markdown", args=[described.programme.slug])
    )
    text = response.content.decode()
    assert response["Content-Type"].startswith("text/markdown")
    assert [line[3:] for line in text.splitlines() if line.startswith("## ")] == SECTIONS_EN
    assert r"Perheet \*ja\* \[lapset\]" in text
    assert "### To write: Contact person and how to reach them" in text


def test_the_page_shows_the_sections_to_copy_from(world: World, described: Model) -> None:
    page = _client(world.owner, "fi").get(reverse("portfolio:model_description", args=[described.programme.slug]))
    html = page.content.decode()
    for heading in SECTIONS_FI:
        assert f">{heading}</h2>" in html
    assert "kirjoita itse</span> Miten ja kenen kanssa malli kehitettiin" in html


def test_outsiders_get_404(world: World, described: Model) -> None:
    for name in ("model_description", "model_description_markdown", "model_description_docx"):
        url = reverse(f"portfolio:{name}", args=[described.programme.slug])
        assert signed_in(world.outsider).get(url).status_code == 404
