"""A model owned by ``world.org`` and adopted by Delta ry: the owner's group of six with four
meetings held (``tests.factories.build``) and one trained nurse on its roster, and
Delta's group of three, with three of its four meetings held and one cancelled."""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from conftest import World, make_user
from pilotti.accounts.models import User
from pilotti.meetings.models import Attendance, Meeting
from pilotti.organisations.models import Organisation, Role
from pilotti.organisations.services import membership_add, organisation_create
from pilotti.programmes.models import Adoption, DeliveryUnit, Programme
from pilotti.staff.models import StaffMember, Training, TrainingRecord
from tests.factories import START, Pilot, build, enrol, make_participant, make_unit


@dataclass
class Model:
    pilot: Pilot
    programme: Programme
    adopter: Organisation
    adopter_unit: DeliveryUnit
    adopter_admin: User


@pytest.fixture
def model(world: World) -> Model:
    pilot = build(world, people=6, meetings=4, name="Perhepolku", facilitator=world.facilitator)
    programme = pilot.programme
    Programme.objects.filter(pk=programme.pk).update(
        meetings_min=4, meetings_max=6, duration_minutes=90, facilitator_roles=["public_health_nurse"]
    )
    programme.refresh_from_db()
    meetings = pilot.meetings
    # The roll call's facilitators: the nurse at two meetings, someone without a role at a third.
    meetings[0].facilitators_present.add(world.facilitator)
    meetings[1].facilitators_present.add(world.facilitator)
    meetings[2].facilitators_present.add(world.coordinator)
    Meeting.objects.filter(pk=meetings[0].pk).update(theme="Raskausaika", duration_minutes=60)
    # On the owner's roster: one nurse with the model's training, valid from before the first meeting.
    training = Training.objects.create(programme=programme, name="Perhepolun ohjaajakoulutus")
    nurse = StaffMember.objects.create(
        programme=programme, organisation=world.org, name="Terveydenhoitaja", role="public_health_nurse"
    )
    nurse.units.add(pilot.unit)
    TrainingRecord.objects.create(member=nurse, training=training, trained_on=date(2022, 6, 1))
    adopter = organisation_create(name="Delta ry", slug="delta", kind="ngo", business_id="2331972-7")
    Adoption.objects.create(programme=programme, organisation=adopter, adopted_on=date(2022, 8, 1))
    adopter_admin = make_user("admin@delta.example", full_name="Delta Admin")
    membership_add(organisation=adopter, user=adopter_admin, role=Role.ADMIN)
    unit = make_unit(programme, adopter, name="Deltan ryhmä", count=4, first=START)
    delta_meetings = list(unit.meetings.order_by("starts_at"))
    Meeting.objects.filter(pk__in=[m.pk for m in delta_meetings[:3]]).update(status=Meeting.Status.HELD)
    Meeting.objects.filter(pk=delta_meetings[3].pk).update(status=Meeting.Status.CANCELLED)
    for n in range(3):
        person = make_participant(adopter, name=f"Delta {n}", email=f"d{n}@delta.example")
        enrol(person, unit, stage="started", on=START - timedelta(days=7))
        for meeting in delta_meetings[:3]:
            status = Attendance.Status.PRESENT if n else Attendance.Status.ABSENT
            Attendance.objects.create(meeting=meeting, participant=person, status=status, recorded_at=meeting.ends_at)
    return Model(pilot, programme, adopter, unit, adopter_admin)
