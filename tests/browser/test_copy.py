"""The calendar feed's address: a copy button that says what it did, and a field to copy by
hand when JavaScript is off (issue 21)."""

from django.urls import reverse
from playwright.sync_api import Page, expect

from conftest import PASSWORD, make_user
from pilotti.organisations.models import Role
from pilotti.organisations.services import membership_add, organisation_create
from tests.browser.axe import assert_accessible
from tests.browser.pages import sign_in


def test_it_copies_the_feed_address_and_announces_it(desktop: Page, transactional_db: None) -> None:
    # A demo account, as in test_header.py: no authenticator to set up before the page.
    user = make_user("ohjaaja@kopio.example", with_mfa=False, is_demo=True, full_name="Olli Ohjaaja")
    organisation = organisation_create(
        name="Tampereen kaupunki", slug="tampere", kind="municipality", business_id="0211675-2"
    )
    membership_add(organisation=organisation, user=user, role=Role.FACILITATOR)
    desktop.context.grant_permissions(["clipboard-read", "clipboard-write"])
    sign_in(desktop, user.email, PASSWORD)
    desktop.goto(reverse("meetings:feed_list"))
    expect(desktop.locator("h1")).to_have_text("Kalenterisyötteet", timeout=5000)
    desktop.get_by_role("button", name="Luo syöte kaikista tapaamisistani").click()

    address = desktop.locator("#feed-url").input_value()
    assert address.endswith(".ics")
    desktop.get_by_role("button", name="Kopioi").click()
    expect(desktop.locator("#feed-url-copied")).to_have_text("Osoite kopioitiin.")
    assert desktop.evaluate("() => navigator.clipboard.readText()") == address
    assert_accessible(desktop)
