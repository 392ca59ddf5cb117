"""The report as a PDF (WeasyPrint): A4, headings, page numbers from @page rules in pilotti.css.

WeasyPrint fetches only our own static files: any other address (the network, the file system,
data the template did not put there) is refused, so a report cannot make the server fetch
anything on a participant's or anyone's behalf.
"""

import mimetypes
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

BASE_URL = "https://pilotti.invalid/"


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


def render_html(report: dict[str, Any]) -> str:
    return render_to_string("evaluation/report_pdf.html", {"report": report})


def render_pdf(report: dict[str, Any]) -> bytes:
    """``report`` comes from ``charts.with_charts``: the same body as the page."""
    html = HTML(string=render_html(report), base_url=BASE_URL, url_fetcher=StaticOnlyFetcher(), media_type="print")
    pdf: bytes = html.write_pdf()
    return pdf
