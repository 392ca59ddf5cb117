"""A facilitator takes the roll call of a ten-person group by taps, on a phone (in Finnish)."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, Route, expect

from conftest import PASSWORD, make_user
from pilotti.meetings import services
from pilotti.meetings.models import Attendance, Meeting
from pilotti.organisations.models import Role
from pilotti.organisations.services import membership_add, organisation_create
from pilotti.people.models import Participant
from tests.browser.axe import assert_accessible
from tests.browser.conftest import PHONE
from tests.browser.pages import sign_in
from tests.factories import add_participants, make_programme, make_site, make_unit

# Taps per person, in the order of the list: 1 = present, 2 = absent, 3 = excused.
TAPS = [1, 2, 3, 1, 1, 2, 1, 3, 1, 1]
STATUS_AFTER = {1: "present", 2: "absent", 3: "excused"}


@pytest.fixture
def group(transactional_db: None) -> tuple[str, Meeting, list[Participant]]:
    organisation = organisation_create(
        name="Tampereen kaupunki", slug="tampere", kind="municipality", business_id="0211675-2"
    )
    # A demo-flagged account skips the MFA step, which test_sign_in covers on its own.
    user = make_user("ohjaaja@tampere.example", with_mfa=False, is_demo=True, full_name="Olli Ohjaaja")
    membership_add(organisation=organisation, user=user, role=Role.FACILITATOR)
    programme = make_programme(organisation, name="Pikkulapsiperheet")
    unit = make_unit(programme, name="Hervanta", count=1, site=make_site(programme), facilitator=user)
    meeting = services.meeting_add(actor=None, unit=unit, starts_at=timezone.now() - timedelta(minutes=30))
    people = sorted(add_participants(unit, 10), key=lambda p: p.code)
    return user.email, meeting, people


def test_it_takes_a_whole_roll_call_by_taps_and_marks_the_meeting_held(
    phone: Page, group: tuple[str, Meeting, list[Participant]]
) -> None:
    email, meeting, people = group
    sign_in(phone, email, PASSWORD)
    phone.goto(reverse("meetings:detail", args=[meeting.uuid]))
    rows = phone.locator(".roll-call__row")
    expect(rows).to_have_count(10)
    expect(phone.locator(".roll-call__tap").first).to_be_visible()  # roll_call.js turned the form into taps
    expect(phone.locator(".roll-call__choice").first).to_be_hidden()
    assert_accessible(phone)
    assert rows.locator(".roll-call__tap .code").all_inner_texts() == [p.code for p in people]
    box = phone.locator(".roll-call__tap").first.bounding_box()
    assert box is not None
    assert box["height"] >= 44

    for person, taps in zip(people, TAPS, strict=True):
        row = phone.locator(f"#person-{person.uuid}")
        for tap in range(1, taps + 1):
            row.locator("button").click()
            # Each tap is saved before the next: the row comes back from the server, saved.
            expect(row).to_have_class(re.compile(rf"\bis-{STATUS_AFTER[tap]}\b"))
            expect(row).to_have_attribute("data-state", "saved")

    stored = dict(Attendance.objects.filter(meeting=meeting).values_list("participant_id", "status"))
    assert stored == {p.pk: STATUS_AFTER[taps] for p, taps in zip(people, TAPS, strict=True)}
    assert_accessible(phone)
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]

    phone.locator(f"form[action='{reverse('meetings:mark_held', args=[meeting.uuid])}'] button").click()
    expect(phone.locator(".message--success")).to_be_visible()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD
    assert_accessible(phone)


def test_it_shows_a_failed_tap_and_saves_it_on_a_later_try(
    phone_context: BrowserContext, group: tuple[str, Meeting, list[Participant]]
) -> None:
    # Not the `phone` fixture: htmx itself logs a failed request on the console, which that
    # fixture counts as an error. Every other console error still fails this test.
    phone = phone_context.new_page()
    errors: list[str] = []
    phone.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    email, meeting, people = group
    sign_in(phone, email, PASSWORD)
    phone.goto(reverse("meetings:detail", args=[meeting.uuid]))
    failures = {"left": 1}

    def flaky_network(route: Route) -> None:
        if failures["left"]:
            failures["left"] -= 1
            route.abort("internetdisconnected")
        else:
            route.continue_()

    phone.route(re.compile(r".*/attendance/[0-9a-f-]+/$"), flaky_network)
    row = phone.locator(f"#person-{people[0].uuid}")
    row.locator("button").click()
    expect(row).to_have_attribute("data-state", "failed")
    expect(row.locator(".roll-call__state")).not_to_be_empty()
    assert not Attendance.objects.exists()
    # roll_call.js tries again by itself after a couple of seconds.
    expect(row).to_have_attribute("data-state", "saved", timeout=10_000)
    assert Attendance.objects.get().status == "present"
    unexpected = [e for e in errors if not e.startswith(("htmx:", "Failed to load resource"))]
    assert not unexpected


# Asked of the page itself, polled by time: Playwright's to_be_focused also wants the window
# focused, and animation frames (the default polling) stall in a headless page that is not in front.
FOCUSED = "id => document.activeElement !== null && document.activeElement.id === id"


def test_it_keeps_the_keyboard_on_the_row_and_takes_a_mark_away_on_the_fourth_press(
    phone: Page, group: tuple[str, Meeting, list[Participant]]
) -> None:
    email, meeting, people = group
    phone.bring_to_front()  # the keyboard and the focus belong to the page in front
    sign_in(phone, email, PASSWORD)
    # The page asks for the client panel's count as it loads; its answer is awaited before the
    # first mark, as the test database (SQLite in memory, shared cache) refuses a second writer
    # at once, and the poll saves the session while the mark is saved.
    panel = reverse("surveys:panel", args=[meeting.uuid])
    with phone.expect_response(lambda response: response.url.endswith(panel)):
        phone.goto(reverse("meetings:detail", args=[meeting.uuid]))
    row = phone.locator(f"#person-{people[0].uuid}")
    tap_id = f"tap-{people[0].uuid}"
    row.locator("button").focus()
    for status in ("present", "absent", "excused"):
        phone.keyboard.press("Enter")
        expect(row).to_have_class(re.compile(rf"\bis-{status}\b"))
        expect(row).to_have_attribute("data-state", "saved")
        # Focus stays on the person's row, so the next Enter marks the same person again.
        phone.wait_for_function(FOCUSED, arg=tap_id, polling=100)
    phone.keyboard.press("Enter")
    expect(row).not_to_have_class(re.compile(r"\bis-(present|absent|excused)\b"))
    expect(row).to_have_attribute("data-state", "saved")
    assert not Attendance.objects.filter(participant=people[0]).exists()
    phone.wait_for_function(FOCUSED, arg=tap_id, polling=100)
    assert_accessible(phone)
