"""Small builders for participant tests, on top of the root conftest's ``world``."""

from datetime import date

from pilotti.accounts.models import User
from pilotti.organisations.models import Organisation
from pilotti.people import services
from pilotti.people.models import Household, Participant
from pilotti.people.services import ContactFields, MemberFields, ProfileFields
from pilotti.programmes.models import DeliveryUnit
from pilotti.recruitment import services as recruitment
from pilotti.recruitment.models import Enrolment

NAME = "Testi Henkilö 1"
PHONE = "040 000 0001"
EMAIL = "testi.henkilo1@example.org"


def make_participant(
    organisation: Organisation,
    *,
    name: str = NAME,
    phone: str = PHONE,
    email: str = EMAIL,
    identity_code: str = "",
    birth_year: int | None = 1990,
    segment: str = "Suomalaiset perheet",
    actor: User | None = None,
) -> Participant:
    return services.participant_create(
        actor=actor,
        organisation=organisation,
        profile=ProfileFields(birth_year=birth_year, segment=segment, municipality="Tampere"),
        contact=ContactFields(name=name, phone=phone, email=email, identity_code=identity_code),
    )


def enrol(
    who: Participant | Household,
    unit: DeliveryUnit,
    *,
    stage: str = "enrolled",
    segment: str = "",
    on: date = date(2019, 10, 1),
    actor: User | None = None,
) -> Enrolment:
    enrolment = recruitment.enrolment_create(
        actor=actor,
        participant=who if isinstance(who, Participant) else None,
        household=who if isinstance(who, Household) else None,
        fields=recruitment.EnrolmentFields(
            programme=unit.programme, unit=unit, referral_source="outreach", contacted_on=on, segment=segment
        ),
    )
    if stage != "contacted":
        enrolment = recruitment.enrolment_transition(actor=actor, enrolment=enrolment, to=stage, on=on)
    return enrolment


def make_household(parent: Participant, *, with_partner: Participant | None = None) -> Household:
    members = [MemberFields(relation="parent", participant=parent)]
    if with_partner is not None:
        members.append(MemberFields(relation="partner", participant=with_partner))
    members.append(MemberFields(relation="expected_child", due_date=date(2020, 3, 1)))
    return services.household_save(actor=None, organisation=parent.organisation, members=members)
