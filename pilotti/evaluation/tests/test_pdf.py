"""The report's PDF a board is given: made without collected static files, tagged PDF/UA-1 with its
language and title, no table cut off at the page's edge, readable charts, dates and numbers in the
locale's forms, and the summary page first (for the five demo pilots)."""

import os
import re
import shutil
import subprocess
import zlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint.formatting_structure import boxes

from conftest import World
from pilotti.evaluation import charts, pdf, selectors, services, suppression
from pilotti.evaluation.tests.layout import split_rows, table_overflows, tables
from pilotti.programmes.models import Programme
from tests.factories import build

IN_CI = os.environ.get("CI", "").lower() == "true"
DEMO_PILOTS = (
    "ikaalinen-paivatoiminta",
    "valoa-arkeen",
    "perhe-yhtenaiseksi",
    "ohjatut-vertaistukiryhmat",
    "tampere-pikkulapsiperheet",
)
# 9 pt, the smallest readable print size, in CSS pixels (WeasyPrint lays out in px: 1 pt = 4/3 px).
NINE_POINTS = 12.0


def pdfinfo(content: bytes, tmp_path: Path) -> str:
    if shutil.which("pdfinfo") is None:
        if IN_CI:
            pytest.fail("CI=true and pdfinfo is missing: the PDF must be checked in CI (apt-get install poppler-utils)")
        pytest.skip("pdfinfo (poppler-utils) is not installed")
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout


def catalog_language(content: bytes) -> str | None:
    """The document catalog's /Lang, which WeasyPrint writes into a compressed object stream."""
    texts = [content]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", content, re.DOTALL):
        try:
            texts.append(zlib.decompress(stream))
        except zlib.error:
            continue
    for text in texts:
        found = re.search(rb"/Lang\s*\(([^)]*)\)", text)
        if found:
            return found.group(1).decode()
    return None


def chart_text_sizes(document: Any) -> list[tuple[str, float]]:
    """(text, size in CSS px as printed) of every text in every chart laid out in the PDF: the
    SVG's font size in its own units times the scale the layout drew the SVG at."""
    sizes = []
    for page in document.pages:
        stack = [page._page_box]
        while stack:
            box = stack.pop()
            stack.extend(getattr(box, "children", []) or [])
            svg = getattr(getattr(box, "replacement", None), "_svg", None)
            if not isinstance(box, boxes.ReplacedBox) or svg is None:
                continue
            root = svg.tree._etree_node
            scale = box.width / float(root.attrib["viewBox"].split()[2])
            sizes += [
                ("".join(text.itertext()), float(text.attrib["font-size"]) * scale)
                for text in root.iter()
                if isinstance(text.tag, str) and text.tag.rsplit("}", 1)[-1] == "text"
            ]
    return sizes


def svg_font_sizes(html: str) -> list[tuple[float, float]]:
    """(viewBox width, font size) of every text of every chart in a page's HTML."""
    found = []
    for svg in re.findall(r"<svg class=\"chart.*?</svg>", html, re.DOTALL):
        width = float(re.search(r'viewBox="0 0 ([\d.]+)', svg).group(1))  # type: ignore[union-attr]
        found += [(width, float(size)) for size in re.findall(r'<text[^>]*font-size="([\d.]+)"', svg)]
    return found


def test_the_command_writes_a_pdf_where_only_migrate_has_run(world: World, settings: Any, tmp_path: Path) -> None:
    """Production's manifest storage, and no collected files: the stylesheet comes from the app."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    settings.STATIC_ROOT = tmp_path / "static-not-collected"
    pilot = build(world, people=5)
    out = tmp_path / "report.pdf"
    call_command("report", pilot.programme.slug, format="pdf", out=str(out))
    content = out.read_bytes()
    assert content.startswith(b"%PDF")
    html = pdf.render_html(charts.with_charts(selectors.report(None, pilot.programme)))  # type: ignore[arg-type]
    assert "/static/pilotti/pilotti.css" in html
    assert "/static/evaluation/report_pdf.css" in html


def test_the_pdf_is_tagged_pdf_ua_with_its_language_and_title(world: World, tmp_path: Path) -> None:
    pilot = build(world, people=5)
    report = services.report_build(viewer=None, programme=pilot.programme, filters=selectors.Filters(), shared=False)
    with translation.override("fi"):
        content = pdf.render_pdf(charts.with_charts(report))
    info = pdfinfo(content, tmp_path)
    assert re.search(r"^Tagged:\s+yes$", info, re.MULTILINE)
    assert re.search(rf"^Title:\s+Pilottiraportti · {pilot.programme.name}$", info, re.MULTILINE)
    assert catalog_language(content) == "fi"
    assert b'pdfuaid:part="1"' in content or b"pdfuaid:part>1<" in content or _xmp_says_ua(content)


def _xmp_says_ua(content: bytes) -> bool:
    return any(b"pdfuaid" in text for text in _streams(content))


def _streams(content: bytes) -> list[bytes]:
    found = [content]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", content, re.DOTALL):
        try:
            found.append(zlib.decompress(stream))
        except zlib.error:
            found.append(stream)
    return found


@time_machine.travel(datetime(2026, 12, 6, 19, 53, 6, tzinfo=UTC), tick=False)
def test_dates_and_numbers_are_in_the_locales_forms(world: World) -> None:
    pilot = build(world, people=5)
    report = services.report_build(viewer=None, programme=pilot.programme, filters=selectors.Filters(), shared=False)
    with translation.override("fi"):
        html = pdf.render_html(charts.with_charts(report))
    assert "tehty 6.12.2026 21.53" in html  # Helsinki time, Finnish form
    assert not re.search(r"\d{4}-\d\d-\d\d", html), "an ISO date on a Finnish page"
    bars = re.findall(r'class="chart__value"[^>]*>([^<]+)<', html)
    assert bars
    assert all("." not in value for value in bars)
    assert any("," in value for value in bars)  # the before/after means: 2,4 and not 2.4
    with translation.override("en"):
        english = pdf.render_html(charts.with_charts(report))
    assert "made 6 Dec 2026 21:53" in english


def test_charts_are_readable_on_a_phone_and_in_print(world: World) -> None:
    pilot = build(world, people=5)
    report = services.report_build(viewer=None, programme=pilot.programme, filters=selectors.Filters(), shared=False)
    with translation.override("fi"):
        arranged = charts.with_charts(report)
        html = pdf.render_html(arranged)
        document = pdf.document(arranged).render()
    # On the page a chart is at most 30rem (480 px) wide, and a 390 px phone gives it 374 px.
    sizes = svg_font_sizes(html)
    assert sizes
    assert min(size * min(480, 374) / width for width, size in sizes) >= 12
    printed = chart_text_sizes(document)
    assert printed
    assert min(size for _text, size in printed) >= NINE_POINTS
    # A value after a bar with a confidence interval starts after the interval's end.
    for instrument in arranged["before_after"]:
        for score in instrument["scores"]:
            for group in score["groups"]:
                for bar in group.get("chart", {}).get("bars", []):
                    if "whisker" in bar:
                        assert bar["end"] > bar["whisker"]["x2"]


def test_every_withheld_mark_in_a_chart_says_why(world: World) -> None:
    chart = charts.horizontal_bars([("Paljon", "suppressed", ""), ("Vähän", 0.5, "50 %")])
    columns = charts.columns([("1", 4), ("2", "suppressed")])
    with translation.override("fi"):
        bars = render_to_string("evaluation/charts/_bars.html", {"chart": chart, "id": "x", "title": "", "desc": ""})
        cols = render_to_string(
            "evaluation/charts/_columns.html", {"chart": columns, "id": "y", "title": "", "desc": ""}
        )
    # A bar's mark says why beside it; a column is too narrow, so the chart's legend says it.
    assert re.findall(r">(×[^<]*)<", bars) == ["× ei julkaista: pieni määrä ihmisiä"]
    assert re.findall(r">(×[^<]*)<", cols) == ["×", "× ei julkaista: pieni määrä ihmisiä"]


@pytest.fixture
def demo(db: None) -> None:
    call_command("load_demo", stdout=None)


def _numbers(text: str) -> set[str]:
    """The numbers in an English text, thousands separators taken out ("14,272 €" is 14272)."""
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text.replace("\u00a0", " "))
    return set(re.findall(r"\d+(?:[,.]\d+)?", text))


def _said(report: Any) -> set[str]:
    """Every number a reader could take from the report's visible figures, in the summary's forms."""
    found: set[str] = set()
    counts: set[int] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
        elif isinstance(node, bool) or node is None:
            return
        elif isinstance(node, int):
            counts.add(node)
            found.add(str(node))
        elif isinstance(node, float):
            found.update({str(round(node)), f"{node:.1f}", f"{abs(node):.1f}", f"{node:.0f}", f"{abs(node):.0f}"})
            found.update({str(round(100 * node)), str(round(100 * abs(node)))})
        elif isinstance(node, str):
            found.update(_numbers(node))

    walk(report)
    found.update(str(round(100 * a / b)) for a in counts for b in counts if b and a <= b)
    found.update({"95", "0", "1", "2", "3"})  # "95 % confidence interval", one person, ordinal words
    return {f.replace(".", ",") for f in found} | found


def test_the_demo_pilots_pdfs_fit_their_pages_are_tagged_and_begin_with_the_summary(demo: None, tmp_path: Path) -> None:
    """One demo load (it takes most of a minute): every check on the five pilots' PDFs."""
    for slug in DEMO_PILOTS:
        programme = Programme.objects.get(slug=slug)
        internal = services.report_build(viewer=None, programme=programme, filters=selectors.Filters(), shared=False)
        shared = suppression.shared(internal)
        for language, report in (("fi", internal), ("en", shared)):
            with translation.override(language):
                arranged = charts.with_charts(report)
                document = pdf.document(arranged).render()
                content = document.write_pdf(pdf_variant=pdf.VARIANT)
            overflows = table_overflows(document)
            assert not overflows, f"{slug} ({language}): {overflows[:3]}"
            assert not split_rows(document), slug
            assert min(size for _text, size in chart_text_sizes(document)) >= NINE_POINTS
            info = pdfinfo(content, tmp_path)
            assert re.search(r"^Tagged:\s+yes$", info, re.MULTILINE), slug
            assert catalog_language(content) == language
            summary = arranged["summary"]
            topics = [paragraph.topic for paragraph in summary.paragraphs]
            assert topics[:3] == ["reached", "stayed", "changed"], (slug, topics)
            assert "cost" in topics, slug
            if report is shared or report["before_after"]:
                assert summary.caveats, slug  # the shared view's suppression; no comparison group
            first_page = " ".join(_page_text(document.pages[0]))
            assert summary.paragraphs[0].sentences[0][:30] in first_page.replace("\u00a0", " ")
            if report is shared:
                text = " ".join(s for p in summary.paragraphs for s in p.sentences) + " ".join(summary.caveats)
                unexplained = _numbers(text) - _said(shared)
                assert not unexplained, f"{slug}: the shared summary says {unexplained}, not in the shared report"
        if slug == "ikaalinen-paivatoiminta":
            with translation.override("fi"):
                document = pdf.document(charts.with_charts(internal)).render()
            assert any("Keskeyttäneet" in text and "Kohderyhmä" in text for _page, text in tables(document))
        if slug == "valoa-arkeen":
            with translation.override("en"):
                document = pdf.document(charts.with_charts(internal)).render()
            assert any("Reliable change" in text for _page, text in tables(document))
            assert any("recovered" in text for _page, text in tables(document))


def _page_text(page: Any) -> list[str]:
    stack, found = [page._page_box], []
    while stack:
        box = stack.pop()
        if isinstance(box, boxes.TextBox):
            found.append(box.text)
        stack.extend(reversed(getattr(box, "children", []) or []))
    return found
