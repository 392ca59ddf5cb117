from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.urls import reverse

from conftest import World, signed_in
from pilotti.audit.models import AccessLog, Category
from pilotti.meetings.models import Attendance, Meeting
from pilotti.people.models import Participant
from pilotti.people.services import MemberFields, household_save
from pilotti.programmes.models import DeliveryUnit
from pilotti.recruitment import services as recruitment
from tests.factories import (
    NOW,
    add_participants,
    enrol,
    enrolled_group,
    make_participant,
    sqlite_work,
    unit_with_meetings,
)

HTMX = {"HTTP_HX_REQUEST": "true"}


def _page(client: object, meeting: Meeting) -> str:
    response = client.get(reverse("meetings:detail", args=[meeting.uuid]))  # type: ignore[attr-defined]
    assert response.status_code == 200
    return str(response.text)


def _tap(client: object, meeting: Meeting, person: Participant, status: str) -> object:
    url = reverse("meetings:attendance", args=[meeting.uuid, person.uuid])
    return client.post(url, {"status": status}, **HTMX)  # type: ignore[attr-defined]


def test_it_lists_the_enrolled_participants_by_code_with_names_for_their_facilitator(
    world: World, frozen_now: datetime
) -> None:
    unit, meeting, people = enrolled_group(world.org, facilitator=world.facilitator, size=3)
    outsider = make_participant(world.org, name="Ei Ryhmässä")
    enrol(outsider, unit, stage="interested")  # not holding a place: not in the roll call
    page = _page(signed_in(world.facilitator), meeting)
    codes = sorted(p.code for p in people)
    assert [page.index(code) for code in codes] == sorted(page.index(code) for code in codes)
    assert "Testi Henkilö 2" in page
    assert "Ei Ryhmässä" not in page
    assert 'hx-post="' + reverse("meetings:attendance", args=[meeting.uuid, people[0].uuid]) in page


def test_it_writes_an_access_log_entry_for_each_person_it_shows(world: World, frozen_now: datetime) -> None:
    _unit, meeting, people = enrolled_group(world.org, facilitator=world.facilitator, size=4)
    _page(signed_in(world.facilitator), meeting)
    entries = AccessLog.objects.order_by("participant_code")
    assert [e.participant for e in entries] == sorted(people, key=lambda p: p.code)
    for entry in entries:
        assert entry.user == world.facilitator
        assert entry.role == "facilitator"
        assert (entry.category, entry.purpose) == (Category.CONTACT_DETAILS, "roll_call")
        assert entry.item == "roll call Hervanta 2030-03-13"
    # An admin records attendance by code only: each code shown is logged as the profile's.
    _page(signed_in(world.owner), meeting)
    admins = AccessLog.objects.filter(user=world.owner)
    assert sorted(e.participant_code for e in admins) == sorted(p.code for p in people)
    assert {e.category for e in admins} == {Category.PROFILE}


def test_it_shows_an_admin_codes_without_names(world: World, frozen_now: datetime) -> None:
    _unit, meeting, people = enrolled_group(world.org, facilitator=world.facilitator, size=2)
    page = _page(signed_in(world.owner), meeting)
    assert people[0].code in page
    assert "Testi Henkilö" not in page


def test_it_shows_evaluators_the_counts_without_names_or_codes(world: World, frozen_now: datetime) -> None:
    _unit, meeting, people = enrolled_group(world.org, facilitator=world.facilitator, size=3)
    client = signed_in(world.facilitator)
    _tap(client, meeting, people[0], "present")
    _tap(client, meeting, people[1], "excused")
    page = _page(signed_in(world.evaluator), meeting)
    assert "Roll call" in page
    assert "<dt>Present</dt><dd>1</dd>" in page
    assert "<dt>Excused</dt><dd>1</dd>" in page
    assert people[0].code not in page
    assert "Testi Henkilö" not in page
    response = _tap(signed_in(world.evaluator), meeting, people[2], "present")
    assert response.status_code == 403  # type: ignore[attr-defined]


def test_it_saves_each_tap_and_answers_the_row_as_saved(world: World, frozen_now: datetime) -> None:
    _unit, meeting, [person] = enrolled_group(world.org, facilitator=world.facilitator, size=1)
    client = signed_in(world.facilitator)
    for status, next_status in (("present", "absent"), ("absent", "excused"), ("excused", "not_marked")):
        response = _tap(client, meeting, person, status)
        assert response.status_code == 200  # type: ignore[attr-defined]
        row = response.text  # type: ignore[attr-defined]
        assert row.startswith("<li")
        assert f"{status.capitalize()} · saved" in row
        assert f'{{"status": "{next_status}"}}' in row
        assert response["X-Pilotti-Row"] == "1"  # type: ignore[index]
    attendance = Attendance.objects.get()
    assert (attendance.status, attendance.recorded_by) == ("excused", world.facilitator)
    assert [h.status for h in attendance.history.order_by("history_date")] == ["present", "absent", "excused"]
    _tap(client, meeting, person, "excused")  # a retried tap changes nothing
    assert attendance.history.count() == 3


def test_it_takes_a_mark_away_on_the_fourth_tap(world: World, frozen_now: datetime) -> None:
    _unit, meeting, [person] = enrolled_group(world.org, facilitator=world.facilitator, size=1)
    client = signed_in(world.facilitator)
    _tap(client, meeting, person, "excused")
    response = _tap(client, meeting, person, "not_marked")
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert "Not marked · saved" in response.text  # type: ignore[attr-defined]
    assert '{"status": "present"}' in response.text  # type: ignore[attr-defined]
    assert not Attendance.objects.exists()
    deleted = Attendance.history.filter(history_type="-").get()
    assert deleted.history_user == world.facilitator


def test_it_answers_a_bad_tap_with_the_row_and_a_message(world: World, frozen_now: datetime) -> None:
    _unit, meeting, [person] = enrolled_group(world.org, facilitator=world.facilitator, size=1)
    response = _tap(signed_in(world.facilitator), meeting, person, "asleep")
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "Not saved. Choose present, absent or excused." in response.text  # type: ignore[attr-defined]
    assert response["X-Pilotti-Row"] == "1"  # type: ignore[index]
    assert not Attendance.objects.exists()


def test_it_takes_the_roll_call_as_a_plain_form_without_javascript(world: World, frozen_now: datetime) -> None:
    _unit, meeting, people = enrolled_group(world.org, facilitator=world.facilitator, size=3)
    client = signed_in(world.facilitator)
    page = _page(client, meeting)
    assert f'<form method="post" action="{reverse("meetings:roll_call", args=[meeting.uuid])}"' in page
    assert f'type="radio" name="attendance-{people[0].uuid}" value="present"' in page
    assert "Save the roll call" in page
    data = {f"attendance-{people[0].uuid}": "present", f"attendance-{people[1].uuid}": "absent"}
    response = client.post(reverse("meetings:roll_call", args=[meeting.uuid]), {**data, "unregistered_visitors": "4"})
    assert response.status_code == 302
    stored = dict(Attendance.objects.values_list("participant_id", "status"))
    assert stored == {people[0].pk: "present", people[1].pk: "absent"}  # the third was left unmarked
    meeting.refresh_from_db()
    assert meeting.unregistered_visitors == 4
    page = _page(client, meeting)
    assert "The roll call was saved." in page
    assert f'name="attendance-{people[0].uuid}" value="present" checked' in page


def test_it_takes_a_mark_away_without_javascript_but_not_one_made_since_the_page_was_shown(
    world: World, frozen_now: datetime
) -> None:
    _unit, meeting, people = enrolled_group(world.org, facilitator=world.facilitator, size=2)
    client = signed_in(world.facilitator)
    url = reverse("meetings:roll_call", args=[meeting.uuid])
    client.post(url, {f"attendance-{people[0].uuid}": "present"})
    page = _page(client, meeting)
    assert f'name="attendance-{people[1].uuid}" value="not_marked" checked' in page
    assert f'name="was-{people[0].uuid}" value="present"' in page
    # people[1] was unmarked on this page; a co-worker marks them before it is sent.
    _tap(signed_in(world.facilitator), meeting, people[1], "absent")
    data = {
        f"attendance-{people[0].uuid}": "not_marked",
        f"was-{people[0].uuid}": "present",
        f"attendance-{people[1].uuid}": "not_marked",
        f"was-{people[1].uuid}": "",
    }
    assert client.post(url, data).status_code == 302
    assert dict(Attendance.objects.values_list("participant_id", "status")) == {people[1].pk: "absent"}


def test_it_saves_nothing_from_a_form_with_a_bad_value(world: World, frozen_now: datetime) -> None:
    _unit, meeting, people = enrolled_group(world.org, facilitator=world.facilitator, size=2)
    data = {f"attendance-{people[0].uuid}": "present", "unregistered_visitors": "-2"}
    response = signed_in(world.facilitator).post(reverse("meetings:roll_call", args=[meeting.uuid]), data)
    assert response.status_code == 400
    assert "The roll call was not saved: Ensure this value is greater than or equal to 0." in response.text
    assert not Attendance.objects.exists()


def test_it_records_unregistered_visitors_with_its_own_small_post(world: World, frozen_now: datetime) -> None:
    _unit, meeting, _people = enrolled_group(world.org, facilitator=world.facilitator, size=1)
    client = signed_in(world.facilitator)
    url = reverse("meetings:visitors", args=[meeting.uuid])
    response = client.post(url, {"unregistered_visitors": "3"}, **HTMX)
    assert response.status_code == 200
    assert "saved ✓" in response.text
    bad = client.post(url, {"unregistered_visitors": "many"}, **HTMX)
    assert bad.status_code == 400
    assert "Not saved. Enter a whole number." in bad.text
    meeting.refresh_from_db()
    assert meeting.unregistered_visitors == 3
    assert meeting.history.filter(history_change_reason="visitors").count() == 1
    assert "3 unregistered visitors recorded" in _page(client, meeting)


def test_it_refuses_a_roll_call_before_the_meetings_day_and_for_people_outside_the_unit(
    world: World, frozen_now: datetime
) -> None:
    _unit, meeting, [person] = enrolled_group(
        world.org, facilitator=world.facilitator, size=1, at=NOW + timedelta(days=2)
    )
    client = signed_in(world.facilitator)
    assert "You can take the roll call on the meeting's day." in _page(client, meeting)
    response = _tap(client, meeting, person, "present")
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "on the meeting&#x27;s day" in response.text  # type: ignore[attr-defined]
    _other, [today] = unit_with_meetings(world.org, facilitator=world.facilitator, name="Toinen", at=[NOW])
    assert _tap(client, today, person, "present").status_code == 404  # type: ignore[attr-defined]
    assert not Attendance.objects.exists()


def test_it_keeps_someone_who_dropped_out_later_in_the_earlier_roll_calls(world: World, frozen_now: datetime) -> None:
    unit, [before, after] = unit_with_meetings(
        world.org, facilitator=world.facilitator, at=[NOW - timedelta(days=7), NOW - timedelta(hours=1)]
    )
    [person] = add_participants(unit, 1)
    enrolment = person.enrolments.get()
    recruitment.enrolment_transition(
        actor=None, enrolment=enrolment, to="dropped_out", on=date(2030, 3, 10), reason="Muutti pois"
    )
    client = signed_in(world.facilitator)
    assert person.code in _page(client, before)
    assert person.code not in _page(client, after)


def test_it_lists_a_household_tracks_members_but_not_the_expected_child(world: World, frozen_now: datetime) -> None:
    unit, [meeting] = unit_with_meetings(world.org, facilitator=world.facilitator, at=[NOW - timedelta(hours=1)])
    DeliveryUnit.objects.filter(pk=unit.pk).update(kind=DeliveryUnit.Kind.HOUSEHOLD_TRACK)
    parent = make_participant(world.org, name="Testi Vanhempi")
    partner = make_participant(world.org, name="Testi Puoliso")
    household = household_save(
        actor=None,
        organisation=world.org,
        members=[
            MemberFields(relation="parent", participant=parent),
            MemberFields(relation="partner", participant=partner),
            MemberFields(relation="child", birth_year=2027),
            MemberFields(relation="expected_child", due_date=date(2030, 6, 1)),
        ],
    )
    enrol(household, unit)
    client = signed_in(world.facilitator)
    page = _page(client, meeting)
    assert "Testi Vanhempi" in page
    assert "Testi Puoliso" in page
    assert "child, born 2027" in page
    assert "expected" not in page
    child = household.members.get(relation="child")
    url = reverse("meetings:attendance", args=[meeting.uuid, child.uuid])
    assert client.post(url, {"status": "present"}, **HTMX).status_code == 200
    assert Attendance.objects.get().member == child


@pytest.mark.parametrize("size", [3, 30])
def test_it_shows_the_roll_call_in_a_constant_number_of_queries(
    world: World, frozen_now: datetime, django_assert_max_num_queries: object, size: int
) -> None:
    _unit, meeting, people = enrolled_group(world.org, facilitator=world.facilitator, size=size)
    client = signed_in(world.facilitator)
    for person in people[::2]:
        _tap(client, meeting, person, "present")
    client.get(reverse("meetings:detail", args=[meeting.uuid]))  # sign-in bookkeeping happens once per session
    with django_assert_max_num_queries(MAX_QUERIES):  # type: ignore[operator]
        page = _page(client, meeting)
    assert page.count('class="roll-call__tap"') == size


# Sign-in bookkeeping (about ten), the meeting page as it was (about six), and the roll call:
# participants, whose names may be shown, attendance, and the access-log entries (the role, one insert).
MAX_QUERIES = 22


@pytest.mark.skipif(connection.vendor != "sqlite", reason="counts SQLite's work")
def test_the_roll_call_costs_the_same_however_many_other_units_and_people_there_are(
    world: World, frozen_now: datetime
) -> None:
    # A national data set has 23 000 units: opening one meeting once built the list of every
    # unit the user sees (and scanned them all), which made the roll call 1.8 times slower there.
    unit, meeting, _people = enrolled_group(world.org, facilitator=world.facilitator, size=4)
    url = reverse("meetings:detail", args=[meeting.uuid])
    clients = [signed_in(world.coordinator), signed_in(world.facilitator)]
    before = [sqlite_work(client, url) for client in clients]
    others = DeliveryUnit.objects.bulk_create(
        DeliveryUnit(programme=unit.programme, organisation=world.org, name=f"Muu {n}") for n in range(300)
    )
    for other in others[:10]:
        add_participants(other, 3, start=100 + 3 * other.pk)
    after = [sqlite_work(client, url) for client in clients]
    for small, large in zip(before, after, strict=True):
        assert large <= small * 1.05, (before, after)
