"""A small pilot with known figures, built through the services: one group, its meetings,
people with and without evaluation consent, client-panel ratings and WHO-5 at intake and end."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from pilotti.core.zone import HELSINKI
from pilotti.instruments import fileformat
from pilotti.instruments.models import InstrumentVersion, Response
from pilotti.instruments.selectors import current_version
from pilotti.instruments.services import instrument_save, response_record
from pilotti.instruments.tests.helpers import library_file
from pilotti.meetings.models import Attendance, Meeting
from pilotti.people import services as people
from pilotti.people.models import Participant
from pilotti.people.tests.helpers import enrol, make_participant
from pilotti.programmes.models import DeliveryUnit, Programme
from pilotti.programmes.tests.helpers import make_programme, make_unit
from pilotti.recruitment.services import enrolment_transition

START = date(2022, 9, 1)


@dataclass
class Pilot:
    programme: Programme
    unit: DeliveryUnit
    meetings: list[Meeting]
    people: list[Participant] = field(default_factory=list)
    rating: InstrumentVersion | None = None
    who5: InstrumentVersion | None = None


def at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=HELSINKI)


def who5_answers(level: int) -> dict[str, Any]:
    return {f"q{n}": level for n in range(1, 6)}


def build(
    world: Any, *, people: int = 6, meetings: int = 4, name: str = "Päivätoiminta", facilitator: Any = None
) -> Pilot:
    programme = make_programme(world.org, name=name)
    unit = make_unit(programme, name=f"{name} ryhmä", count=meetings, first=START, facilitator=facilitator)
    Meeting.objects.filter(unit=unit).update(status=Meeting.Status.HELD)
    held = list(unit.meetings.order_by("starts_at"))
    pilot = Pilot(programme, unit, held)
    pilot.rating = _instrument(world, "pilotti-meeting-rating", f"rating-{programme.slug}")
    pilot.who5 = _instrument(world, "who-5", f"who5-{programme.slug}")
    for n in range(people):
        person = make_participant(world.org, name=f"Henkilö {name} {n}", email=f"h{n}@{programme.slug}.example")
        enrolment = enrol(person, unit, stage="started", on=START - timedelta(days=7))
        if n < people - 1:
            enrolment_transition(actor=None, enrolment=enrolment, to="completed", on=START + timedelta(days=60))
        else:
            enrolment_transition(
                actor=None, enrolment=enrolment, to="dropped_out", on=START + timedelta(days=20), reason="Muutti pois."
            )
        people_consent(person, START - timedelta(days=7))
        pilot.people.append(person)
        for number, meeting in enumerate(held):
            status = Attendance.Status.PRESENT if (n + number) % 4 else Attendance.Status.ABSENT
            if n == people - 1 and number > 1:
                continue  # the one who dropped out is not marked after the second meeting
            Attendance.objects.create(meeting=meeting, participant=person, status=status, recorded_at=meeting.ends_at)
        answer(world, pilot.who5, person, who5_answers(2 + n % 2), START - timedelta(days=3))
        answer(world, pilot.who5, person, who5_answers(3 + n % 3), START + timedelta(days=62))
    for number, meeting in enumerate(held):
        for rating in (8, 9, 10, 9 + number % 2):
            response_record(
                version=pilot.rating,
                organisation=world.org,
                answers={"rating": rating},
                mode="client_panel",
                language="fi",
                meeting=meeting,
                now=meeting.ends_at,
            )
    return pilot


def _instrument(world: Any, library_key: str, key: str) -> InstrumentVersion:
    spec = fileformat.parse(library_file(library_key) | {"key": key})
    return current_version(instrument_save(actor=None, organisation=world.org, spec=spec).instrument)


def people_consent(person: Participant, on: date) -> None:
    people.consent_give(actor=None, participant=person, purpose="evaluation", given_on=on, method="written")


def answer(
    world: Any, version: InstrumentVersion | None, person: Participant, answers: dict[str, Any], day: date
) -> Response:
    assert version is not None
    return response_record(
        version=version,
        organisation=world.org,
        answers=answers,
        mode="personal_link",
        language="fi",
        participant=person,
        now=at(day),
    )
