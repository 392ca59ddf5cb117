"""Reads of staff rosters: the door (whose staff a user may see) and the rows the pages show.

Who sees what, per active membership:
- admins, coordinators and evaluators of an organisation see its roster for each programme it
  runs (owner, partner or adopter): names, roles, units and trainings;
- phone numbers and e-mail addresses only its admins and coordinators, who also change the roster;
- facilitators see no roster: a colleague's contact details are the organisation's to hand out;
- the programme's trainings and staff targets are its plan: every organisation running it reads
  them, the owner's admins and coordinators change them.
Counts (``trained_staff_by_unit``, ``staff_target_rows``) hold no personal data: a page may show
them for any unit or programme it already lets the viewer see.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from pilotti.organisations.models import Organisation
from pilotti.organisations.viewer import Viewer
from pilotti.programmes.models import DeliveryUnit, FacilitatorRole, Programme
from pilotti.programmes.selectors import (
    MANAGER_ROLES,
    STAFF_ROLES,
    programmes_visible_to,
    runs_programme,
    units_visible_to,
)
from pilotti.staff.models import ROLE_CHOICES, StaffMember, StaffTarget, Training, TrainingRecord

# --- The door ----------------------------------------------------------------------------------


def staff_visible_to(viewer: Viewer) -> QuerySet[StaffMember]:
    return StaffMember.objects.filter(organisation__in=viewer.organisation_ids(STAFF_ROLES))


def training_records_visible_to(viewer: Viewer) -> QuerySet[TrainingRecord]:
    return TrainingRecord.objects.filter(member__in=staff_visible_to(viewer))


def can_manage_staff(viewer: Viewer, organisation_id: int) -> bool:
    """The organisation's admins and coordinators keep its roster and see contact details."""
    return viewer.memberships(MANAGER_ROLES).filter(organisation_id=organisation_id).exists()


def can_plan_staff(viewer: Viewer, programme: Programme) -> bool:
    """The owner's admins and coordinators add trainings and set staff targets."""
    return can_manage_staff(viewer, programme.organisation_id)


def roster_organisation(viewer: Viewer, programme_slug: str) -> tuple[Programme, Organisation] | None:
    """The programme and the organisation whose roster the page shows: the viewer's current one, if
    the viewer is its admin, coordinator or evaluator and it runs the programme; else None (404)."""
    organisation = viewer.organisation
    if organisation is None or not viewer.memberships(STAFF_ROLES).filter(organisation=organisation).exists():
        return None
    programme = programmes_visible_to(viewer).select_related("organisation").filter(slug=programme_slug).first()
    if programme is None or not runs_programme(programme, organisation.pk):
        return None
    return programme, organisation


def unit_for_roster(viewer: Viewer, unit_uuid: Any) -> DeliveryUnit | None:
    """A unit the viewer sees, if the viewer is an admin, coordinator or evaluator of an
    organisation running its programme; else None (404). The page lists only the people the viewer
    may see (their own organisation's); its counts and warning hold no personal data."""
    unit = units_visible_to(viewer).select_related("programme", "organisation").filter(uuid=unit_uuid).first()
    if unit is None:
        return None
    for membership in viewer.memberships(STAFF_ROLES):
        if runs_programme(unit.programme, membership.organisation_id):
            return unit
    return None


def member_for(viewer: Viewer, member_uuid: Any) -> StaffMember | None:
    return (
        staff_visible_to(viewer)
        .select_related("programme", "organisation", "user")
        .prefetch_related("units", _records())
        .filter(uuid=member_uuid)
        .first()
    )


def record_for(viewer: Viewer, record_uuid: Any) -> TrainingRecord | None:
    return (
        training_records_visible_to(viewer)
        .select_related("training", "member__programme", "member__organisation")
        .filter(uuid=record_uuid)
        .first()
    )


# --- The rows of the pages ---------------------------------------------------------------------


def _records() -> Prefetch[Any]:
    return Prefetch("training_records", TrainingRecord.objects.select_related("training"))


def _by_name(members: Iterable[StaffMember]) -> list[StaffMember]:
    # The name is ciphertext in the database: sorted here, after decrypting.
    return sorted(members, key=lambda member: (member.name.casefold(), member.pk))


def roster(
    viewer: Viewer, programme: Programme, organisation: Organisation, *, archived: bool = False
) -> list[StaffMember]:
    """The organisation's staff in the programme, by name: those on the roster, or those archived."""
    members = (
        staff_visible_to(viewer)
        .filter(programme=programme, organisation=organisation, archived_at__isnull=not archived)
        .prefetch_related(Prefetch("units", DeliveryUnit.objects.order_by("name")), _records())
    )
    return _by_name(members)


def unit_roster(viewer: Viewer, unit: DeliveryUnit) -> list[StaffMember]:
    """Those on the roster who work in the unit and whom the viewer may see, by name."""
    members = (
        staff_visible_to(viewer)
        .filter(units=unit, archived_at__isnull=True)
        .prefetch_related(Prefetch("units", DeliveryUnit.objects.order_by("name")), _records())
    )
    return _by_name(members)


def trainings_of(programme: Programme) -> QuerySet[Training]:
    return Training.objects.filter(programme=programme)


def member_history(member: StaffMember) -> list[Any]:
    """The member's changes, newest first (who, when, why); the values stay encrypted at rest."""
    return list(member.history.select_related("history_user").order_by("-history_date", "-history_id")[:50])


def record_history(record: TrainingRecord) -> list[Any]:
    return list(record.history.select_related("history_user").order_by("-history_date", "-history_id")[:20])


def users_to_link(organisation: Organisation) -> QuerySet[Any]:
    """The organisation's members a staff record may be linked to (those who sign in)."""
    from pilotti.accounts.models import User

    return (
        User.objects.filter(memberships__organisation=organisation, memberships__is_active=True)
        .distinct()
        .order_by("full_name", "email")
    )


def units_for(programme: Programme, organisation: Organisation) -> QuerySet[DeliveryUnit]:
    """The organisation's units of the programme, which its staff may work in."""
    return DeliveryUnit.objects.filter(programme=programme, organisation=organisation, archived_at__isnull=True)


def trained(member: StaffMember, day: date) -> bool:
    """Whether a completed training of the member holds on ``day`` (uses the prefetched records)."""
    return any(record.holds_on(day) for record in member.training_records.all())


# --- Counts, with no personal data -------------------------------------------------------------


def _trained_on(day: date, training: Training | None = None, prefix: str = "") -> Q:
    condition = Q(
        **{
            f"{prefix}training_records__completed": True,
            f"{prefix}training_records__trained_on__lte": day,
        }
    ) & (
        Q(**{f"{prefix}training_records__valid_until__isnull": True})
        | Q(**{f"{prefix}training_records__valid_until__gte": day})
    )
    if training is not None:
        condition &= Q(**{f"{prefix}training_records__training": training})
    return condition


def trained_staff_by_unit(
    units: Iterable[DeliveryUnit] | QuerySet[DeliveryUnit], *, on: date, training: Training | None = None
) -> dict[int, int]:
    """How many people on the roster (not archived) work in each unit and hold a completed training
    on ``on`` (the given one, or any of the programme's), by unit id; a unit with none is 0.

    For the fidelity table ("trained facilitators per unit") and the unit's warning. Counts only:
    the caller passes units it already lets the viewer see. One query.
    """
    unit_ids = [unit.pk for unit in units]
    counts = dict.fromkeys(unit_ids, 0)
    members = (
        StaffMember.objects.filter(archived_at__isnull=True, units__in=unit_ids)
        .filter(_trained_on(on, training))
        .values_list("units", "pk")
        .distinct()
    )
    seen: set[tuple[int, int]] = set()
    for unit_id, member_id in members:
        if unit_id in counts and (unit_id, member_id) not in seen:
            seen.add((unit_id, member_id))
            counts[unit_id] += 1
    return counts


def roles_without_trained_person(unit: DeliveryUnit, *, on: date) -> list[str]:
    """The programme's planned facilitator roles with nobody trained in that role in the unit, as
    labels: the unit page warns about them. Empty when the programme trains nobody (no training)."""
    planned = list(unit.programme.facilitator_roles)
    if not planned or not Training.objects.filter(programme_id=unit.programme_id).exists():
        return []
    covered = set(
        StaffMember.objects.filter(archived_at__isnull=True, units=unit, role__in=planned)
        .filter(_trained_on(on))
        .values_list("role", flat=True)
    )
    labels = dict(FacilitatorRole.choices)
    return [str(labels.get(role, role)) for role in planned if role not in covered]


@dataclass(frozen=True)
class TargetRow:
    role: str
    label: str
    target: int
    on_roster: int
    trained: int


def staff_target_rows(programme: Programme, *, on: date) -> list[TargetRow]:
    """Each staff target with how many people of the role are on the rosters of every organisation
    running the programme, and how many of them are trained on ``on``. Counts only."""
    targets = list(StaffTarget.objects.filter(programme=programme))
    if not targets:
        return []
    active = StaffMember.objects.filter(programme=programme, archived_at__isnull=True)
    on_roster: dict[str, int] = defaultdict(int)
    for role in active.values_list("role", flat=True):
        on_roster[role] += 1
    trained_count: dict[str, int] = defaultdict(int)
    for trained_role, _member in active.filter(_trained_on(on)).values_list("role", "pk").distinct():
        trained_count[trained_role] += 1
    labels = dict(ROLE_CHOICES)
    return [
        TargetRow(t.role, str(labels.get(t.role, t.role)), t.target, on_roster[t.role], trained_count[t.role])
        for t in targets
    ]


def staff_targets(programme: Programme) -> dict[str, int]:
    return dict(StaffTarget.objects.filter(programme=programme).values_list("role", "target"))


def member_data(member: StaffMember) -> dict[str, Any]:
    """Everything kept about the person, for their data access request (GDPR Art. 15)."""
    return {
        "staff_member": {
            "name": member.name,
            "role": member.get_role_display(),
            "title": member.title,
            "phone": member.phone,
            "email": member.email,
            "organisation": member.organisation.name,
            "programme": member.programme.name,
            "units": [unit.name for unit in member.units.all()],
            "user_account": member.user.email if member.user else "",
            "added": member.created_at,
            "taken_off_the_roster": member.archived_at,
            "why": member.archive_reason,
        },
        "trainings": [
            {
                "training": record.training.name,
                "provider": record.training.provider,
                "date": record.trained_on,
                "trainer": record.trainer,
                "completed": record.completed,
                "certificate": record.certificate,
                "valid_until": record.valid_until,
            }
            for record in member.training_records.all()
        ],
        "history": [
            {
                "when": entry.history_date,
                "by": entry.history_user.email if entry.history_user else "",
                "why": entry.history_change_reason or "",
                "name": entry.name,
                "title": entry.title,
                "phone": entry.phone,
                "email": entry.email,
            }
            for entry in member.history.select_related("history_user").order_by("history_date", "history_id")
        ],
    }
