"""Participants answer on a phone (390 px): a personal link in Finnish, one in Arabic (right to
left), and a client-panel QR code; every page axe-clean, the stored answers and scores checked."""

import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from conftest import PASSWORD, make_user
from pilotti.instruments.models import Mode, Response
from pilotti.instruments.services import library_load
from pilotti.measurement.models import SafetyAlert
from pilotti.meetings import services as meeting_services
from pilotti.meetings.models import Meeting
from pilotti.organisations.models import Role
from pilotti.organisations.services import membership_add, organisation_create
from pilotti.people.models import Participant
from pilotti.surveys.staff_views import qr_data_uri
from tests.browser.axe import assert_accessible
from tests.browser.conftest import PHONE
from tests.browser.pages import sign_in
from tests.factories import add_participants, link_for, make_programme, make_site, make_unit, safety_instrument

# Kept for a person to look at: the Arabic page, right to left, with a message shown.
SCREENSHOT = Path(tempfile.gettempdir()) / "pilotti-answering-ar-390.png"


@pytest.fixture
def group(transactional_db: None) -> tuple[str, Meeting, list[Participant]]:
    organisation = organisation_create(
        name="Ikaalisten kaupunki", slug="ikaalinen", kind="municipality", business_id="0211675-2"
    )
    user = make_user("ohjaaja@ikaalinen.example", with_mfa=False, is_demo=True, full_name="Olli Ohjaaja")
    membership_add(organisation=organisation, user=user, role=Role.FACILITATOR)
    programme = make_programme(organisation, name="Päivätoiminta")
    unit = make_unit(programme, name="Ikaalinen", count=1, site=make_site(programme), facilitator=user)
    meeting = meeting_services.meeting_add(actor=None, unit=unit, starts_at=timezone.now() - timedelta(minutes=90))
    library_load()
    people = add_participants(unit, 2)
    Participant.objects.filter(pk=people[0].pk).update(preferred_language="suomi")
    Participant.objects.filter(pk=people[1].pk).update(preferred_language="arabia")
    return user.email, meeting, people


def fits(page: Page) -> None:
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page)


def tile(page: Page, item: str, value: str) -> Any:
    return page.locator(f"label.tile:has(input[name='q-{item}'][value='{value}'])")


def test_a_participant_answers_in_finnish_pauses_and_resumes(
    phone: Page, group: tuple[str, Meeting, list[Participant]]
) -> None:
    _email, _meeting, (finn, _arab) = group
    _link, token = link_for(finn, key="pilotti-final-survey")
    phone.goto(f"/q/{token}/")
    expect(phone.locator("html")).to_have_attribute("lang", "fi")
    expect(phone.locator("html")).to_have_attribute("dir", "ltr")
    expect(phone.locator("h1")).to_have_text("Loppukysely")
    fits(phone)
    box = tile(phone, "benefit", "4").bounding_box()
    assert box is not None
    assert box["height"] >= 44

    tile(phone, "benefit", "4").click()
    phone.locator("button[value=pause]").click()
    expect(phone.locator(".message--success")).to_be_visible()
    fits(phone)
    assert Response.objects.get(participant=finn).submitted_at is None

    phone.goto(f"/q/{token}/")  # later, from the same link
    expect(phone.locator("input[name='q-benefit'][value='4']")).to_be_checked()
    tile(phone, "drew_in", "1").click()
    phone.locator("textarea").fill("Mukava porukka")
    phone.locator("button[value=submit]").click()
    expect(phone.locator("h1")).to_be_visible()
    fits(phone)
    stored = Response.objects.get(participant=finn)
    assert stored.submitted_at is not None
    assert stored.mode == Mode.PERSONAL_LINK
    assert stored.language == "fi"
    answers = {a.item.key: a for a in stored.answers.select_related("item")}
    assert answers["benefit"].value == 4
    assert [o.value for o in answers["drew_in"].choices.all()] == [1]
    assert "Mukava porukka" in {a.text for a in answers.values()}

    # WHO-5 has no official Finnish wording in the library: the page offers English.
    _link, who5 = link_for(finn)
    phone.goto(f"/q/{who5}/")
    expect(phone.locator("input[name='q-q1']")).to_have_count(0)
    fits(phone)
    phone.locator(".choice-list a[hreflang=en]").click()
    expect(phone.locator("html")).to_have_attribute("lang", "en")
    for item, value in {"q1": "5", "q2": "4", "q3": "3", "q4": "2", "q5": "1"}.items():
        tile(phone, item, value).click()
    fits(phone)
    phone.locator("button[value=submit]").click()
    expect(phone.locator("h1")).to_have_text("Thank you!")
    who5_response = Response.objects.get(participant=finn, version__instrument__key="who-5")
    assert who5_response.total == 60  # raw 15 × 4
    assert who5_response.band is not None


def test_a_participant_answers_in_arabic_right_to_left(
    new_context: Any, group: tuple[str, Meeting, list[Participant]]
) -> None:
    _email, _meeting, (_finn, arab) = group
    _link, token = link_for(arab, key="pilotti-final-survey")
    phone = new_context(viewport=PHONE, screen=PHONE, is_mobile=True, has_touch=True).new_page()
    phone.goto(f"/q/{token}/")
    expect(phone.locator("html")).to_have_attribute("lang", "ar")
    expect(phone.locator("html")).to_have_attribute("dir", "rtl")
    expect(phone.locator("h1")).to_have_text("الاستبيان الختامي")
    fits(phone)

    phone.locator("textarea").fill("شكرًا")
    phone.locator("button[value=submit]").click()  # the required benefit question is missing
    expect(phone.locator(".error-summary")).to_contain_text("يرجى الإجابة عن هذا السؤال.")
    expect(phone.locator("textarea")).to_have_value("شكرًا")
    fits(phone)
    phone.screenshot(path=SCREENSHOT, full_page=True)

    tile(phone, "benefit", "5").click()
    phone.locator("button[value=submit]").click()
    expect(phone.locator("h1")).to_have_text("شكرًا لك!")
    fits(phone)
    stored = Response.objects.get(participant=arab)
    assert stored.language == "ar"
    assert stored.answers.get(item__key="benefit").value == 5


def test_a_participant_answers_the_client_panel_qr_code(
    phone: Page, new_context: Any, group: tuple[str, Meeting, list[Participant]]
) -> None:
    email, meeting, _people = group
    staff = new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(staff, email, PASSWORD)
    staff.goto(f"/meetings/{meeting.uuid}/")
    expect(staff.locator("#surveys-heading")).to_be_visible()
    staff.locator("#surveys-heading ~ p a[href$='/panel/']").click()
    staff.locator("form[action$='/panel/save/'] button[type=submit]").click()
    qr = staff.locator("figure.qr img")
    expect(qr).to_be_visible()
    assert_accessible(staff)
    url = staff.locator(".qr__url").inner_text()
    assert qr.get_attribute("src") == qr_data_uri(url)  # the QR code encodes exactly this address

    phone.goto(url)
    expect(phone.locator("html")).to_have_attribute("lang", "fi")
    expect(phone.locator("h1")).to_have_text("Arvio tapaamisesta")
    fits(phone)
    tile(phone, "rating", "9").click()
    phone.locator("button[value=submit]").click()
    expect(phone.locator("input[name='q-rating']")).to_have_count(0)  # one answer per phone
    fits(phone)

    stored = Response.objects.get(meeting=meeting)
    assert stored.mode == Mode.CLIENT_PANEL
    assert stored.participant is None
    assert stored.total == 9
    expect(staff.locator(".panel-count")).to_contain_text("1", timeout=10_000)  # htmx polling


# The crisis block in the three languages the issue names: the Finnish crisis line for everyone,
# and the line of the person's own language where one exists.
HELP_LINE_OF = {"fi": "09 2525 0111", "sv": "09 2525 0112", "ar": "09 2525 0113"}
HELP_HEADING = {"fi": "Apua nyt", "sv": "Hjälp nu", "ar": "مساعدة الآن"}


@pytest.mark.parametrize("language", sorted(HELP_LINE_OF))
def test_a_safety_answer_shows_where_to_get_help(
    phone: Page, group: tuple[str, Meeting, list[Participant]], language: str
) -> None:
    _email, meeting, (finn, _arab) = group
    version = safety_instrument(meeting.unit.programme.organisation, languages=("en", "fi", "sv", "ar"))
    _link, token = link_for(finn, version=version)
    phone.goto(f"/q/{token}/?lang={language}")
    expect(phone.locator("html")).to_have_attribute("lang", language)
    for item in range(1, 9):
        tile(phone, f"q{item}", "0").click()
    tile(phone, "q9", "1").click()  # thoughts of self-harm on several days
    phone.locator("button[value=submit]").click()

    help_now = phone.get_by_role("region", name=HELP_HEADING[language])
    expect(help_now).to_be_visible()
    expect(help_now.locator("a[href='tel:112']")).to_be_visible()
    expect(help_now.locator("a[href='tel:+358925250111']")).to_have_text("09 2525 0111")
    expect(help_now).to_contain_text(HELP_LINE_OF[language])
    fits(phone)
    phone.screenshot(path=Path(tempfile.gettempdir()) / f"pilotti-help-now-{language}-390.png", full_page=True)
    assert SafetyAlert.objects.filter(participant=finn).count() == 1
