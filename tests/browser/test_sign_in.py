"""Signing in as a real member of staff: password, then a second factor, set up on first sign-in."""

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Page, Response, expect

from conftest import PASSWORD, make_user
from pilotti.accounts.models import User
from pilotti.organisations.models import Role
from pilotti.organisations.services import membership_add, organisation_create
from tests.browser.axe import assert_accessible
from tests.browser.pages import expect_at, sign_in, sign_out, submit, totp_code


def is_post(response: Response) -> bool:
    return response.request.method == "POST"


@pytest.fixture
def staff(transactional_db: None) -> User:
    """A coordinator with a password and no second factor yet, as an admin's invitation leaves them."""
    organisation = organisation_create(
        name="Alfa hyvinvointialue", slug="alfa", kind="wellbeing_county", business_id="0245437-2"
    )
    user = make_user("kaisa@alfa.example", with_mfa=False, full_name="Kaisa Koordinaattori")
    membership_add(organisation=organisation, user=user, role=Role.COORDINATOR)
    return user


def test_it_makes_staff_set_up_an_authenticator_app_and_asks_for_it_at_the_next_sign_in(
    desktop: Page, staff: User
) -> None:
    sign_in(desktop, staff.email, PASSWORD)

    # First sign-in: nothing opens until an authenticator app is set up.
    expect_at(desktop, "mfa_activate_totp")
    secret = desktop.locator("#authenticator_secret").input_value()
    assert len(secret) >= 16
    desktop.locator("input[name=code]").fill(totp_code(secret))
    submit(desktop, "code")

    expect_at(desktop, "mfa_view_recovery_codes")
    codes = desktop.locator("#recovery_codes").input_value().split()
    assert len(codes) >= 10

    desktop.locator("a.brand").click()
    expect_at(desktop, "core:home")
    expect(desktop.locator("main h1")).to_be_visible()

    sign_out(desktop)
    expect_at(desktop, "account_login")

    # Next sign-in: the password alone is not enough.
    sign_in(desktop, staff.email, PASSWORD)
    expect_at(desktop, "mfa_authenticate")
    # allauth refuses a code used for a sign-in again within its window, but activation does
    # not use one up, so the authenticator's current code is what a user would type here.
    desktop.locator("input[name=code]").fill(totp_code(secret))
    submit(desktop, "code")
    expect_at(desktop, "core:home")
    expect(desktop.locator(".demo-banner")).to_have_count(0)


def test_it_locks_the_account_after_five_wrong_passwords(desktop: Page, staff: User) -> None:
    for _attempt in range(4):
        sign_in(desktop, staff.email, "wrong password")
        expect(desktop.locator("form .errorlist")).to_be_visible()
        assert_accessible(desktop)
    with desktop.expect_response(is_post):
        sign_in(desktop, staff.email, "wrong password")
    with desktop.expect_response(is_post) as sixth:
        sign_in(desktop, staff.email, PASSWORD)
    # Locked even with the right password; django-axes answers 429 with its own page.
    assert sixth.value.status == 429
    with translation.override("fi"):
        heading = gettext("Too many failed sign-ins")
    expect(desktop.locator("main h1")).to_have_text(heading)
    expect(desktop.locator("input[name=password]")).to_have_count(0)
    assert_accessible(desktop)
