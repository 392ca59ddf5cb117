"""The staff header on a phone: a fifth of the screen at most, its menu opening without JavaScript."""

import re
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from conftest import PASSWORD, make_user
from pilotti.accounts.models import User
from pilotti.organisations.models import Role
from pilotti.organisations.services import membership_add, organisation_create
from tests.browser.axe import assert_accessible
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.pages import sign_in

MOST_OF_THE_SCREEN_FOR_THE_PAGE = PHONE["height"] / 5


@pytest.fixture
def facilitator(transactional_db: None) -> str:
    # A demo account shows the demo banner too, the tallest header there is; two organisations
    # bring the organisation choice.
    user = make_user("ohjaaja@tampere.example", with_mfa=False, is_demo=True, full_name="Olli Ohjaaja")
    organisations = (("Tampereen kaupunki", "tampere", "0211675-2"), ("Oulun kaupunki", "oulu", "0187690-1"))
    for name, slug, business_id in organisations:
        organisation = organisation_create(name=name, slug=slug, kind="municipality", business_id=business_id)
        membership_add(organisation=organisation, user=user, role=Role.FACILITATOR)
    return user.email


def _top_of_main(page: Page) -> float:
    top: float = page.evaluate("() => document.getElementById('main').getBoundingClientRect().top")
    return top


def test_it_keeps_the_header_to_a_fifth_of_a_phone_screen(phone: Page, facilitator: str, tmp_path: Path) -> None:
    sign_in(phone, facilitator, PASSWORD)
    phone.goto(reverse("meetings:mine"))
    expect(phone.locator(".demo-banner")).to_be_visible()

    assert _top_of_main(phone) <= MOST_OF_THE_SCREEN_FOR_THE_PAGE
    expect(phone.get_by_role("navigation", name="Päävalikko")).to_be_hidden()
    assert_accessible(phone)
    phone.screenshot(path=tmp_path / "header-closed.png")

    phone.get_by_text("Valikko", exact=True).click()
    navigation = phone.get_by_role("navigation", name="Päävalikko")
    expect(navigation.get_by_role("link", name="Osallistujat")).to_be_visible()
    # The choices say what they are in words a sighted person reads, not only a screen reader.
    expect(phone.locator("label[for=org-switch]")).to_be_visible()
    expect(phone.locator("label[for=language-switch]")).to_be_visible()
    tap = phone.get_by_role("button", name="Kirjaudu ulos").bounding_box()
    assert tap is not None
    assert tap["height"] >= 44
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(phone)
    phone.screenshot(path=tmp_path / "header-open.png")

    navigation.get_by_role("link", name="Osallistujat").click()
    expect(phone.locator("h1")).to_have_text("Osallistujat")


def test_it_opens_the_menu_without_javascript(phone: Page, facilitator: str, new_context: Any) -> None:
    sign_in(phone, facilitator, PASSWORD)
    expect(phone.locator("h1")).to_be_visible()
    # The same session in a browser with JavaScript off (axe, which sign_in runs, needs it on).
    context = new_context(
        viewport=PHONE, screen=PHONE, is_mobile=True, java_script_enabled=False,
        storage_state=phone.context.storage_state(),
    )  # fmt: skip
    page = context.new_page()
    page.goto(reverse("meetings:mine"))

    page.get_by_text("Valikko", exact=True).click()
    page.get_by_role("navigation", name="Päävalikko").get_by_role("link", name="Toimintamallit").click()
    expect(page).to_have_url(re.compile(rf"{re.escape(reverse('programmes:list'))}$"))


def test_it_shows_the_whole_menu_on_a_desktop_without_a_button(desktop: Page, facilitator: str, tmp_path: Path) -> None:
    sign_in(desktop, facilitator, PASSWORD)
    desktop.goto(reverse("meetings:mine"))

    navigation = desktop.get_by_role("navigation", name="Päävalikko")
    expect(navigation.get_by_role("link", name="Osallistujat")).to_be_visible()
    expect(desktop.get_by_text("Valikko", exact=True)).to_be_hidden()
    expect(desktop.locator("#language-switch")).to_be_visible()
    assert desktop.evaluate("() => document.documentElement.scrollWidth") <= DESKTOP["width"]
    # The brand and the menu share the first line, as before the phone menu came.
    brand, first_link = desktop.locator(".brand").bounding_box(), navigation.get_by_role("link").first.bounding_box()
    assert brand is not None
    assert first_link is not None
    assert abs(brand["y"] - first_link["y"]) < brand["height"]
    assert_accessible(desktop)
    desktop.screenshot(path=tmp_path / "header-desktop.png")


def test_it_keeps_the_choices_and_sign_out_on_one_row_at_1280_px(desktop: Page, facilitator: str) -> None:
    """A long organisation name once pushed "Sign out" onto a second row (issue 21)."""
    organisation = organisation_create(
        name="Pohjois-Pohjanmaan hyvinvointialueen perhepalvelut", slug="pohjois-pohjanmaa", kind="wellbeing_county",
        business_id="3221308-6",
    )  # fmt: skip
    membership_add(organisation=organisation, user=User.objects.get(email=facilitator), role=Role.COORDINATOR)
    sign_in(desktop, facilitator, PASSWORD)
    for language, sign_out in (("fi", "Kirjaudu ulos"), ("en", "Sign out")):
        desktop.goto(reverse("meetings:mine"))
        if desktop.locator("html").get_attribute("lang") != language:
            desktop.locator("#language-switch").select_option(language)
            desktop.locator("form:has(#language-switch) button[type=submit]").click()
        expect(desktop.locator("html")).to_have_attribute("lang", language)
        tops = {
            name: box["y"]
            for name, locator in (
                ("organisation", desktop.locator("#org-switch")),
                ("language", desktop.locator("#language-switch")),
                ("sign out", desktop.get_by_role("button", name=sign_out)),
            )
            if (box := locator.bounding_box()) is not None
        }
        assert len(tops) == 3
        assert max(tops.values()) - min(tops.values()) < 10, (language, tops)
    assert_accessible(desktop)


def test_it_prints_a_staff_page_without_the_header_and_the_menu(desktop: Page, facilitator: str) -> None:
    sign_in(desktop, facilitator, PASSWORD)
    desktop.goto(reverse("meetings:mine"))
    desktop.emulate_media(media="print")
    expect(desktop.locator(".site-header")).to_be_hidden()
    expect(desktop.locator(".site-footer")).to_be_hidden()
    expect(desktop.locator("h1")).to_be_visible()
