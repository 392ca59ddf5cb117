"""Reads of enrolments and the recruitment funnel: the only door to enrolments.

Enrolments follow their participant's rule (people.selectors): the organisation's
coordinators, admins and evaluators see them all, pseudonymously; a facilitator sees those
in the units they facilitate. The funnel pages sum the counts the database keeps
(``FunnelCount``, recruitment.counts); the report counts its scope's enrolments in one GROUP BY.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum

from pilotti.organisations.models import Role
from pilotti.organisations.viewer import Viewer
from pilotti.people import selectors as people_selectors
from pilotti.people.models import HouseholdMember, Participant
from pilotti.people.selectors import VIEWER_ROLES
from pilotti.programmes.models import DeliveryUnit, Programme
from pilotti.programmes.selectors import assigned_unit_ids
from pilotti.recruitment.counts import ALL_UNITS
from pilotti.recruitment.models import HOLDS_PLACE, Enrolment, FunnelCount, Stage, StageChange

FUNNEL_STAGES = ("contacted", "interested", "enrolled", "started", "completed")
NOW_STAGES = ("waiting", "declined", "not_reached", "dropped_out")


def enrolments_visible_to(viewer: Viewer) -> QuerySet[Enrolment]:
    return Enrolment.objects.filter(
        Q(organisation__in=viewer.organisation_ids(VIEWER_ROLES)) | Q(unit__in=assigned_unit_ids(viewer))
    )


def enrolments_of(viewer: Viewer, participant: Participant) -> QuerySet[Enrolment]:
    """The participant's own enrolments and their households', with the stage history prefetched."""
    households = participant.memberships.values("household_id")
    return (
        enrolments_visible_to(viewer)
        .filter(Q(participant=participant) | Q(household__in=households))
        .select_related("programme", "unit", "household")
        .prefetch_related(Prefetch("changes", queryset=StageChange.objects.select_related("changed_by", "unit")))
        .order_by("-contacted_on", "-id")
    )


def can_move_enrolment(viewer: Viewer, enrolment: Enrolment) -> bool:
    """Coordinators of the organisation, and the facilitators of the enrolment's unit."""
    coordinator = viewer.memberships((Role.COORDINATOR,)).filter(organisation_id=enrolment.organisation_id)
    if coordinator.exists():
        return True
    return enrolment.unit_id is not None and assigned_unit_ids(viewer).filter(unit_id=enrolment.unit_id).exists()


def stage_changes(enrolment: Enrolment) -> QuerySet[StageChange]:
    return enrolment.changes.select_related("changed_by", "unit").order_by("changed_at", "id")


def waiting_list(viewer: Viewer, unit: DeliveryUnit) -> QuerySet[Enrolment]:
    return (
        enrolments_visible_to(viewer)
        .filter(unit=unit, stage=Stage.WAITING)
        .select_related("participant", "household")
        .order_by("waitlisted_on", "id")
    )


def places_taken(unit: DeliveryUnit) -> int:
    return Enrolment.objects.filter(unit=unit, stage__in=HOLDS_PLACE).count()


@dataclass
class FunnelRow:
    segment: str
    target: int | None = None
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def progress(self) -> int | None:
        """Per cent of the target that has enrolled (a place taken)."""
        if not self.target:
            return None
        return round(100 * self.counts.get("enrolled", 0) / self.target)

    def stage_counts(self) -> list[int]:
        return [self.counts.get(stage, 0) for stage in FUNNEL_STAGES]

    def now_counts(self) -> list[int]:
        return [self.counts.get(stage, 0) for stage in NOW_STAGES]


@dataclass
class Funnel:
    rows: list[FunnelRow]
    total: FunnelRow

    def conversions(self) -> list[tuple[str, str, int | None]]:
        """(from, to, per cent) between consecutive stages of the main path, over all segments."""
        result = []
        for before, after in pairwise(FUNNEL_STAGES):
            reached = self.total.counts.get(before, 0)
            share = round(100 * self.total.counts.get(after, 0) / reached) if reached else None
            result.append((str(Stage(before).label), str(Stage(after).label), share))
        return result


def funnel_counts() -> dict[str, Count]:
    """The funnel's columns as conditional counts (the report counts them per referral source)."""
    reached = {stage: Q(**{f"{stage}_on__isnull": False}) for stage in FUNNEL_STAGES[1:]}
    counts = {"contacted": Count("pk")}
    counts |= {stage: Count("pk", filter=condition) for stage, condition in reached.items()}
    counts |= {stage: Count("pk", filter=Q(stage=stage)) for stage in NOW_STAGES}
    return counts


def _grouped_counts(enrolments: QuerySet[Enrolment]) -> dict[str, dict[str, int]]:
    """Counts per segment and stage, folded into the funnel's columns per segment.

    The database groups by (segment, stage) and counts rows and non-empty stage dates: plain
    counts that it can read from the ``enrolment_funnel`` index alone, in its order (COUNT(*),
    not of the key, so that PostgreSQL need not visit the table either). Conditional counts per
    row, as before, cost twice as much on a programme of 30 000 enrolments.
    """
    reached = {stage: Count(f"{stage}_on") for stage in FUNNEL_STAGES[1:]}
    return _folded(enrolments.order_by().values("segment", "stage").annotate(contacted=Count("*"), **reached))


def _folded(rows: Iterable[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """Rows of (segment, stage, contacted and the steps reached) as the funnel's columns per segment."""
    grouped: dict[str, dict[str, int]] = {}
    for row in rows:
        counts = grouped.setdefault(row["segment"], dict.fromkeys(FUNNEL_STAGES + NOW_STAGES, 0))
        for stage in FUNNEL_STAGES:
            counts[stage] += row[stage]
        if row["stage"] in NOW_STAGES:
            counts[row["stage"]] += row["contacted"]
    return grouped


def funnel(enrolments: QuerySet[Enrolment], programme: Programme) -> Funnel:
    """Counts per segment and stage in one query, and the programme's targets in another."""
    return _funnel_of(_grouped_counts(enrolments), programme)


def _funnel_of(grouped: dict[str, dict[str, int]], programme: Programme) -> Funnel:
    targets = list(programme.segments.values_list("name", "target"))
    rows = [FunnelRow(name, target, grouped.pop(name, {})) for name, target in targets]
    rows += [FunnelRow(name, None, counts) for name, counts in sorted(grouped.items())]
    total = FunnelRow("", sum(t for _n, t in targets) or None)
    for row in rows:
        for key, value in row.counts.items():
            total.counts[key] = total.counts.get(key, 0) + value
    return Funnel(rows=rows, total=total)


def _kept_funnel(viewer: Viewer, programme: Programme, unit: DeliveryUnit | None = None) -> Funnel:
    """The funnel from the counts the database keeps (``FunnelCount``), under the visibility rule
    of ``enrolments_visible_to``: the rows of the viewer's organisations, and of the units they
    facilitate in other organisations. A programme's funnel sums the organisations' all-units rows,
    a unit's its own rows: a few rows either way, however many units and people the programme has."""
    staff = viewer.organisation_ids(VIEWER_ROLES)
    assigned = assigned_unit_ids(viewer)
    kept = FunnelCount.objects.filter(programme_key=programme.pk)
    if unit is None:
        visible = Q(unit_key=ALL_UNITS, organisation_key__in=staff) | (
            Q(unit_key__in=assigned) & ~Q(organisation_key__in=staff)
        )
    else:
        visible = Q(unit_key=unit.pk) & (Q(organisation_key__in=staff) | Q(unit_key__in=assigned))
    sums = {stage: Sum(stage) for stage in FUNNEL_STAGES}
    rows = kept.filter(visible).order_by().values("segment", "stage").annotate(**sums)
    return _funnel_of(_folded(rows), programme)


def programme_funnel(viewer: Viewer, programme: Programme) -> Funnel:
    return _kept_funnel(viewer, programme)


def unit_funnel(viewer: Viewer, unit: DeliveryUnit) -> Funnel:
    return _kept_funnel(viewer, unit.programme, unit)


# --- The participant list: people with their enrolments -----------------------------------


def with_latest_enrolment(participants: QuerySet[Participant]) -> QuerySet[Participant]:
    """Annotates the latest enrolment's programme and stage, for lists (no query per row)."""
    households = HouseholdMember.objects.filter(participant=OuterRef(OuterRef("pk"))).values("household_id")
    latest = Enrolment.objects.filter(Q(participant=OuterRef("pk")) | Q(household__in=households)).order_by(
        "-contacted_on", "-id"
    )
    return participants.annotate(
        latest_programme=Subquery(latest.values("programme__name")[:1]),
        latest_stage=Subquery(latest.values("stage")[:1]),
    )


def enrolled_in(
    participants: QuerySet[Participant],
    *,
    programme: Programme | None = None,
    unit: DeliveryUnit | None = None,
    stage: str = "",
) -> QuerySet[Participant]:
    """Those with one enrolment, their own or their household's, that matches every choice given."""
    chosen = {"programme": programme, "unit": unit, "stage": stage}
    chosen = {field: value for field, value in chosen.items() if value}
    if not chosen:
        return participants
    households = HouseholdMember.objects.filter(participant=OuterRef(OuterRef("pk"))).values("household_id")
    enrolments = Enrolment.objects.filter(**chosen).filter(Q(participant=OuterRef("pk")) | Q(household__in=households))
    return participants.filter(Exists(enrolments))


def stage_choices() -> list[tuple[str, str]]:
    """The enrolment stages, for the participant list's filter."""
    return [(value, str(label)) for value, label in Stage.choices]


def participant_list(viewer: Viewer) -> QuerySet[Participant]:
    """The participants of the organisation the viewer is working in, as the switcher chose it."""
    participants = people_selectors.participants_visible_to(viewer).filter(organisation=viewer.organisation)
    return with_latest_enrolment(participants).select_related("organisation").order_by("code")
