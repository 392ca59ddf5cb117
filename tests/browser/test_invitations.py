"""The due list's "send to everyone missing" on a phone: one press, each person invited once."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from conftest import PASSWORD, make_user
from pilotti.organisations.models import Role
from pilotti.organisations.services import membership_add, organisation_create
from pilotti.people import services as people
from pilotti.people.models import ConsentPurpose
from pilotti.programmes.models import Programme
from tests.browser.axe import assert_accessible
from tests.browser.conftest import PHONE
from tests.browser.pages import sign_in
from tests.factories import enrol, make_participant, make_programme, make_unit, plan


@pytest.fixture
def due(transactional_db: None) -> tuple[str, Programme]:
    """Three people enrolled today with consent, the plan asking for a questionnaire at intake."""
    organisation = organisation_create(
        name="Ikaalisten kaupunki", slug="ikaalinen", kind="municipality", business_id="0187690-1"
    )
    user = make_user("koordinaattori@ikaalinen.example", with_mfa=False, is_demo=True, full_name="Kaisa Koordinaattori")
    membership_add(organisation=organisation, user=user, role=Role.COORDINATOR)
    programme = make_programme(organisation, name="Päivätoiminta")
    today = timezone.localdate()
    unit = make_unit(programme, name="Päivätoiminta", count=4, first=today + timedelta(days=7))
    plan(programme, "pilotti-final-survey", "intake")
    for n in range(3):
        person = make_participant(organisation, name=f"Henkilö {n}", email=f"h{n}@example.org")
        enrol(person, unit, stage="enrolled", on=today)
        people.consents_give(
            actor=None, participant=person, purposes=[ConsentPurpose.EVALUATION], given_on=today, method="written"
        )
    return user.email, programme


def test_a_coordinator_sends_to_everyone_missing_on_a_phone(
    phone: Page, due: tuple[str, Programme], tmp_path: Path
) -> None:
    email, programme = due
    sign_in(phone, email, PASSWORD)
    phone.goto(reverse("measurement:programme_due", kwargs={"slug": programme.slug}))
    send = phone.get_by_role("button", name="Lähetä kaikille puuttuville (3)")
    expect(send).to_be_visible()
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(phone)
    send.click()
    expect(phone.get_by_text("Kutsuja lähetetty: 3. Muistutuksia lähetetty: 0.")).to_be_visible()
    expect(phone.locator(".due-invitation", has_text="lähetetty")).to_have_count(3)
    expect(phone.get_by_role("button", name="Muistuta nyt")).to_have_count(3)
    expect(phone.get_by_role("button", name="Lähetä kaikille puuttuville (3)")).to_have_count(0)
    assert sorted(m.to[0] for m in mail.outbox) == ["h0@example.org", "h1@example.org", "h2@example.org"]
    assert all(m.body.startswith("Ikaalisten kaupunki · Päivätoiminta: ") for m in mail.outbox)
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(phone)
    phone.screenshot(path=tmp_path / "due-sent.png", full_page=True)
