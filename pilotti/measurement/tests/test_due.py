"""Due questionnaires: computed from the plan, the enrolments and the meetings, in the database."""

from datetime import date

import pytest
from django.urls import reverse

from conftest import World, signed_in
from pilotti.instruments.models import Mode
from pilotti.measurement.models import When
from pilotti.measurement.selectors import DuePage, State, due_count, due_questionnaires
from pilotti.meetings import services as meeting_services
from pilotti.organisations.viewer import Viewer
from pilotti.programmes.models import DeliveryUnit, Programme
from tests.factories import answer, enrol, make_household, make_participant, plan, queries_for, setup_unit

WHO5 = {f"q{i}": 3 for i in range(1, 6)}
LAST = date(2019, 12, 11)  # the 7th weekly meeting from 30.10.2019


def _states(world: World, programme: Programme, today: date) -> dict[tuple[str, str], str]:
    page = due_questionnaires(Viewer.everywhere(world.coordinator), programme, today)
    _report_agrees(page, programme, today)
    return {(row.person, row.entry.when): row.state for row in page.rows}


def _report_agrees(page: DuePage, programme: Programme, today: date) -> None:
    """The report's response rate (counted in the database) says what the due list's rows say."""
    units = DeliveryUnit.objects.filter(programme=programme)
    for entry in {row.entry for row in page.rows}:
        rows = [row for row in page.rows if row.entry == entry]
        if entry.when == When.EVERY_MEETING:
            expected = (sum(r.held for r in rows), sum(r.answered_count for r in rows))
        else:
            come = [r for r in rows if r.due is not None and r.due <= today]
            expected = (len(come), sum(r.state == State.ANSWERED for r in come))
        counted = due_count(units, entry, today)
        assert (counted.due, counted.answered) == expected, entry.when


def test_it_marks_intake_answered_within_the_window_and_missing_without(world: World) -> None:
    programme, _unit, [a, b] = setup_unit(world.org, people=2)
    plan(programme, "who-5", "intake")
    answer("who-5", a, WHO5, date(2019, 10, 30))  # intake 23.10., window ±14 days
    states = _states(world, programme, date(2020, 1, 1))
    assert states == {(a.code, "intake"): State.ANSWERED, (b.code, "intake"): State.MISSING}


def test_it_dates_the_end_from_the_units_last_meeting(world: World) -> None:
    programme, _unit, [a, b] = setup_unit(world.org, people=2)
    plan(programme, "who-5", "end")
    answer("who-5", a, WHO5, date(2019, 12, 20))
    answer("who-5", b, WHO5, date(2019, 12, 30))  # 19 days after the end: outside the window
    page = due_questionnaires(Viewer.everywhere(world.coordinator), programme, date(2020, 1, 1))
    assert {row.due for row in page.rows} == {LAST}
    assert _states(world, programme, date(2020, 1, 1)) == {
        (a.code, "end"): State.ANSWERED,
        (b.code, "end"): State.MISSING,
    }


def test_it_dates_the_follow_up_weeks_after_the_end(world: World) -> None:
    programme, _unit, [a] = setup_unit(world.org, people=1)
    plan(programme, "who-5", "follow_up", follow_up_weeks=4)
    [row] = due_questionnaires(Viewer.everywhere(world.coordinator), programme, date(2019, 12, 1)).rows
    assert row.due == date(2020, 1, 8)
    assert row.state == State.UPCOMING
    assert _states(world, programme, date(2020, 1, 1)) == {(a.code, "follow_up"): State.OPEN}
    answer("who-5", a, WHO5, date(2020, 1, 10))
    assert _states(world, programme, date(2020, 3, 1)) == {(a.code, "follow_up"): State.ANSWERED}


def test_it_counts_every_held_meeting_and_the_answered_ones(world: World) -> None:
    programme, unit, [a, b] = setup_unit(world.org, people=2)
    plan(programme, "pilotti-meeting-rating", "every_meeting")
    meetings = list(unit.meetings.order_by("starts_at")[:3])
    for meeting in meetings:
        meeting_services.meeting_mark_held(actor=None, meeting=meeting)
        answer("pilotti-meeting-rating", a, {"rating": 9}, meeting.starts_at.date(), meeting=meeting)
    answer("pilotti-meeting-rating", b, {"rating": 8}, meetings[0].starts_at.date(), meeting=meetings[0])
    page = due_questionnaires(Viewer.everywhere(world.coordinator), programme, date(2020, 1, 1))
    _report_agrees(page, programme, date(2020, 1, 1))
    rows = {row.person: row for row in page.rows}
    assert (rows[a.code].held, rows[a.code].answered_count, rows[a.code].state) == (3, 3, State.ANSWERED)
    assert (rows[b.code].held, rows[b.code].answered_count, rows[b.code].state) == (3, 1, State.MISSING)


def test_it_asks_a_households_parents_not_its_children(world: World) -> None:
    programme, unit, _people = setup_unit(world.org, people=0)
    parent = make_participant(world.org, name="Äiti", email="aiti@example.org")
    partner = make_participant(world.org, name="Isä", email="isa@example.org")
    enrol(make_household(parent, with_partner=partner), unit, on=date(2019, 10, 23))
    plan(programme, "epds", "intake", audience="parents")
    answer("epds", partner, {f"q{i}": 0 for i in range(1, 11)}, date(2019, 10, 25))
    page = due_questionnaires(Viewer.everywhere(world.coordinator), programme, date(2020, 1, 1))
    assert sorted(row.person for row in page.rows) == sorted([parent.code, partner.code])
    _report_agrees(page, programme, date(2020, 1, 1))


def test_it_asks_the_workers_for_staff_ratings(world: World) -> None:
    programme, _unit, _people = setup_unit(world.org, people=1, facilitator=world.facilitator)
    plan(programme, "pilotti-usefulness", "end", audience="staff")
    answer(
        "pilotti-usefulness",
        None,
        {"usefulness": 5},
        LAST,
        organisation=world.org,
        mode=Mode.STAFF,
        actor=world.facilitator,
    )
    page = due_questionnaires(Viewer.everywhere(world.coordinator), programme, date(2020, 1, 1))
    [row] = page.rows
    assert (row.person, row.state) == (world.facilitator.full_name, State.ANSWERED)
    _report_agrees(page, programme, date(2020, 1, 1))


def test_it_counts_the_anonymous_client_panel_per_unit(world: World) -> None:
    programme, unit, _people = setup_unit(world.org, people=1)
    plan(programme, "pilotti-meeting-rating", "every_meeting", anonymous=True)
    meeting = unit.meetings.order_by("starts_at").first()
    assert meeting is not None
    meeting_services.meeting_mark_held(actor=None, meeting=meeting)
    for rating in (9, 10):
        answer(
            "pilotti-meeting-rating",
            None,
            {"rating": rating},
            date(2019, 10, 30),
            organisation=world.org,
            mode=Mode.CLIENT_PANEL,
            meeting=meeting,
        )
    page = due_questionnaires(Viewer.everywhere(world.coordinator), programme, date(2020, 1, 1))
    assert page.rows == []
    assert [(row.held, row.answers) for row in page.panel] == [(1, 2)]


@pytest.mark.parametrize("people", [3, 30])
def test_it_shows_the_due_page_in_a_constant_number_of_queries(world: World, people: int) -> None:
    programme, _unit, _people = setup_unit(world.org, people=people)
    for when in ("intake", "end"):
        plan(programme, "who-5", when)
    plan(programme, "pilotti-meeting-rating", "every_meeting")
    url = reverse("measurement:programme_due", kwargs={"slug": programme.slug})
    assert queries_for(signed_in(world.coordinator), url) == EXPECTED_QUERIES


# session, user, the second factor's check, memberships, programme, plan, one per plan entry,
# the invitations and whom the viewer may send them to (three), the access log's membership and
# row; an unchanged session is not written back, nor its row in the session list
EXPECTED_QUERIES = 15
