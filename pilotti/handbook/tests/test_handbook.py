"""The handbook: files kept in every version, read by everyone running the programme, changed by
its owner's admins and coordinators; uploads judged by their bytes and served only as downloads."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import World, signed_in
from pilotti.handbook import demo
from pilotti.handbook.models import HandbookFile, HandbookVersion
from pilotti.handbook.tests.isolation import PDF
from pilotti.programmes.models import Adoption, Programme
from tests.factories import make_programme


def docx(*, macros: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
        if macros:
            archive.writestr("word/vbaProject.bin", b"\x00macro")
    return buffer.getvalue()


def downloaded(client: object, version: HandbookVersion) -> tuple[int, bytes]:
    response = client.get(reverse("handbook:download", args=[version.uuid]))  # type: ignore[attr-defined]
    return response.status_code, response.content if response.status_code == 200 else b""


def add(client: object, programme: Programme, name: str, content: bytes, **fields: str) -> object:
    data = {"title": "Työntekijän opas", "kind": "worker_guide", "language": "fi", "note": "", **fields}
    return client.post(  # type: ignore[attr-defined]
        reverse("handbook:file_add", args=[programme.slug]), {**data, "upload": SimpleUploadedFile(name, content)}
    )


def test_a_coordinator_adds_a_file_and_a_new_version_and_both_stay_downloadable(world: World) -> None:
    programme = make_programme(world.org)
    client = signed_in(world.coordinator)
    assert add(client, programme, "opas.pdf", PDF).status_code == 302
    file = HandbookFile.objects.get(programme=programme)
    response = client.post(
        reverse("handbook:version_add", args=[file.uuid]),
        {"upload": SimpleUploadedFile("opas-2.docx", docx()), "note": "Kasvokkain-menetelmän kortit lisätty"},
    )
    assert response.status_code == 302
    page = client.get(reverse("handbook:programme", args=[programme.slug])).content.decode()
    assert "Version 2" in page
    assert "Version 1" in page
    assert "Kasvokkain-menetelmän kortit lisätty" in page
    first, second = HandbookVersion.objects.filter(file=file).order_by("number")
    download = client.get(reverse("handbook:download", args=[first.uuid]))
    assert download.content == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in download["Content-Security-Policy"]
    assert second.content_type.endswith("wordprocessingml.document")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        # A web page named as a PDF would run its script if a browser ever rendered it.
        ("opas.pdf", b"<html><script>alert(1)</script></html>", "none of them"),
        ("opas.exe", b"MZ\x90\x00\x03", "none of them"),
        ("opas.docx", PDF, "Rename it to end in"),
        ("opas.docm", docx(macros=True), "macros"),
        ("opas.txt", b"\xff\xfe\x00t\x00e\x00k\x00s\x00t", "none of them"),
    ],
)
def test_it_refuses_what_is_not_a_document_saying_what_to_do_and_keeping_the_typed_fields(
    world: World, name: str, content: bytes, message: str
) -> None:
    programme = make_programme(world.org)
    response = add(signed_in(world.coordinator), programme, name, content, title="Menetelmäkortit")
    assert response.status_code == 400  # type: ignore[attr-defined]
    page = response.content.decode()  # type: ignore[attr-defined]
    assert message in page
    assert 'value="Menetelmäkortit"' in page
    assert not HandbookFile.objects.filter(programme=programme).exists()


def test_it_refuses_a_file_over_the_upload_limit(world: World, settings: pytest.FixtureRequest) -> None:
    settings.UPLOAD_MAX_BYTES = 100  # type: ignore[attr-defined]
    programme = make_programme(world.org)
    response = add(signed_in(world.coordinator), programme, "opas.pdf", PDF + b"0" * 200)
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "larger than" in response.content.decode()  # type: ignore[attr-defined]


def test_an_adopter_reads_the_handbook_but_cannot_change_it_and_an_outsider_gets_404(world: World) -> None:
    programme = make_programme(world.org)
    assert add(signed_in(world.coordinator), programme, "opas.pdf", PDF).status_code == 302
    version = HandbookVersion.objects.get(file__programme=programme)
    Adoption.objects.create(programme=programme, organisation=world.other_org)
    adopter = signed_in(world.outsider)  # an admin of the adopting organisation
    assert adopter.get(reverse("handbook:programme", args=[programme.slug])).status_code == 200
    assert downloaded(adopter, version) == (200, PDF)
    assert add(adopter, programme, "toinen.pdf", PDF).status_code == 403  # type: ignore[attr-defined]
    Adoption.objects.filter(programme=programme).delete()
    assert adopter.get(reverse("handbook:programme", args=[programme.slug])).status_code == 404
    assert downloaded(adopter, version)[0] == 404


def test_a_correction_and_a_removal_keep_who_and_why(world: World) -> None:
    programme = make_programme(world.org)
    client = signed_in(world.coordinator)
    assert add(client, programme, "opas.pdf", PDF, title="Tyontekijan opas").status_code == 302
    file = HandbookFile.objects.get(programme=programme)
    url = reverse("handbook:file_change", args=[file.uuid])
    refused = client.post(url, {"change-title": "", "change-kind": "worker_guide", "change-language": "fi"})
    assert refused.status_code == 400  # the title and the reason missing, both named at once
    assert refused.content.decode().count('class="field-error"') == 2
    fixed = {"change-title": "Työntekijän opas", "change-kind": "worker_guide", "change-language": "fi"}
    assert client.post(url, {**fixed, "change-why": "Ääkköset puuttuivat"}).status_code == 302
    assert client.post(url, {"remove-why": "Korvattu uudella oppaalla"}).status_code == 302
    assert not HandbookFile.objects.filter(pk=file.pk).exists()
    history = list(HandbookFile.history.filter(id=file.pk).order_by("history_date"))
    assert [entry.history_change_reason for entry in history[1:]] == [
        "Ääkköset puuttuivat",
        "Korvattu uudella oppaalla",
    ]
    assert {entry.history_user for entry in history[1:]} == {world.coordinator}


def test_the_demo_gives_perhe_yhtenaiseksi_its_handbook_once(world: World) -> None:
    programme = make_programme(world.org, name="Perhe yhtenäiseksi")
    assert programme.slug == "perhe-yhtenaiseksi"
    demo.load()
    demo.load()  # a second run changes nothing
    files = {file.title: file.versions.count() for file in HandbookFile.objects.filter(programme=programme)}
    assert files == {"Työntekijän opas": 2, "Perheen voimavarakartta": 1, "Suostumus arviointiin": 1}
    page = signed_in(world.evaluator).get(reverse("handbook:programme", args=[programme.slug])).content.decode()
    assert "Lapsen ääni -osio lisätty" in page
