"""Reads of programmes, sites, units and meetings: one scoping function per model, the only door.

Who sees what (per active membership, so one person can hold different roles in different
organisations):
- admins, coordinators and evaluators see the programmes their organisation owns, is a
  partner in or has adopted, and the units their organisation runs;
- the owner and its partners run the programme together, so they also see each other's
  units; an adopter's units are seen only by the adopter (the owner gets a count);
- a facilitator sees only the units they are assigned to, and those units' programmes.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from pilotti.accounts.models import User
from pilotti.core.zone import HELSINKI
from pilotti.organisations.models import Membership, Organisation, Role
from pilotti.programmes.models import (
    Adoption,
    DeliveryUnit,
    Meeting,
    Partnership,
    Programme,
    Site,
    UnitFacilitator,
)

STAFF_ROLES = (Role.ADMIN, Role.COORDINATOR, Role.EVALUATOR)
MANAGER_ROLES = (Role.ADMIN, Role.COORDINATOR)


def _organisation_ids(user: User, roles: tuple[Role, ...]) -> "QuerySet[Membership, int]":
    if not user.is_authenticated:
        return Membership.objects.none().values_list("organisation_id", flat=True)
    return Membership.objects.filter(user=user, is_active=True, role__in=roles).values_list(
        "organisation_id", flat=True
    )


def _assigned_unit_ids(user: User) -> "QuerySet[UnitFacilitator, int]":
    """Units the user facilitates, while they are an active member of the unit's organisation."""
    if not user.is_authenticated:
        return UnitFacilitator.objects.none().values_list("unit_id", flat=True)
    return UnitFacilitator.objects.filter(
        user=user,
        unit__organisation__memberships__user=user,
        unit__organisation__memberships__is_active=True,
    ).values_list("unit_id", flat=True)


def _in_consortium(prefix: str) -> Q:
    """The row's organisation is the programme's owner or one of its partners."""
    partner = Partnership.objects.filter(
        programme=OuterRef(f"{prefix}programme"), organisation=OuterRef(f"{prefix}organisation")
    )
    return Q(**{f"{prefix}organisation": F(f"{prefix}programme__organisation")}) | Q(Exists(partner))


def _consortium_member(prefix: str, organisation_ids: "QuerySet[Membership, int]") -> Q:
    """The row's programme is owned by, or partnered in by, one of the organisations."""
    partner = Partnership.objects.filter(programme=OuterRef(f"{prefix}programme"), organisation__in=organisation_ids)
    return Q(**{f"{prefix}programme__organisation__in": organisation_ids}) | Q(Exists(partner))


def _unit_scope(user: User) -> Q:
    staff = _organisation_ids(user, STAFF_ROLES)
    consortium = DeliveryUnit.objects.filter(_in_consortium("")).filter(_consortium_member("", staff))
    return Q(organisation__in=staff) | Q(pk__in=consortium.values("pk")) | Q(pk__in=_assigned_unit_ids(user))


def units_visible_to(user: User) -> QuerySet[DeliveryUnit]:
    return DeliveryUnit.objects.filter(_unit_scope(user))


def programmes_visible_to(user: User) -> QuerySet[Programme]:
    staff = _organisation_ids(user, STAFF_ROLES)
    linked = (
        Q(organisation__in=staff)
        | Q(pk__in=Partnership.objects.filter(organisation__in=staff).values("programme_id"))
        | Q(pk__in=Adoption.objects.filter(organisation__in=staff).values("programme_id"))
        | Q(pk__in=DeliveryUnit.objects.filter(pk__in=_assigned_unit_ids(user)).values("programme_id"))
    )
    return Programme.objects.filter(linked)


def sites_visible_to(user: User) -> QuerySet[Site]:
    """Sites follow the units' rule: one's own, and the consortium's among its members."""
    staff = _organisation_ids(user, STAFF_ROLES)
    consortium = Site.objects.filter(_in_consortium("")).filter(_consortium_member("", staff))
    assigned = DeliveryUnit.objects.filter(pk__in=_assigned_unit_ids(user)).values("site_id")
    return Site.objects.filter(Q(organisation__in=staff) | Q(pk__in=consortium.values("pk")) | Q(pk__in=assigned))


def meetings_visible_to(user: User) -> QuerySet[Meeting]:
    # The units' rule (_unit_scope) applied to each meeting's own unit, not "unit IN (every
    # visible unit)": SQLite builds that list in full, scanning every unit for the consortium
    # rule, even to open one meeting (30 ms with the 23 000 units of a national data set).
    staff = _organisation_ids(user, STAFF_ROLES)
    consortium = _in_consortium("unit__") & _consortium_member("unit__", staff)
    return Meeting.objects.filter(Q(unit__organisation__in=staff) | consortium | Q(unit__in=_assigned_unit_ids(user)))


# --- What a user may change -----------------------------------------------------------------


def can_edit_programme(user: User, programme: Programme) -> bool:
    """The owner's admins and coordinators edit the plan; partners and adopters read it."""
    return _organisation_ids(user, MANAGER_ROLES).filter(organisation_id=programme.organisation_id).exists()


def runs_programme(programme: Programme, organisation_id: int) -> bool:
    return (
        programme.organisation_id == organisation_id
        or programme.partnerships.filter(organisation_id=organisation_id).exists()
        or programme.adoptions.filter(organisation_id=organisation_id).exists()
    )


def can_add_units(user: User, programme: Programme, organisation_id: int | None) -> bool:
    """Admins and coordinators of an organisation that owns, partners in or adopted the programme."""
    if organisation_id is None:
        return False
    managed = _organisation_ids(user, MANAGER_ROLES).filter(organisation_id=organisation_id).exists()
    return managed and runs_programme(programme, organisation_id)


def can_manage_unit(user: User, unit: DeliveryUnit) -> bool:
    """Admins and coordinators of the organisation that runs the unit."""
    return _organisation_ids(user, MANAGER_ROLES).filter(organisation_id=unit.organisation_id).exists()


def can_change_meetings(user: User, unit: DeliveryUnit) -> bool:
    """Those who manage the unit, and its own facilitators: move, cancel, record what happened."""
    return can_manage_unit(user, unit) or _assigned_unit_ids(user).filter(unit_id=unit.pk).exists()


def other_organisations_running(
    user: User, programme: Programme, current: Organisation | None
) -> QuerySet[Organisation]:
    """Organisations other than the current one where the user could add units to the programme."""
    runners = Q(pk=programme.organisation_id) | Q(partnerships__programme=programme) | Q(adoptions__programme=programme)
    candidates = Organisation.objects.filter(runners, pk__in=_organisation_ids(user, MANAGER_ROLES))
    if current is not None:
        candidates = candidates.exclude(pk=current.pk)
    return candidates.distinct().order_by("name")


# --- Page data, in a constant number of queries ----------------------------------------------


def programme_list(user: User) -> QuerySet[Programme]:
    return programmes_visible_to(user).select_related("organisation").order_by("name")


def my_units(user: User) -> QuerySet[DeliveryUnit]:
    """The units the user facilitates, with their next meeting's time."""
    return with_schedule_summary(
        DeliveryUnit.objects.filter(pk__in=_assigned_unit_ids(user)).select_related("programme", "site")
    ).order_by("programme__name", "name")


def with_schedule_summary(units: QuerySet[DeliveryUnit]) -> QuerySet[DeliveryUnit]:
    scheduled = Q(meetings__status__in=[Meeting.Status.SCHEDULED, Meeting.Status.HELD])
    return units.annotate(
        meeting_count=Count("meetings", filter=scheduled, distinct=True),
        first_meeting=Min("meetings__starts_at", filter=scheduled),
        last_meeting=Max("meetings__starts_at", filter=scheduled),
    )


UNITS_PER_PAGE = 50


def units_page(units: QuerySet[DeliveryUnit], number: str | None) -> Page:  # type: ignore[type-arg]
    """One page of the units, by organisation and name. The schedule figures are counted for the
    page's units only, so the programme page costs the same with 5 units or 50 000 (docs/benchmarks.md)."""
    ordered = units.order_by("organisation__name", "name", "pk").values_list("pk", flat=True)
    page = Paginator(ordered, UNITS_PER_PAGE).get_page(number)
    ids = list(page.object_list)
    rows = with_schedule_summary(DeliveryUnit.objects.filter(pk__in=ids)).select_related("organisation", "site")
    by_id = {unit.pk: unit for unit in rows}
    page.object_list = [by_id[pk] for pk in ids]  # type: ignore[misc]  # the page now holds the units
    return page


def adoptions_visible_to(user: User, programme: Programme) -> QuerySet[Adoption]:
    """The owner and partners see every adoption with its unit count; an adopter sees its own."""
    adoptions = adoptions_with_unit_counts(programme)
    staff = _organisation_ids(user, STAFF_ROLES)
    in_consortium = Q(organisation__in=staff) | Q(partnerships__organisation__in=staff)
    if Programme.objects.filter(in_consortium, pk=programme.pk).exists():
        return adoptions
    return adoptions.filter(organisation__in=staff)


def adoptions_with_unit_counts(programme: Programme) -> QuerySet[Adoption]:
    """Per adopting organisation, how many units it runs: the owner's aggregate view."""
    units = (
        DeliveryUnit.objects.filter(programme=programme, organisation=OuterRef("organisation"))
        .values("organisation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        programme.adoptions.select_related("organisation")
        .annotate(unit_count=Coalesce(Subquery(units), 0))
        .order_by("organisation__name")
    )


def unit_meetings(unit: DeliveryUnit) -> QuerySet[Meeting]:
    return unit.meetings.order_by("starts_at")


@dataclass
class MyWeek:
    """A facilitator's meetings today and later this week, across all their units."""

    today: list[Meeting]
    later: list[Meeting]
    next_meetings: list[Meeting]  # the next one after this week, looked up only when the week is empty
    facilitates: bool


def my_meetings(user: User) -> QuerySet[Meeting]:
    """Meetings of the units the user facilitates, with what a list of them shows."""
    return (
        Meeting.objects.filter(unit__in=_assigned_unit_ids(user))
        .select_related("unit", "unit__site", "unit__programme")
        .order_by("starts_at")
    )


def my_week(user: User, now: datetime) -> MyWeek:
    """Today and the rest of this week (Monday to Sunday, Helsinki time), in two or three queries."""
    local = now.astimezone(HELSINKI)
    today = datetime.combine(local.date(), time.min, tzinfo=HELSINKI)
    tomorrow = today + timedelta(days=1)
    week_end = today + timedelta(days=7 - local.weekday())
    meetings = list(my_meetings(user).filter(starts_at__gte=today, starts_at__lt=week_end))
    upcoming: list[Meeting] = []
    if not meetings:
        upcoming = list(my_meetings(user).filter(starts_at__gte=week_end, status=Meeting.Status.SCHEDULED)[:1])
    return MyWeek(
        today=[m for m in meetings if m.starts_at < tomorrow],
        later=[m for m in meetings if m.starts_at >= tomorrow],
        next_meetings=upcoming,
        facilitates=bool(meetings or upcoming) or _assigned_unit_ids(user).exists(),
    )
