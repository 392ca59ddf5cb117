"""The pilot report's charts on a phone: every text at least 12 px as the browser draws it (issue 22)."""

from django.urls import reverse
from playwright.sync_api import Page, expect

from conftest import PASSWORD, make_user, make_world
from pilotti.organisations.models import Role
from pilotti.organisations.services import membership_add
from tests.browser.conftest import PHONE
from tests.browser.pages import sign_in
from tests.factories import build

# An SVG's text is drawn at its font size in the SVG's units times the SVG's drawn width over its
# viewBox width.
DRAWN_SIZES = """() => Array.from(document.querySelectorAll('svg.chart text')).map(text => {
  const svg = text.closest('svg');
  return parseFloat(text.getAttribute('font-size')) * svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
})"""


def test_the_reports_chart_text_is_readable_on_a_phone(phone: Page, transactional_db: None) -> None:
    world = make_world()
    pilot = build(world, people=5)
    # A demo account, as in test_header.py: no authenticator to set up before the page.
    user = make_user("arvioija@raportti.example", with_mfa=False, is_demo=True, full_name="Arvo Arvioija")
    membership_add(organisation=world.org, user=user, role=Role.EVALUATOR)
    sign_in(phone, user.email, PASSWORD)
    phone.goto(reverse("evaluation:programme_report", args=[pilot.programme.slug]))
    expect(phone.locator("#summary-heading")).to_have_text("Yhteenveto")
    sizes = phone.evaluate(DRAWN_SIZES)
    assert len(sizes) > 10  # the flow, the attendance columns, the before/after bars
    assert min(sizes) >= 12
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
