"""A realistic national data set for load and benchmark work (``manage.py generate_scale_data``).

One wellbeing services county runs four permanent services built on the seed pilots, each with
sites in many municipalities, delivery units (groups and household tracks), enrolments through
every funnel stage, meetings with roll calls, consents, encrypted contact details, and answers
to every instrument of the shipped library as each programme's measurement plan asks.

Fast and flat: rows are written with ``bulk_create`` in batches, a chunk of people at a time
(no per-row ``save()``, so no signals and no history rows: the data is "imported"); only the
current chunk is held in memory. Scores are computed by the real ``scoring.score`` and the
contact details go through the real ``EncryptedTextField``. Deterministic for a given seed.

Deliberate simplifications (docs/benchmarks.md): safety items are always answered 0 (no
safety alerts are raised); household children are not in roll calls; dates lie in the past.
"""

import math
import random
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction
from django.db.models import Max

from pilotti.accounts.models import User
from pilotti.core.zone import HELSINKI
from pilotti.instruments.models import Answer, Instrument, InstrumentVersion, Mode, Response
from pilotti.instruments.scoring import AnswerValue, score
from pilotti.instruments.selectors import current_version, spec_of, version_with_structure
from pilotti.instruments.services import library_load
from pilotti.instruments.spec import Direction, ItemSpec, ItemType, VersionSpec
from pilotti.measurement.models import Audience, PlanEntry, When
from pilotti.meetings.models import Attendance, Meeting
from pilotti.organisations.models import Membership, Organisation, Role
from pilotti.organisations.validators import business_id_check_digit
from pilotti.people import crypto
from pilotti.people.models import (
    CODE_ALPHABET,
    ConsentMethod,
    ConsentPurpose,
    ContactDetails,
    Gender,
    Household,
    HouseholdMember,
    Participant,
    Relation,
)
from pilotti.people.models import Consent as ConsentRow
from pilotti.people.services import IDENTITY_CODE_INDEX, NAME_INDEX, normalise_name
from pilotti.programmes.models import (
    DeliveryUnit,
    FacilitatorRole,
    Frequency,
    Programme,
    Site,
    UnitFacilitator,
)
from pilotti.programmes.models import (
    Mode as DeliveryMode,
)
from pilotti.recruitment.models import Enrolment as EnrolmentRow
from pilotti.recruitment.models import ReferralSource, Stage, StageChange
from pilotti.surveys.models import ClientPanel

BATCH = 2000
CHUNK = 1000  # people per chunk: memory stays flat whatever the size
MUNICIPALITIES = (
    "Kuopio", "Iisalmi", "Varkaus", "Siilinjärvi", "Suonenjoki", "Leppävirta", "Lapinlahti", "Kiuruvesi",
    "Pieksämäki", "Mikkeli", "Savonlinna", "Juva", "Oulu", "Kajaani", "Kokkola", "Pudasjärvi", "Tampere",
    "Ikaalinen", "Nokia", "Ylöjärvi",
)  # fmt: skip
FIRST_NAMES = ("Aino", "Eino", "Helmi", "Väinö", "Sofia", "Leo", "Amina", "Omar", "Olga", "Mikko", "Sara", "Ali")
LAST_NAMES = ("Korhonen", "Virtanen", "Mäkinen", "Nieminen", "Hassan", "Ahmadi", "Petrova", "Lindqvist", "Heikkinen")
COMMENTS = ("Hyvä ryhmä.", "Sain vertaistukea.", "Tapaamisia olisi saanut olla enemmän.", "Kiitos!", "Uupumus.")
# The share of each outcome of an enrolment (the funnel): stage → share.
OUTCOMES: tuple[tuple[str, float], ...] = (
    (Stage.CONTACTED, 0.03),
    (Stage.NOT_REACHED, 0.07),
    (Stage.INTERESTED, 0.03),
    (Stage.WAITING, 0.02),
    (Stage.DECLINED, 0.08),
    (Stage.ENROLLED, 0.02),
    (Stage.DROPPED_OUT, 0.15),
    (Stage.COMPLETED, 0.60),
)
PLACED = (Stage.ENROLLED, Stage.DROPPED_OUT, Stage.COMPLETED)
LANGUAGES = ("fi",) * 16 + ("sv", "en", "ar", "so", "fa", "ru", "uk")


@dataclass(frozen=True)
class Entry:
    """A measurement plan entry: instrument key, when, audience, anonymous, follow-up weeks."""

    key: str
    when: str
    audience: str = Audience.PARTICIPANTS
    anonymous: bool = False
    weeks: int | None = None


@dataclass(frozen=True)
class ProgrammeShape:
    key: str
    name: str
    share: float  # of all participants
    households: bool  # household tracks (one household each) rather than groups
    group_size: int
    meetings: int
    frequency: str
    mode: str
    roles: tuple[str, str]
    plan: tuple[Entry, ...]
    segments: tuple[str, ...]
    sources: tuple[str, ...]


# Every instrument of the library appears in some plan (checked by the smoke test).
SHAPES = (
    ProgrammeShape(
        "perhetuki",
        "Valoa arkeen – etäperhetuki",
        0.45,
        True,
        1,
        12,
        Frequency.WEEKLY,
        DeliveryMode.REMOTE,
        (FacilitatorRole.SOCIAL_CARE, FacilitatorRole.HEALTH_CARE),
        (
            Entry("pilotti-strain-factors", When.INTAKE, Audience.PARENTS),
            Entry("who-5", When.INTAKE, Audience.PARENTS),
            Entry("epds", When.INTAKE, Audience.PARENTS),
            Entry("pilotti-meeting-rating", When.EVERY_MEETING, Audience.PARENTS),
            Entry("who-5", When.END, Audience.PARENTS),
            Entry("epds", When.END, Audience.PARENTS),
            Entry("pilotti-final-survey", When.END, Audience.PARENTS),
            Entry("who-5", When.FOLLOW_UP, Audience.PARENTS, weeks=12),
        ),
        ("ensimmäistä lasta odottavat", "pikkulapsiperheet"),
        (ReferralSource.CHILD_HEALTH_CLINIC, ReferralSource.CHILD_HEALTH_CLINIC, ReferralSource.SELF),
    ),
    ProgrammeShape(
        "vertaistuki",
        "Ammatillisesti ohjatut vertaistukiryhmät",
        0.30,
        False,
        8,
        10,
        Frequency.WEEKLY,
        DeliveryMode.IN_PERSON,
        (FacilitatorRole.SOCIAL_CARE, FacilitatorRole.PEER_INSTRUCTOR),
        (
            Entry("3x10d", When.INTAKE),
            Entry("core-10", When.INTAKE),
            Entry("pilotti-meeting-rating", When.EVERY_MEETING, anonymous=True),
            Entry("pilotti-usefulness", When.EVERY_MEETING, Audience.STAFF),
            Entry("3x10d", When.END),
            Entry("core-10", When.END),
        ),
        ("nepsy-lasten vanhemmat", "itsenäistyvät nuoret"),
        (ReferralSource.SOCIAL_SERVICES, ReferralSource.SCHOOL, ReferralSource.NGO),
    ),
    ProgrammeShape(
        "paivatoiminta",
        "Päivätoiminta kotiin jääneille",
        0.15,
        False,
        6,
        16,
        Frequency.WEEKDAYS,
        DeliveryMode.IN_PERSON,
        (FacilitatorRole.PRACTICAL_NURSE, FacilitatorRole.SOCIAL_COUNSELLOR),
        (
            Entry("k10", When.INTAKE),
            Entry("swemwbs", When.INTAKE),
            Entry("pilotti-meeting-rating", When.EVERY_MEETING, anonymous=True),
            Entry("k10", When.END),
            Entry("swemwbs", When.END),
            Entry("pilotti-final-survey", When.END),
        ),
        ("kotiin jääneet aikuiset",),
        (ReferralSource.OUTREACH, ReferralSource.OUTREACH, ReferralSource.SELF),
    ),
    ProgrammeShape(
        "perhe-yhtenaiseksi",
        "Perhe yhtenäiseksi – kotoutuvien perheiden perhetyö",
        0.10,
        True,
        1,
        8,
        Frequency.WEEKLY,
        DeliveryMode.IN_PERSON,
        (FacilitatorRole.SOCIAL_CARE, FacilitatorRole.INTERPRETER),
        (
            Entry("phq-9", When.INTAKE, Audience.PARENTS),
            Entry("gad-7", When.INTAKE, Audience.PARENTS),
            Entry("phq-9", When.END, Audience.PARENTS),
            Entry("gad-7", When.END, Audience.PARENTS),
            Entry("phq-2", When.FOLLOW_UP, Audience.PARENTS, weeks=8),
            Entry("gad-2", When.FOLLOW_UP, Audience.PARENTS, weeks=8),
        ),
        ("kotoutuvat perheet",),
        (ReferralSource.INTEGRATION_PLAN,),
    ),
)


@dataclass
class Version:
    """What the generator needs of an instrument version, read once."""

    obj: InstrumentVersion
    spec: VersionSpec
    item_ids: dict[str, int]
    option_ids: dict[tuple[str, int], int]
    band_ids: dict[str, int]


@dataclass
class Person:
    participant: Participant
    severity: float  # 0 well … 1 unwell: drives every answer, so scores hang together


@dataclass
class Subject:
    """What is enrolled: one participant (groups) or a household of one or two parents."""

    people: list[Person]
    household: Household | None
    outcome: str
    segment: str
    source: str
    unit: DeliveryUnit | None = None
    meetings: list[Meeting] = field(default_factory=list)
    last_attended: int = 0  # index of the last meeting attended


def _codes(prefix: str, start: int, seed: int) -> Iterator[str]:
    """Unique pseudonymous codes: an affine permutation of a counter, so they look random."""
    space = len(CODE_ALPHABET) ** 5
    multiplier, offset = 7_368_787, (seed * 104_729) % space  # the multiplier is coprime to 31**5
    index = start
    while True:
        n = (index * multiplier + offset) % space
        letters = []
        for _ in range(5):
            n, digit = divmod(n, len(CODE_ALPHABET))
            letters.append(CODE_ALPHABET[digit])
        yield f"{prefix}-{''.join(letters)}"
        index += 1


def _business_id(seed: int) -> str:
    number = 3_100_000 + seed * 13
    while True:
        check = business_id_check_digit(f"{number:07d}")
        candidate = f"{number:07d}-{check}"
        if check is not None and not Organisation.objects.filter(business_id=candidate).exists():
            return candidate
        number += 1


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=HELSINKI)


def _bulk(model: type[models.Model], rows: Sequence[Any], counts: Counter[str]) -> None:
    if rows:
        model.objects.bulk_create(rows, batch_size=BATCH)  # type: ignore[attr-defined]
        counts[model._meta.label] += len(rows)


class Table:
    """Rows for one table as plain tuples, inserted with ``executemany``.

    For the tables with millions of rows (answers, responses, roll calls): building a model
    instance per row costs more than the database's work. Ids are handed out here, from the
    table's current maximum, so that dependent rows can refer to them before the insert; the
    generator runs in one transaction, and ``reset_sequences`` moves PostgreSQL's sequences on.
    """

    def __init__(self, model: type[models.Model], names: Sequence[str], counts: Counter[str]) -> None:
        self.model = model
        self.counts = counts
        fields = [model._meta.get_field(name) for name in names]
        self.has_id = "id" in names
        # Only dates, times, JSON and UUIDs need adapting to the database; the rest go as they are.
        self.converters = [
            (index, converter)
            for index, f in enumerate(fields)
            if (converter := _converter(f)) is not None  # type: ignore[arg-type]
        ]
        ops = connection.ops
        columns = ", ".join(ops.quote_name(str(f.column)) for f in fields)  # type: ignore[union-attr]
        values = ", ".join(["%s"] * len(fields))
        self.sql = f"INSERT INTO {ops.quote_name(model._meta.db_table)} ({columns}) VALUES ({values})"  # noqa: S608
        self.rows: list[list[Any]] = []
        last = model.objects.aggregate(last=Max("pk"))["last"] if self.has_id else 0  # type: ignore[attr-defined]
        self.next_id = (last or 0) + 1

    def add(self, *values: Any) -> int:
        """Adds a row (without its id when the table has ``id`` first) and returns the id."""
        row_id = self.next_id
        row = [row_id, *values] if self.has_id else list(values)
        self.next_id += self.has_id
        for index, convert in self.converters:
            if row[index] is not None:
                row[index] = convert(row[index])
        self.rows.append(row)
        if len(self.rows) >= BATCH * 5:
            self.flush()
        return row_id

    def flush(self) -> None:
        if self.rows:
            with connection.cursor() as cursor:
                cursor.executemany(self.sql, self.rows)
            self.counts[self.model._meta.label] += len(self.rows)
            self.rows = []


def _converter(field: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
    wrapper = connections[DEFAULT_DB_ALIAS]  # the connection itself, not the per-thread proxy
    if isinstance(field, models.DateTimeField):
        return wrapper.ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return wrapper.ops.adapt_datefield_value
    if isinstance(field, models.JSONField | models.UUIDField):
        return lambda value: field.get_db_prep_value(value, wrapper)
    return None


class AlreadyGenerated(Exception):
    pass


class Generator:
    def __init__(
        self,
        participants: int,
        seed: int = 1,
        *,
        today: date | None = None,
        progress: Callable[[str], None] | None = None,
    ) -> None:
        self.participants = participants
        self.seed = seed
        self.rng = random.Random(seed)  # noqa: S311 - made-up data, reproducible from the seed
        self.today = today or date.today()  # noqa: DTZ011 - a calendar day is all that matters here
        # Units start within two years, ending well before today (follow-ups included).
        self.first_day = self.today - timedelta(weeks=160)
        self.counts: Counter[str] = Counter()
        self.progress = progress or (lambda message: None)
        self.slug = f"skaala-{seed}"
        self.now = datetime.now(tz=HELSINKI)
        # Meetings each participant of the current chunk came to: their per-meeting ratings.
        self.came: dict[int, set[int]] = {}

    # --- set-up -------------------------------------------------------------------------------

    def run(self) -> Counter[str]:
        if Organisation.objects.filter(slug=self.slug).exists():
            raise AlreadyGenerated(self.slug)
        library_load()
        self.versions = {
            instrument.key: self._version(current_version(instrument))
            for instrument in Instrument.objects.filter(organisation__isnull=True)
        }
        self.participant_codes = _codes(f"S{self.seed % 10}", 0, self.seed)
        self.household_codes = _codes(f"K{self.seed % 10}", 0, self.seed + 1)
        with transaction.atomic():
            self._tables()
            self._organisation()
            remaining = self.participants
            for index, shape in enumerate(SHAPES):
                size = remaining if index == len(SHAPES) - 1 else round(self.participants * shape.share)
                size = min(size, remaining)
                remaining -= size
                self._programme(shape, size)
            for table in self.tables:
                table.flush()
            reset_sequences([table.model for table in self.tables if table.has_id])
            analyse([table.model for table in self.tables])
        return self.counts

    def _tables(self) -> None:
        c = self.counts
        self.responses = Table(
            Response,
            ["id", "uuid", "organisation", "version", "participant", "meeting", "mode", "language", "entered_by",
             "created_at", "submitted_at", "total", "mean_item_score", "band", "subscale_scores", "missing_items",
             "is_prorated", "safety_flagged"],
            c,
        )  # fmt: skip
        self.answers = Table(Answer, ["id", "response", "item", "value", "text", "date"], c)
        choices = Answer.choices.through
        self.choices = Table(choices, ["answer", "option"], c)
        self.attendances = Table(
            Attendance, ["id", "uuid", "meeting", "participant", "status", "recorded_by", "recorded_at"], c
        )
        self.steps = Table(
            StageChange,
            ["id", "enrolment", "from_stage", "to_stage", "on", "unit", "reason", "changed_by", "changed_at", "kind",
             "previous_reason"],
            c,
        )  # fmt: skip
        self.present = Table(Meeting.facilitators_present.through, ["meeting", "user"], c)
        self.consents = Table(
            ConsentRow,
            ["id", "uuid", "participant", "purpose", "given_on", "method", "withdrawn_on", "recorded_by", "created_at"],
            c,
        )
        # Parents first: a row is inserted only after the rows it refers to.
        self.tables = [
            self.consents,
            self.steps,
            self.present,
            self.attendances,
            self.responses,
            self.answers,
            self.choices,
        ]

    def _uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def _version(self, version: InstrumentVersion) -> Version:
        version = version_with_structure(version)
        items = list(version.items.all())
        return Version(
            obj=version,
            spec=spec_of(version),
            item_ids={item.key: item.pk for item in items},
            option_ids={(item.key, option.value): option.pk for item in items for option in item.options.all()},
            band_ids={band.key: band.pk for band in version.bands.all() if band.subscale_id is None},
        )

    def _organisation(self) -> None:
        self.organisation = Organisation.objects.create(
            slug=self.slug,
            name=f"Skaalan hyvinvointialue {self.seed}",
            kind=Organisation.Kind.WELLBEING_COUNTY,
            business_id=_business_id(self.seed),
        )
        self.counts["organisations.Organisation"] += 1
        staff_count = max(4, math.ceil(self.participants / 150))
        password = make_password(None)  # unusable: these accounts only exist to be named in data
        users = [
            User(email=f"{role}@{self.slug}.example.org", full_name=f"{role.title()} {self.seed}", password=password)
            for role in ("coordinator", "evaluator")
        ]
        users += [
            User(
                email=f"facilitator{i}@{self.slug}.example.org",
                full_name=f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}",
                password=password,
            )
            for i in range(staff_count)
        ]
        _bulk(User, users, self.counts)
        users = list(User.objects.filter(email__endswith=f"@{self.slug}.example.org").order_by("pk"))
        roles = {"coordinator": Role.COORDINATOR, "evaluator": Role.EVALUATOR}
        memberships = [
            Membership(
                organisation=self.organisation, user=user, role=roles.get(user.email.split("@")[0], Role.FACILITATOR)
            )
            for user in users
        ]
        _bulk(Membership, memberships, self.counts)
        self.coordinator = next(u for u in users if u.email.startswith("coordinator@"))
        self.facilitators = [u for u in users if u.email.startswith("facilitator")]

    def _programme(self, shape: ProgrammeShape, size: int) -> None:
        programme = Programme.objects.create(
            slug=f"{self.slug}-{shape.key}",
            name=shape.name,
            organisation=self.organisation,
            status=Programme.Status.ACTIVE,
            starts_on=self.first_day,
            meetings_min=shape.meetings,
            meetings_max=shape.meetings,
            frequency=shape.frequency,
            mode=shape.mode,
            facilitator_roles=list(shape.roles),
            measurement_plan="",
        )
        self.counts["programmes.Programme"] += 1
        plan = [
            PlanEntry(
                programme=programme,
                instrument=self.versions[entry.key].obj.instrument,
                when=entry.when,
                audience=entry.audience,
                anonymous=entry.anonymous,
                follow_up_weeks=entry.weeks,
                position=position,
                created_by=self.coordinator,
            )
            for position, entry in enumerate(shape.plan)
        ]
        _bulk(PlanEntry, plan, self.counts)
        sites = [
            Site(
                programme=programme,
                organisation=self.organisation,
                name="Etätapaamiset" if shape.mode == DeliveryMode.REMOTE and i == 0 else f"Perhekeskus {municipality}",
                is_remote=shape.mode == DeliveryMode.REMOTE and i == 0,
                municipality=municipality,
                street_address=f"Keskuskatu {i + 1}",
            )
            for i, municipality in enumerate(MUNICIPALITIES[: max(1, min(len(MUNICIPALITIES), size // 200))])
        ]
        _bulk(Site, sites, self.counts)
        sites = list(Site.objects.filter(programme=programme).order_by("pk"))
        self.progress(f"{programme.slug}: {size} participants")
        done = 0
        while done < size:
            chunk = min(CHUNK, size - done)
            self._chunk(shape, programme, sites, chunk)
            done += chunk

    # --- one chunk of people -------------------------------------------------------------------

    def _chunk(self, shape: ProgrammeShape, programme: Programme, sites: list[Site], size: int) -> None:
        subjects = self._people(shape, size)
        self._units(shape, programme, sites, subjects)
        self._enrolments(programme, subjects)
        self._attendance(subjects)
        self._answers(shape, subjects)
        self.came = {}

    def _person(self, segment: str) -> Person:
        birth_year = self.rng.randint(1960, 2004)
        language = self.rng.choice(LANGUAGES)
        participant = Participant(
            organisation=self.organisation,
            code=next(self.participant_codes),
            birth_year=birth_year,
            gender=self.rng.choice((Gender.FEMALE, Gender.FEMALE, Gender.MALE, Gender.OTHER, Gender.NOT_SAID)),
            preferred_language=language,
            needs_interpreter=language not in ("fi", "sv", "en") and self.rng.random() < 0.5,
            interpreter_language=language if language not in ("fi", "sv", "en") else "",
            segment=segment,
            municipality=self.rng.choice(MUNICIPALITIES),
            created_by=self.coordinator,
        )
        return Person(participant, severity=min(0.95, max(0.05, self.rng.gauss(0.5, 0.15))))

    def _outcome(self) -> str:
        draw, total = self.rng.random(), 0.0
        for stage, share in OUTCOMES:
            total += share
            if draw < total:
                return stage
        return Stage.COMPLETED

    def _people(self, shape: ProgrammeShape, size: int) -> list[Subject]:
        subjects: list[Subject] = []
        made = 0
        while made < size:
            segment = self.rng.choice(shape.segments)
            count = 1
            if shape.households:
                count = min(size - made, 2 if self.rng.random() < 0.6 else 1)
            people = [self._person(segment) for _ in range(count)]
            made += count
            household = (
                Household(
                    organisation=self.organisation,
                    code=next(self.household_codes),
                    segment=segment,
                    municipality=people[0].participant.municipality,
                )
                if shape.households
                else None
            )
            subjects.append(Subject(people, household, self._outcome(), segment, self.rng.choice(shape.sources)))
        everyone = [p for s in subjects for p in s.people]
        _bulk(Participant, [p.participant for p in everyone], self.counts)
        scope = str(self.organisation.uuid)
        contacts = []
        for person in everyone:
            name = f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"
            contacts.append(
                ContactDetails(
                    participant=person.participant,
                    name=name,
                    phone=f"+35840{self.rng.randint(1_000_000, 9_999_999)}",
                    name_index=crypto.blind_index(NAME_INDEX, scope, normalise_name(name)),
                    identity_code_index=crypto.blind_index(IDENTITY_CODE_INDEX, scope, ""),
                )
            )
        _bulk(ContactDetails, contacts, self.counts)
        if shape.households:
            households = [s.household for s in subjects if s.household is not None]
            _bulk(Household, households, self.counts)
            members = []
            for subject in subjects:
                for index, person in enumerate(subject.people):
                    relation = Relation.PARENT if index == 0 else Relation.PARTNER
                    members.append(
                        HouseholdMember(household=subject.household, participant=person.participant, relation=relation)
                    )
                for _ in range(self.rng.choice((0, 1, 1, 2))):
                    members.append(
                        HouseholdMember(
                            household=subject.household,
                            relation=Relation.CHILD,
                            birth_year=self.today.year - self.rng.randint(0, 6),
                        )
                    )
            _bulk(HouseholdMember, members, self.counts)
        return subjects

    def _units(self, shape: ProgrammeShape, programme: Programme, sites: list[Site], subjects: list[Subject]) -> None:
        placed = [s for s in subjects if s.outcome in PLACED]
        groups = [placed[i : i + shape.group_size] for i in range(0, len(placed), shape.group_size)]
        units: list[DeliveryUnit] = []
        for members in groups:
            site = self.rng.choice(sites)
            number = self.counts["programmes.DeliveryUnit"] + len(units) + 1
            household = members[0].household
            name = household.code if household is not None else f"ryhmä {number}"
            units.append(
                DeliveryUnit(
                    programme=programme,
                    organisation=self.organisation,
                    site=site,
                    kind=DeliveryUnit.Kind.HOUSEHOLD_TRACK if shape.households else DeliveryUnit.Kind.GROUP,
                    name=f"{site.municipality} {name}",
                    capacity=None if shape.households else shape.group_size + 2,
                    minimum_size=None if shape.households else 4,
                    languages="suomi",
                    status=DeliveryUnit.Status.COMPLETED,
                )
            )
        _bulk(DeliveryUnit, units, self.counts)
        assignments: list[UnitFacilitator] = []
        meetings: list[Meeting] = []
        for unit, members in zip(units, groups, strict=True):
            workers = self.rng.sample(self.facilitators, 2)
            for worker, role in zip(workers, shape.roles, strict=True):
                assignments.append(UnitFacilitator(unit=unit, user=worker, role=role))
            start = self.first_day + timedelta(days=self.rng.randint(0, 700))
            start -= timedelta(days=start.weekday() - self.rng.randint(0, 3)) if start.weekday() > 3 else timedelta()
            days = self._meeting_days(start, shape)
            unit_meetings: list[Meeting] = []
            for day in days:
                cancelled = self.rng.random() < 0.03
                unit_meetings.append(
                    Meeting(
                        unit=unit,
                        starts_at=_at(day, 17 if shape.households else 13),
                        duration_minutes=90,
                        status=Meeting.Status.CANCELLED if cancelled else Meeting.Status.HELD,
                        cancel_reason="Ohjaaja sairastui." if cancelled else "",
                        theme=f"Tapaaminen {len(unit_meetings) + 1}",
                    )
                )
            unit.status_changed_on = days[-1]
            meetings += unit_meetings
            for subject in members:
                subject.unit = unit
                subject.meetings = [m for m in unit_meetings if m.status == Meeting.Status.HELD]
            unit.workers = workers  # type: ignore[attr-defined]
        _bulk(UnitFacilitator, assignments, self.counts)
        _bulk(Meeting, meetings, self.counts)
        for meeting in meetings:
            if meeting.status == Meeting.Status.HELD:
                for worker in meeting.unit.workers:  # type: ignore[attr-defined]
                    self.present.add(meeting.pk, worker.pk)
        if any(e.anonymous for e in shape.plan):
            version = next(self.versions[e.key].obj for e in shape.plan if e.anonymous)
            panels = [
                ClientPanel(
                    meeting=m,
                    version=version,
                    code="".join(self.rng.choice(CODE_ALPHABET.lower() + CODE_ALPHABET) for _ in range(12)),
                    is_open=False,
                    created_by=self.coordinator,
                )
                for m in meetings
                if m.status == Meeting.Status.HELD
            ]
            _bulk(ClientPanel, panels, self.counts)
        DeliveryUnit.objects.bulk_update(units, ["status_changed_on"], batch_size=BATCH)

    def _meeting_days(self, start: date, shape: ProgrammeShape) -> list[date]:
        if shape.frequency == Frequency.WEEKDAYS:  # Tuesdays and Thursdays
            start -= timedelta(days=start.weekday())
            days = [start + timedelta(weeks=i // 2, days=1 if i % 2 == 0 else 3) for i in range(shape.meetings)]
        else:
            days = [start + timedelta(weeks=i) for i in range(shape.meetings)]
        return days

    # --- the funnel, the roll calls and consents -------------------------------------------------

    def _enrolments(self, programme: Programme, subjects: list[Subject]) -> None:
        rows: list[EnrolmentRow] = []
        steps: list[tuple[EnrolmentRow, DeliveryUnit | None, list[tuple[str, date]]]] = []
        for subject in subjects:
            outcome = subject.outcome
            if subject.unit is not None:
                held = subject.meetings
                enrolled = held[0].starts_at.date() - timedelta(days=self.rng.randint(5, 20)) if held else self.today
                contacted = enrolled - timedelta(days=self.rng.randint(7, 40))
            else:
                contacted = self.first_day + timedelta(days=self.rng.randint(0, 700))
                enrolled = contacted + timedelta(days=20)
            interested = contacted + timedelta(days=self.rng.randint(1, 6))
            row = EnrolmentRow(
                organisation=self.organisation,
                programme=programme,
                unit=subject.unit,
                participant=subject.people[0].participant if subject.household is None else None,
                household=subject.household,
                referral_source=subject.source,
                segment=subject.segment,
                stage=outcome,
                contacted_on=contacted,
            )
            path: list[tuple[str, date]] = [(Stage.CONTACTED, contacted)]
            if outcome not in (Stage.CONTACTED, Stage.NOT_REACHED):
                row.interested_on = interested
                path.append((Stage.INTERESTED, interested))
            if outcome == Stage.WAITING:
                row.waitlisted_on = interested + timedelta(days=2)
                path.append((Stage.WAITING, row.waitlisted_on))
            if outcome in (Stage.NOT_REACHED, Stage.DECLINED):
                row.ended_on = interested + timedelta(days=3)
                row.end_reason = "Ei tavoitettu puhelimitse." if outcome == Stage.NOT_REACHED else "Ei aikaa nyt."
                path.append((outcome, row.ended_on))
            if outcome in PLACED:
                row.enrolled_on = enrolled
                path.append((Stage.ENROLLED, enrolled))
                self._attend(subject)
            if outcome in (Stage.DROPPED_OUT, Stage.COMPLETED) and subject.meetings:
                first = subject.meetings[0].starts_at.date()
                row.started_on = first
                path.append((Stage.STARTED, first))
                if outcome == Stage.COMPLETED:
                    row.completed_on = subject.meetings[-1].starts_at.date()
                    path.append((Stage.COMPLETED, row.completed_on))
                else:
                    left = subject.meetings[min(subject.last_attended + 1, len(subject.meetings) - 1)]
                    row.ended_on = left.starts_at.date()
                    row.end_reason = self.rng.choice(("Elämäntilanne muuttui.", "Ei kokenut hyötyä.", "Muutti pois."))
                    path.append((Stage.DROPPED_OUT, row.ended_on))
            rows.append(row)
            steps.append((row, subject.unit, path))
            for person in subject.people:
                for purpose in (ConsentPurpose.PARTICIPATION, ConsentPurpose.EVALUATION, ConsentPurpose.FOLLOW_UP):
                    if purpose != ConsentPurpose.PARTICIPATION and self.rng.random() < 0.08:
                        continue  # some people say no to the use of answers or to follow-up
                    withdrawn = (
                        row.ended_on
                        if purpose == ConsentPurpose.EVALUATION
                        and outcome == Stage.DROPPED_OUT
                        and self.rng.random() < 0.1
                        else None
                    )
                    self.consents.add(
                        self._uuid(),
                        person.participant.pk,
                        purpose,
                        contacted,
                        self.rng.choice(ConsentMethod.values),
                        withdrawn,
                        self.coordinator.pk,
                        self.now,
                    )
        _bulk(EnrolmentRow, rows, self.counts)
        for row, unit, path in steps:
            for (before, _), (stage, on) in zip([("", row.contacted_on), *path[:-1]], path, strict=True):
                at_unit = (
                    unit.pk if unit is not None and stage in (Stage.ENROLLED, Stage.STARTED, Stage.COMPLETED) else None
                )
                step = StageChange.Kind.STEP
                self.steps.add(row.pk, before, stage, on, at_unit, "", self.coordinator.pk, self.now, step, "")

    def _attend(self, subject: Subject) -> None:
        """Decide who came to which meeting; the rows are written by ``_attendance``."""
        held = subject.meetings
        if subject.outcome == Stage.ENROLLED:
            subject.last_attended = -1  # enrolled, never came
        elif subject.outcome == Stage.DROPPED_OUT:
            subject.last_attended = self.rng.randint(0, max(0, len(held) // 2))
        else:
            subject.last_attended = len(held) - 1

    def _attendance(self, subjects: list[Subject]) -> None:
        for subject in subjects:
            if subject.unit is None:
                continue
            for index, meeting in enumerate(subject.meetings):
                if subject.outcome == Stage.DROPPED_OUT and index > subject.last_attended + 1:
                    break  # they left: no more roll-call rows
                for person in subject.people:
                    if subject.outcome == Stage.ENROLLED or index > subject.last_attended:
                        status = Attendance.Status.ABSENT
                    elif index == 0 or index == subject.last_attended:
                        status = Attendance.Status.PRESENT  # started and, for dropouts, last came
                    else:
                        draw = self.rng.random()
                        status = (
                            Attendance.Status.PRESENT
                            if draw < 0.85
                            else Attendance.Status.EXCUSED
                            if draw < 0.93
                            else Attendance.Status.ABSENT
                        )
                    self.attendances.add(
                        self._uuid(),
                        meeting.pk,
                        person.participant.pk,
                        status,
                        subject.unit.workers[0].pk,  # type: ignore[attr-defined]
                        meeting.starts_at + timedelta(minutes=5),
                    )
                    if status == Attendance.Status.PRESENT:
                        self.came.setdefault(person.participant.pk, set()).add(meeting.pk)

    # --- answers -------------------------------------------------------------------------------

    def _answers(self, shape: ProgrammeShape, subjects: list[Subject]) -> None:
        writer = _ResponseWriter(self)
        units_done: set[int] = set()
        for subject in subjects:
            if subject.unit is None or not subject.meetings or subject.outcome == Stage.ENROLLED:
                continue
            last = subject.meetings[-1].starts_at.date()
            for entry in shape.plan:
                version = self.versions[entry.key]
                if entry.audience == Audience.STAFF or entry.anonymous:
                    if subject.unit.pk not in units_done:
                        self._per_meeting(writer, entry, version, subject)
                    continue
                for person in subject.people:
                    self._personal(writer, entry, version, subject, person, last)
            units_done.add(subject.unit.pk)

    def _personal(
        self, writer: "_ResponseWriter", entry: Entry, version: Version, subject: Subject, person: Person, last: date
    ) -> None:
        completed = subject.outcome == Stage.COMPLETED
        improved = person.severity - (0.15 if completed else 0.05) + self.rng.gauss(0, 0.08)
        if entry.when == When.INTAKE:
            if self.rng.random() < 0.9:
                day = subject.meetings[0].starts_at.date() - timedelta(days=self.rng.randint(0, 5))
                writer.add(version, person, None, _at(day, self.rng.randint(9, 20)), person.severity)
        elif entry.when == When.END:
            if completed and self.rng.random() < 0.8:
                writer.add(version, person, None, _at(last + timedelta(days=self.rng.randint(0, 7)), 18), improved)
        elif entry.when == When.FOLLOW_UP:
            if completed and self.rng.random() < 0.55:
                day = last + timedelta(weeks=entry.weeks or 0, days=self.rng.randint(-5, 5))
                writer.add(version, person, None, _at(day, 12), improved - 0.02)
        elif entry.when == When.EVERY_MEETING:
            came = self.came.get(person.participant.pk, set())
            for meeting in subject.meetings:
                if meeting.pk in came and self.rng.random() < 0.75:
                    at = meeting.starts_at + timedelta(minutes=95)
                    writer.add(version, person, meeting, at, self.rng.uniform(0, 0.4))

    def _per_meeting(self, writer: "_ResponseWriter", entry: Entry, version: Version, subject: Subject) -> None:
        unit = subject.unit
        assert unit is not None  # noqa: S101 - the caller checked
        for meeting in subject.meetings:
            at = meeting.starts_at + timedelta(minutes=100)
            if entry.audience == Audience.STAFF:
                for worker in unit.workers:  # type: ignore[attr-defined]
                    writer.add(version, None, meeting, at, self.rng.uniform(0, 0.3), mode=Mode.STAFF, entered_by=worker)
            else:
                for _ in range(max(0, round(unit.capacity or 6) - 3 - self.rng.randint(0, 3))):
                    writer.add(version, None, meeting, at, self.rng.uniform(0, 0.4), mode=Mode.CLIENT_PANEL)


class _ResponseWriter:
    """Makes one filled questionnaire at a time: answers from the person's severity, the real score."""

    def __init__(self, generator: Generator) -> None:
        self.g = generator
        self.rng = generator.rng

    def add(
        self,
        version: Version,
        person: Person | None,
        meeting: Meeting | None,
        at: datetime,
        severity: float,
        *,
        mode: str = "",
        entered_by: User | None = None,
    ) -> None:
        spec = version.spec
        answers: dict[str, AnswerValue] = {}
        for item in spec.items:
            value = self._value(item, spec, min(1.0, max(0.0, severity + self.rng.gauss(0, 0.1))), at)
            if value is not None:
                answers[item.key] = value
        if not mode:
            mode = Mode.PAPER if self.rng.random() < 0.2 else Mode.PERSONAL_LINK
            entered_by = self.rng.choice(self.g.facilitators) if mode == Mode.PAPER else None
        language = person.participant.preferred_language if person else self.rng.choice(LANGUAGES)
        result = score(spec, answers)
        response_id = self.g.responses.add(
            self.g._uuid(),
            self.g.organisation.pk,
            version.obj.pk,
            person.participant.pk if person else None,
            meeting.pk if meeting else None,
            mode,
            language if language in spec.languages else "fi",
            entered_by.pk if entered_by else None,
            at,
            at,
            result.total,
            result.mean,
            version.band_ids.get(result.band) if result.band else None,
            {key: sub.score for key, sub in result.subscales.items()},
            list(result.missing_items),
            result.prorated,
            bool(result.safety_items),
        )
        for key, value in answers.items():
            item_id = version.item_ids[key]
            if isinstance(value, list):
                answer_id = self.g.answers.add(response_id, item_id, None, "", None)
                for chosen in value:
                    self.g.choices.add(answer_id, version.option_ids[(key, int(chosen))])
            elif isinstance(value, str):
                self.g.answers.add(response_id, item_id, None, value, None)
            elif isinstance(value, date):
                self.g.answers.add(response_id, item_id, None, "", value)
            else:
                self.g.answers.add(response_id, item_id, float(value), "", None)  # type: ignore[arg-type]

    def _value(self, item: ItemSpec, spec: VersionSpec, severity: float, at: datetime) -> AnswerValue:
        if item.type == ItemType.MULTIPLE_CHOICE:
            if not item.required and self.rng.random() < 0.3:
                return None
            return sorted({self.rng.choice(item.options).value for _ in range(self.rng.randint(1, 2))})
        if item.type == ItemType.FREE_TEXT:
            return self.rng.choice(COMMENTS) if item.required or self.rng.random() < 0.1 else None
        if item.type == ItemType.DATE:
            return at.date()
        bounds = item.value_range
        if bounds is None:
            return None
        low, high = bounds
        if item.is_safety_item:  # the answer that scores zero: no safety alerts in generated data
            return high if item.reverse_scored else low
        badness = severity if spec.scoring.direction == Direction.LOWER_IS_BETTER else 1 - severity
        raw = low + badness * (high - low)
        if item.reverse_scored:
            raw = low + high - raw
        if item.type == ItemType.SINGLE_CHOICE and item.options:
            return min((o.value for o in item.options), key=lambda v: abs(v - raw))
        return round(raw)


def analyse(tables: Sequence[type[models.Model]]) -> None:
    """After a bulk load: PostgreSQL's planner statistics, before anything reads the tables.

    Autovacuum analyses only after the transaction commits, and a report planned on statistics of
    the empty tables took minutes (nested loops over what it believed were a few rows)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in {model._meta.db_table: model for model in tables}.values():
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def reset_sequences(tables: Sequence[type[models.Model]]) -> None:
    """After explicit ids: PostgreSQL's sequences must continue past them (SQLite needs nothing)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(tables))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
