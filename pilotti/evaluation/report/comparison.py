"""The comparison between units, sites and organisations (the model owner's cross-adoption view)."""

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Count,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.utils.translation import get_language

from pilotti.evaluation import statistics
from pilotti.evaluation.report.access import sees_consortium
from pilotti.evaluation.report.feedback import people_at_least, people_counts
from pilotti.evaluation.report.scope import Scope, consented_responses, in_period
from pilotti.evaluation.report.types import ComparedRow, Comparison, Rating
from pilotti.instruments.spec import name_in
from pilotti.meetings.models import Attendance, Meeting
from pilotti.organisations.viewer import Viewer
from pilotti.people.selectors import VIEWER_ROLES
from pilotti.programmes.models import DeliveryUnit
from pilotti.recruitment.models import Enrolment

# --- Comparison between units, sites and organisations ------------------------------------------


def _count_of(queryset: QuerySet[Any], field: str) -> Coalesce:
    return Coalesce(
        Subquery(queryset.order_by().values(field).annotate(n=Count("pk")).values("n"), output_field=IntegerField()),
        0,
    )


def comparison(viewer: Viewer | None, s: Scope) -> Comparison:
    """Per unit, rolled up to sites and organisations: enrolled, started, completed, meetings
    held, attendance, and the mean of each per-meeting rating. Two queries."""
    consortium = viewer is None or sees_consortium(viewer, s.programme)
    units = DeliveryUnit.objects.filter(programme=s.programme) if consortium else s.units
    if s.filters.unit is not None:
        units = units.filter(pk=s.filters.unit.pk)
    enrolments = Enrolment.objects.filter(unit=OuterRef("pk")).filter(in_period("contacted_on", s.filters))
    meetings = Meeting.objects.filter(unit=OuterRef("pk"), status=Meeting.Status.HELD).filter(
        in_period("starts_at__date", s.filters)
    )
    attendances = Attendance.objects.filter(meeting__unit=OuterRef("pk"), meeting__status=Meeting.Status.HELD).filter(
        in_period("meeting__starts_at__date", s.filters)
    )
    own = set(s.units.values_list("organisation_id", flat=True))
    if viewer is not None:
        own |= set(viewer.organisation_ids(VIEWER_ROLES))
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
        if viewer is None or not consortium
        else consented_responses(units, Enrolment.objects.none()).filter(in_period("answered_on", s.filters))
    )
    ratings = (
        answers.filter(total__isnull=False, meeting__isnull=False)
        .order_by()
        .values(
            "meeting__unit_id",
            "version__instrument__key",
            "version__instrument__name",
            "version__instrument__names",
            # Per person too: the cluster-robust interval of a rating people gave after several
            # meetings (docs/statistics.md, Repeated ratings); added up per unit below.
            "participant_id",
        )
        .annotate(
            n=Count("pk"),
            sum=Sum("total"),
            sumsq=Sum(F("total") * F("total"), output_field=FloatField()),
            **people_counts(),
        )
    )
    instruments: dict[str, str] = {}
    rows_of: dict[tuple[int, str], list[dict[str, Any]]] = defaultdict(list)
    for row in ratings:
        instruments[row["version__instrument__key"]] = name_in(
            row["version__instrument__names"], row["version__instrument__name"], get_language()
        )
        rows_of[(row["meeting__unit_id"], row["version__instrument__key"])].append(row)
    by_unit: dict[int, dict[str, UnitRating]] = defaultdict(dict)
    for (unit_id, key), parts in rows_of.items():
        counted = {name: sum(int(r[name] or 0) for r in parts) for name in PEOPLE_COUNTS}
        by_unit[unit_id][key] = UnitRating(
            n=sum(r["n"] for r in parts),
            total=sum(float(r["sum"]) for r in parts),
            squares=sum(float(r["sumsq"]) for r in parts),
            people=people_at_least(counted),
            clusters=[(r["n"], float(r["sum"]), float(r["sumsq"])) for r in parts if r["participant_id"] is not None],
            singles=next(
                ((r["n"], float(r["sum"]), float(r["sumsq"])) for r in parts if r["participant_id"] is None), None
            ),
        )
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


PEOPLE_COUNTS = ("identified", "anonymous_at_meetings", "anonymous_meetings", "anonymous_elsewhere")


@dataclass(frozen=True)
class UnitRating:
    """One unit's answers to one rating: n, Σx, Σx², the fewest people, and per person (count,
    Σx, Σx²), the anonymous answers together in ``singles``."""

    n: int
    total: float
    squares: float
    people: int
    clusters: list[tuple[int, float, float]]
    singles: tuple[int, float, float] | None


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
    by_unit: dict[int, dict[str, "UnitRating"]],
    instruments: dict[str, str],
    own: set[int],
) -> ComparedRow:
    """Sums of the unit rows; means and SDs pooled from n, Σx and Σx²."""
    totals = {
        key: sum(int(r[key]) for r in rows)
        for key in ("enrolled", "started", "completed", "meetings_held", "present", "recorded")
    }
    ratings: dict[str, Rating] = {}
    for key in instruments:
        parts = [by_unit[r["pk"]][key] for r in rows if key in by_unit.get(r["pk"], {})]
        n = sum(p.n for p in parts)
        total = sum(p.total for p in parts)
        squares = sum(p.squares for p in parts)
        mean = total / n if n else None
        summary = statistics.mean_ci(n, mean, statistics.sd_from_sums(n, mean, squares))
        # Clustered by person within each unit (a person rating in two units counts twice).
        singles = [p.singles for p in parts if p.singles is not None]
        pooled = (sum(c[0] for c in singles), sum(c[1] for c in singles), sum(c[2] for c in singles))
        clustered = statistics.clustered_mean_ci([c for p in parts for c in p.clusters], pooled if singles else None)
        summary = clustered or summary
        ratings[key] = {
            "n": n,
            # A person may rate in two units: of the units' own counts only the largest is sure.
            "people": max((p.people for p in parts), default=0),
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
        "enrolled": totals["enrolled"],
        "started": totals["started"],
        "completed": totals["completed"],
        "meetings_held": totals["meetings_held"],
        "present": totals["present"],
        "recorded": totals["recorded"],
        "attendance_rate": totals["present"] / totals["recorded"] if totals["recorded"] else None,
        "ratings": ratings,
    }
