"""Builders for meetings tests: units with meetings at known times around a frozen "now"."""

from datetime import datetime, timedelta

from pilotti.accounts.models import User
from pilotti.core.zone import HELSINKI
from pilotti.meetings import services
from pilotti.meetings.models import Meeting
from pilotti.organisations.models import Organisation
from pilotti.people.models import Participant
from pilotti.people.tests.helpers import enrol, make_participant
from pilotti.programmes.models import DeliveryUnit
from pilotti.programmes.tests.helpers import make_programme, make_site, make_unit

# A Wednesday noon in Helsinki: "today" is Wednesday, "this week" runs to Sunday 17.3.
NOW = datetime(2030, 3, 13, 12, 0, tzinfo=HELSINKI)


def unit_with_meetings(
    organisation: Organisation,
    *,
    facilitator: User | None,
    name: str = "Hervanta",
    at: list[datetime] | None = None,
    remote: bool = False,
) -> tuple[DeliveryUnit, list[Meeting]]:
    """A unit whose one generated meeting (in 2019) is joined by meetings at the given times.

    Its programme's curriculum has one topic, "Raskausaika".
    """
    programme = make_programme(organisation, name=f"Ohjelma {name}")
    site = make_site(programme, name=f"Paikka {name}")
    if remote:
        site.is_remote = True
        site.save()
    unit = make_unit(programme, name=name, count=1, site=site, facilitator=facilitator)
    meetings = [
        services.meeting_add(actor=None, unit=unit, starts_at=when)
        for when in (at if at is not None else [NOW + timedelta(hours=2)])
    ]
    return unit, meetings


def enrolled_group(
    organisation: Organisation, *, facilitator: User | None, size: int, at: datetime | None = None
) -> tuple[DeliveryUnit, Meeting, list[Participant]]:
    """A group with ``size`` enrolled participants ("Testi Henkilö 1" …) and a meeting an hour ago."""
    unit, [meeting] = unit_with_meetings(organisation, facilitator=facilitator, at=[at or NOW - timedelta(hours=1)])
    people = add_participants(unit, size)
    return unit, meeting, people


def add_participants(unit: DeliveryUnit, size: int, *, start: int = 1) -> list[Participant]:
    people = []
    for number in range(start, start + size):
        participant = make_participant(
            unit.organisation, name=f"Testi Henkilö {number}", email=f"testi{number}@example.org"
        )
        enrol(participant, unit)
        people.append(participant)
    return people
