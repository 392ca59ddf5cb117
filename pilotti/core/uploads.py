"""Size limits and safe parsing for uploaded files, shared by every import (docs/security.md).

Three layers:

* ``LimitedUploadHandler`` (first in ``settings.FILE_UPLOAD_HANDLERS``) keeps at most
  ``settings.UPLOAD_MAX_BYTES`` + 1 bytes of any uploaded file, in memory or on disk, however
  large the upload; the extra byte lets the form see that the file was too large.
* ``check_upload(upload, max_bytes=...)`` (or ``read_upload``, which also returns the bytes) is
  what a form's ``clean_<file>`` calls: it refuses a file over the import's own limit with a
  message that says the limit.
* ``check_xlsx`` and ``check_json_depth`` refuse what a small file can still hide: an XLSX
  (a ZIP) that unpacks to gigabytes, and JSON nested deeply enough to exhaust the parser's
  recursion. openpyxl parses the XML inside an XLSX with defusedxml, which is installed for
  that reason (no entity expansion, no external entities).
"""

import io
import re
import zipfile
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# An XLSX's XML compresses well, but not more than this; beyond it the file is built to hurt.
XLSX_MAX_UNCOMPRESSED = 50 * 1024 * 1024
XLSX_MAX_RATIO = 100
JSON_MAX_DEPTH = 32


class LimitedUploadHandler(FileUploadHandler):
    """Passes on at most ``UPLOAD_MAX_BYTES`` + 1 bytes of each file to the next handler and
    drops the rest, so an oversized upload costs neither memory nor disk."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.kept = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        room = settings.UPLOAD_MAX_BYTES + 1 - self.kept
        if room <= 0:
            return None  # None stops the chain: the later handlers never see this chunk
        chunk = raw_data[:room]
        self.kept += len(chunk)
        return chunk

    def file_complete(self, file_size: int) -> None:
        return None  # the memory or temporary-file handler after this one makes the file


def check_upload(upload: UploadedFile, *, max_bytes: int) -> None:
    """A ValidationError naming the limit when the file is larger than ``max_bytes``."""
    limit = min(max_bytes, settings.UPLOAD_MAX_BYTES)
    if upload.size is None or upload.size > limit:
        raise ValidationError(
            _("The file is larger than %(limit)s. Split it into smaller files and upload them one at a time.")
            % {"limit": filesizeformat(limit)},
            code="too_large",
        )


def read_upload(upload: UploadedFile, *, max_bytes: int) -> bytes:
    """The file's bytes, after ``check_upload``."""
    check_upload(upload, max_bytes=max_bytes)
    return bytes(upload.read())


def check_xlsx(content: bytes) -> None:
    """Refuses an XLSX that is not a ZIP, or that would unpack too large (a "ZIP bomb")."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as error:
        raise ValidationError(
            _("The file could not be opened as Excel (.xlsx). Save it again as .xlsx or CSV."), code="not_xlsx"
        ) from error
    unpacked = sum(member.file_size for member in members)
    packed = sum(member.compress_size for member in members)
    if unpacked > XLSX_MAX_UNCOMPRESSED or unpacked > XLSX_MAX_RATIO * max(packed, 1024):
        raise ValidationError(
            _("The Excel file holds more data than can be imported at once. Split it into smaller files."),
            code="too_large",
        )


# A JSON string (with its escapes) or a bracket: brackets inside strings do not count.
_JSON_TOKEN = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


def check_json_depth(content: bytes, *, max_depth: int = JSON_MAX_DEPTH) -> None:
    """Refuses JSON nested deeper than ``max_depth`` before any parser sees it."""
    depth = 0
    for match in _JSON_TOKEN.finditer(content):
        token = match.group()
        if token in (b"[", b"{"):
            depth += 1
            if depth > max_depth:
                raise ValidationError(
                    _("The file is nested more than %(depth)d levels deep. Check that it is the right file.")
                    % {"depth": max_depth},
                    code="too_deep",
                )
        elif token in (b"]", b"}"):
            depth -= 1
