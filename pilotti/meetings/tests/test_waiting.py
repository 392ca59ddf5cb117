"""The facilitator's "waiting for you": roll calls still owed, and people absent twice in a row."""

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime, timedelta

from django.urls import reverse

from conftest import World, signed_in
from pilotti.audit.models import AccessLog
from pilotti.meetings import services
from pilotti.meetings.models import Meeting
from pilotti.meetings.selectors import waiting_for
from pilotti.organisations.viewer import Viewer
from pilotti.people.models import Participant
from pilotti.programmes import services as programme_services
from pilotti.programmes.forms import ProgrammeForm
from pilotti.programmes.models import Programme
from tests.factories import NOW, add_participants, unit_with_meetings

WEEK = timedelta(days=7)


def _three_weeks(world: World, name: str = "Hervanta") -> tuple[list[Meeting], list[Participant]]:
    """Meetings three, two and one week ago and one tomorrow; three people on the list."""
    unit, meetings = unit_with_meetings(
        world.org, facilitator=world.facilitator, name=name,
        at=[NOW - 3 * WEEK, NOW - 2 * WEEK, NOW - WEEK, NOW + timedelta(days=1)],
    )  # fmt: skip
    return meetings, add_participants(unit, 3, start=len(name))


def _roll_call(meeting: Meeting, marks: dict[Participant, str], *, held: bool = True) -> None:
    for person, status in marks.items():
        services.attendance_record(actor=None, meeting=meeting, participant=person, status=status)
    if held:
        services.meeting_mark_held(actor=None, meeting=meeting)


def test_it_lists_past_meetings_without_a_roll_call_or_not_marked_held(world: World, frozen_now: datetime) -> None:
    (old, no_roll_call, not_held, _tomorrow), people = _three_weeks(world)
    _roll_call(old, {people[0]: "present"})
    services.meeting_mark_held(actor=None, meeting=no_roll_call)
    _roll_call(not_held, {people[0]: "present"}, held=False)

    waiting = waiting_for(Viewer.everywhere(world.facilitator), NOW)
    assert [(o.meeting, o.no_roll_call, o.not_held) for o in waiting.meetings] == [
        (no_roll_call, True, False),
        (not_held, False, True),
    ]
    page = signed_in(world.facilitator).get(reverse("meetings:mine")).text
    assert "Waiting for you" in page
    assert page.count("no roll call") == 1
    assert page.count("not marked held") == 1


def test_it_names_people_absent_from_the_last_two_roll_calls(world: World, frozen_now: datetime) -> None:
    (first, second, third, _tomorrow), (twice, then_came, excused) = _three_weeks(world)
    _roll_call(first, {twice: "present", then_came: "absent", excused: "absent"})
    _roll_call(second, {twice: "absent", then_came: "absent", excused: "absent"})
    _roll_call(third, {twice: "absent", then_came: "present", excused: "excused"})

    waiting = waiting_for(Viewer.everywhere(world.facilitator), NOW)
    assert [a.participant for a in waiting.absences] == [twice]
    assert waiting.absences[0].last == third
    page = signed_in(world.facilitator).get(reverse("meetings:mine")).text
    assert twice.code in page
    assert then_came.code not in page
    # The page shows who was absent: the person's log says who looked.
    assert AccessLog.objects.filter(participant=twice, user=world.facilitator, purpose="roll_call").exists()


def test_it_shows_nothing_waiting_to_other_facilitators(world: World, frozen_now: datetime) -> None:
    (_first, second, third, _tomorrow), people = _three_weeks(world)
    _roll_call(second, {people[0]: "absent"})
    _roll_call(third, {people[0]: "absent"}, held=False)
    assert waiting_for(Viewer.everywhere(world.coordinator), NOW).meetings == []
    page = signed_in(world.coordinator).get(reverse("meetings:mine")).text
    assert "Waiting for you" not in page


def test_it_finds_what_is_waiting_in_the_same_number_of_queries_for_many_units(
    world: World, frozen_now: datetime, django_assert_max_num_queries: Callable[[int], AbstractContextManager[object]]
) -> None:
    for n in range(6):
        (_first, second, third, _tomorrow), people = _three_weeks(world, name=f"Ryhmä {n}")
        _roll_call(second, {people[0]: "absent"})
        _roll_call(third, {people[0]: "absent"}, held=False)
    with django_assert_max_num_queries(3):
        waiting = waiting_for(Viewer.everywhere(world.facilitator), NOW)
    assert len(waiting.absences) == 6
    assert len(waiting.meetings) == 6 * 2  # the first has no roll call, the third is not held


def test_the_programme_sets_how_many_absences_in_a_row_put_a_person_on_the_list(
    world: World, frozen_now: datetime
) -> None:
    (first, second, third, _tomorrow), (thrice, twice, _present) = _three_weeks(world)
    _roll_call(first, {thrice: "absent", twice: "present"})
    _roll_call(second, {thrice: "absent", twice: "absent"})
    _roll_call(third, {thrice: "absent", twice: "absent"})
    viewer = Viewer.everywhere(world.facilitator)
    assert {a.participant for a in waiting_for(viewer, NOW).absences} == {thrice, twice}

    Programme.objects.filter(pk=first.unit.programme_id).update(absences_before_call=3)
    [absence] = waiting_for(viewer, NOW).absences
    assert (absence.participant, absence.times, absence.last) == (thrice, 3, third)
    page = signed_in(world.facilitator).get(reverse("meetings:mine")).text
    assert "absent 3 times in a row, the last" in page
    assert twice.code not in page

    Programme.objects.filter(pk=first.unit.programme_id).update(absences_before_call=1)
    assert {a.participant for a in waiting_for(viewer, NOW).absences} == {thrice, twice}


def test_the_coordinator_sets_the_number_on_the_programme_form(world: World) -> None:
    form = ProgrammeForm({"name": "Perhekerho", "status": "planned", "frequency": "weekly", "duration_minutes": 90,
                          "mode": "in_person", "absences_before_call": "7"})  # fmt: skip
    assert not form.is_valid()
    assert "absences_before_call" in form.errors
    form = ProgrammeForm({"name": "Perhekerho", "status": "planned", "frequency": "weekly", "duration_minutes": 90,
                          "mode": "in_person", "absences_before_call": "3"})  # fmt: skip
    assert form.is_valid(), form.errors
    programme = programme_services.programme_create(actor=None, organisation=world.org, fields=form.to_fields())
    assert programme.absences_before_call == 3
