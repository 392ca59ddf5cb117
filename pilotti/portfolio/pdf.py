"""The portfolio as a PDF (WeasyPrint), as the report's: A4, tagged PDF/UA-1 with the document's
language and title, fetching only Pilotti's own static files (``core.pdf.StaticOnlyFetcher``)."""

from datetime import datetime

from django.template.loader import render_to_string
from weasyprint import HTML

from pilotti.core.pdf import BASE_URL, StaticOnlyFetcher, static_url
from pilotti.portfolio.overview import Portfolio

STYLESHEETS = ("pilotti/pilotti.css", "portfolio/portfolio_pdf.css")
VARIANT = "pdf/ua-1"  # as evaluation.pdf: structure tree, language and title


def document(portfolio: Portfolio, *, today: datetime) -> HTML:
    html = render_to_string(
        "portfolio/portfolio_pdf.html",
        {"portfolio": portfolio, "made": today, "stylesheets": [static_url(path) for path in STYLESHEETS]},
    )
    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher(), media_type="print")


def render_pdf(portfolio: Portfolio, *, today: datetime) -> bytes:
    content: bytes = document(portfolio, today=today).write_pdf(pdf_variant=VARIANT)
    return content
