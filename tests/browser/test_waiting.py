"""A facilitator's "waiting for you" on a phone: last week's roll call, and who to call."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from conftest import PASSWORD, make_user
from pilotti.meetings import services as meeting_services
from pilotti.meetings.models import Meeting
from pilotti.organisations.models import Role
from pilotti.organisations.services import membership_add, organisation_create
from pilotti.people.models import Participant
from tests.browser.axe import assert_accessible
from tests.browser.conftest import PHONE
from tests.browser.pages import sign_in
from tests.factories import add_participants, make_programme, make_unit


@pytest.fixture
def weeks(transactional_db: None) -> tuple[str, list[Meeting], list[Participant]]:
    organisation = organisation_create(name="Oulun kaupunki", slug="oulu", kind="municipality", business_id="0187690-1")
    user = make_user("ohjaaja@oulu.example", with_mfa=False, is_demo=True, full_name="Olli Ohjaaja")
    membership_add(organisation=organisation, user=user, role=Role.FACILITATOR)
    unit = make_unit(make_programme(organisation, name="Perhepolku"), name="Tuira", count=1, facilitator=user)
    now = timezone.now()
    meetings = [
        meeting_services.meeting_add(actor=None, unit=unit, starts_at=now - timedelta(weeks=w)) for w in (3, 2, 1)
    ]
    people = sorted(add_participants(unit, 2), key=lambda p: p.code)
    for meeting in meetings[:2]:
        for person in people:
            status = "absent" if person == people[0] else "present"
            meeting_services.attendance_record(actor=user, meeting=meeting, participant=person, status=status)
        meeting_services.meeting_mark_held(actor=user, meeting=meeting)
    return user.email, meetings, people


def test_it_shows_a_facilitator_what_is_waiting_on_a_phone(
    phone: Page, weeks: tuple[str, list[Meeting], list[Participant]], tmp_path: Path
) -> None:
    email, meetings, people = weeks
    sign_in(phone, email, PASSWORD)
    phone.goto(reverse("meetings:mine"))

    waiting = phone.locator("section.waiting")
    expect(waiting.get_by_role("heading", name="Odottaa sinua")).to_be_visible()
    # Last week's meeting still needs its roll call; the first person missed the two before it.
    expect(waiting.locator(f"a[href='{reverse('meetings:detail', args=[meetings[2].uuid])}']")).to_be_visible()
    expect(waiting.get_by_text("läsnäolot merkitsemättä")).to_be_visible()
    expect(waiting.get_by_role("link", name=people[0].code)).to_be_visible()
    expect(waiting.get_by_role("link", name=people[1].code)).to_have_count(0)
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(phone)
    waiting.screenshot(path=tmp_path / "waiting.png")
