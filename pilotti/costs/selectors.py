"""Reads of costs: the door (rates and entries an organisation's staff may see) and the rows the
cost page and the report add up, in a constant number of queries.

Who sees what: admins, coordinators and evaluators of an organisation see its own rates and
costs (every organisation running a programme keeps its own); admins and coordinators change
them. Facilitators see no costs: an hourly rate is close to a person's pay. The report adds up
the costs of the units it covers, whoever entered them (``costing``), so the owner's report over
the consortium's units includes the partners' costs, as it includes their attendance.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from pilotti.core.zone import HELSINKI
from pilotti.costs.costing import INTERPRETER, ZERO, Costing, Rate, add_up
from pilotti.costs.models import CostEntry, HourlyRate
from pilotti.meetings.models import Meeting
from pilotti.organisations.models import Organisation
from pilotti.organisations.viewer import Viewer
from pilotti.programmes.models import DeliveryUnit, FacilitatorRole, Programme, UnitFacilitator
from pilotti.programmes.selectors import MANAGER_ROLES, STAFF_ROLES, programmes_visible_to, runs_programme

# --- The door ----------------------------------------------------------------------------------


def rates_visible_to(viewer: Viewer) -> QuerySet[HourlyRate]:
    return HourlyRate.objects.filter(organisation__in=viewer.organisation_ids(STAFF_ROLES))


def cost_entries_visible_to(viewer: Viewer) -> QuerySet[CostEntry]:
    return CostEntry.objects.filter(organisation__in=viewer.organisation_ids(STAFF_ROLES))


def can_edit_costs(viewer: Viewer, organisation_id: int) -> bool:
    """The paying organisation's admins and coordinators."""
    return viewer.memberships(MANAGER_ROLES).filter(organisation_id=organisation_id).exists()


def costs_organisation(viewer: Viewer, programme_slug: str) -> tuple[Programme, Organisation] | None:
    """The programme and the organisation whose costs the page shows: the viewer's current one, if
    the viewer is its admin, coordinator or evaluator and it runs the programme; else None (404)."""
    organisation = viewer.organisation
    if organisation is None or not viewer.memberships(STAFF_ROLES).filter(organisation=organisation).exists():
        return None
    programme = programmes_visible_to(viewer).select_related("organisation").filter(slug=programme_slug).first()
    if programme is None or not runs_programme(programme, organisation.pk):
        return None
    return programme, organisation


# --- What the figures are made of ---------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    since: date | None = None
    until: date | None = None

    def meetings(self) -> Q:
        """Meetings by their day in Helsinki."""
        condition = Q()
        if self.since:
            condition &= Q(starts_at__gte=datetime.combine(self.since, time.min, tzinfo=HELSINKI))
        if self.until:
            condition &= Q(starts_at__lt=datetime.combine(self.until + timedelta(days=1), time.min, tzinfo=HELSINKI))
        return condition

    def entries(self) -> Q:
        condition = Q()
        if self.since:
            condition &= Q(spent_on__gte=self.since)
        if self.until:
            condition &= Q(spent_on__lte=self.until)
        return condition


def _held(units: QuerySet[DeliveryUnit], period: Period) -> QuerySet[Meeting]:
    return Meeting.objects.filter(unit__in=units, status=Meeting.Status.HELD).filter(period.meetings())


def costing(
    programme: Programme, units: QuerySet[DeliveryUnit], period: Period, *, programme_level: bool = True
) -> Costing:
    """The costs of ``units`` (already scoped by the caller) in the period, and, with
    ``programme_level``, the costs entered for the programme as a whole by the organisations that
    run those units. Five queries."""
    unit_rows = list(units.values_list("pk", "organisation_id", "name", "organisation__name"))
    organisations = {row[1] for row in unit_rows}
    present = Meeting.facilitators_present.through.objects.filter(meeting__in=_held(units, period))
    role = UnitFacilitator.objects.filter(unit=OuterRef("meeting__unit"), user=OuterRef("user")).values("role")[:1]
    roll_call = (
        present.values("meeting__unit_id", role_name=Coalesce(Subquery(role), Value(FacilitatorRole.OTHER.value)))
        .annotate(count=Count("pk"), minutes=Sum("meeting__duration_minutes"))
        .order_by()
    )
    # Interpreting the roll call implies: a meeting in a language that needs an interpreter
    # (its own or its unit's) with no interpreter among the facilitators present was interpreted
    # by someone outside Pilotti, for the meeting's length.
    interpreter_present = Meeting.facilitators_present.through.objects.filter(
        meeting=OuterRef("pk"),
        user__facilitated_units__unit=OuterRef("unit"),
        user__facilitated_units__role=INTERPRETER,
    )
    needs = (~Q(interpreter_language="") | ~Q(unit__interpreter_language="")) & ~Q(Exists(interpreter_present))
    meetings = (
        _held(units, period)
        .values("unit_id")
        .annotate(
            held=Count("pk"),
            interpreter_minutes=Coalesce(Sum("duration_minutes", filter=needs), Value(0), output_field=IntegerField()),
        )
        .order_by()
    )
    rates = {
        (r.organisation_id, r.role): Rate(r.euros_per_hour, r.preparation_minutes)
        for r in HourlyRate.objects.filter(programme=programme, organisation__in=organisations)
    }
    owned = Q(unit__in=units)
    if programme_level:
        owned |= Q(unit__isnull=True, organisation__in=organisations)
    entries = CostEntry.objects.filter(owned, programme=programme).filter(period.entries())
    result = add_up(
        units=[(pk, org) for pk, org, _, _ in unit_rows],
        roll_call=({**row, "unit_id": row["meeting__unit_id"], "role": row["role_name"]} for row in roll_call),
        meetings=meetings,
        rates=rates,
        entries=(dict(row) for row in entries.values("kind", "role", "hours", "amount", "unit_id", "organisation_id")),
    )
    result.unit_names = {pk: (name, organisation) for pk, _, name, organisation in unit_rows}
    return result


# --- The cost page ------------------------------------------------------------------------------


def organisation_units(programme: Programme, organisation: Organisation) -> QuerySet[DeliveryUnit]:
    """The organisation's own units of the programme: the ones it pays for."""
    return DeliveryUnit.objects.filter(programme=programme, organisation=organisation).order_by("name")


def organisation_rates(programme: Programme, organisation: Organisation) -> dict[str, HourlyRate]:
    return {r.role: r for r in HourlyRate.objects.filter(programme=programme, organisation=organisation)}


def organisation_entries(programme: Programme, organisation: Organisation) -> QuerySet[CostEntry]:
    return (
        CostEntry.objects.filter(programme=programme, organisation=organisation)
        .select_related("unit")
        .order_by("-spent_on", "-id")
    )


@dataclass(frozen=True)
class UnitRow:
    unit: DeliveryUnit
    meetings_held: int
    hours: list[tuple[str, Decimal]]  # (role label, hours) from the roll call and corrections
    amount: Decimal


def unit_rows(units: QuerySet[DeliveryUnit], costing: Costing) -> list[UnitRow]:
    labels = dict(FacilitatorRole.choices)
    rows = []
    for unit in units:
        hours = [
            (str(labels.get(role, role)), h)
            for (unit_id, role), h in sorted(costing.unit_hours.items())
            if unit_id == unit.pk
        ]
        rows.append(
            UnitRow(unit, costing.meetings_held.get(unit.pk, 0), hours, costing.unit_amounts.get(unit.pk, ZERO))
        )
    return rows


@dataclass(frozen=True)
class RoleRow:
    label: str
    hours: Decimal
    amount: Decimal
    unpriced: bool


def role_rows(costing: Costing) -> list[RoleRow]:
    labels = dict(FacilitatorRole.choices)
    return [
        RoleRow(str(labels.get(role, role)), total.hours, total.amount, total.priced_hours < total.hours)
        for role, total in sorted(costing.by_role.items())
        if total.hours
    ]


def entry_history(entry: CostEntry) -> QuerySet[Any]:
    """The entry's earlier versions, newest first, with who changed it and why."""
    versions: QuerySet[Any] = entry.history.select_related("history_user").order_by("-history_date")
    return versions
