"""The report as a PDF (WeasyPrint): A4, tagged PDF/UA-1 with the document's language and title,
page numbers and the wide sections' landscape pages from ``evaluation/report_pdf.css``.

WeasyPrint fetches only our own static files (``core.pdf.StaticOnlyFetcher``), so a report cannot
make the server fetch anything on a participant's or anyone's behalf. The stylesheets are named by
``core.pdf.static_url``, not ``{% static %}``, so the PDF needs no collected static files
(``manage.py report --format pdf`` after ``migrate`` alone).
"""

from typing import Any

from django.template.loader import render_to_string
from weasyprint import HTML

from pilotti.core.pdf import BASE_URL, StaticOnlyFetcher, static_url

STYLESHEETS = ("pilotti/pilotti.css", "evaluation/report_pdf.css")
# PDF/UA-1 (ISO 14289-1): a structure tree (headings, tables with their header cells, figures
# with their alternative text), the language and the title shown in the window's title bar.
# Finnish public-sector documents must be accessible (laki digitaalisten palvelujen tarjoamisesta).
VARIANT = "pdf/ua-1"


def render_html(report: dict[str, Any]) -> str:
    return render_to_string(
        "evaluation/report_pdf.html",
        {
            "report": report,
            "stylesheets": [static_url(path) for path in STYLESHEETS],
        },
    )


def document(report: dict[str, Any]) -> HTML:
    return HTML(string=render_html(report), base_url=BASE_URL, url_fetcher=StaticOnlyFetcher(), media_type="print")


def render_pdf(report: dict[str, Any]) -> bytes:
    """``report`` comes from ``charts.with_charts``: the same body as the page."""
    pdf: bytes = document(report).write_pdf(pdf_variant=VARIANT)
    return pdf
