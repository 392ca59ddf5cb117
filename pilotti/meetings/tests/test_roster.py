"""The unit's roster: its people, their stage and attendance on one page (issue 21)."""

from datetime import datetime, timedelta

from django.urls import reverse

from conftest import World, signed_in
from pilotti.audit.models import AccessLog
from pilotti.meetings import services
from pilotti.meetings.models import Meeting
from tests.factories import NOW, add_participants, enrolled_group, queries_for, unit_with_meetings


def _held(meeting: Meeting) -> None:
    meeting.status = Meeting.Status.HELD
    meeting.save(update_fields=["status"])


def test_it_lists_the_units_people_with_their_stage_and_attendance(world: World, frozen_now: datetime) -> None:
    unit, meeting, people = enrolled_group(world.org, facilitator=world.facilitator, size=2)
    _held(meeting)
    services.attendance_record(actor=world.facilitator, meeting=meeting, participant=people[0], status="present")
    services.attendance_record(actor=world.facilitator, meeting=meeting, participant=people[1], status="absent")
    client = signed_in(world.facilitator)
    page = client.get(reverse("meetings:unit_roster", args=[unit.uuid])).content.decode()
    rows = page.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]
    assert len(rows) == 2
    # Rows are in the order of the people's codes, which are random: find each person's row.
    first, second = (next(row for row in rows if person.code in row) for person in people)
    assert "Testi Henkilö 1" in first
    assert '<td data-label="Present" class="number">1</td>' in first
    assert '<td data-label="Absent" class="number">1</td>' in second
    assert "its 1 meeting held" in page
    assert reverse("measurement:unit_due", args=[unit.uuid]) in page
    assert AccessLog.objects.filter(participant__in=people, item="unit roster").count() == 2


def test_it_shows_facilitators_only_their_own_units(world: World, frozen_now: datetime) -> None:
    unit, _meeting, _people = enrolled_group(world.org, facilitator=None, size=1)
    assert signed_in(world.facilitator).get(reverse("meetings:unit_roster", args=[unit.uuid])).status_code == 404
    assert signed_in(world.coordinator).get(reverse("meetings:unit_roster", args=[unit.uuid])).status_code == 200
    assert signed_in(world.outsider).get(reverse("meetings:unit_roster", args=[unit.uuid])).status_code == 404


def test_it_lists_in_a_constant_number_of_queries(world: World, frozen_now: datetime) -> None:
    unit, [first, second] = unit_with_meetings(
        world.org, facilitator=world.facilitator, at=[NOW - timedelta(days=7), NOW - timedelta(hours=1)]
    )
    people = add_participants(unit, 2)
    client = signed_in(world.coordinator)
    url = reverse("meetings:unit_roster", args=[unit.uuid])
    few = queries_for(client, url)
    people += add_participants(unit, 8, start=3)
    for meeting in (first, second):
        _held(meeting)
        for person in people:
            services.attendance_record(actor=world.coordinator, meeting=meeting, participant=person, status="present")
    assert queries_for(client, url) == few
