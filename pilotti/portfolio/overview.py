"""An organisation's portfolio: every programme it owns, partners in or has adopted, on one page
and in a PDF a board is given — each programme's status, the organisation's own units of it, the
people its units reached against the programme's targets, and its latest figures (completed,
attendance, the last meeting held).

The page is meant to leave the organisation, so its counts of people follow the shared report's
rules (docs/statistics.md, Small numbers): a count of 1 … threshold − 1 people is suppressed;
"completed" is also hidden when the people still in progress or gone (started − completed) are a
small number, as a "k of n" would show them; attendance is hidden unless at least the threshold
of people started. There is no total row, so no hidden cell can be worked out from a sum.
People are counted as the report's comparison counts them: enrolments, a household's being one.
Seven queries, whatever the number of programmes.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.utils import timezone

from pilotti.core.zone import HELSINKI
from pilotti.evaluation.suppression import SUPPRESSED, is_small, threshold
from pilotti.meetings.models import Attendance, Meeting
from pilotti.organisations.models import Organisation
from pilotti.programmes.models import DeliveryUnit, Programme, TargetSegment
from pilotti.recruitment.models import Enrolment

RUNNING = (DeliveryUnit.Status.RECRUITING, DeliveryUnit.Status.RUNNING)


@dataclass(frozen=True)
class Line:
    programme: Programme
    relation: str  # "owner", "partner" or "adopter"
    units: int
    units_running: int
    target: int | None
    started: Any  # a count, or SUPPRESSED
    completed: Any
    attendance_rate: Any  # 0–1, None or SUPPRESSED
    last_held: date | None


@dataclass(frozen=True)
class Portfolio:
    organisation: Organisation
    lines: list[Line]
    threshold: int


def portfolio(organisation: Organisation, programmes: QuerySet[Programme]) -> Portfolio:
    """``programmes``: those the viewer may see that the organisation runs (the door's)."""
    programmes = programmes.select_related("organisation").prefetch_related("partnerships")
    listed = list(programmes)
    ids = [p.pk for p in listed]
    mine = Q(programme__in=ids, organisation=organisation)
    units = {
        row["programme_id"]: row
        for row in DeliveryUnit.objects.filter(mine)
        .values("programme_id")
        .annotate(n=Count("pk"), running=Count("pk", filter=Q(status__in=RUNNING)))
        .order_by()
    }
    targets = dict(
        TargetSegment.objects.filter(programme__in=ids)
        .values_list("programme_id")
        .annotate(total=Sum("target"))
        .order_by()
    )
    people = {
        row["unit__programme_id"]: row
        for row in Enrolment.objects.filter(unit__programme__in=ids, unit__organisation=organisation)
        .values("unit__programme_id")
        .annotate(
            started=Count("pk", filter=Q(started_on__isnull=False)),
            completed=Count("pk", filter=Q(completed_on__isnull=False)),
        )
        .order_by()
    }
    held = Meeting.objects.filter(unit__programme__in=ids, unit__organisation=organisation, status=Meeting.Status.HELD)
    last_held = dict(held.values_list("unit__programme_id").annotate(last=Max("starts_at")).order_by())
    attendance = {
        row["meeting__unit__programme_id"]: row
        for row in Attendance.objects.filter(meeting__in=held)
        .values("meeting__unit__programme_id")
        .annotate(present=Count("pk", filter=Q(status=Attendance.Status.PRESENT)), recorded=Count("pk"))
        .order_by()
    }
    limit = threshold()
    lines = []
    for programme in listed:
        counted = people.get(programme.pk, {})
        attended = attendance.get(programme.pk, {})
        recorded = int(attended.get("recorded") or 0)
        started, completed, rate = _shared(
            int(counted.get("started") or 0),
            int(counted.get("completed") or 0),
            int(attended.get("present") or 0) / recorded if recorded else None,
            limit,
        )
        last = last_held.get(programme.pk)
        lines.append(
            Line(
                programme=programme,
                relation=_relation(programme, organisation),
                units=int(units.get(programme.pk, {}).get("n") or 0),
                units_running=int(units.get(programme.pk, {}).get("running") or 0),
                target=targets.get(programme.pk),
                started=started,
                completed=completed,
                attendance_rate=rate,
                last_held=timezone.localtime(last, HELSINKI).date() if last else None,
            )
        )
    return Portfolio(organisation, lines, limit)


def _shared(started: int, completed: int, rate: float | None, limit: int) -> tuple[Any, Any, Any]:
    """The shared report's rules for one programme's people (see the module's docstring)."""
    shown_started: Any = SUPPRESSED if is_small(started, limit) else started
    shown_completed: Any = completed
    if is_small(completed, limit) or is_small(started - completed, limit):
        shown_completed = SUPPRESSED
    shown_rate: Any = rate if rate is None or started >= limit else SUPPRESSED
    return shown_started, shown_completed, shown_rate


def _relation(programme: Programme, organisation: Organisation) -> str:
    if programme.organisation_id == organisation.pk:
        return "owner"
    if any(p.organisation_id == organisation.pk for p in programme.partnerships.all()):
        return "partner"
    return "adopter"
