"""Reads of programmes, sites and units: one scoping function per model, the only door (meetings: pilotti.meetings).

Who sees what (per active membership, so one person can hold different roles in different
organisations):
- admins, coordinators and evaluators see the programmes their organisation owns, is a
  partner in or has adopted, and the units their organisation runs;
- the owner and its partners run the programme together, so they also see each other's
  units; an adopter's units are seen only by the adopter (the owner gets a count);
- a facilitator sees only the units they are assigned to, and those units' programmes.
"""

from typing import TypeVar

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, F, Max, Min, Model, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from pilotti.organisations.models import Membership, Organisation, Role
from pilotti.organisations.viewer import Viewer
from pilotti.programmes.models import (
    Adoption,
    DeliveryUnit,
    Partnership,
    PartnershipInvitation,
    Programme,
    Site,
    UnitFacilitator,
)

M = TypeVar("M", Programme, Site, DeliveryUnit)

STAFF_ROLES = (Role.ADMIN, Role.COORDINATOR, Role.EVALUATOR)
MANAGER_ROLES = (Role.ADMIN, Role.COORDINATOR)
# Members who may be assigned to facilitate a unit; the assignment counts only while they are one.
FACILITATING_ROLES = (Role.FACILITATOR, Role.COORDINATOR)


def assigned_unit_ids(viewer: Viewer) -> "QuerySet[UnitFacilitator, int]":
    """Units the viewer facilitates, while they are an active facilitator or coordinator of the
    unit's organisation: an assignment follows the member's role, so an admin or evaluator (one
    demoted from facilitator included) does not see the unit's people's contact details."""
    if not viewer.user.is_authenticated:
        return UnitFacilitator.objects.none().values_list("unit_id", flat=True)
    facilitating = viewer.organisation_ids(FACILITATING_ROLES)
    return UnitFacilitator.objects.filter(user=viewer.user, unit__organisation__in=facilitating).values_list(
        "unit_id", flat=True
    )


def report_units(viewer: Viewer, programme: Programme) -> QuerySet[DeliveryUnit]:
    """Units whose data the programme's report covers for the viewer: their own organisations'
    units, and the units they facilitate. Partners see each other's units but report only on their
    own. The report (evaluation) and the unit page ask this same question."""
    own = Q(organisation__in=viewer.organisation_ids(STAFF_ROLES)) | Q(pk__in=assigned_unit_ids(viewer))
    return DeliveryUnit.objects.filter(own, programme=programme)


def _managed(viewer: Viewer, organisation_id: int) -> bool:
    return viewer.memberships(MANAGER_ROLES).filter(organisation_id=organisation_id).exists()


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


def _unit_scope(viewer: Viewer) -> Q:
    staff = viewer.organisation_ids(STAFF_ROLES)
    consortium = DeliveryUnit.objects.filter(_in_consortium("")).filter(_consortium_member("", staff))
    return Q(organisation__in=staff) | Q(pk__in=consortium.values("pk")) | Q(pk__in=assigned_unit_ids(viewer))


def on_visible_unit(viewer: Viewer, prefix: str) -> Q:
    """The units' rule applied to the unit a row hangs on (``prefix``: the path to it, e.g. "unit__"),
    not "unit IN (every visible unit)": SQLite builds that list in full, scanning every unit for the
    consortium rule, even to open one meeting (30 ms with the 23 000 units of a national data set)."""
    staff = viewer.organisation_ids(STAFF_ROLES)
    consortium = _in_consortium(prefix) & _consortium_member(prefix, staff)
    return Q(**{f"{prefix}organisation__in": staff}) | consortium | Q(**{f"{prefix}in": assigned_unit_ids(viewer)})


def units_visible_to(viewer: Viewer) -> QuerySet[DeliveryUnit]:
    return DeliveryUnit.objects.filter(_unit_scope(viewer))


def programmes_visible_to(viewer: Viewer) -> QuerySet[Programme]:
    staff = viewer.organisation_ids(STAFF_ROLES)
    linked = (
        Q(organisation__in=staff)
        | Q(pk__in=Partnership.objects.filter(organisation__in=staff).values("programme_id"))
        | Q(pk__in=Adoption.objects.filter(organisation__in=staff).values("programme_id"))
        | Q(pk__in=DeliveryUnit.objects.filter(pk__in=assigned_unit_ids(viewer)).values("programme_id"))
    )
    return Programme.objects.filter(linked)


def programmes_run_by(viewer: Viewer, organisation_id: int) -> QuerySet[Programme]:
    """The visible programmes the organisation owns, partners in or has adopted, by name."""
    runs = Q(organisation_id=organisation_id) | Q(partnerships__organisation_id=organisation_id)
    runs |= Q(adoptions__organisation_id=organisation_id)
    ids = Programme.objects.filter(runs).values("pk")
    return programmes_visible_to(viewer).filter(pk__in=ids).order_by("name")


def sites_visible_to(viewer: Viewer) -> QuerySet[Site]:
    """Sites follow the units' rule: one's own, and the consortium's among its members."""
    staff = viewer.organisation_ids(STAFF_ROLES)
    consortium = Site.objects.filter(_in_consortium("")).filter(_consortium_member("", staff))
    assigned = DeliveryUnit.objects.filter(pk__in=assigned_unit_ids(viewer)).values("site_id")
    return Site.objects.filter(Q(organisation__in=staff) | Q(pk__in=consortium.values("pk")) | Q(pk__in=assigned))


# --- What a user may change -----------------------------------------------------------------


def can_edit_programme(viewer: Viewer, programme: Programme) -> bool:
    """The owner's admins and coordinators edit the plan; partners and adopters read it."""
    return _managed(viewer, programme.organisation_id)


def runs_programme(programme: Programme, organisation_id: int) -> bool:
    return (
        programme.organisation_id == organisation_id
        or programme.partnerships.filter(organisation_id=organisation_id).exists()
        or programme.adoptions.filter(organisation_id=organisation_id).exists()
    )


def can_add_units(viewer: Viewer, programme: Programme) -> bool:
    """Admins and coordinators of the viewer's current organisation, if it owns, partners in or
    adopted the programme (the units are added in the name of that organisation)."""
    organisation = viewer.organisation
    if organisation is None:
        return False
    return _managed(viewer, organisation.pk) and runs_programme(programme, organisation.pk)


def can_manage_unit(viewer: Viewer, unit: DeliveryUnit) -> bool:
    """Admins and coordinators of the organisation that runs the unit."""
    return _managed(viewer, unit.organisation_id)


def can_manage_site(viewer: Viewer, site: Site) -> bool:
    """Admins and coordinators of the organisation that uses the site."""
    return _managed(viewer, site.organisation_id)


def can_change_meetings(viewer: Viewer, unit: DeliveryUnit) -> bool:
    """Those who manage the unit, and its own facilitators: move, cancel, record what happened."""
    return can_manage_unit(viewer, unit) or assigned_unit_ids(viewer).filter(unit_id=unit.pk).exists()


def other_organisations_running(viewer: Viewer, programme: Programme) -> QuerySet[Organisation]:
    """Organisations other than the current one where the viewer could add units to the programme."""
    runners = Q(pk=programme.organisation_id) | Q(partnerships__programme=programme) | Q(adoptions__programme=programme)
    candidates = Organisation.objects.filter(runners, pk__in=viewer.organisation_ids(MANAGER_ROLES))
    if viewer.organisation is not None:
        candidates = candidates.exclude(pk=viewer.organisation.pk)
    return candidates.distinct().order_by("name")


# --- Page data, in a constant number of queries ----------------------------------------------


def programme_list(viewer: Viewer, *, archived: bool = False) -> QuerySet[Programme]:
    """The programmes the viewer sees; archived ones only when asked for (``archived``)."""
    return unarchived(programmes_visible_to(viewer).select_related("organisation").order_by("name"), archived=archived)


def unarchived(items: QuerySet[M], *, archived: bool) -> QuerySet[M]:
    """Lists hide archived programmes, units and sites unless the "show archived" filter is on."""
    return items if archived else items.filter(archived_at__isnull=True)


def archiving(item: Programme | Site | DeliveryUnit) -> Model | None:
    """The history row that archived the item (who and when), or None when it is not archived."""
    if not item.is_archived:
        return None
    history = item.history.filter(history_change_reason="archived").select_related("history_user")
    record: Model | None = history.order_by("-history_date").first()
    return record


def with_plan_and_partners(programmes: QuerySet[Programme]) -> QuerySet[Programme]:
    """What the programme page shows of the programme itself, in three more queries."""
    return (
        programmes.select_related("organisation")
        .prefetch_related("segments", "topics", Prefetch("partnerships", to_attr="partner_list"))
        .prefetch_related("partnerships__organisation")
    )


def my_units(viewer: Viewer) -> QuerySet[DeliveryUnit]:
    """The units the viewer facilitates, with their next meeting's time."""
    return with_schedule_summary(
        DeliveryUnit.objects.filter(pk__in=assigned_unit_ids(viewer), archived_at__isnull=True).select_related(
            "programme", "site"
        )
    ).order_by("programme__name", "name")


def with_schedule_summary(units: QuerySet[DeliveryUnit]) -> QuerySet[DeliveryUnit]:
    # Through the reverse relation of pilotti.meetings' Meeting (its statuses "scheduled" and "held").
    scheduled = Q(meetings__status__in=["scheduled", "held"])
    return units.annotate(
        meeting_count=Count("meetings", filter=scheduled, distinct=True),
        first_meeting=Min("meetings__starts_at", filter=scheduled),
        last_meeting=Max("meetings__starts_at", filter=scheduled),
    )


UNITS_PER_PAGE = 50


def units_page(units: QuerySet[DeliveryUnit], number: str | None) -> Page[DeliveryUnit]:
    """One page of the units, by organisation and name. The schedule figures are counted for the
    page's units only, so the programme page costs the same with 5 units or 50 000 (docs/benchmarks.md)."""
    ordered = units.order_by("organisation__name", "name", "pk").only("pk")
    page = Paginator(ordered, UNITS_PER_PAGE).get_page(number)
    ids = [unit.pk for unit in page.object_list]
    rows = with_schedule_summary(DeliveryUnit.objects.filter(pk__in=ids)).select_related("organisation", "site")
    by_id = {unit.pk: unit for unit in rows}
    page.object_list = [by_id[pk] for pk in ids]  # the page now holds the units with their figures
    return page


def adoptions_visible_to(viewer: Viewer, programme: Programme) -> QuerySet[Adoption]:
    """The owner and partners see every adoption with its unit count; an adopter sees its own."""
    adoptions = adoptions_with_unit_counts(programme)
    staff = viewer.organisation_ids(STAFF_ROLES)
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


def replacement_candidates(unit: DeliveryUnit) -> QuerySet[DeliveryUnit]:
    """The units that may take over a closed unit's people: the same programme's, of the same organisation."""
    return DeliveryUnit.objects.filter(programme_id=unit.programme_id, organisation_id=unit.organisation_id).exclude(
        pk=unit.pk
    )


def linked_organisations(programme: Programme) -> QuerySet[Organisation]:
    """The programme's partners and adopters (not its owner)."""
    return Organisation.objects.filter(
        Q(partnerships__programme=programme) | Q(adoptions__programme=programme)
    ).distinct()


def is_draft_unit(unit: DeliveryUnit) -> bool:
    """Nobody enrolled and nothing recorded at its meetings: a unit that can still be deleted.
    (Through the reverse relations of the apps that record them, as for the enrolments.)"""
    recorded = Q(status="held") | Q(attendances__isnull=False) | Q(responses__isnull=False)
    recorded |= Q(client_panel__isnull=False)
    return not unit.enrolments.exists() and not unit.meetings.filter(recorded).exists()


def is_draft_programme(programme: Programme) -> bool:
    """No units and nobody enrolled: a programme that can still be deleted."""
    return not programme.units.exists() and not programme.enrolments.exists()


# --- Partnership invitations ---------------------------------------------------------------------


def partner_invitations_to_answer(viewer: Viewer) -> QuerySet[PartnershipInvitation]:
    """Invitations to the organisations the viewer is an admin of: the open ones to answer, the
    answered ones as their history. Nobody else sees them, the inviting owner's own staff included
    (they see theirs on the programme page)."""
    return PartnershipInvitation.objects.filter(organisation__in=viewer.organisation_ids((Role.ADMIN,))).select_related(
        "programme", "programme__organisation", "organisation", "invited_by", "answered_by"
    )


def partner_invitations_of(programme: Programme) -> QuerySet[PartnershipInvitation]:
    """The owner's view: the questions still open and the organisations that said no."""
    return (
        programme.partner_invitations.exclude(status=PartnershipInvitation.Status.ACCEPTED)
        .select_related("organisation")
        .order_by("-status", "organisation__name")  # pending before declined
    )
