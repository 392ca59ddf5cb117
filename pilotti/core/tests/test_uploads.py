"""Uploads: size limits with a message that says the limit, and files built to hurt the parser."""

import io
import json
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.http.multipartparser import MultiPartParser
from django.test import RequestFactory, override_settings
from django.urls import reverse

from conftest import World, signed_in
from pilotti.core.uploads import LimitedUploadHandler
from pilotti.instruments.models import Instrument
from pilotti.people.models import Participant
from tests.factories import library_file, make_programme, make_unit


def import_participants(world: World, name: str, content: bytes) -> tuple[int, str]:
    programme = make_unit(make_programme(world.org), name="Hervanta").programme
    response = signed_in(world.coordinator).post(
        reverse("recruitment:import"), {"programme": programme.pk, "file": SimpleUploadedFile(name, content)}
    )
    return response.status_code, response.content.decode()


def import_instrument(world: World, content: bytes) -> tuple[int, str]:
    upload = SimpleUploadedFile("mittari.json", content, content_type="application/json")
    response = signed_in(world.coordinator).post(reverse("instruments:import"), {"file": upload})
    return response.status_code, response.content.decode()


@override_settings(UPLOAD_MAX_BYTES=1000)
def test_it_keeps_no_more_of_an_upload_than_the_limit() -> None:
    body = (
        b'--B\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\n'
        b"Content-Type: text/csv\r\n\r\n" + b"x" * 50_000 + b"\r\n--B--\r\n"
    )
    request = RequestFactory().post("/", data=body, content_type="multipart/form-data; boundary=B")
    handlers = [LimitedUploadHandler(request), MemoryFileUploadHandler(request)]
    _post, files = MultiPartParser(request.META, io.BytesIO(body), handlers, "utf-8").parse()
    assert files["file"].size == 1001  # one byte over: enough for the form to say "too large"


def test_it_refuses_a_participant_file_over_one_megabyte_with_the_limit_in_the_message(world: World) -> None:
    status, page = import_participants(world, "iso.csv", b"name;referral_source\n" + b"x" * 1_100_000)
    assert status == 400
    assert "The file is larger than 1.0\xa0MB" in page
    assert not Participant.objects.exists()


def test_it_refuses_an_xlsx_that_would_unpack_to_gigabytes(world: World) -> None:
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<row/>" * 20_000_000)  # 120 MB of XML
    assert len(packed.getvalue()) < 1_000_000
    status, page = import_participants(world, "pommi.xlsx", packed.getvalue())
    assert status == 400
    assert "holds more data than can be imported at once" in page
    assert not Participant.objects.exists()


def test_it_explains_a_csv_line_it_cannot_read(world: World) -> None:
    content = b'name;referral_source;contacted_on\n"Testi;outreach;1.9.2025\n' + b"x" * 200_000 + b"\n"
    status, page = import_participants(world, "lainausmerkki.csv", content)
    assert status == 400
    assert "Check the quotation marks" in page
    assert not Participant.objects.exists()


def test_it_refuses_an_instrument_file_over_one_megabyte(world: World) -> None:
    data = library_file("phq-9")
    data["description"] = "x" * 1_100_000
    status, page = import_instrument(world, json.dumps(data).encode())
    assert status == 400
    assert "The file is larger than 1.0\xa0MB" in page
    assert not Instrument.objects.exists()


def test_it_refuses_deeply_nested_json_before_parsing_it(world: World) -> None:
    # Half a million brackets would exhaust Python's JSON parser's recursion (a server error before).
    status, page = import_instrument(world, b"[" * 500_000 + b"]" * 500_000)
    assert status == 400
    assert "nested more than 32 levels deep" in page
    # Brackets inside strings are text, not nesting: an ordinary file still gets its real check.
    data = library_file("phq-9")
    data["name"] = "[[[[" * 20
    status, _page = import_instrument(world, json.dumps(data).encode())
    assert status == 302
