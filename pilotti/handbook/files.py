"""What an uploaded handbook file really is, decided from its bytes, never from its name or the
browser's content type: a file is accepted only when its content is one of the kinds below and
its name's extension is one of that kind's. Nothing uploaded is ever opened, run or rendered by
Pilotti; it is served back only as a download (views.download)."""

import io
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Office files are ZIP archives recognised by the part only that kind has.
_OFFICE_PARTS = {
    "word/document.xml": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xl/workbook.xml": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "ppt/presentation.xml": ("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
}
_OPEN_DOCUMENT = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
    b"application/vnd.oasis.opendocument.presentation": "odp",
}
# Extensions a person may give each kind.
EXTENSIONS = {
    "pdf": ("pdf",),
    "docx": ("docx",),
    "xlsx": ("xlsx",),
    "pptx": ("pptx",),
    "odt": ("odt",),
    "ods": ("ods",),
    "odp": ("odp",),
    "png": ("png",),
    "jpeg": ("jpg", "jpeg"),
    "text": ("txt", "md"),
}
ACCEPTED_EXTENSIONS = sorted(extension for names in EXTENSIONS.values() for extension in names)


@dataclass(frozen=True)
class Kind:
    name: str
    content_type: str


def _zip_kind(content: bytes) -> Kind | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        names = set(archive.namelist())
        if any(name.lower().endswith("vbaproject.bin") for name in names):
            raise ValidationError(_("The file contains macros. Save it without macros (as .docx, .xlsx or .pptx)."))
        for part, (name, content_type) in _OFFICE_PARTS.items():
            if part in names:
                return Kind(name, content_type)
        if "mimetype" in names:
            mimetype = archive.read("mimetype")[:100].strip()
            if mimetype in _OPEN_DOCUMENT:
                return Kind(_OPEN_DOCUMENT[mimetype], mimetype.decode())
    except zipfile.BadZipFile:
        return None
    return None


def _is_text(content: bytes) -> bool:
    if b"\x00" in content:
        return False
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def kind_of(name: str, content: bytes) -> Kind:
    """The file's kind, or a ValidationError a person can act on."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    found: Kind | None = None
    if content.startswith(b"%PDF-"):
        found = Kind("pdf", "application/pdf")
    elif content.startswith(b"\x89PNG\r\n\x1a\n"):
        found = Kind("png", "image/png")
    elif content.startswith(b"\xff\xd8\xff"):
        found = Kind("jpeg", "image/jpeg")
    elif content.startswith(b"PK\x03\x04"):
        found = _zip_kind(content)
    elif extension in EXTENSIONS["text"] and _is_text(content):
        found = Kind("text", "text/plain; charset=utf-8")
    accepted = ", ".join(ACCEPTED_EXTENSIONS)
    if found is None:
        raise ValidationError(
            _("Pilotti keeps documents and pictures only (%(accepted)s); this file is none of them.")
            % {"accepted": accepted}
        )
    if extension not in EXTENSIONS[found.name]:
        raise ValidationError(
            _("The file's name ends in “.%(extension)s” but its content is %(kind)s. Rename it to end in “.%(right)s”.")
            % {"extension": extension, "kind": found.name.upper(), "right": EXTENSIONS[found.name][0]}
        )
    return found
