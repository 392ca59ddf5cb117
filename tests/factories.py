"""Builders for the tests of every app, in one place: each section says what it builds.

They go through the services, as a user's action would, so a test's data is what the product
itself could have written. The sections follow the apps' layers, lowest first.
"""

import json
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pilotti.accounts.models import User
from pilotti.api import services as api_services
from pilotti.core.zone import HELSINKI
from pilotti.council import services as council_services
from pilotti.instruments import fileformat
from pilotti.instruments import selectors as instruments_selectors
from pilotti.instruments import services as instruments_services
from pilotti.instruments.models import Instrument, InstrumentVersion, Mode, Response
from pilotti.instruments.selectors import current_version
from pilotti.instruments.services import instrument_save, library_load, response_record
from pilotti.interviews import services as interviews_services
from pilotti.interviews.models import Excerpt, Interview, Interviewee, Theme
from pilotti.measurement import services as measurement_services
from pilotti.measurement.models import PlanEntry, SafetyAlert
from pilotti.meetings import services as meetings_services
from pilotti.meetings.models import Attendance, Meeting, ReminderChoice
from pilotti.meetings.schedule import ScheduleRule
from pilotti.organisations.models import Organisation
from pilotti.people import services as people_services
from pilotti.people.models import ConsentPurpose, Household, Participant
from pilotti.people.services import ContactFields, MemberFields, ProfileFields
from pilotti.programmes import services as programmes_services
from pilotti.programmes.models import DeliveryUnit, Programme, Site
from pilotti.programmes.services import ProgrammeFields
from pilotti.recruitment import services as recruitment_services
from pilotti.recruitment.models import Enrolment
from pilotti.recruitment.services import enrolment_transition
from pilotti.serviceuse import services as serviceuse_services
from pilotti.serviceuse.models import Service
from pilotti.surveys import services as surveys_services
from pilotti.surveys.models import ClientPanel, PersonalLink

# --- instruments ------------------------------------------------------------------------------------
# Small builders for instrument tests, on top of the root conftest's ``world``.

LIBRARY = Path(__file__).resolve().parents[1] / "pilotti" / "instruments" / "library"


def library_file(key: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((LIBRARY / f"{key}.json").read_text())
    return data


def make_instrument(organisation: Organisation | None, key: str = "pilotti-usefulness", **changes: Any) -> Instrument:
    """An organisation's copy of a library instrument (its file with ``changes``)."""
    data = library_file(key) | changes
    if "name" in changes and "names" not in changes:  # the library's names per language are of its own name
        data.pop("names", None)
    saved = instruments_services.instrument_save(actor=None, organisation=organisation, spec=fileformat.parse(data))
    return saved.instrument


# --- programmes -------------------------------------------------------------------------------------
# Small builders for programme tests, on top of the root conftest's ``world``.


def make_programme(organisation: Organisation, name: str = "Vertaistukiryhmät", **fields: object) -> Programme:
    return programmes_services.programme_create(
        actor=None,
        organisation=organisation,
        fields=ProgrammeFields(name=name, segments=[("Suomalaiset perheet", 20)], topics=["Raskausaika"], **fields),  # type: ignore[arg-type]
    )


def make_site(programme: Programme, organisation: Organisation | None = None, name: str = "Naistari") -> Site:
    return programmes_services.site_create(
        actor=None,
        programme=programme,
        organisation=organisation or programme.organisation,
        name=name,
        municipality="Tampere",
    )


def make_unit(
    programme: Programme,
    organisation: Organisation | None = None,
    *,
    name: str = "Hervanta",
    count: int = 7,
    first: date = date(2019, 10, 30),
    facilitator: User | None = None,
    site: Site | None = None,
) -> DeliveryUnit:
    unit = meetings_services.unit_create(
        actor=None,
        programme=programme,
        organisation=organisation or programme.organisation,
        name=name,
        schedule=ScheduleRule(first=first, count=count),
        start_time=time(15, 30),
        site=site,
    )
    if facilitator is not None:
        programmes_services.facilitator_assign(actor=None, unit=unit, user=facilitator, role="public_health_nurse")
    return unit


def queries_for(client: Client, url: str) -> int:
    """Queries of a GET after a first, warming one (sign-in bookkeeping happens once per session)."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def sqlite_work(client: Client, url: str) -> int:
    """SQLite virtual-machine steps (to the nearest 100) of a GET after a warming one: the work the
    database did, whatever the machine's load. A page whose queries look things up by key does the
    same work however much else the database holds; a scan grows with the table. SQLite only."""
    assert client.get(url).status_code == 200
    connection.ensure_connection()
    steps = [0]

    def step() -> int:
        steps[0] += 1
        return 0  # carry on

    connection.connection.set_progress_handler(step, 100)
    try:
        assert client.get(url).status_code == 200
    finally:
        connection.connection.set_progress_handler(None, 100)
    return steps[0] * 100


# --- people -----------------------------------------------------------------------------------------
# Small builders for participant tests, on top of the root conftest's ``world``.

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
    return people_services.participant_create(
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
    enrolment = recruitment_services.enrolment_create(
        actor=actor,
        participant=who if isinstance(who, Participant) else None,
        household=who if isinstance(who, Household) else None,
        fields=recruitment_services.EnrolmentFields(
            programme=unit.programme, unit=unit, referral_source="outreach", contacted_on=on, segment=segment
        ),
    )
    if stage != "contacted":
        enrolment = recruitment_services.enrolment_transition(actor=actor, enrolment=enrolment, to=stage, on=on)
    return enrolment


def make_household(parent: Participant, *, with_partner: Participant | None = None) -> Household:
    members = [MemberFields(relation="parent", participant=parent)]
    if with_partner is not None:
        members.append(MemberFields(relation="partner", participant=with_partner))
    members.append(MemberFields(relation="expected_child", due_date=date(2020, 3, 1)))
    return people_services.household_save(actor=None, organisation=parent.organisation, members=members)


# --- meetings ---------------------------------------------------------------------------------------
# Builders for meetings tests: units with meetings at known times around a frozen "now".

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
        meetings_services.meeting_add(actor=None, unit=unit, starts_at=when)
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


# --- measurement ------------------------------------------------------------------------------------
# Builders for measurement tests: a programme with a unit, enrolled people and a plan.

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
    return measurement_services.plan_entry_add(
        actor=None,
        programme=programme,
        fields=measurement_services.EntryFields(instrument=instrument(key), when=when, audience=audience, **extra),  # type: ignore[arg-type]
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


# --- surveys ----------------------------------------------------------------------------------------
# Builders for the answering tests: the library, a group with a meeting, links and panels.

# PHQ-9 with its safety item (q9, thoughts of self-harm) answered "several days", the rest 0.
PHQ9_SAFETY_ANSWERS = {**{f"q-q{n}": "0" for n in range(1, 9)}, "q-q9": "1"}

# WHO-5's options per item are 5 (all of the time) … 0 (at no time).
WHO5_ANSWERS = {"q-q1": "5", "q-q2": "4", "q-q3": "3", "q-q4": "2", "q-q5": "1"}  # raw 15, total 60


def library_version(key: str) -> InstrumentVersion:
    if not Instrument.objects.filter(organisation=None, key=key).exists():
        library_load()
    return instruments_selectors.current_version(Instrument.objects.get(organisation=None, key=key))


def link_for(
    participant: Participant, key: str = "who-5", *, version: InstrumentVersion | None = None, **kwargs: object
) -> tuple[PersonalLink, str]:
    return surveys_services.personal_link_create(  # type: ignore[arg-type]  # the tests pass the service's own keywords
        actor=None, participant=participant, version=version or library_version(key), **kwargs
    )


def panel_for(meeting: object, key: str = "pilotti-meeting-rating", *, kiosk: bool = False) -> ClientPanel:
    return surveys_services.panel_set(actor=None, meeting=meeting, version=library_version(key), kiosk=kiosk)  # type: ignore[arg-type]


def safety_instrument(organisation: Organisation, languages: tuple[str, ...] = ("en", "fi")) -> InstrumentVersion:
    """An organisation's PHQ-9 offered in ``languages`` (a test stand-in: the library has English
    wording only), so that it can be answered on a page in another language."""
    instrument = make_instrument(organisation, key="phq-9")
    version = instruments_selectors.current_version(instrument)
    version.languages = list(languages)
    version.save(update_fields=["languages"])
    return version


# --- evaluation -------------------------------------------------------------------------------------
# A small pilot with known figures, built through the services: one group, its meetings,
# people with and without evaluation consent, client-panel ratings and WHO-5 at intake and end.

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
    pilot.rating = pilot_instrument(world, "pilotti-meeting-rating", f"rating-{programme.slug}")
    pilot.who5 = pilot_instrument(world, "who-5", f"who5-{programme.slug}")
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
        answer_version(world, pilot.who5, person, who5_answers(2 + n % 2), START - timedelta(days=3))
        answer_version(world, pilot.who5, person, who5_answers(3 + n % 3), START + timedelta(days=62))
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


def pilot_instrument(world: Any, library_key: str, key: str) -> InstrumentVersion:
    spec = fileformat.parse(library_file(library_key) | {"key": key})
    return current_version(instrument_save(actor=None, organisation=world.org, spec=spec).instrument)


def people_consent(person: Participant, on: date) -> None:
    people_services.consent_give(actor=None, participant=person, purpose="evaluation", given_on=on, method="written")


def answer_version(
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


# --- council and service use ------------------------------------------------------------------------
# A pilot's client council and its service-use counts, on top of the evaluation section's ``build``.


def council_suggestions(world: Any, pilot: Pilot) -> None:
    """Two suggestions at the pilot's second meeting: one accepted and done three days later, one
    still open."""
    meeting = pilot.meetings[1]
    day = meeting.starts_at.astimezone(HELSINKI).date()
    council_services.council_item_add(
        actor=world.coordinator,
        meeting=meeting,
        fields=council_services.ItemFields(
            suggestion="Yhteistä ruoanlaittoa",
            decision="accepted",
            decided_on=day,
            action="Ruoanlaitto joka toinen kerta",
            done_on=day + timedelta(days=3),
        ),
    )
    council_services.council_item_add(
        actor=world.coordinator, meeting=meeting, fields=council_services.ItemFields(suggestion="Myöhempi aloitus")
    )


def family_work(world: Any, pilot: Pilot) -> Service:
    """The service whose use the pilot counts before and after: family work."""
    return serviceuse_services.service_add(
        actor=world.owner, programme=pilot.programme, fields=serviceuse_services.ServiceFields(name="Perhetyö")
    )


def service_use_counts(world: Any, pilot: Pilot, service: Service, pairs: list[tuple[int, int | None]]) -> None:
    """Each of the pilot's people in turn gets a (before, after) pair of counts; None: not yet counted."""
    for person, (before, after) in zip(pilot.people, pairs, strict=False):
        serviceuse_services.service_use_add(
            actor=world.coordinator,
            service=service,
            person=person,
            fields=serviceuse_services.UseFields(
                support_started_on=START,
                support_ended_on=START + timedelta(days=60),
                before_count=before,
                after_count=after,
            ),
        )


# --- interviews -------------------------------------------------------------------------------------
# An interview of a consenting participant, coded into themes, for the tests.


def interview_consent(participant: Participant, on: date = date(2019, 9, 1)) -> None:
    people_services.consent_give(
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
    interview = interviews_services.interview_add(
        actor=actor,
        programme=programme,
        organisation=organisation,
        fields=interviews_services.InterviewFields(
            kind=Interview.Kind.INTERVIEW,
            title="Vanhempien haastattelu",
            held_on=held_on,
            unit=unit,
            guide="Miltä arki tuntuu nyt?\nMikä ryhmässä auttoi?",
        ),
    )
    interviews_services.interview_notes_set(actor=actor, interview=interview, notes="H: Miltä arki tuntuu?\nV: " + text)
    interviewee = interviews_services.interviewee_add(
        actor=actor, interview=interview, kind=Interviewee.Kind.PARTICIPANT, participant=participant
    )
    theme = theme or interviews_services.theme_add(
        actor=actor,
        programme=programme,
        organisation=organisation,
        fields=interviews_services.ThemeFields(name="Kevyempi arki", description="Arjen kuorma keveni."),
    )
    excerpt = interviews_services.excerpt_add(
        actor=actor,
        programme=programme,
        organisation=organisation,
        source=interviews_services.ExcerptSource(interview=interview),
        text=text,
        themes=[theme],
    )
    return Coded(interview, participant, interviewee, theme, excerpt)


# --- rights -----------------------------------------------------------------------------------------
# A participant with something in every corner: contact details, a household, a consent, an
# enrolment that ended, attendance-free answers with free text, a safety alert, a reminder.

FULL_NAME = "Testi Henkilö 0"
FULL_EMAIL = "t0@example.org"
FULL_PHONE = "040 000 0001"
FULL_NOTE = "Soitettu Testi Henkilö 0:lle"


def full_participant(organisation: Organisation, *, ended_on: date | None = date(2020, 1, 31)) -> Participant:
    _programme, _unit, (participant,) = setup_unit(organisation, people=1)
    make_household(participant)
    people_services.consent_give(
        actor=None, participant=participant, purpose="evaluation", given_on=date(2019, 10, 1), method="written"
    )
    enrolment = participant.enrolments.get()
    recruitment_services.enrolment_transition(actor=None, enrolment=enrolment, to="started", on=date(2019, 10, 30))
    if ended_on is not None:
        recruitment_services.enrolment_transition(actor=None, enrolment=enrolment, to="completed", on=ended_on)
    response = answer("pilotti-final-survey", participant, {"benefit": 1, "comments": FULL_NOTE}, date(2020, 1, 20))
    SafetyAlert.objects.create(
        organisation=organisation, participant=participant, response=response, raised_at=timezone.now(), note=FULL_NOTE
    )
    ReminderChoice.objects.create(participant=participant, channel="sms")
    participant.refresh_from_db()
    return participant


# --- api --------------------------------------------------------------------------------------------
# Builders for the API tests: tokens and a client that sends them.


def make_token(user: User, organisation: Organisation, access: str = "write", **extra: Any) -> str:
    _token, secret = api_services.token_create(
        actor=user, organisation=organisation, name="Raportointi", access=access, **extra
    )
    return secret


class ApiClient:
    """A test client that sends ``Authorization: Bearer <token>`` with every request."""

    def __init__(self, token: str | None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/api/v1{path}", params, headers=self.headers)

    def post(self, path: str, body: Any) -> Any:
        return self.client.post(
            f"/api/v1{path}", json.dumps(body, default=str), content_type="application/json", headers=self.headers
        )


def api_as(user: User, organisation: Organisation, access: str = "write") -> ApiClient:
    return ApiClient(make_token(user, organisation, access))
