"""A coordinator corrects the mistakes of issue 20 through the pages alone (in Finnish)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from conftest import PASSWORD, make_user
from pilotti.organisations.models import Role
from pilotti.organisations.services import membership_add, organisation_create
from pilotti.people.tests.helpers import enrol, make_participant
from pilotti.programmes.models import DeliveryUnit
from pilotti.programmes.tests.helpers import make_programme, make_unit
from pilotti.recruitment.models import Enrolment
from tests.browser.axe import assert_accessible
from tests.browser.conftest import PHONE
from tests.browser.pages import sign_in


@pytest.fixture
def unit(transactional_db: None) -> DeliveryUnit:
    organisation = organisation_create(
        name="Ikaalisten kaupunki", slug="ikaalinen", kind="municipality", business_id="0245437-2"
    )
    # A demo-flagged account skips the MFA step, which test_sign_in covers on its own.
    user = make_user("koordinaattori@ikaalinen.example", with_mfa=False, is_demo=True, full_name="Kaisa K")
    membership_add(organisation=organisation, user=user, role=Role.COORDINATOR)
    return make_unit(make_programme(organisation), first=timezone.localdate() + timedelta(days=3))


def test_it_corrects_a_contact_date_typed_a_year_ahead(desktop: Page, unit: DeliveryUnit) -> None:
    # The mistake of the issue: the contact day typed a year ahead, which locked every later step.
    typo = timezone.localdate() + timedelta(days=365)
    enrolment = enrol(make_participant(unit.organisation), unit, stage="contacted", on=typo)
    sign_in(desktop, "koordinaattori@ikaalinen.example", PASSWORD)
    desktop.goto(reverse("recruitment:enrolment_detail", args=[enrolment.uuid]))
    assert_accessible(desktop)
    correct = desktop.locator("form[action$='/correct/']")
    correct.locator("[name='on']").fill((timezone.localdate() - timedelta(days=1)).isoformat())
    correct.locator("[name='why']").fill("Väärä vuosi")
    correct.get_by_role("button", name="Tallenna korjaus").click()
    expect(desktop.locator(".timeline")).to_contain_text("Korjaus")
    assert_accessible(desktop)
    enrolment.refresh_from_db()
    assert enrolment.contacted_on < typo

    move = desktop.locator("form[action$='/move/']")
    move.locator("[name='to']").select_option("interested")
    move.get_by_role("button", name="Tallenna vaihe").click()
    expect(desktop.locator(".badge")).to_have_text("kiinnostunut")
    undo = desktop.locator("form[action$='/undo/']")
    undo.locator("[name='why']").fill("Ei vielä")
    undo.get_by_role("button", name="Peru vaihe").click()
    expect(desktop.locator(".timeline")).to_contain_text("Peruttu")
    assert Enrolment.objects.get().stage == "contacted"


def test_it_changes_a_units_schedule_after_a_preview(phone: Page, unit: DeliveryUnit) -> None:
    sign_in(phone, "koordinaattori@ikaalinen.example", PASSWORD)
    phone.goto(reverse("programmes:unit_detail", args=[unit.uuid]))
    phone.get_by_role("link", name="Muuta aikataulua").click()
    assert_accessible(phone)
    phone.locator("main [name='count']").fill("5")
    phone.get_by_role("button", name="Esikatsele muutosta").click()
    expect(phone.locator("#change-heading")).to_have_text("Mikä muuttuu")
    assert_accessible(phone)
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    phone.get_by_role("button", name="Tallenna uusi aikataulu").click()
    expect(phone.locator("h1")).to_have_text(unit.name)
    assert unit.meetings.filter(status="scheduled").count() == 5
