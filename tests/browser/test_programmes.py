"""A coordinator describes a programme and generates a unit's schedule, in the browser (in Finnish)."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from conftest import PASSWORD, make_user
from pilotti.meetings.models import Meeting
from pilotti.organisations.models import Role
from pilotti.organisations.services import membership_add, organisation_create
from pilotti.programmes.models import DeliveryUnit
from tests.browser.axe import assert_accessible
from tests.browser.conftest import PHONE
from tests.browser.pages import sign_in


@pytest.fixture
def coordinator_email(transactional_db: None) -> str:
    organisation = organisation_create(
        name="Ikaalisten kaupunki", slug="ikaalinen", kind="municipality", business_id="0245437-2"
    )
    # A demo-flagged account skips the MFA step, which test_sign_in covers on its own.
    user = make_user("koordinaattori@ikaalinen.example", with_mfa=False, is_demo=True, full_name="Kaisa K")
    membership_add(organisation=organisation, user=user, role=Role.COORDINATOR)
    return user.email


def fill(page: Page, values: dict[str, str]) -> None:
    for name, value in values.items():
        page.locator(f"main [name='{name}']").fill(value)


def test_it_creates_a_programme_and_a_twice_weekly_unit_that_skips_holidays(
    phone: Page, coordinator_email: str
) -> None:
    sign_in(phone, coordinator_email, PASSWORD)
    phone.goto(reverse("programmes:create"))
    assert_accessible(phone)
    fill(phone, {"name": "Päivätoiminta", "duration_minutes": "180", "segments": "Kotiin jääneet: 8"})
    phone.locator("main [name='topics']").fill("Käsityöt\nLeivonta\nRetki")
    phone.locator("main form button[type=submit]").last.click()
    expect(phone.locator("h1")).to_have_text("Päivätoiminta")
    assert_accessible(phone)
    programme_url = phone.url

    phone.locator("main a", has_text="Uusi toimipaikka").click()
    fill(phone, {"name": "Olohuone", "street_address": "Valtakatu 1", "municipality": "Ikaalinen"})
    phone.locator("main form button[type=submit]").last.click()
    expect(phone).to_have_url(programme_url)

    phone.locator("main a", has_text="Uusi toteutus").click()
    expect(phone.locator("main [name='first_date']")).to_be_visible()  # axe checks the new page, not the old
    assert_accessible(phone)
    fill(phone, {"name": "Päivätoiminta syksy", "start_time": "10:00", "count": "8"})
    phone.locator("main [name='first_date']").fill("2022-12-01")
    phone.locator("main [name='rule'][value='weekdays']").check()
    phone.locator("main [name='weekdays'][value='1']").check()  # Tuesday
    phone.locator("main [name='weekdays'][value='3']").check()  # Thursday
    phone.get_by_role("button", name="Esikatsele aikataulua").click()

    # The htmx preview: 8 meetings, Independence Day (Tue 6.12.) skipped, nothing saved yet.
    preview = phone.locator("#schedule-preview")
    expect(preview.locator("h2")).to_have_text("8 tapaamista")
    expect(preview).to_contain_text("6.12.2022")
    assert not DeliveryUnit.objects.exists()
    assert_accessible(phone)
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]

    phone.get_by_role("button", name="Tallenna toteutus ja tapaamiset").click()
    expect(phone.locator("h1")).to_have_text("Päivätoiminta syksy")
    assert_accessible(phone)
    unit = DeliveryUnit.objects.get()
    days = [m.starts_at.day for m in Meeting.objects.filter(unit=unit).order_by("starts_at")]
    assert days == [1, 8, 13, 15, 20, 22, 27, 29]


def test_it_keeps_what_was_typed_when_the_weekdays_are_missing(desktop: Page, coordinator_email: str) -> None:
    sign_in(desktop, coordinator_email, PASSWORD)
    desktop.goto(reverse("programmes:create"))
    fill(desktop, {"name": "Vertaisryhmä", "duration_minutes": "90"})
    desktop.locator("main form button[type=submit]").last.click()
    desktop.locator("main a", has_text="Uusi toteutus").click()
    fill(desktop, {"name": "Ryhmä A", "start_time": "17:00", "count": "6"})
    desktop.locator("main [name='first_date']").fill("2019-11-14")
    desktop.locator("main [name='rule'][value='weekdays']").check()
    desktop.get_by_role("button", name="Tallenna toteutus ja tapaamiset").click()

    expect(desktop.locator(".error-summary")).to_contain_text("vähintään kaksi viikonpäivää")
    expect(desktop.locator("main [name='name']")).to_have_value("Ryhmä A")
    expect(desktop.locator("main [name='count']")).to_have_value("6")
    assert_accessible(desktop)
    assert not DeliveryUnit.objects.exists()
