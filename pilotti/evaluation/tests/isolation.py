"""URL kwargs of the report pages, pointing at objects of ``world.org``."""

from datetime import timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from pilotti.evaluation.models import GeneratedFile
from tests.factories import make_programme, make_unit


def url_kwargs(world: Any) -> dict[str, dict[str, object]]:
    programme = make_programme(world.org, name="Alfan raportti")
    unit = make_unit(programme, name="Alfan raportoitava ryhmä")
    generated = GeneratedFile.objects.create(
        requested_by=world.owner,
        programme=programme,
        format="csv",
        language="fi",
        status=GeneratedFile.Status.READY,
        expires_at=timezone.now() + timedelta(hours=1),
    )
    generated.file.save("isolation.csv", ContentFile(b"code;who5\n"))
    return {
        "evaluation:programme_report": {"slug": programme.slug},
        "evaluation:programme_report_pdf": {"slug": programme.slug},
        "evaluation:unit_report": {"unit_uuid": unit.uuid},
        "evaluation:unit_report_pdf": {"unit_uuid": unit.uuid},
        "evaluation:programme_export": {"slug": programme.slug, "format": "sav"},
        "evaluation:unit_export": {"unit_uuid": unit.uuid, "format": "csv"},
        "evaluation:file_status": {"file_uuid": generated.uuid},
        "evaluation:file_download": {"file_uuid": generated.uuid},
    }


# The authorisation matrix (tests/test_authz_matrix.py; the format is in tests/authz.py).
# Cells per relation: admin coordinator facilitator evaluator, or one cell for all four;
# GET/POST when they differ. login: to the sign-in page; reauth: to re-authentication.
# The PDF and the exports are made by a background task: asking for one redirects to the file's
# status page (or, with the in-process backend, straight to its download).
EXPECTED: dict[str, dict[str, str]] = {
    # Only the person who asked sees a file, and only while they still see its report.
    "evaluation:file_status": {
        "own": "200 404 404 404",
        "partner": "404",
        "adopter": "404",
        "other": "404",
        "anonymous": "login",
    },
    "evaluation:file_download": {
        "own": "200 404 404 404",
        "partner": "404",
        "adopter": "404",
        "other": "404",
        "anonymous": "login",
    },
    "evaluation:programme_export": {
        "own": "405/302 405/302 404 405/302",
        "partner": "405/302 405/302 404 405/302",
        "adopter": "405/302 405/302 404 405/302",
        "other": "404",
        "anonymous": "login",
    },
    "evaluation:programme_report": {
        "own": "200 200 404 200",
        "partner": "200 200 404 200",
        "adopter": "200 200 404 200",
        "other": "404",
        "anonymous": "login",
    },
    "evaluation:programme_report_pdf": {
        "own": "405/302 405/302 404 405/302",
        "partner": "405/302 405/302 404 405/302",
        "adopter": "405/302 405/302 404 405/302",
        "other": "404",
        "anonymous": "login",
    },
    "evaluation:unit_export": {
        "own": "405/302 405/302 404 405/302",
        "partner": "404",
        "adopter": "404",
        "other": "404",
        "anonymous": "login",
    },
    "evaluation:unit_report": {
        "own": "200 200 404 200",
        "partner": "404",
        "adopter": "404",
        "other": "404",
        "anonymous": "login",
    },
    "evaluation:unit_report_pdf": {
        "own": "405/302 405/302 404 405/302",
        "partner": "404",
        "adopter": "404",
        "other": "404",
        "anonymous": "login",
    },
}
