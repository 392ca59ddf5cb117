"""Demo answers and measurement plans for three seed pilots, with the seeds' exact figures.

- Ikaalinen (seed 003, docs/seeds.md): the client panel rated the day activity 51 times on 1–10,
  mean 9.22 (the ratings sum to 470: 470 / 51 = 9.2157, which rounds to 9.22); both workers
  rated usefulness 5 of 5 from their own and from the clients' point of view (four ratings,
  typed in by the demo facilitator); the final survey was answered by 5 of the 8 who
  committed, 4 of them (80 %) "much" or "very much" benefit, and what drew them in: getting out
  of home 2 of 5 (40 %), doing things together 2 of 5 (40 %). The five all hold an evaluation
  consent on the day they answered; the client panel is anonymous and needs none.
- Essote (002): 3X10D life-situation meters at the first and the last meeting, typed in from
  paper, with small improvements. The people demo has no participants for this pilot, so this
  demo enrols a few (six parents in Essote's group, five young people in Vaalijala's).
- Valoa arkeen (000): WHO-5 and EPDS at intake and at the end for each parent, improving. One
  intake EPDS (the first family's mother) answers item 10 "hardly ever": it raises the demo's
  one safety alert, left unacknowledged so that the start page shows it (no e-mail is sent).

Seeded and idempotent: each part is skipped when its answers exist, so a second run changes nothing.
"""

import random
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Max, Min

from pilotti.accounts.models import User
from pilotti.core.zone import HELSINKI
from pilotti.instruments.models import Instrument, Mode, Response
from pilotti.instruments.scoring import AnswerValue
from pilotti.instruments.selectors import current_version
from pilotti.instruments.services import response_record
from pilotti.measurement import services
from pilotti.measurement.models import Audience, PlanEntry, When
from pilotti.meetings.models import Meeting
from pilotti.meetings.programmes_demo import DEMO_FACILITATOR
from pilotti.organisations.models import Organisation
from pilotti.people.models import Participant
from pilotti.programmes.models import DeliveryUnit, Programme
from pilotti.recruitment.demo import Loader, demo_code

IKAALINEN = "ikaalinen-paivatoiminta"
ESSOTE = "ohjatut-vertaistukiryhmat"
VALOA = "valoa-arkeen"

# 51 client-panel ratings summing to 470 (mean 9.2157 → 9.22).
PANEL_RATINGS = [10] * 23 + [9] * 20 + [8] * 5 + [7] * 2 + [6]
# The final survey, by Ikaalinen participants 1–5: (benefit 1–5, what drew them in, comment).
# Options: 1 getting out of home, 2 doing things together, 3 meeting other people,
# 4 the activities and themes, 5 support from the workers.
FINAL_SURVEY: list[tuple[int, list[int], str]] = [
    (5, [1, 3], "Tuli lähdettyä pois kotoa, onnistumisen tunne."),
    (4, [2], "Uusia suunnitelmia ja tekemistä."),
    (5, [1, 5], ""),
    (4, [2, 4], "Piristystä päivään, uutta tietoa ja seuraa."),
    (3, [3], ""),
]
USEFULNESS_RATINGS = 4  # two workers, each from their own and from the clients' point of view


def _instrument(key: str) -> Instrument:
    return Instrument.objects.get(key=key, organisation__isnull=True)


def _at(day: date, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=HELSINKI)


def _plan(programme: Programme, entries: Sequence[tuple[str, str, str, bool]], primary: str = "") -> None:
    """The plan's entries; ``primary``: the instrument whose end entry is the primary outcome."""
    if PlanEntry.objects.filter(programme=programme).exists():
        return
    for key, when, audience, anonymous in entries:
        fields = services.EntryFields(instrument=_instrument(key), when=when, audience=audience, anonymous=anonymous)
        fields.primary_outcome = key == primary and when == When.END
        services.plan_entry_add(actor=None, programme=programme, fields=fields)


def _answer(
    key: str,
    organisation: Organisation,
    answers: dict[str, AnswerValue],
    *,
    mode: str,
    when: datetime,
    participant: Participant | None = None,
    meeting: Meeting | None = None,
    actor: User | None = None,
) -> Response:
    response = response_record(
        version=current_version(_instrument(key)),
        organisation=organisation,
        answers=answers,
        mode=mode,
        language="fi",
        participant=participant,
        meeting=meeting,
        actor=actor,
        now=when,
    )
    if response.safety_flagged:
        services.alert_raise(response=response, notify=False)  # a demo alert: nobody is e-mailed
    return response


def _has_answers(key: str, **lookups: object) -> bool:
    return Response.objects.filter(version__instrument__key=key, **lookups).exists()


def _participant(organisation: str, number: int) -> Participant:
    return Participant.objects.get(code=demo_code("PK", f"{organisation}:{number}"))


def load_ikaalinen() -> None:
    programme = Programme.objects.get(slug=IKAALINEN)
    _plan(
        programme,
        [
            ("pilotti-meeting-rating", When.EVERY_MEETING, Audience.PARTICIPANTS, True),
            ("pilotti-usefulness", When.END, Audience.STAFF, False),
            ("pilotti-final-survey", When.END, Audience.PARTICIPANTS, False),
        ],
    )
    unit = programme.units.get(name="Päivätoiminta")
    organisation = unit.organisation
    held = list(unit.meetings.filter(status=Meeting.Status.HELD).order_by("starts_at"))
    if held and not _has_answers("pilotti-meeting-rating", meeting__unit=unit):
        rng = random.Random("pilotti-demo:client-panel:ikaalinen")  # noqa: S311  (demo data)
        ratings = PANEL_RATINGS[:]
        rng.shuffle(ratings)
        for n, rating in enumerate(ratings):
            # Every meeting gets at least one rating; the rest go to randomly chosen meetings.
            meeting = held[n] if n < len(held) else rng.choice(held)
            _answer(
                "pilotti-meeting-rating",
                organisation,
                {"rating": rating},
                mode=Mode.CLIENT_PANEL,
                when=meeting.ends_at,
                meeting=meeting,
            )
    last = held[-1] if held else None
    end = date(2022, 11, 15)
    facilitator = User.objects.filter(email=DEMO_FACILITATOR).first()
    if not _has_answers("pilotti-usefulness", organisation=organisation):
        for _ in range(USEFULNESS_RATINGS):
            _answer(
                "pilotti-usefulness",
                organisation,
                {"usefulness": 5},
                mode=Mode.STAFF,
                when=_at(end, 15),
                meeting=last,
                actor=facilitator,
            )
    if not _has_answers("pilotti-final-survey", organisation=organisation):
        for number, (benefit, drew_in, comment) in enumerate(FINAL_SURVEY, start=1):
            answers: dict[str, AnswerValue] = {"benefit": benefit, "drew_in": drew_in}
            if comment:
                answers["comments"] = comment
            _answer(
                "pilotti-final-survey",
                organisation,
                answers,
                mode=Mode.PAPER,
                when=_at(end - timedelta(days=number % 3), 14),
                participant=_participant(organisation.slug, number),
                actor=facilitator,
            )


ESSOTE_GROUPS = [
    # (unit, organisation, first number, how many)
    ("Neurokirjon lasten vanhemmat", "essote", 401, 6),
    ("Itsenäistyvät nuoret ja perheet", "vaalijalan-kuntayhtyma", 421, 5),
]
DOMAINS = [
    "health",
    "resilience",
    "housing",
    "daily_life",
    "family",
    "friends",
    "finances",
    "strengths",
    "self_esteem",
    "life",
]


def _days(unit: DeliveryUnit) -> tuple[date, date]:
    days = unit.meetings.exclude(status=Meeting.Status.CANCELLED).aggregate(
        first=Min("starts_at"), last=Max("starts_at")
    )
    return days["first"].astimezone(HELSINKI).date(), days["last"].astimezone(HELSINKI).date()


def _essote_people(unit: DeliveryUnit, organisation: str, first: int, count: int) -> list[Participant]:
    """Enrols the group's demo participants (the people demo has none for this pilot)."""
    loader = Loader({o.slug: o for o in Organisation.objects.filter(is_demo=True)})
    start, end = _days(unit)
    young = organisation == "vaalijalan-kuntayhtyma"
    people = []
    for number in range(first, first + count):
        person = loader.person(
            organisation,
            number,
            birth_year=2004 + number % 3 if young else 1978 + number % 12,
            gender=["female", "male"][number % 2],
            preferred_language="suomi",
            municipality="Pieksämäki" if young else "Mikkeli",
        )
        loader.enrol(
            person,
            unit.programme,
            unit,
            referral="social_services",
            contacted=start - timedelta(days=30),
            steps=[("enrolled", start - timedelta(days=7), ""), ("started", start, ""), ("completed", end, "")],
        )
        loader.consents(person, start - timedelta(days=7))
        people.append(person)
    return people


def load_essote() -> None:
    programme = Programme.objects.get(slug=ESSOTE)
    _plan(
        programme,
        [
            ("3x10d", When.INTAKE, Audience.PARTICIPANTS, False),
            ("3x10d", When.END, Audience.PARTICIPANTS, False),
        ],
    )
    for name, organisation, first, count in ESSOTE_GROUPS:
        unit = programme.units.get(name=name)
        people = _essote_people(unit, organisation, first, count)
        if _has_answers("3x10d", participant__in=people):
            continue
        start, end = _days(unit)
        rng = random.Random(f"pilotti-demo:3x10d:{name}")  # noqa: S311  (demo data)
        for person in people:
            before = {domain: rng.randint(3, 7) for domain in DOMAINS}
            after = {domain: min(10, value + rng.choice([0, 0, 1, 1, 2])) for domain, value in before.items()}
            for day, values in ((start, before), (end, after)):
                _answer(
                    "3x10d", unit.organisation, dict(values), mode=Mode.PAPER, when=_at(day, 19), participant=person
                )


# WHO-5: items 0–5, higher is better. EPDS: the stored value is the option's position 0–3 from
# the top; items 3 and 5–10 are reverse-scored, so 3 on those items scores 0.
WHO5_BEFORE = [2, 2, 1, 1, 2]
WHO5_AFTER = [3, 3, 3, 2, 3]
EPDS_BEFORE = {"q1": 1, "q2": 1, "q3": 1, "q4": 2, "q5": 1, "q6": 1, "q7": 2, "q8": 1, "q9": 2, "q10": 3}
EPDS_AFTER = {"q1": 0, "q2": 0, "q3": 2, "q4": 1, "q5": 2, "q6": 2, "q7": 3, "q8": 2, "q9": 3, "q10": 3}
ALERT_PARENT = 201  # intake EPDS item 10 "hardly ever" (stored 2, scored 1): the demo's one safety alert


def load_valoa_arkeen() -> None:
    programme = Programme.objects.get(slug=VALOA)
    entries = [(key, when, Audience.PARENTS, False) for key in ("who-5", "epds") for when in (When.INTAKE, When.END)]
    _plan(programme, entries, primary="who-5")  # the parents' well-being: what the pilot is judged by
    organisation = programme.organisation
    rng = random.Random("pilotti-demo:valoa-arkeen")  # noqa: S311  (demo data)
    for unit in programme.units.order_by("name"):
        enrolment = unit.enrolments.select_related("household").first()
        if enrolment is None or enrolment.household is None:
            continue
        parents = list(
            Participant.objects.filter(memberships__household=enrolment.household).order_by("memberships__id")
        )
        if _has_answers("who-5", participant__in=parents):
            continue
        start, end = _days(unit)
        for parent in parents:
            wobble = rng.choice([-1, 0, 0, 1])
            who_before = {f"q{i + 1}": max(0, min(5, v + (wobble if i == 0 else 0))) for i, v in enumerate(WHO5_BEFORE)}
            who_after = {f"q{i + 1}": v for i, v in enumerate(WHO5_AFTER)}
            epds_before = dict(EPDS_BEFORE)
            if parent.code == demo_code("PK", f"{organisation.slug}:{ALERT_PARENT}"):
                epds_before["q10"] = 2
            for day, who, epds in ((start, who_before, epds_before), (end, who_after, EPDS_AFTER)):
                _answer("who-5", organisation, dict(who), mode=Mode.PAPER, when=_at(day, 11), participant=parent)
                _answer("epds", organisation, dict(epds), mode=Mode.PAPER, when=_at(day, 11), participant=parent)


@transaction.atomic
def load() -> None:
    """Needs the programmes, people and meetings demos first; without them it does nothing."""
    if Programme.objects.filter(slug__in=[IKAALINEN, ESSOTE, VALOA]).count() != 3:
        return
    if not Participant.objects.filter(code=demo_code("PK", "ikaalisten-kaupunki:1")).exists():
        return
    load_ikaalinen()
    load_essote()
    load_valoa_arkeen()
