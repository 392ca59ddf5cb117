"""A coordinator corrects the mistakes of issue 20 through the pages alone (in Finnish)."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from conftest import PASSWORD, make_user
from pilotti.core.zone import HELSINKI
from pilotti.organisations.models import Role
from pilotti.organisations.services import membership_add, organisation_create
from pilotti.people.tests.helpers import enrol, make_participant
from pilotti.programmes.models import DeliveryUnit, Partnership, Site
from pilotti.programmes.services import site_create, unit_change_status
from pilotti.programmes.tests.helpers import make_programme, make_unit
from pilotti.recruitment.models import Enrolment
from tests.browser.axe import assert_accessible
from tests.browser.conftest import PHONE
from tests.browser.pages import sign_in, submit


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


# --- On a phone: meetings, partners and archiving (390 px, each page axe-checked) ---------------


def _on_phone(phone: Page, url: str) -> None:
    phone.goto(url)
    assert_accessible(phone)
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]


def test_it_restores_a_cancelled_meeting(phone: Page, unit: DeliveryUnit) -> None:
    sign_in(phone, "koordinaattori@ikaalinen.example", PASSWORD)
    _on_phone(phone, reverse("programmes:unit_detail", args=[unit.uuid]))
    phone.locator("main a[href$='/cancel/']").nth(1).click()
    phone.locator("main [name='reason']").fill("Ohjaaja sairastui")
    phone.get_by_role("button", name="Peru tapaaminen").click()
    expect(phone.locator(".message--success")).to_be_visible()
    cancelled = unit.meetings.get(status="cancelled")
    _on_phone(phone, reverse("programmes:unit_detail", args=[unit.uuid]))
    phone.locator(f"form[action$='/{cancelled.uuid}/restore/'] button").click()
    expect(phone.locator(".message--success")).to_be_visible()
    assert_accessible(phone)
    cancelled.refresh_from_db()
    assert (cancelled.status, cancelled.cancel_reason) == ("scheduled", "")


def test_it_asks_before_moving_a_meeting_onto_another(phone: Page, unit: DeliveryUnit) -> None:
    second, third = unit.meetings.order_by("starts_at")[1:3]
    taken = third.starts_at.astimezone(HELSINKI)
    sign_in(phone, "koordinaattori@ikaalinen.example", PASSWORD)
    _on_phone(phone, reverse("programmes:meeting_move", args=[second.uuid]))
    phone.locator("main [name='day']").fill(taken.date().isoformat())
    phone.get_by_role("button", name="Siirrä tapaaminen").click()
    keep = phone.get_by_label("Pidä tämä aika silti")
    expect(keep).to_be_visible()  # the meeting's own words, not the funnel's "Päivä on oikein"
    expect(phone.locator(".field-error").first).to_contain_text(unit.name)
    assert_accessible(phone)
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    keep.check()
    phone.get_by_role("button", name="Siirrä tapaaminen").click()
    expect(phone.locator(".message--success")).to_be_visible()
    second.refresh_from_db()
    assert second.starts_at.astimezone(HELSINKI).date() == taken.date()


def test_it_removes_a_partner_after_saying_what_it_stops_seeing(phone: Page, unit: DeliveryUnit) -> None:
    # An accepted partnership as the fixtures make it (the partner's own acceptance is tested elsewhere).
    partner = organisation_create(name="Ikaalisten seurakunta", slug="seurakunta", kind="ngo", business_id="0211675-2")
    Partnership.objects.create(programme=unit.programme, organisation=partner)
    sign_in(phone, "koordinaattori@ikaalinen.example", PASSWORD)
    _on_phone(phone, reverse("programmes:detail", args=[unit.programme.slug]))
    phone.get_by_role("link", name="Poista Ikaalisten seurakunta").click()
    expect(phone.locator("main h1")).to_be_visible()
    if phone.locator("main input[name='password']").count():  # the password again, unless just given
        phone.locator("main input[name='password']").fill(PASSWORD)
        submit(phone, "password")
    expect(phone.locator("main h1")).to_have_text("Poista Ikaalisten seurakunta")
    assert_accessible(phone)
    phone.locator("main [name='why']").fill("Lisätty vahingossa")
    phone.locator("main form:has([name='why']) button[type=submit]").click()
    expect(phone.locator(".message--success")).to_contain_text("Ikaalisten seurakunta")
    assert not Partnership.objects.filter(programme=unit.programme).exists()


def test_it_archives_an_ended_unit_and_restores_it(phone: Page, unit: DeliveryUnit) -> None:
    unit_change_status(actor=None, unit=unit, status="cancelled", reason="Liian vähän osallistujia")
    sign_in(phone, "koordinaattori@ikaalinen.example", PASSWORD)
    _on_phone(phone, reverse("programmes:unit_detail", args=[unit.uuid]))
    phone.get_by_role("link", name="Arkistoi toteutus").click()
    assert_accessible(phone)
    phone.locator("main [name='why']").fill("Testiryhmä")
    phone.get_by_role("button", name="Arkistoi", exact=True).click()
    expect(phone.locator(".message--success")).to_contain_text("arkistoitiin")
    programme_page = reverse("programmes:detail", args=[unit.programme.slug])
    _on_phone(phone, programme_page)
    expect(phone.locator("main table")).to_have_count(0)  # the only unit is out of the list
    phone.get_by_role("link", name=re.compile("^Näytä arkistoidut")).click()
    phone.get_by_role("link", name=unit.name).click()
    expect(phone.locator(".message--warning").first).to_contain_text("Testiryhmä")
    assert_accessible(phone)
    phone.get_by_role("button", name="Palauta arkistosta").click()
    expect(phone.locator(".message--success")).to_contain_text("palautettiin")
    unit.refresh_from_db()
    assert not unit.is_archived


def test_it_deletes_a_draft_site_and_says_why_a_live_programme_is_not_archived(
    desktop: Page, unit: DeliveryUnit
) -> None:
    draft = site_create(actor=None, programme=unit.programme, organisation=unit.organisation, name="Väärä paikka")
    sign_in(desktop, "koordinaattori@ikaalinen.example", PASSWORD)
    desktop.goto(reverse("programmes:detail", args=[unit.programme.slug]))
    assert_accessible(desktop)
    desktop.get_by_role("button", name="Poista Väärä paikka").click()
    expect(desktop.locator(".message--success")).to_contain_text("Väärä paikka")
    assert not Site.objects.filter(pk=draft.pk).exists()
    # The programme still has a unit to come: archiving it is refused, saying what to do first.
    desktop.get_by_role("link", name="Arkistoi", exact=True).click()
    desktop.locator("main [name='why']").fill("Testi")
    desktop.get_by_role("button", name="Arkistoi", exact=True).click()
    expect(desktop.locator(".error-summary, .message--error, .field-error").first).to_contain_text(unit.name)
    assert_accessible(desktop)


def test_it_records_consent_for_two_purposes_in_one_form(phone: Page, unit: DeliveryUnit) -> None:
    person = make_participant(unit.organisation)
    sign_in(phone, "koordinaattori@ikaalinen.example", PASSWORD)
    _on_phone(phone, reverse("people:consent_add", args=[person.uuid]))
    phone.get_by_label("osallistuminen", exact=True).check()
    phone.get_by_label("vastausten käyttö arviointiin").check()
    phone.locator("main [name='method'][value='written']").check()
    phone.get_by_role("button", name="Kirjaa suostumus").click()
    expect(phone.locator(".message--success")).to_contain_text("2")
    assert_accessible(phone)
    assert set(person.consents.values_list("purpose", flat=True)) == {"participation", "evaluation"}


def test_it_edits_a_unit_after_showing_every_error_and_deletes_a_draft_unit(desktop: Page, unit: DeliveryUnit) -> None:
    sign_in(desktop, "koordinaattori@ikaalinen.example", PASSWORD)
    desktop.goto(reverse("programmes:unit_detail", args=[unit.uuid]))
    desktop.get_by_role("link", name="Muokkaa toteutusta").click()
    desktop.locator("main [name='name']").fill("")
    desktop.locator("main [name='capacity']").fill("4")
    desktop.locator("main [name='minimum_size']").fill("6")
    desktop.get_by_role("button", name="Tallenna").click()
    expect(desktop.locator(".field-error")).to_have_count(2)  # the missing name and the sizes, at once
    assert_accessible(desktop)
    desktop.locator("main [name='name']").fill("Ikaalinen: tiistairyhmä")
    desktop.locator("main [name='minimum_size']").fill("3")
    desktop.get_by_role("button", name="Tallenna").click()
    expect(desktop.locator("main h1")).to_have_text("Ikaalinen: tiistairyhmä")
    # Nobody is enrolled and nothing has been held: the unit set up by mistake goes for good.
    desktop.get_by_role("button", name="Poista tämä toteutus").click()
    expect(desktop.locator(".message--success")).to_contain_text("Ikaalinen: tiistairyhmä")
    assert_accessible(desktop)
    assert not DeliveryUnit.objects.filter(pk=unit.pk).exists()
