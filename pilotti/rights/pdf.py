"""The person's PDFs, rendered like the evaluation report: WeasyPrint fetches nothing but our
own static files (``core.pdf.StaticOnlyFetcher``), named by ``core.pdf.static_url`` so that they
work where static files were never collected."""

from typing import Any

from django.template.loader import render_to_string
from weasyprint import HTML

from pilotti.core.pdf import BASE_URL, StaticOnlyFetcher, static_url


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    html = HTML(
        string=render_to_string(template, {**context, "stylesheet": static_url("pilotti/pilotti.css")}),
        base_url=BASE_URL,
        url_fetcher=StaticOnlyFetcher(),
        media_type="print",
    )
    pdf: bytes = html.write_pdf()
    return pdf
