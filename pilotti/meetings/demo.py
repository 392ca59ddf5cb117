"""Demo attendance for every held demo meeting, plausible per pilot (seeded, so stable).

Ikaalinen's day activity had 3–7 clients each time and some unregistered visitors; Tampere's
groups are mostly present, except Tesoma, whose attendance dwindled until it was stopped on
3.12.2019; Valoa arkeen's families are nearly always there (the children are not marked: the
parents meet the workers). Needs the people demo: without its enrolments it does nothing.
Idempotent: a unit with any attendance recorded is left alone.
"""

import random
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from pilotti.core.history import save_with_history
from pilotti.core.zone import HELSINKI
from pilotti.meetings.models import Attendance, Meeting
from pilotti.meetings.selectors import in_roll_call
from pilotti.people.models import HouseholdMember, Relation
from pilotti.programmes.models import DeliveryUnit
from pilotti.recruitment.models import Enrolment

PROGRAMMES = ("ikaalinen-paivatoiminta", "tampere-pikkulapsiperheet", "valoa-arkeen", "perhe-yhtenaiseksi")
P = Attendance.Status


@dataclass(frozen=True)
class Person:
    participant_id: int | None
    member_id: int | None
    relation: str  # "" for someone enrolled on their own


def _people(unit: DeliveryUnit, day: date) -> list[Person]:
    enrolments = in_roll_call(Enrolment.objects.filter(unit=unit), day)
    people = [
        Person(pid, None, "")
        for pid in enrolments.filter(participant__isnull=False).values_list("participant_id", flat=True)
    ]
    members = HouseholdMember.objects.filter(
        household__in=enrolments.filter(household__isnull=False).values("household_id")
    ).exclude(relation=Relation.EXPECTED_CHILD)
    for member in members.order_by("household_id", "id"):
        if member.participant_id is not None:
            people.append(Person(member.participant_id, None, member.relation))
        elif unit.kind == DeliveryUnit.Kind.HOUSEHOLD_TRACK:
            people.append(Person(None, member.pk, member.relation))
    return people


def _absent_or_excused(rng: random.Random) -> str:
    return P.EXCUSED if rng.random() < 0.6 else P.ABSENT


def _statuses(unit: DeliveryUnit, slug: str, number: int, people: list[Person], rng: random.Random) -> list[str]:
    """One status per person ("" leaves them unmarked) for the unit's ``number``-th held meeting."""
    if slug == "ikaalinen-paivatoiminta":
        present = set(rng.sample(range(len(people)), min(len(people), rng.randint(3, 7))))
        return [P.PRESENT if i in present else _absent_or_excused(rng) for i in range(len(people))]
    if unit.name.startswith("Tesoma"):
        # Three families at first, then fewer every week.
        present = set(rng.sample(range(len(people)), max(1, len(people) - number)))
        return [P.PRESENT if i in present else _absent_or_excused(rng) for i in range(len(people))]
    statuses = []
    for person in people:
        if person.member_id is not None:  # a child of a family track
            chance = 0.6 if slug == "perhe-yhtenaiseksi" else None
        elif slug == "valoa-arkeen":
            chance = 0.95 if person.relation == Relation.PARENT else 0.75
        else:
            chance = 0.85
        if chance is None:
            statuses.append("")
        else:
            statuses.append(P.PRESENT if rng.random() < chance else _absent_or_excused(rng))
    return statuses


def _load_unit(unit: DeliveryUnit) -> int:
    slug = unit.programme.slug
    rng = random.Random(f"pilotti-demo:attendance:{slug}:{unit.name}")  # noqa: S311  (demo data, not secrets)
    rows: list[Attendance] = []
    held = unit.meetings.filter(status=Meeting.Status.HELD).order_by("starts_at")
    for number, meeting in enumerate(held):
        local = meeting.starts_at.astimezone(HELSINKI)
        people = _people(unit, local.date())
        for person, status in zip(people, _statuses(unit, slug, number, people, rng), strict=True):
            if status:
                rows.append(
                    Attendance(
                        meeting=meeting,
                        participant_id=person.participant_id,
                        member_id=person.member_id,
                        status=status,
                        recorded_at=meeting.ends_at,
                    )
                )
        if slug == "ikaalinen-paivatoiminta" and rng.random() < 0.3:
            meeting.unregistered_visitors = rng.randint(1, 3)
            save_with_history(meeting, actor=None, reason="visitors", update_fields=["unregistered_visitors"])
    bulk_create_with_history(rows, Attendance, batch_size=500)
    return len(rows)


@transaction.atomic
def load() -> int:
    """Records attendance for the demo units that have none yet; returns how many rows it wrote."""
    units = DeliveryUnit.objects.filter(programme__slug__in=PROGRAMMES, enrolments__isnull=False).distinct()
    written = 0
    for unit in units.select_related("programme").order_by("programme__slug", "name"):
        if Attendance.objects.filter(meeting__unit=unit).exists():
            continue
        written += _load_unit(unit)
    return written
