"""PDFs with WeasyPrint that fetch nothing but Pilotti's own static files.

Any other address (the network, the file system, data a template did not put there) is refused,
so no PDF can make the server fetch anything on a participant's or anyone's behalf. The report
(``evaluation.pdf``) and the person's own PDFs (``rights.pdf``) both render through this.
"""

import mimetypes
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from weasyprint.urls import URLFetcher, URLFetcherResponse

BASE_URL = "https://pilotti.invalid/"


def static_url(relative: str) -> str:
    """A static file's address for a PDF, without ``{% static %}``: production's manifest storage
    would ask for collected files, and ``manage.py report --format pdf`` must work where only
    ``migrate`` has run. The fetcher below reads the file from the app's own static folder."""
    return BASE_URL.rstrip("/") + settings.STATIC_URL + relative


class StaticOnlyFetcher(URLFetcher):
    """Serves ``{% static %}`` URLs from the static files finders and refuses everything else."""

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        prefix = BASE_URL.rstrip("/") + settings.STATIC_URL
        if not url.startswith(prefix):
            raise ValueError(f"The PDF may only use Pilotti's own static files, not {url}")
        relative = url[len(prefix) :].split("?")[0].split("#")[0]
        if ".." in relative.split("/"):
            raise ValueError(f"Not a static file: {url}")
        body = _static_file(relative)
        if body is None:
            raise ValueError(f"No such static file: {url}")
        content_type = mimetypes.guess_type(relative)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})


def _static_file(relative: str) -> bytes | None:
    """From the apps' static folders (development), else from collected static files, where
    production's names carry a content hash (ManifestStaticFilesStorage)."""
    path = finders.find(relative)
    if isinstance(path, str):
        with open(path, "rb") as handle:
            return handle.read()
    if staticfiles_storage.exists(relative):
        with staticfiles_storage.open(relative) as handle:
            content: bytes = handle.read()
            return content
    return None
