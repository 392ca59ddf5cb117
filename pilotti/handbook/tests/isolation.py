"""URL kwargs of the handbook pages, pointing at objects of ``world.org``, and the matrix's answers."""

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from pilotti.handbook.models import Kind
from pilotti.handbook.services import FileFields, handbook_file_add
from tests.factories import make_programme

PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def url_kwargs(world: Any) -> dict[str, dict[str, object]]:
    programme = make_programme(world.org, name="Alfan käsikirja")
    file = handbook_file_add(
        actor=world.owner,
        programme=programme,
        fields=FileFields("Työntekijän opas", Kind.WORKER_GUIDE, "fi"),
        upload=SimpleUploadedFile("opas.pdf", PDF),
    )
    return {
        "handbook:programme": {"slug": programme.slug},
        "handbook:file_add": {"slug": programme.slug},
        "handbook:file_change": {"file_uuid": file.uuid},
        "handbook:version_add": {"file_uuid": file.uuid},
        "handbook:download": {"version_uuid": file.versions.get().uuid},
    }


# Cells per relation: admin coordinator facilitator evaluator (tests/authz.py). Everyone who sees
# the programme reads its handbook (the owner's, partners' and adopters' staff; a facilitator
# through a unit of the programme, and these programmes have none); only the owner's admins and
# coordinators change it.
_READ = {
    "own": "200/405 200/405 404 200/405",
    "partner": "200/405 200/405 404 200/405",
    "adopter": "200/405 200/405 404 200/405",
    "other": "404",
    "anonymous": "login",
}
_UPLOAD = {
    "own": "405/400 405/400 405/404 405/403",
    "partner": "405/403 405/403 405/404 405/403",
    "adopter": "405/403 405/403 405/404 405/403",
    "other": "405/404",
    "anonymous": "login",
}
EXPECTED: dict[str, dict[str, str]] = {
    "handbook:programme": _READ,
    "handbook:file_add": _UPLOAD,
    "handbook:file_change": {
        "own": "200/400 200/400 404 403",
        "partner": "403 403 404 403",
        "adopter": "403 403 404 403",
        "other": "404",
        "anonymous": "login",
    },
    "handbook:version_add": _UPLOAD,
    "handbook:download": _READ,
}
