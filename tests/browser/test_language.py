"""Choosing the language from the header."""

from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.browser.axe import assert_accessible


def test_it_switches_the_pages_to_swedish_and_remembers_it(desktop: Page) -> None:
    desktop.goto(reverse("account_login"))
    expect(desktop.locator("html")).to_have_attribute("lang", "fi")

    switcher = desktop.locator("form:has(#language-switch)")
    switcher.locator("#language-switch").select_option("sv")
    switcher.locator("button[type=submit]").click()

    # Back on the same page, now in Swedish.
    expect(desktop.locator("html")).to_have_attribute("lang", "sv")
    assert desktop.url.endswith(reverse("account_login"))
    expect(desktop.locator("#language-switch")).to_have_value("sv")
    assert_accessible(desktop)

    # The choice holds on the next page too.
    desktop.goto(reverse("account_reset_password"))
    expect(desktop.locator("html")).to_have_attribute("lang", "sv")
    assert_accessible(desktop)
