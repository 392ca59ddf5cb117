"""Builders for measurement tests: a programme with a unit, enrolled people and a plan."""

from datetime import date, datetime, time

from pilotti.accounts.models import User
from pilotti.core.zone import HELSINKI
from pilotti.instruments.models import Instrument, Mode, Response
from pilotti.instruments.selectors import current_version
from pilotti.instruments.services import library_load, response_record
from pilotti.measurement import services
from pilotti.measurement.models import PlanEntry
from pilotti.organisations.models import Organisation
from pilotti.people.models import Participant
from pilotti.people.tests.helpers import enrol, make_participant
from pilotti.programmes.models import DeliveryUnit, Programme
from pilotti.programmes.tests.helpers import make_programme, make_unit

FIRST = date(2019, 10, 30)  # make_unit's first meeting (a Wednesday); weekly after that


def instrument(key: str) -> Instrument:
    if not Instrument.objects.filter(key=key, organisation__isnull=True).exists():
        library_load()
    return Instrument.objects.get(key=key, organisation__isnull=True)


def setup_unit(
    organisation: Organisation, *, people: int = 3, facilitator: User | None = None, name: str = "Hervanta"
) -> tuple[Programme, DeliveryUnit, list[Participant]]:
    programme = make_programme(organisation, name=f"Ohjelma {name}")
    unit = make_unit(programme, name=name, count=7, first=FIRST, facilitator=facilitator)
    participants = []
    for n in range(people):
        participant = make_participant(organisation, name=f"Testi Henkilö {n}", email=f"t{n}@example.org")
        enrol(participant, unit, stage="enrolled", on=date(2019, 10, 23))
        participants.append(participant)
    return programme, unit, participants


def plan(programme: Programme, key: str, when: str, audience: str = "participants", **extra: object) -> PlanEntry:
    return services.plan_entry_add(
        actor=None,
        programme=programme,
        fields=services.EntryFields(instrument=instrument(key), when=when, audience=audience, **extra),  # type: ignore[arg-type]
    )


def answer(
    key: str,
    participant: Participant | None,
    answers: dict[str, object],
    on: date,
    *,
    organisation: Organisation | None = None,
    mode: str = Mode.PAPER,
    meeting: object = None,
    actor: User | None = None,
) -> Response:
    return response_record(
        version=current_version(instrument(key)),
        organisation=organisation or participant.organisation,  # type: ignore[union-attr]
        answers=answers,  # type: ignore[arg-type]
        mode=mode,
        language="fi",
        participant=participant,
        meeting=meeting,  # type: ignore[arg-type]
        actor=actor,
        now=datetime.combine(on, time(12), tzinfo=HELSINKI),
    )
