"""The report as a PDF (WeasyPrint): A4, headings, page numbers from @page rules in pilotti.css.

WeasyPrint fetches only our own static files (``core.pdf.StaticOnlyFetcher``), so a report cannot
make the server fetch anything on a participant's or anyone's behalf.
"""

from typing import Any

from django.template.loader import render_to_string
from weasyprint import HTML

from pilotti.core.pdf import BASE_URL, StaticOnlyFetcher


def render_html(report: dict[str, Any]) -> str:
    return render_to_string("evaluation/report_pdf.html", {"report": report})


def render_pdf(report: dict[str, Any]) -> bytes:
    """``report`` comes from ``charts.with_charts``: the same body as the page."""
    html = HTML(string=render_html(report), base_url=BASE_URL, url_fetcher=StaticOnlyFetcher(), media_type="print")
    pdf: bytes = html.write_pdf()
    return pdf
