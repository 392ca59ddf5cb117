"""Attendance and retention: per meeting, by meeting number, per participant; dose and dropout."""

from collections import defaultdict
from typing import Any, cast

from django.db.models import (
    Case,
    Count,
    F,
    Max,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber, TruncDate
from django.utils import timezone

from pilotti.core.zone import HELSINKI
from pilotti.evaluation import statistics
from pilotti.evaluation.report.scope import Scope, in_period
from pilotti.evaluation.report.types import Attendance as AttendanceOut
from pilotti.evaluation.report.types import MeetingRow, NumberRow, ParticipantRow, RateBand
from pilotti.meetings.models import Attendance, Meeting
from pilotti.recruitment.models import Enrolment, Stage

# --- Attendance and retention ----------------------------------------------------------------


def meeting_rows(s: Scope) -> list[dict[str, Any]]:
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
    """The held meetings of the units in the period (by the day in Helsinki), as ``meeting_rows`` lists them."""
    meetings = Meeting.objects.filter(unit__in=s.units, status=Meeting.Status.HELD)
    if s.filters.since or s.filters.until:
        meetings = meetings.annotate(day=TruncDate("starts_at", tzinfo=HELSINKI)).filter(in_period("day", s.filters))
    return meetings


def attendance(s: Scope, meetings: list[dict[str, Any]]) -> AttendanceOut:
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
    participants: list[ParticipantRow] = []
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
        "meetings": [
            MeetingRow(
                unit=m["unit"],
                number=m["number"],
                date=m["date"],
                present=m["present"],
                absent=m["absent"],
                excused=m["excused"],
                recorded=m["recorded"],
                visitors=m["visitors"],
            )
            for m in meetings
        ],
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


def _by_number(meetings: list[dict[str, Any]]) -> list[NumberRow]:
    """Attendance at the first, second, … meeting of every unit together: the shape of a
    programme with hundreds of groups, where a row per meeting is too many to read."""
    rows: dict[int, dict[str, Any]] = {}
    for m in meetings:
        empty = {"number": m["number"], "meetings": 0, **dict.fromkeys(ATTENDANCE_COUNTS, 0)}
        row = rows.setdefault(m["number"], empty)
        row["meetings"] += 1
        for key in ATTENDANCE_COUNTS:
            row[key] += m[key]
    # The keys are NumberRow's: the number, the meetings and ATTENDANCE_COUNTS.
    return [cast(NumberRow, rows[number]) for number in sorted(rows)]


def _rate_bands(rates: list[float]) -> list[RateBand]:
    """How many starters attended which share of the meetings marked for them (``high`` is
    exclusive; the last band is exactly 100 %)."""
    bands: list[RateBand] = []
    for low, high in zip(RATE_BANDS, (*RATE_BANDS[1:], None), strict=True):
        n = sum(1 for rate in rates if rate >= low - 1e-9 and (high is None or rate < high - 1e-9))
        bands.append({"low": low, "high": high, "n": n})
    return bands
