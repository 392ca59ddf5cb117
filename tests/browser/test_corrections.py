"""A coordinator corrects the mistakes of issue 20 through the pages alone (in Finnish)."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from conftest import PASSWORD, make_user
from pilotti.core.zone import HELSINKI
from pilotti.meetings.services import unit_change_status
from pilotti.organisations.models import Role
from pilotti.organisations.services import membership_add, organisation_create
from pilotti.programmes.models import DeliveryUnit, Partnership, Site
from pilotti.programmes.services import site_create
from pilotti.recruitment.models import Enrolment
from tests.browser.axe import assert_accessible
from tests.browser.conftest import PHONE
from tests.browser.pages import sign_in, submit
from tests.factories import enrol, make_participant, make_programme, make_unit


@pytest.fixture(params=["desktop", "phone"])
def screen(request: pytest.FixtureRequest) -> Page:
    """Each mistake is made and corrected at 1280 px and again at 390 px."""
    page: Page = request.getfixturevalue(request.param)
    return page


@pytest.fixture
def unit(transactional_db: None) -> DeliveryUnit:
    organisation = organisation_create(
        name="Ikaalisten kaupunki", slug="ikaalinen", kind="municipality", business_id="0245437-2"
    )
    # A demo-flagged account skips the MFA step, which test_sign_in covers on its own.
    user = make_user("koordinaattori@ikaalinen.example", with_mfa=False, is_demo=True, full_name="Kaisa K")
    membership_add(organisation=organisation, user=user, role=Role.COORDINATOR)
    return make_unit(make_programme(organisation), first=timezone.localdate() + timedelta(days=3))


def test_it_corrects_a_contact_date_typed_a_year_ahead(screen: Page, unit: DeliveryUnit) -> None:
    # The mistake of the issue: the contact day typed a year ahead, which locked every later step.
    typo = timezone.localdate() + timedelta(days=365)
    enrolment = enrol(make_participant(unit.organisation), unit, stage="contacted", on=typo)
    sign_in(screen, "koordinaattori@ikaalinen.example", PASSWORD)
    screen.goto(reverse("recruitment:enrolment_detail", args=[enrolment.uuid]))
    assert_accessible(screen)
    correct = screen.locator("form[action$='/correct/']")
    correct.locator("[name='on']").fill((timezone.localdate() - timedelta(days=1)).isoformat())
    correct.locator("[name='why']").fill("Väärä vuosi")
    correct.get_by_role("button", name="Tallenna korjaus").click()
    expect(screen.locator(".timeline")).to_contain_text("Korjaus")
    assert_accessible(screen)
    enrolment.refresh_from_db()
    assert enrolment.contacted_on < typo

    move = screen.locator("form[action$='/move/']")
    move.locator("[name='to']").select_option("interested")
    move.get_by_role("button", name="Tallenna vaihe").click()
    expect(screen.locator(".badge")).to_have_text("kiinnostunut")
    undo = screen.locator("form[action$='/undo/']")
    undo.locator("[name='why']").fill("Ei vielä")
    undo.get_by_role("button", name="Peru vaihe").click()
    expect(screen.locator(".timeline")).to_contain_text("Peruttu")
    assert Enrolment.objects.get().stage == "contacted"


def test_it_changes_a_units_schedule_after_a_preview(screen: Page, unit: DeliveryUnit) -> None:
    sign_in(screen, "koordinaattori@ikaalinen.example", PASSWORD)
    screen.goto(reverse("programmes:unit_detail", args=[unit.uuid]))
    screen.get_by_role("link", name="Muuta aikataulua").click()
    expect(screen.locator("main [name='count']")).to_be_visible()  # axe checks the new page, not the old
    assert_accessible(screen)
    screen.locator("main [name='count']").fill("5")
    screen.get_by_role("button", name="Esikatsele muutosta").click()
    expect(screen.locator("#change-heading")).to_have_text("Mikä muuttuu")
    assert_accessible(screen)
    assert_fits(screen)
    screen.get_by_role("button", name="Tallenna uusi aikataulu").click()
    expect(screen.locator("h1")).to_have_text(unit.name)
    assert unit.meetings.filter(status="scheduled").count() == 5


# --- Meetings, partners and archiving (each page axe-checked, nothing scrolling sideways) ---------


def assert_fits(page: Page) -> None:
    """Nothing scrolls sideways at the page's width."""
    width = page.viewport_size["width"] if page.viewport_size else PHONE["width"]
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width


def _open(page: Page, url: str) -> None:
    page.goto(url)
    assert_accessible(page)
    assert_fits(page)


def test_it_restores_a_cancelled_meeting(screen: Page, unit: DeliveryUnit) -> None:
    sign_in(screen, "koordinaattori@ikaalinen.example", PASSWORD)
    _open(screen, reverse("programmes:unit_detail", args=[unit.uuid]))
    screen.locator("main a[href$='/cancel/']").nth(1).click()
    screen.locator("main [name='reason']").fill("Ohjaaja sairastui")
    screen.get_by_role("button", name="Peru tapaaminen").click()
    expect(screen.locator(".message--success")).to_be_visible()
    cancelled = unit.meetings.get(status="cancelled")
    _open(screen, reverse("programmes:unit_detail", args=[unit.uuid]))
    screen.locator(f"form[action$='/{cancelled.uuid}/restore/'] button").click()
    expect(screen.locator(".message--success")).to_be_visible()
    assert_accessible(screen)
    cancelled.refresh_from_db()
    assert (cancelled.status, cancelled.cancel_reason) == ("scheduled", "")


def test_it_asks_before_moving_a_meeting_onto_another(screen: Page, unit: DeliveryUnit) -> None:
    second, third = unit.meetings.order_by("starts_at")[1:3]
    taken = third.starts_at.astimezone(HELSINKI)
    sign_in(screen, "koordinaattori@ikaalinen.example", PASSWORD)
    _open(screen, reverse("meetings:move", args=[second.uuid]))
    screen.locator("main [name='day']").fill(taken.date().isoformat())
    screen.get_by_role("button", name="Siirrä tapaaminen").click()
    keep = screen.get_by_label("Pidä tämä aika silti")
    expect(keep).to_be_visible()  # the meeting's own words, not the funnel's "Päivä on oikein"
    expect(screen.locator(".field-error").first).to_contain_text(unit.name)
    assert_accessible(screen)
    assert_fits(screen)
    keep.check()
    screen.get_by_role("button", name="Siirrä tapaaminen").click()
    expect(screen.locator(".message--success")).to_be_visible()
    second.refresh_from_db()
    assert second.starts_at.astimezone(HELSINKI).date() == taken.date()


def test_it_removes_a_partner_after_saying_what_it_stops_seeing(screen: Page, unit: DeliveryUnit) -> None:
    # An accepted partnership as the fixtures make it (the partner's own acceptance is tested elsewhere).
    partner = organisation_create(name="Ikaalisten seurakunta", slug="seurakunta", kind="ngo", business_id="0211675-2")
    Partnership.objects.create(programme=unit.programme, organisation=partner)
    sign_in(screen, "koordinaattori@ikaalinen.example", PASSWORD)
    _open(screen, reverse("programmes:detail", args=[unit.programme.slug]))
    screen.get_by_role("link", name="Poista Ikaalisten seurakunta").click()
    expect(screen.locator("main h1")).to_be_visible()
    if screen.locator("main input[name='password']").count():  # the password again, unless just given
        screen.locator("main input[name='password']").fill(PASSWORD)
        submit(screen, "password")
    expect(screen.locator("main h1")).to_have_text("Poista Ikaalisten seurakunta")
    assert_accessible(screen)
    screen.locator("main [name='why']").fill("Lisätty vahingossa")
    screen.locator("main form:has([name='why']) button[type=submit]").click()
    expect(screen.locator(".message--success")).to_contain_text("Ikaalisten seurakunta")
    assert not Partnership.objects.filter(programme=unit.programme).exists()


def test_it_archives_an_ended_unit_and_restores_it(screen: Page, unit: DeliveryUnit) -> None:
    unit_change_status(actor=None, unit=unit, status="cancelled", reason="Liian vähän osallistujia")
    sign_in(screen, "koordinaattori@ikaalinen.example", PASSWORD)
    _open(screen, reverse("programmes:unit_detail", args=[unit.uuid]))
    screen.get_by_role("link", name="Arkistoi toteutus").click()
    expect(screen.locator("main [name='why']")).to_be_visible()  # axe checks the new page, not the old
    assert_accessible(screen)
    screen.locator("main [name='why']").fill("Testiryhmä")
    screen.get_by_role("button", name="Arkistoi", exact=True).click()
    expect(screen.locator(".message--success")).to_contain_text("arkistoitiin")
    programme_page = reverse("programmes:detail", args=[unit.programme.slug])
    _open(screen, programme_page)
    expect(screen.locator("main table")).to_have_count(0)  # the only unit is out of the list
    screen.get_by_role("link", name=re.compile("^Näytä arkistoidut")).click()
    screen.get_by_role("link", name=unit.name).click()
    expect(screen.locator(".message--warning").first).to_contain_text("Testiryhmä")
    assert_accessible(screen)
    screen.get_by_role("button", name="Palauta arkistosta").click()
    expect(screen.locator(".message--success")).to_contain_text("palautettiin")
    unit.refresh_from_db()
    assert not unit.is_archived


def test_it_deletes_a_draft_site_and_says_why_a_live_programme_is_not_archived(
    screen: Page, unit: DeliveryUnit
) -> None:
    draft = site_create(actor=None, programme=unit.programme, organisation=unit.organisation, name="Väärä paikka")
    sign_in(screen, "koordinaattori@ikaalinen.example", PASSWORD)
    screen.goto(reverse("programmes:detail", args=[unit.programme.slug]))
    assert_accessible(screen)
    screen.get_by_role("button", name="Poista Väärä paikka").click()
    expect(screen.locator(".message--success")).to_contain_text("Väärä paikka")
    assert not Site.objects.filter(pk=draft.pk).exists()
    # The programme still has a unit to come: archiving it is refused, saying what to do first.
    screen.get_by_role("link", name="Arkistoi", exact=True).click()
    screen.locator("main [name='why']").fill("Testi")
    screen.get_by_role("button", name="Arkistoi", exact=True).click()
    expect(screen.locator(".error-summary, .message--error, .field-error").first).to_contain_text(unit.name)
    assert_accessible(screen)


def test_it_records_consent_for_two_purposes_in_one_form(screen: Page, unit: DeliveryUnit) -> None:
    person = make_participant(unit.organisation)
    sign_in(screen, "koordinaattori@ikaalinen.example", PASSWORD)
    _open(screen, reverse("people:consent_add", args=[person.uuid]))
    screen.get_by_label("osallistuminen", exact=True).check()
    screen.get_by_label("vastausten käyttö arviointiin").check()
    screen.locator("main [name='method'][value='written']").check()
    screen.get_by_role("button", name="Kirjaa suostumus").click()
    expect(screen.locator(".message--success")).to_contain_text("2")
    assert_accessible(screen)
    assert set(person.consents.values_list("purpose", flat=True)) == {"participation", "evaluation"}


def test_it_edits_a_unit_after_showing_every_error_and_deletes_a_draft_unit(screen: Page, unit: DeliveryUnit) -> None:
    sign_in(screen, "koordinaattori@ikaalinen.example", PASSWORD)
    screen.goto(reverse("programmes:unit_detail", args=[unit.uuid]))
    screen.get_by_role("link", name="Muokkaa toteutusta").click()
    screen.locator("main [name='name']").fill("")
    screen.locator("main [name='capacity']").fill("4")
    screen.locator("main [name='minimum_size']").fill("6")
    screen.get_by_role("button", name="Tallenna").click()
    expect(screen.locator(".field-error")).to_have_count(2)  # the missing name and the sizes, at once
    assert_accessible(screen)
    screen.locator("main [name='name']").fill("Ikaalinen: tiistairyhmä")
    screen.locator("main [name='minimum_size']").fill("3")
    screen.get_by_role("button", name="Tallenna").click()
    expect(screen.locator("main h1")).to_have_text("Ikaalinen: tiistairyhmä")
    # Nobody is enrolled and nothing has been held: the unit set up by mistake goes for good.
    screen.get_by_role("button", name="Poista tämä toteutus").click()
    expect(screen.locator(".message--success")).to_contain_text("Ikaalinen: tiistairyhmä")
    assert_accessible(screen)
    assert not DeliveryUnit.objects.filter(pk=unit.pk).exists()
