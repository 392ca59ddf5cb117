"""A participant with something in every corner: contact details, a household, a consent, an
enrolment that ended, attendance-free answers with free text, a safety alert, a reminder."""

from datetime import date

from django.utils import timezone

from pilotti.measurement.models import SafetyAlert
from pilotti.measurement.tests.helpers import answer, setup_unit
from pilotti.meetings.models import ReminderChoice
from pilotti.organisations.models import Organisation
from pilotti.people import services as people
from pilotti.people.models import Participant
from pilotti.people.tests.helpers import make_household
from pilotti.recruitment import services as recruitment

NAME = "Testi Henkilö 0"
EMAIL = "t0@example.org"
PHONE = "040 000 0001"
NOTE = "Soitettu Testi Henkilö 0:lle"


def full_participant(organisation: Organisation, *, ended_on: date | None = date(2020, 1, 31)) -> Participant:
    _programme, _unit, (participant,) = setup_unit(organisation, people=1)
    make_household(participant)
    people.consent_give(
        actor=None, participant=participant, purpose="evaluation", given_on=date(2019, 10, 1), method="written"
    )
    enrolment = participant.enrolments.get()
    recruitment.enrolment_transition(actor=None, enrolment=enrolment, to="started", on=date(2019, 10, 30))
    if ended_on is not None:
        recruitment.enrolment_transition(actor=None, enrolment=enrolment, to="completed", on=ended_on)
    response = answer("pilotti-final-survey", participant, {"benefit": 1, "comments": NOTE}, date(2020, 1, 20))
    SafetyAlert.objects.create(
        organisation=organisation, participant=participant, response=response, raised_at=timezone.now(), note=NOTE
    )
    ReminderChoice.objects.create(participant=participant, channel="sms")
    participant.refresh_from_db()
    return participant
