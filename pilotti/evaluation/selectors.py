"""The pilot report's data, computed in the database: a constant number of queries per report.

Everything is aggregated by the database (GROUP BY, conditional counts, averages, standard
deviations, a window function for meeting numbers); Python only arranges the aggregated rows,
except for before/after, where the per-person first and last scores come as one values_list
query and go to ``statistics.paired``. docs/evaluation.md defines every figure.

Scope (who sees which data):
- the report covers the units the user may see data of: those run by an organisation where the
  user is an admin, coordinator or evaluator, and the units the user facilitates; enrolments
  through ``recruitment.selectors.enrolments_visible_to``;
- answers count only while the person's evaluation consent holds on the day they answered
  (``people.selectors.consent_holds_on``); anonymous answers (client panel, workers' ratings)
  carry no person and are included;
- the comparison between organisations (the model owner's cross-adoption view) covers every
  unit of the programme for the owner's and partners' staff; other organisations' rows are
  always suppressed (``suppression.py``).
"""

import uuid
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from django.db import connection
from django.db.models import (
    Avg,
    Case,
    CharField,
    Count,
    F,
    FloatField,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, RowNumber, TruncDate
from django.utils import timezone
from django.utils.translation import get_language

from pilotti.accounts.models import User
from pilotti.evaluation import statistics
from pilotti.instruments.models import Answer, Item, Response, ScoringRule, Subscale
from pilotti.instruments.scoring import Change, reliable_change
from pilotti.instruments.selectors import _scoring
from pilotti.instruments.spec import ItemType, Method, text_in
from pilotti.meetings.models import Attendance
from pilotti.organisations.models import Role
from pilotti.people.models import HouseholdMember
from pilotti.people.selectors import VIEWER_ROLES, _organisation_ids, consent_holds_on
from pilotti.programmes.models import Adoption, DeliveryUnit, Meeting, Partnership, Programme
from pilotti.programmes.selectors import HELSINKI, _assigned_unit_ids, programmes_visible_to
from pilotti.recruitment.models import EXITS, Enrolment, ReferralSource, Stage
from pilotti.recruitment.selectors import FUNNEL_STAGES, NOW_STAGES, _counts, enrolments_visible_to, funnel

DEFAULT_DOSE = 0.5
FLOW_STEPS = ("contacted", "enrolled", "started", "completed")
INTERNAL_ROLES = (Role.ADMIN, Role.COORDINATOR, Role.EVALUATOR)


# --- Who may see which report ----------------------------------------------------------------


def reports_visible_to(user: User) -> QuerySet[Programme]:
    """Programmes whose report the user may open: any they may see (facilitators: via their units)."""
    return programmes_visible_to(user)


def _runners(programme: Programme) -> Q:
    return (
        Q(pk=programme.organisation_id)
        | Q(pk__in=Partnership.objects.filter(programme=programme).values("organisation_id"))
        | Q(pk__in=Adoption.objects.filter(programme=programme).values("organisation_id"))
    )


def may_see_internal(user: User, programme: Programme) -> bool:
    """Admins, coordinators and evaluators of an organisation running the programme see the
    unsuppressed internal view; everyone else (facilitators) sees the shared view."""
    from pilotti.organisations.models import Organisation

    runners = Organisation.objects.filter(_runners(programme)).values("pk")
    return _organisation_ids(user, INTERNAL_ROLES).filter(organisation_id__in=runners).exists()


def report_units(user: User, programme: Programme) -> QuerySet[DeliveryUnit]:
    """Units whose data the report covers: one's own organisations' units, and the units one facilitates."""
    own = Q(organisation__in=_organisation_ids(user, VIEWER_ROLES)) | Q(pk__in=_assigned_unit_ids(user))
    return DeliveryUnit.objects.filter(own, programme=programme)


def _sees_consortium(user: User, programme: Programme) -> bool:
    staff = _organisation_ids(user, VIEWER_ROLES)
    return (
        staff.filter(organisation_id=programme.organisation_id).exists()
        or Partnership.objects.filter(programme=programme, organisation__in=staff).exists()
    )


# --- The filters -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    since: date | None = None
    until: date | None = None
    unit: DeliveryUnit | None = None
    dose: float = DEFAULT_DOSE  # a share of the meetings offered, 0 < dose ≤ 1

    def as_dict(self) -> dict[str, Any]:
        return {
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "unit": str(self.unit.uuid) if self.unit else None,
            "unit_name": self.unit.name if self.unit else None,
            "dose": self.dose,
        }


def _in_period(field: str, filters: Filters) -> Q:
    condition = Q()
    if filters.since:
        condition &= Q(**{f"{field}__gte": filters.since})
    if filters.until:
        condition &= Q(**{f"{field}__lte": filters.until})
    return condition


@dataclass
class Scope:
    programme: Programme
    units: QuerySet[DeliveryUnit]
    enrolments: QuerySet[Enrolment]
    responses: QuerySet[Response]
    filters: Filters


def _participants_of(enrolments: QuerySet[Enrolment]) -> Q:
    """Participants enrolled on their own or as a member of an enrolled household."""
    households = enrolments.filter(household__isnull=False).values("household_id")
    members = HouseholdMember.objects.filter(household__in=households, participant__isnull=False)
    return Q(participant__in=enrolments.filter(participant__isnull=False).values("participant_id")) | Q(
        participant__in=members.values("participant_id")
    )


def consented_responses(units: QuerySet[DeliveryUnit], enrolments: QuerySet[Enrolment]) -> QuerySet[Response]:
    """Submitted answers at the units' meetings, or given outside meetings by people enrolled in
    them, counted only while the person's evaluation consent held on the day of answering
    (Helsinki time). Anonymous answers carry no person and are included."""
    return (
        Response.objects.filter(submitted_at__isnull=False)
        .filter(Q(meeting__unit__in=units) | (Q(meeting__isnull=True) & _participants_of(enrolments)))
        .annotate(answered_on=TruncDate("submitted_at", tzinfo=HELSINKI))
        .filter(Q(participant__isnull=True) | consent_holds_on(OuterRef("answered_on"), participant="participant"))
    )


def scope(user: User | None, programme: Programme, filters: Filters) -> Scope:
    """``user`` None: the whole programme (``manage.py report``, run by the server's operator)."""
    if user is None:
        units = DeliveryUnit.objects.filter(programme=programme)
        enrolments = Enrolment.objects.filter(programme=programme)
    else:
        units = report_units(user, programme)
        enrolments = enrolments_visible_to(user).filter(programme=programme)
    if filters.unit is not None:
        units = units.filter(pk=filters.unit.pk)
        enrolments = enrolments.filter(unit=filters.unit)
    # Answers belong to the report by the day they were given, not by when the person was contacted.
    responses = consented_responses(units, enrolments).filter(_in_period("answered_on", filters))
    enrolments = enrolments.filter(_in_period("contacted_on", filters))
    return Scope(programme, units, enrolments, responses, filters)


@contextmanager
def materialised(responses: QuerySet[Response]) -> Iterator[QuerySet[Response]]:
    """The answers in scope selected once, into a temporary table the report's queries join.

    The scope (units, enrolled people, the consent held on the day of answering) is a condition
    every answer query would otherwise evaluate again; at a national programme's size that was
    most of the report's time (docs/benchmarks.md). The table lives in this connection only and
    is dropped afterwards; temporary tables need the primary database, not a read replica.
    """
    table = f"evaluation_scope_{uuid.uuid4().hex[:16]}"
    sql, params = responses.order_by().values(response_id=F("pk")).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE {table} AS {sql}", params)
        cursor.execute(f"CREATE UNIQUE INDEX {table}_id ON {table} (response_id)")
        if connection.vendor == "postgresql":
            # Temporary tables are never analysed automatically: without it the planner guesses.
            cursor.execute(f"ANALYZE {table}")
    try:
        # The table's name is ours (a random hex suffix), never a user's input.
        yield Response.objects.filter(pk__in=RawSQL(f"SELECT response_id FROM {table}", ()))  # noqa: S608, S611
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {table}")


# --- Recruitment ----------------------------------------------------------------------------


def _stage_counts(row: dict[str, Any]) -> dict[str, int]:
    return {stage: int(row.get(stage) or 0) for stage in (*FUNNEL_STAGES, *NOW_STAGES)}


def recruitment(s: Scope) -> dict[str, Any]:
    """The funnel per segment (recruitment.selectors.funnel, against the targets), per referral
    source, and the CONSORT-style flow with who left at which step and why. Four queries."""
    segments = funnel(s.enrolments, s.programme)
    by_source = s.enrolments.order_by().values("referral_source").annotate(**_counts()).order_by("referral_source")
    labels = dict(ReferralSource.choices)
    step = Case(
        When(started_on__isnull=False, then=Value("started")),
        When(enrolled_on__isnull=False, then=Value("enrolled")),
        default=Value("contacted"),
        output_field=CharField(),
    )
    leaving = (
        s.enrolments.exclude(stage=Stage.COMPLETED)
        .order_by()
        .annotate(step=step)
        .values("step", "stage", "end_reason")
        .annotate(n=Count("pk"))
        .order_by("step", "stage", "end_reason")
    )
    total = segments.total.counts
    flow: list[dict[str, Any]] = []
    exits: dict[str, dict[str, Any]] = {
        name: {"exits": defaultdict(int), "reasons": [], "in_progress": 0} for name in FLOW_STEPS
    }
    for row in leaving:
        entry = exits[row["step"]]
        if row["stage"] in EXITS:
            entry["exits"][row["stage"]] += row["n"]
            entry["reasons"].append(
                {
                    "stage": row["stage"],
                    "label": str(Stage(row["stage"]).label),
                    "reason": row["end_reason"],
                    "n": row["n"],
                }
            )
        else:
            entry["in_progress"] += row["n"]
    for name in FLOW_STEPS:
        entry = exits[name]
        flow.append(
            {
                "step": name,
                "label": str(Stage(name).label),
                "n": int(total.get(name, 0)),
                "left": [
                    {"stage": stage, "label": str(Stage(stage).label), "n": int(entry["exits"].get(stage, 0))}
                    for stage in EXITS
                    if name != "completed"
                ],
                "reasons": entry["reasons"] if name != "completed" else [],
                "in_progress": entry["in_progress"] if name != "completed" else 0,
            }
        )
    return {
        "segments": [
            {"segment": row.segment, "target": row.target, **_stage_counts(row.counts)} for row in segments.rows
        ],
        "total": {"segment": "", "target": segments.total.target, **_stage_counts(segments.total.counts)},
        "referral_sources": [
            {
                "source": row["referral_source"],
                "label": str(labels.get(row["referral_source"], row["referral_source"])),
                **_stage_counts(row),
            }
            for row in by_source
        ],
        "flow": flow,
    }


# --- Attendance and retention ----------------------------------------------------------------


def _meetings(s: Scope) -> list[dict[str, Any]]:
    """Every held meeting of the units with its number in its unit and its roll-call counts."""
    present = Q(attendances__status=Attendance.Status.PRESENT)
    rows = (
        Meeting.objects.filter(unit__in=s.units, status=Meeting.Status.HELD)
        .annotate(
            number=Window(RowNumber(), partition_by=[F("unit_id")], order_by=[F("starts_at").asc(), F("pk").asc()]),
            present=Count("attendances", filter=present),
            absent=Count("attendances", filter=Q(attendances__status=Attendance.Status.ABSENT)),
            excused=Count("attendances", filter=Q(attendances__status=Attendance.Status.EXCUSED)),
        )
        .values(
            "pk",
            "unit_id",
            "unit__name",
            "starts_at",
            "number",
            "present",
            "absent",
            "excused",
            "unregistered_visitors",
        )
        .order_by("unit__name", "starts_at", "pk")
    )
    result = []
    for row in rows:
        day = timezone.localtime(row["starts_at"], HELSINKI).date()
        if (s.filters.since and day < s.filters.since) or (s.filters.until and day > s.filters.until):
            continue
        result.append(
            {
                "id": row["pk"],
                "unit_id": row["unit_id"],
                "unit": row["unit__name"],
                "number": row["number"],
                "date": day.isoformat(),
                "present": row["present"],
                "absent": row["absent"],
                "excused": row["excused"],
                "recorded": row["present"] + row["absent"] + row["excused"],
                "visitors": row["unregistered_visitors"],
            }
        )
    return result


def _held_meetings(s: Scope) -> QuerySet[Meeting]:
    """The held meetings of the units in the period (by the day in Helsinki), as ``_meetings`` lists them."""
    meetings = Meeting.objects.filter(unit__in=s.units, status=Meeting.Status.HELD)
    if s.filters.since or s.filters.until:
        meetings = meetings.annotate(day=TruncDate("starts_at", tzinfo=HELSINKI)).filter(_in_period("day", s.filters))
    return meetings


def attendance(s: Scope, meetings: list[dict[str, Any]]) -> dict[str, Any]:
    """Per meeting and per participant (one GROUP BY), dose and dropout by meeting number."""
    number_of = {(m["unit_id"], m["id"]): m["number"] for m in meetings}
    # A subquery, not the list of ids: a national programme has more meetings than a query may
    # have parameters. The dropouts' ids are selected once (IN), not per row (a correlated EXISTS
    # scanned the programme's enrolments for every participant: quadratic, docs/benchmarks.md).
    held = _held_meetings(s).values("pk")
    dropped = Enrolment.objects.filter(
        programme=s.programme, stage=Stage.DROPPED_OUT, participant__isnull=False
    ).values("participant_id")
    present = Q(status=Attendance.Status.PRESENT)
    people = (
        Attendance.objects.filter(meeting_id__in=held, participant__isnull=False)
        .values("participant_id", "participant__code", "meeting__unit_id", "meeting__unit__name")
        .annotate(
            attended=Count("pk", filter=present),
            offered=Count("pk"),
            last_present=Max("meeting_id", filter=present),
            dropped_out=Case(When(participant_id__in=dropped, then=Value(True)), default=Value(False)),
        )
        .order_by("meeting__unit__name", "participant__code")
    )
    participants = []
    for row in people:
        offered = row["offered"]
        participants.append(
            {
                "code": row["participant__code"],
                "unit": row["meeting__unit__name"],
                "attended": row["attended"],
                "offered": offered,
                "rate": row["attended"] / offered if offered else None,
                "last_attended": number_of.get((row["meeting__unit_id"], row["last_present"])),
                "dropped_out": bool(row["dropped_out"]),
            }
        )
    starters = [p for p in participants if p["attended"] > 0]
    rates = [p["rate"] for p in starters if p["rate"] is not None]
    median, q1, q3 = statistics.quantiles(rates)
    reached = sum(1 for rate in rates if rate >= s.filters.dose - 1e-9)
    dose = statistics.wilson(reached, len(rates))
    attended = sum(m["present"] for m in meetings)
    recorded = sum(m["recorded"] for m in meetings)
    dropouts: dict[int, int] = defaultdict(int)
    for p in starters:
        if p["dropped_out"] and p["last_attended"] is not None:
            dropouts[p["last_attended"]] += 1
    return {
        "meetings": [{k: v for k, v in m.items() if k not in ("id", "unit_id")} for m in meetings],
        "by_number": _by_number(meetings),
        "participants": participants,
        "rate_bands": _rate_bands(rates),
        "summary": {
            "meetings_held": len(meetings),
            "attended": attended,
            "offered": recorded,
            "rate": attended / recorded if recorded else None,
            "visitors": sum(m["visitors"] for m in meetings),
            "starters": len(starters),
            "median_rate": median,
            "q1_rate": q1,
            "q3_rate": q3,
        },
        "dose": {
            "threshold": s.filters.dose,
            "reached": dose.k,
            "of": dose.n,
            "share": dose.share,
            "ci_low": dose.ci_low,
            "ci_high": dose.ci_high,
        },
        "dropout_by_meeting": [{"number": number, "n": dropouts[number]} for number in sorted(dropouts)],
        "dropouts": sum(dropouts.values()),
    }


ATTENDANCE_COUNTS = ("present", "absent", "excused", "recorded", "visitors")
# Lower bounds of the bands of attendance rates: 0–24 %, 25–49 %, 50–74 %, 75–99 % and 100 %.
RATE_BANDS = (0.0, 0.25, 0.5, 0.75, 1.0)


def _by_number(meetings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Attendance at the first, second, … meeting of every unit together: the shape of a
    programme with hundreds of groups, where a row per meeting is too many to read."""
    rows: dict[int, dict[str, Any]] = {}
    for m in meetings:
        empty = {"number": m["number"], "meetings": 0, **dict.fromkeys(ATTENDANCE_COUNTS, 0)}
        row = rows.setdefault(m["number"], empty)
        row["meetings"] += 1
        for key in ATTENDANCE_COUNTS:
            row[key] += m[key]
    return [rows[number] for number in sorted(rows)]


def _rate_bands(rates: list[float]) -> list[dict[str, Any]]:
    """How many starters attended which share of the meetings marked for them (``high`` is
    exclusive; the last band is exactly 100 %)."""
    bands = []
    for low, high in zip(RATE_BANDS, (*RATE_BANDS[1:], None), strict=True):
        n = sum(1 for rate in rates if rate >= low - 1e-9 and (high is None or rate < high - 1e-9))
        bands.append({"low": low, "high": high, "n": n})
    return bands


# --- Feedback and before/after ----------------------------------------------------------------


def _versions(s: Scope) -> list[dict[str, Any]]:
    """The instrument versions answered in scope, with counts: one GROUP BY."""
    rows = (
        s.responses.order_by()
        .values(
            "version_id",
            "version__number",
            "version__instrument_id",
            "version__instrument__key",
            "version__instrument__name",
            "version__scoring__method",
        )
        .annotate(
            n=Count("pk"),
            at_meetings=Count("pk", filter=Q(meeting__isnull=False)),
            people=Count("participant", distinct=True),
            anonymous=Count("pk", filter=Q(participant__isnull=True)),
        )
        .order_by("version__instrument__name", "version__number")
    )
    return [
        {
            "version_id": row["version_id"],
            "instrument_id": row["version__instrument_id"],
            "key": row["version__instrument__key"],
            "name": row["version__instrument__name"],
            "version": row["version__number"],
            "method": row["version__scoring__method"] or Method.NONE,
            "n": row["n"],
            "at_meetings": row["at_meetings"],
            "people": row["people"],
            "anonymous": row["anonymous"],
        }
        for row in rows
    ]


def is_measure(version: dict[str, Any]) -> bool:
    """Before/after measures: scored instruments that people answer outside meetings (intake and
    end); everything else (ratings after a meeting, surveys without a score) is feedback."""
    return bool(version["method"] != Method.NONE and version["people"] > 0 and version["at_meetings"] < version["n"])


def _distribution_key(item_id: int, value: float | int | None) -> tuple[int, int | None]:
    return item_id, None if value is None else int(value)


def feedback(s: Scope, versions: list[dict[str, Any]], language: str) -> list[dict[str, Any]]:
    """Per item of each feedback version: ratings' mean, SD, t-based CI, min and max; the
    distribution over the options with Wilson intervals; multiple-choice shares; free text.
    Five queries whatever the number of instruments."""
    wanted = [v for v in versions if not is_measure(v)]
    if not wanted:
        return []
    version_ids = [v["version_id"] for v in wanted]
    responses = s.responses.filter(version_id__in=version_ids)
    answers = Answer.objects.filter(response__in=responses.values("pk"))
    items = list(
        Item.objects.filter(version_id__in=version_ids)
        .prefetch_related("options")
        .order_by("version_id", "position", "id")
    )
    numbers = {
        row["item_id"]: row
        for row in answers.order_by()
        .values("item_id")
        .annotate(
            n=Count("pk"),
            mean=Avg("value"),
            # Σx²: SQLite's STDDEV_SAMP (Django's Python aggregate) fails on a single value.
            sumsq=Sum(F("value") * F("value"), output_field=FloatField()),
            min=Min("value"),
            max=Max("value"),
        )
    }
    counts: dict[tuple[int, int | None], int] = {}
    for row in (
        answers.filter(item__type__in=[ItemType.SINGLE_CHOICE, ItemType.SCALE], value__isnull=False)
        .order_by()
        .values("item_id", "value")
        .annotate(n=Count("pk"))
    ):
        counts[_distribution_key(row["item_id"], row["value"])] = row["n"]
    for row in (
        answers.filter(item__type=ItemType.MULTIPLE_CHOICE)
        .order_by()
        .values("item_id", "choices__value")
        .annotate(n=Count("pk", distinct=True))
    ):
        if row["choices__value"] is not None:
            counts[_distribution_key(row["item_id"], row["choices__value"])] = row["n"]
    texts: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for item_id, text, answered_on, unit in (
        answers.filter(item__type=ItemType.FREE_TEXT)
        .exclude(text="")
        .order_by("item_id", "response__submitted_at", "pk")
        .values_list("item_id", "text", "response__submitted_at", "response__meeting__unit__name")
    ):
        texts[item_id].append(
            {"text": text, "date": timezone.localtime(answered_on, HELSINKI).date().isoformat(), "unit": unit or ""}
        )
    result = []
    for version in wanted:
        rendered = []
        for item in (i for i in items if i.version_id == version["version_id"]):
            rendered.append(_feedback_item(item, numbers.get(item.pk, {}), counts, texts.get(item.pk, []), language))
        result.append({**_version_head(version), "items": rendered})
    return result


def _version_head(version: dict[str, Any]) -> dict[str, Any]:
    return {
        "instrument": version["key"],
        "name": version["name"],
        "version": version["version"],
        "responses": version["n"],
        "people": version["people"],
        "anonymous": version["anonymous"],
        "at_meetings": version["at_meetings"],
    }


def _share(k: int, n: int) -> dict[str, Any]:
    p = statistics.wilson(k, n)
    return {"n": k, "share": p.share, "ci_low": p.ci_low, "ci_high": p.ci_high}


def _feedback_item(
    item: Item,
    numbers: dict[str, Any],
    counts: dict[tuple[int, int | None], int],
    texts: list[dict[str, Any]],
    language: str,
) -> dict[str, Any]:
    n = int(numbers.get("n") or 0)
    entry: dict[str, Any] = {"key": item.key, "type": item.type, "label": item.text_in(language), "n": n}
    if item.type in (ItemType.SCALE, ItemType.NUMBER):
        summary = statistics.mean_ci(
            n, numbers.get("mean"), statistics.sd_from_sums(n, numbers.get("mean"), numbers.get("sumsq"))
        )
        entry |= {
            "mean": summary.mean,
            "sd": summary.sd,
            "ci_low": summary.ci_low,
            "ci_high": summary.ci_high,
            "min": numbers.get("min"),
            "max": numbers.get("max"),
            "scale_min": item.min_value,
            "scale_max": item.max_value,
        }
    low, high = item.min_value, item.max_value
    if item.type == ItemType.SCALE and low is not None and high is not None and high - low <= 10:
        values = range(int(low), int(high) + 1)
        entry["distribution"] = [
            {"value": v, "label": str(v), **_share(counts.get((item.pk, v), 0), n)} for v in values
        ]
    if item.type in ItemType.WITH_OPTIONS:
        options = sorted(item.options.all(), key=lambda o: o.value)
        entry["distribution"] = [
            {"value": o.value, "label": o.label_in(language), **_share(counts.get((item.pk, o.value), 0), n)}
            for o in sorted(item.options.all(), key=lambda o: o.position)
        ]
        if item.type == ItemType.SINGLE_CHOICE and len(options) >= 4:
            top = options[-2:]
            entry["top_two"] = {
                "labels": [o.label_in(language) for o in top],
                **_share(sum(counts.get((item.pk, o.value), 0) for o in top), n),
            }
    if item.type == ItemType.FREE_TEXT:
        entry["answers"] = texts
    return entry


POPULATIONS = ("all_pairs", "completers")


def before_after(s: Scope, versions: list[dict[str, Any]], language: str) -> list[dict[str, Any]]:
    """First and last submitted answer per person and instrument (intake vs end): paired tests,
    effect sizes and reliable change, for everyone with two measurements and for completers.
    Three queries: the per-person scores, the scoring rules, the subscale names."""
    measures = [v for v in versions if is_measure(v)]
    if not measures:
        return []
    instrument_ids = sorted({v["instrument_id"] for v in measures})
    # Completers, directly or as a household's member: two lists selected once. A correlated
    # EXISTS with an OR of the two scanned every enrolment of the programme per answer.
    completed = s.enrolments.filter(completed_on__isnull=False)
    members = HouseholdMember.objects.filter(
        household_id__in=completed.filter(household__isnull=False).values("household_id")
    ).values("participant_id")
    completer = Q(participant_id__in=completed.filter(participant__isnull=False).values("participant_id")) | Q(
        participant_id__in=members
    )
    rows = (
        s.responses.filter(version__instrument_id__in=instrument_ids, participant__isnull=False, meeting__isnull=True)
        .annotate(completer=Case(When(completer, then=Value(True)), default=Value(False)))
        .order_by("participant_id", "version__instrument_id", "submitted_at", "pk")
        .values_list("participant_id", "version__instrument_id", "total", "subscale_scores", "completer")
    )
    first: dict[tuple[int, int], tuple[float | None, dict[str, Any]]] = {}
    last: dict[tuple[int, int], tuple[float | None, dict[str, Any]]] = {}
    completers: set[int] = set()
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for participant_id, instrument_id, total, subscales, completer in rows:
        key = (participant_id, instrument_id)
        first.setdefault(key, (total, subscales or {}))
        last[key] = (total, subscales or {})
        counts[key] += 1
        if completer:
            completers.add(participant_id)
    latest = {v["instrument_id"]: v["version_id"] for v in measures}  # ordered by number: the last wins
    rules = {
        rule.version.instrument_id: rule
        for rule in ScoringRule.objects.filter(version_id__in=latest.values()).select_related("version")
    }
    subscale_names: dict[int, dict[str, str]] = defaultdict(dict)
    for instrument_id, subscale_key, name in (
        Subscale.objects.filter(version_id__in=latest.values())
        .order_by("position", "id")
        .values_list("version__instrument_id", "key", "name")
    ):
        subscale_names[instrument_id][subscale_key] = text_in(name, language, subscale_key)
    result = []
    for version in sorted({v["instrument_id"]: v for v in measures}.values(), key=lambda v: v["name"]):
        instrument_id = version["instrument_id"]
        rule = rules.get(instrument_id)
        spec = _scoring(rule, [])
        pairs = sorted(k for k, v in counts.items() if k[1] == instrument_id and v >= 2)
        scores = []
        keys: list[tuple[str, str]] = []
        if spec.method in (Method.SUM, Method.MEAN, Method.SCALED):
            keys.append(("total", ""))
        keys += list(subscale_names.get(instrument_id, {}).items())
        for score_key, label in keys:
            # (completer, before, after) per person with both scores, read once for both populations.
            paired = [
                (key[0] in completers, _score(first[key], score_key), _score(last[key], score_key)) for key in pairs
            ]
            complete = [(c, a, b) for c, a, b in paired if a is not None and b is not None]
            groups = []
            for population in POPULATIONS:
                chosen = [(a, b) for c, a, b in complete if c or population != "completers"]
                pre, post = [a for a, _ in chosen], [b for _, b in chosen]
                groups.append(_paired_group(population, pre, post, spec if score_key == "total" else None))
            scores.append({"score": score_key, "label": label, "groups": groups})
        result.append(
            {
                **_version_head(version),
                "direction": spec.direction,
                "reliability": spec.reliability,
                "measured_people": len({k[0] for k in counts if k[1] == instrument_id}),
                "scores": scores,
            }
        )
    return result


def _score(entry: tuple[float | None, dict[str, Any]], key: str) -> float | None:
    total, subscales = entry
    value = total if key == "total" else subscales.get(key)
    return None if value is None else float(value)


def _summary(summary: statistics.MeanSummary) -> dict[str, Any]:
    return {
        "n": summary.n,
        "mean": summary.mean,
        "sd": summary.sd,
        "ci_low": summary.ci_low,
        "ci_high": summary.ci_high,
    }


def _effect(effect: statistics.EffectSize) -> dict[str, Any]:
    return {"d": effect.d, "g": effect.g, "ci_low": effect.g_ci_low, "ci_high": effect.g_ci_high}


def _paired_group(population: str, pre: list[float], post: list[float], spec: Any) -> dict[str, Any]:
    n = len(pre)
    group: dict[str, Any] = {"population": population, "n": n}
    if n == 0:
        return group
    result = statistics.paired(pre, post)
    group |= {
        "pre": _summary(result.pre),
        "post": _summary(result.post),
        "difference": _summary(result.difference),
        "r": result.r,
        "can_reach_significance": result.can_reach_significance,
        "t": result.t,
        "df": result.df,
        "p_t": result.p_t if result.can_reach_significance else None,
        "wilcoxon": {
            "statistic": result.wilcoxon.statistic,
            "p": result.wilcoxon.p if result.can_reach_significance else None,
            "method": result.wilcoxon.method,
            "nonzero": result.wilcoxon.nonzero,
        },
        "d_z": _effect(result.d_z),
        "d_av": _effect(result.d_av),
    }
    if spec is not None:
        classes: dict[str, int] = dict.fromkeys(Change.ALL, 0)
        method = "none"
        for a, b in zip(pre, post, strict=True):
            change = reliable_change(a, b, spec)
            method = change.method
            if change.classification is not None:
                classes[change.classification] += 1
        group["rci"] = {"method": method, "counts": classes if method != "none" else None}
    return group


# --- Comparison between units, sites and organisations ------------------------------------------


def _count_of(queryset: QuerySet[Any], field: str) -> Coalesce:
    return Coalesce(
        Subquery(queryset.order_by().values(field).annotate(n=Count("pk")).values("n"), output_field=IntegerField()),
        0,
    )


def comparison(user: User | None, s: Scope) -> dict[str, Any]:
    """Per unit, rolled up to sites and organisations: enrolled, started, completed, meetings
    held, attendance, and the mean of each per-meeting rating. Two queries."""
    consortium = user is None or _sees_consortium(user, s.programme)
    units = DeliveryUnit.objects.filter(programme=s.programme) if consortium else s.units
    if s.filters.unit is not None:
        units = units.filter(pk=s.filters.unit.pk)
    enrolments = Enrolment.objects.filter(unit=OuterRef("pk")).filter(_in_period("contacted_on", s.filters))
    meetings = Meeting.objects.filter(unit=OuterRef("pk"), status=Meeting.Status.HELD).filter(
        _in_period("starts_at__date", s.filters)
    )
    attendances = Attendance.objects.filter(meeting__unit=OuterRef("pk"), meeting__status=Meeting.Status.HELD).filter(
        _in_period("meeting__starts_at__date", s.filters)
    )
    own = set(s.units.values_list("organisation_id", flat=True))
    if user is not None:
        own |= set(_organisation_ids(user, VIEWER_ROLES))
    rows = list(
        units.annotate(
            enrolled=_count_of(enrolments.filter(enrolled_on__isnull=False), "unit"),
            started=_count_of(enrolments.filter(started_on__isnull=False), "unit"),
            completed=_count_of(enrolments.filter(completed_on__isnull=False), "unit"),
            meetings_held=_count_of(meetings, "unit"),
            present=_count_of(attendances.filter(status=Attendance.Status.PRESENT), "meeting__unit"),
            recorded=_count_of(attendances, "meeting__unit"),
        )
        .values(
            "pk",
            "name",
            "organisation_id",
            "organisation__name",
            "site_id",
            "site__name",
            "site__municipality",
            "enrolled",
            "started",
            "completed",
            "meetings_held",
            "present",
            "recorded",
        )
        .order_by("organisation__name", "name")
    )
    # Without the consortium's other units, the units are the report's own: its answers in scope.
    answers = (
        s.responses
        if user is None or not consortium
        else consented_responses(units, Enrolment.objects.none()).filter(_in_period("answered_on", s.filters))
    )
    ratings = (
        answers.filter(total__isnull=False, meeting__isnull=False)
        .order_by()
        .values("meeting__unit_id", "version__instrument__key", "version__instrument__name")
        .annotate(n=Count("pk"), sum=Sum("total"), sumsq=Sum(F("total") * F("total"), output_field=FloatField()))
    )
    instruments: dict[str, str] = {}
    by_unit: dict[int, dict[str, tuple[int, float, float]]] = defaultdict(dict)
    for row in ratings:
        instruments[row["version__instrument__key"]] = row["version__instrument__name"]
        by_unit[row["meeting__unit_id"]][row["version__instrument__key"]] = (row["n"], row["sum"], row["sumsq"])
    return {
        "instruments": [{"key": k, "name": v} for k, v in sorted(instruments.items(), key=lambda kv: kv[1])],
        "units": [_compared(row["name"], [row], by_unit, instruments, own) for row in rows],
        "sites": [
            _compared(_site_name(group[0]), group, by_unit, instruments, own) for group in _grouped(rows, "site_id")
        ],
        "organisations": [
            _compared(group[0]["organisation__name"], group, by_unit, instruments, own)
            for group in _grouped(rows, "organisation_id")
        ],
    }


def _site_name(row: dict[str, Any]) -> str:
    if row["site_id"] is None:
        return ""
    return f"{row['site__municipality']}: {row['site__name']}" if row["site__municipality"] else row["site__name"]


def _grouped(rows: list[dict[str, Any]], key: str) -> list[list[dict[str, Any]]]:
    groups: dict[Any, list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(row[key], []).append(row)
    return list(groups.values())


def _compared(
    name: str,
    rows: list[dict[str, Any]],
    by_unit: dict[int, dict[str, tuple[int, float, float]]],
    instruments: dict[str, str],
    own: set[int],
) -> dict[str, Any]:
    """Sums of the unit rows; means and SDs pooled from n, Σx and Σx²."""
    totals = {
        key: sum(int(r[key]) for r in rows)
        for key in ("enrolled", "started", "completed", "meetings_held", "present", "recorded")
    }
    ratings = {}
    for key in instruments:
        parts = [by_unit[r["pk"]][key] for r in rows if key in by_unit.get(r["pk"], {})]
        n = sum(p[0] for p in parts)
        total = sum(p[1] for p in parts)
        squares = sum(p[2] for p in parts)
        mean = total / n if n else None
        summary = statistics.mean_ci(n, mean, statistics.sd_from_sums(n, mean, squares))
        ratings[key] = {
            "n": n,
            "mean": summary.mean,
            "sd": summary.sd,
            "ci_low": summary.ci_low,
            "ci_high": summary.ci_high,
        }
    return {
        "name": name,
        "organisation": rows[0]["organisation__name"],
        "own": all(r["organisation_id"] in own for r in rows),
        "units": len(rows),
        **totals,
        "attendance_rate": totals["present"] / totals["recorded"] if totals["recorded"] else None,
        "ratings": ratings,
    }


# --- The whole report ---------------------------------------------------------------------------


def report(
    user: User | None, programme: Programme, filters: Filters | None = None, *, now: datetime | None = None
) -> dict[str, Any]:
    """The internal report: every figure, named. ``suppression.shared`` makes the shared one."""
    filters = filters or Filters()
    language = (get_language() or "fi")[:2]
    s = scope(user, programme, filters)
    with materialised(s.responses) as responses:
        s = replace(s, responses=responses)
        versions = _versions(s)
        return {
            "programme": {
                "slug": programme.slug,
                "name": programme.name,
                "organisation": programme.organisation.name,
            },
            "view": "internal",
            "filters": filters.as_dict(),
            "generated_at": (now or timezone.now()).isoformat(timespec="seconds"),
            "recruitment": recruitment(s),
            "attendance": attendance(s, _meetings(s)),
            "feedback": feedback(s, versions, language),
            "before_after": before_after(s, versions, language),
            "comparison": comparison(user, s),
        }
