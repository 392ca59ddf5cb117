"""An interview of a consenting participant, coded into themes, for the tests."""

from dataclasses import dataclass
from datetime import date

from pilotti.accounts.models import User
from pilotti.interviews import services
from pilotti.interviews.models import Excerpt, Interview, Interviewee, Theme
from pilotti.organisations.models import Organisation
from pilotti.people import services as people
from pilotti.people.models import ConsentPurpose, Participant
from pilotti.people.tests.helpers import make_participant
from pilotti.programmes.models import DeliveryUnit, Programme


def interview_consent(participant: Participant, on: date = date(2019, 9, 1)) -> None:
    people.consent_give(
        actor=None, participant=participant, purpose=ConsentPurpose.INTERVIEW, given_on=on, method="written"
    )


@dataclass
class Coded:
    interview: Interview
    participant: Participant
    interviewee: Interviewee
    theme: Theme
    excerpt: Excerpt


def coded_interview(
    programme: Programme,
    organisation: Organisation,
    *,
    actor: User | None = None,
    unit: DeliveryUnit | None = None,
    held_on: date = date(2019, 11, 5),
    text: str = "Arki tuntuu nyt kevyemmältä.",
    theme: Theme | None = None,
) -> Coded:
    participant = make_participant(organisation, name="Haastateltava Henkilö")
    interview_consent(participant)
    interview = services.interview_add(
        actor=actor,
        programme=programme,
        organisation=organisation,
        fields=services.InterviewFields(
            kind=Interview.Kind.INTERVIEW,
            title="Vanhempien haastattelu",
            held_on=held_on,
            unit=unit,
            guide="Miltä arki tuntuu nyt?\nMikä ryhmässä auttoi?",
        ),
    )
    services.interview_notes_set(actor=actor, interview=interview, notes="H: Miltä arki tuntuu?\nV: " + text)
    interviewee = services.interviewee_add(
        actor=actor, interview=interview, kind=Interviewee.Kind.PARTICIPANT, participant=participant
    )
    theme = theme or services.theme_add(
        actor=actor,
        programme=programme,
        organisation=organisation,
        fields=services.ThemeFields(name="Kevyempi arki", description="Arjen kuorma keveni."),
    )
    excerpt = services.excerpt_add(
        actor=actor,
        programme=programme,
        organisation=organisation,
        source=services.ExcerptSource(interview=interview),
        text=text,
        themes=[theme],
    )
    return Coded(interview, participant, interviewee, theme, excerpt)
