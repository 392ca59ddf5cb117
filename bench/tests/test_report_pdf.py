"""The largest generated programme's report PDF: no table is cut off at the page's edge, and the
summary page and the tags are there (the demo pilots' PDFs: pilotti/evaluation/tests/test_pdf.py)."""

import io

import pytest
from django.core.management import call_command
from django.utils import translation

from bench.worker import _largest
from pilotti.evaluation import charts, pdf, selectors, services
from pilotti.evaluation.tests.layout import split_rows, table_overflows, tables

pytestmark = pytest.mark.django_db

SEED = 23
# Enough people for the largest programme to run units on many sites in several municipalities
# (the comparison tables' longest names, every instrument's rating column), small enough for CI.
PARTICIPANTS = 600


def test_the_largest_programmes_pdf_cuts_no_table_off() -> None:
    call_command("generate_scale_data", "--participants", str(PARTICIPANTS), "--seed", str(SEED), stdout=io.StringIO())
    programme = _largest(f"skaala-{SEED}")
    report = services.report_build(viewer=None, programme=programme, filters=selectors.Filters(), shared=False)
    assert len(report["comparison"]["units"]) > 10
    with translation.override("fi"):
        arranged = charts.with_charts(report)
        document = pdf.document(arranged).render()
    overflows = table_overflows(document)
    assert not overflows, overflows[:5]
    assert not split_rows(document)
    laid_out = tables(document)
    assert len(laid_out) > 10
    assert any("Keskeyttäneet" in text for _page, text in laid_out)
    assert arranged["summary"].paragraphs[0].topic == "reached"
