"""An evaluator opens a pilot report on a desktop, reads a figure and downloads the PDF."""

import re
import zlib
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from conftest import PASSWORD, World, make_user
from pilotti.organisations.models import Role
from pilotti.organisations.services import membership_add
from tests.browser.axe import assert_accessible
from tests.browser.pages import sign_in
from tests.factories import build


@pytest.fixture
def report_url(transactional_db: None, world: World) -> str:
    pilot = build(world, people=6)
    # A demo-flagged account skips the MFA step, which test_sign_in covers on its own.
    user = make_user("arvioija@alfa.example", with_mfa=False, is_demo=True, full_name="Arvo Arvioija")
    membership_add(organisation=world.org, user=user, role=Role.EVALUATOR)
    return reverse("evaluation:programme_report", args=[pilot.programme.slug])


def _pages(content: bytes) -> int:
    texts = [content]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", content, re.DOTALL):
        try:
            texts.append(zlib.decompress(stream))
        except zlib.error:
            continue
    return max((int(n) for t in texts for n in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", t)), default=0)


def test_it_shows_a_report_and_downloads_its_pdf(desktop: Page, report_url: str, tmp_path: Any) -> None:
    sign_in(desktop, "arvioija@alfa.example", PASSWORD)
    desktop.goto(report_url)
    expect(desktop.locator("h1")).to_be_visible()
    expect(desktop.locator("[data-figure='flow-contacted']")).to_have_text("6")
    expect(desktop.locator("svg[role='img'] title").first).to_be_attached()
    assert_accessible(desktop)
    with desktop.expect_download() as download:
        desktop.locator("main form[action*='report.pdf'] button").click()  # made at once, then downloaded
    path = tmp_path / "report.pdf"
    download.value.save_as(path)
    content = path.read_bytes()
    assert content.startswith(b"%PDF")
    assert _pages(content) >= 2
