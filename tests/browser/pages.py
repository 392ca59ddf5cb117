"""Small steps the browser tests share: signing in, waiting for a page, reading TOTP codes."""

import re
import time

import pyotp
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.browser.axe import assert_accessible

# The margin before a TOTP window ends within which a fresh code might expire in transit:
# allauth accepts only the current 30-second window (MFA_TOTP_TOLERANCE 0).
TOTP_SAFETY_SECONDS = 3


def expect_at(page: Page, url_name: str) -> None:
    """Waits until the browser is on the named page (query string allowed), then checks axe."""
    path = reverse(url_name)
    expect(page).to_have_url(re.compile(rf"^https?://[^/]+{re.escape(path)}(\?.*)?$"))
    assert_accessible(page)


def submit(page: Page, field: str) -> None:
    """Clicks the submit button of the form that holds the named field.

    Pages have other forms too: the language switcher and the passkey button.
    """
    page.locator(f"form:has([name='{field}']) button[type=submit]").first.click()


def sign_in(page: Page, email: str, password: str) -> None:
    page.goto(reverse("account_login"))
    assert_accessible(page)
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    submit(page, "password")


def sign_out(page: Page) -> None:
    page.locator(f"form[action='{reverse('account_logout')}'] button[type=submit]").click()


def totp_code(secret: str) -> str:
    """The code an authenticator app shows now, waiting for the next window near its end."""
    left = 30 - time.time() % 30
    if left < TOTP_SAFETY_SECONDS:
        time.sleep(left + 0.1)
    return str(pyotp.TOTP(secret).now())
