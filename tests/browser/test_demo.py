"""The demo accounts: a published password, no second factor, a banner that says it is all made up."""

import pytest
from playwright.sync_api import Page, expect

from pilotti.organisations import demo
from tests.browser.conftest import PHONE
from tests.browser.pages import expect_at, sign_in


@pytest.fixture
def demo_data(transactional_db: None) -> None:
    demo.load()


def test_it_signs_the_demo_coordinator_in_on_a_phone_without_a_second_factor(phone: Page, demo_data: None) -> None:
    sign_in(phone, "coordinator@example.org", demo.DEMO_PASSWORD)

    expect_at(phone, "core:home")
    expect(phone.locator(".demo-banner")).to_be_visible()
    # Nothing wider than the phone's screen: no sideways scrolling.
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
