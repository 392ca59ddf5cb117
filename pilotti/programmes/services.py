"""Writes to programmes, sites and units. Each is one atomic action recording who did it.

A unit's meetings are pilotti.meetings': what changes a unit and its meetings together (creating a
unit with its schedule, ending it early, a new rule) is composed there, in ``meetings.services``.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import ProtectedError, QuerySet
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from pilotti.accounts.models import User
from pilotti.core.history import mark_history, save_with_history
from pilotti.organisations.models import Membership, Organisation, Role
from pilotti.programmes.models import (
    Adoption,
    CurriculumTopic,
    DeliveryUnit,
    Partnership,
    PartnershipInvitation,
    Programme,
    Site,
    TargetSegment,
    UnitBreak,
    UnitFacilitator,
)
from pilotti.programmes.selectors import FACILITATING_ROLES, is_draft_programme, is_draft_unit

RESERVED_SLUGS = {"new", "mine"}


@dataclass
class ProgrammeFields:
    name: str
    description: str = ""
    status: str = Programme.Status.PLANNED
    starts_on: date | None = None
    ends_on: date | None = None
    target_groups: str = ""
    meetings_min: int | None = None
    meetings_max: int | None = None
    frequency: str = "weekly"
    duration_minutes: int = 90
    mode: str = "in_person"
    facilitator_roles: list[str] = field(default_factory=list)
    interpreter_language: str = ""
    measurement_plan: str = ""
    absences_before_call: int = 2
    segments: list[tuple[str, int]] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)


def _free_slug(name: str, wanted: str = "") -> str:
    base = (wanted or slugify(name))[:70] or "programme"
    if base in RESERVED_SLUGS:
        base = f"{base}-programme"
    slug, n = base, 2
    while Programme.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _apply(programme: Programme, fields: ProgrammeFields) -> None:
    if fields.starts_on and fields.ends_on and fields.ends_on < fields.starts_on:
        raise ValidationError({"ends_on": _("The period ends before it starts. Choose a later end date.")})
    if fields.meetings_min and fields.meetings_max and fields.meetings_max < fields.meetings_min:
        raise ValidationError({"meetings_max": _("The most meetings is less than the fewest. Swap the numbers.")})
    for name in ProgrammeFields.__dataclass_fields__:
        if name not in {"segments", "topics"}:
            setattr(programme, name, getattr(fields, name))


def _replace_plan_lists(programme: Programme, fields: ProgrammeFields) -> None:
    programme.segments.all().delete()
    TargetSegment.objects.bulk_create(
        TargetSegment(programme=programme, position=i, name=name, target=target)
        for i, (name, target) in enumerate(fields.segments)
    )
    programme.topics.all().delete()
    CurriculumTopic.objects.bulk_create(
        CurriculumTopic(programme=programme, position=i, title=title) for i, title in enumerate(fields.topics)
    )


@transaction.atomic
def programme_create(
    *, actor: User | None, organisation: Organisation, fields: ProgrammeFields, slug: str = ""
) -> Programme:
    programme = Programme(organisation=organisation, slug=_free_slug(fields.name, slug))
    _apply(programme, fields)
    programme.full_clean()
    save_with_history(programme, actor=actor)
    _replace_plan_lists(programme, fields)
    return programme


@transaction.atomic
def programme_update(*, actor: User, programme: Programme, fields: ProgrammeFields) -> Programme:
    _apply(programme, fields)
    programme.full_clean()
    save_with_history(programme, actor=actor)
    _replace_plan_lists(programme, fields)
    return programme


def _refuse_owner(programme: Programme, organisation: Organisation) -> None:
    if organisation.pk == programme.organisation_id:
        raise ValidationError(_("%(organisation)s owns this programme already.") % {"organisation": organisation})


# --- Partnerships: the owner invites, the partner's admin accepts ----------------------------
# A partnership opens the partner's people to the owner's and the other partners' units and lists
# the partner in reports, so it needs both sides: until an admin of the invited organisation
# accepts, nothing changes for either (issue 19).


def _refuse_partner(programme: Programme, organisation: Organisation) -> None:
    _refuse_owner(programme, organisation)
    if programme.adoptions.filter(organisation=organisation).exists():
        raise ValidationError(_("%(organisation)s has adopted this programme.") % {"organisation": organisation})
    if programme.partnerships.filter(organisation=organisation).exists():
        raise ValidationError(_("%(organisation)s is a partner in this programme.") % {"organisation": organisation})


@transaction.atomic
def partner_invite(
    *, actor: User | None, programme: Programme, organisation: Organisation, answer_url: str = ""
) -> PartnershipInvitation:
    """Asks the organisation's admins whether it will be a partner, by e-mail too (``answer_url``:
    the page where they answer); asking again returns the open question without a second e-mail."""
    _refuse_partner(programme, organisation)
    pending = programme.partner_invitations.filter(
        organisation=organisation, status=PartnershipInvitation.Status.PENDING
    ).first()
    if pending is not None:
        return pending
    invitation = PartnershipInvitation(programme=programme, organisation=organisation, invited_by=actor)
    save_with_history(invitation, actor=actor, reason="partnership proposed")
    admins = list(
        Membership.objects.filter(organisation=organisation, role=Role.ADMIN, is_active=True).values_list(
            "user__email", flat=True
        )
    )
    if admins and answer_url:
        subject = _("%(owner)s asks %(organisation)s to be a partner in %(programme)s") % {
            "owner": programme.organisation.name,
            "organisation": organisation.name,
            "programme": programme.name,
        }
        body = _(
            "%(owner)s asks %(organisation)s to run the programme %(programme)s with it as a partner in "
            "Pilotti. Nothing changes until one of your organisation's admins accepts. Accept or decline "
            "here: %(url)s"
        ) % {
            "owner": programme.organisation.name,
            "organisation": organisation.name,
            "programme": programme.name,
            "url": answer_url,
        }
        transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, admins))
    return invitation


def _answer(invitation: PartnershipInvitation, actor: User | None, status: str, why: str) -> None:
    """Only an active admin of the invited organisation answers (None: the system, as in the demo)."""
    if (
        actor is not None
        and not Membership.objects.filter(
            user=actor, organisation=invitation.organisation_id, role=Role.ADMIN, is_active=True
        ).exists()
    ):
        raise PermissionDenied
    if invitation.status != PartnershipInvitation.Status.PENDING:
        raise ValidationError(_("This invitation has already been answered."))
    invitation.status = status
    invitation.answered_by = actor
    invitation.answered_at = timezone.now()
    invitation.why = why.strip()[:300]
    save_with_history(invitation, actor=actor, reason=f"partnership {status}")


@transaction.atomic
def partner_invitation_accept(*, actor: User | None, invitation: PartnershipInvitation) -> Partnership:
    _answer(invitation, actor, PartnershipInvitation.Status.ACCEPTED, "")
    _refuse_partner(invitation.programme, invitation.organisation)  # it may have adopted it meanwhile
    partnership = Partnership(programme=invitation.programme, organisation=invitation.organisation)
    return save_with_history(partnership, actor=actor, reason="invitation accepted")


@transaction.atomic
def partner_invitation_decline(*, actor: User | None, invitation: PartnershipInvitation, why: str = "") -> None:
    _answer(invitation, actor, PartnershipInvitation.Status.DECLINED, why)


@transaction.atomic
def partner_add(*, actor: User | None, programme: Programme, organisation: Organisation) -> Partnership:
    """A partnership both sides agreed outside Pilotti (the demo, tests): invited and accepted at once.
    ``actor`` must be an admin of the partner, as for an answer on the page."""
    invitation = partner_invite(actor=actor, programme=programme, organisation=organisation)
    return partner_invitation_accept(actor=actor, invitation=invitation)


@transaction.atomic
def adoption_add(
    *, actor: User | None, programme: Programme, organisation: Organisation, adopted_on: date | None = None
) -> Adoption:
    _refuse_owner(programme, organisation)
    if programme.partnerships.filter(organisation=organisation).exists():
        raise ValidationError(_("%(organisation)s is a partner in this programme.") % {"organisation": organisation})
    adoption, _created = Adoption.objects.get_or_create(
        programme=programme, organisation=organisation, defaults={"adopted_on": adopted_on}
    )
    return adoption


@transaction.atomic
def site_create(
    *,
    actor: User | None,
    programme: Programme,
    organisation: Organisation,
    name: str,
    is_remote: bool = False,
    street_address: str = "",
    municipality: str = "",
    accessibility_notes: str = "",
) -> Site:
    refuse_if_archived(programme, message=archived_message("units"))
    if Site.objects.filter(programme=programme, organisation=organisation, name=name).exists():
        raise ValidationError({"name": _("You already have a site called %(name)s here.") % {"name": name}})
    site = Site(
        programme=programme,
        organisation=organisation,
        name=name,
        is_remote=is_remote,
        street_address=street_address,
        municipality=municipality,
        accessibility_notes=accessibility_notes,
    )
    site.full_clean()
    site.save()
    return site


@transaction.atomic
def unit_create(
    *,
    actor: User | None,
    programme: Programme,
    organisation: Organisation,
    name: str,
    kind: str = DeliveryUnit.Kind.GROUP,
    site: Site | None = None,
    capacity: int | None = None,
    minimum_size: int | None = None,
    languages: str = "",
    interpreter_language: str = "",
    duration_minutes: int = 90,
    breaks: Iterable[tuple[date, date]] = (),
) -> DeliveryUnit:
    """Creates the unit and its breaks (first and last day of each). Its meetings come from its
    schedule: ``meetings.services.unit_create`` creates both."""
    refuse_if_archived(programme, message=archived_message("units"))
    if site is not None and site.is_archived:
        raise ValidationError({"site": archived_message("site") % {"name": site.name}})
    if site is not None and (site.programme_id != programme.pk or site.organisation_id != organisation.pk):
        raise ValidationError({"site": _("Choose one of your own sites of this programme.")})
    if capacity and minimum_size and minimum_size > capacity:
        raise ValidationError({"minimum_size": _("The minimum size is larger than the capacity.")})
    unit = DeliveryUnit(
        programme=programme,
        organisation=organisation,
        site=site,
        kind=kind,
        name=name,
        capacity=capacity,
        minimum_size=minimum_size,
        languages=languages,
        interpreter_language=interpreter_language,
        duration_minutes=duration_minutes,
    )
    unit.full_clean()
    save_with_history(unit, actor=actor)
    UnitBreak.objects.bulk_create(UnitBreak(unit=unit, first=first, last=last) for first, last in breaks)
    return unit


@transaction.atomic
def unit_schedule_set(
    *, actor: User | None, unit: DeliveryUnit, first: date, breaks: Iterable[tuple[date, date]], duration_minutes: int
) -> DeliveryUnit:
    """A new schedule's part of the unit: its breaks from ``first`` on and its meetings' length.
    Breaks that ended before ``first`` belong to the meetings that stay."""
    unit.breaks.filter(last__gte=first).delete()
    UnitBreak.objects.bulk_create(
        UnitBreak(unit=unit, first=start, last=last) for start, last in breaks if last >= first
    )
    unit.duration_minutes = duration_minutes
    return save_with_history(unit, actor=actor, reason="schedule changed")


ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    DeliveryUnit.Status.PLANNED: {
        DeliveryUnit.Status.RECRUITING,
        DeliveryUnit.Status.RUNNING,
        DeliveryUnit.Status.CANCELLED,
    },
    DeliveryUnit.Status.RECRUITING: {DeliveryUnit.Status.RUNNING, DeliveryUnit.Status.CANCELLED},
    DeliveryUnit.Status.RUNNING: {DeliveryUnit.Status.COMPLETED, DeliveryUnit.Status.DISCONTINUED},
    DeliveryUnit.Status.COMPLETED: set(),
    DeliveryUnit.Status.DISCONTINUED: set(),
    DeliveryUnit.Status.CANCELLED: set(),
}
ENDINGS_WITH_REASON = {DeliveryUnit.Status.DISCONTINUED, DeliveryUnit.Status.CANCELLED}


@transaction.atomic
def unit_change_status(
    *,
    actor: User | None,
    unit: DeliveryUnit,
    status: str,
    on: date | None = None,
    reason: str = "",
    replacement: DeliveryUnit | None = None,
) -> DeliveryUnit:
    """Moves the unit along planned → recruiting → running → completed, or ends it early.

    Ending early (discontinued, cancelled) needs a reason. The unit's meetings after that date are
    cancelled with the same reason by ``meetings.services.unit_change_status``, which calls this.
    """
    old, new = DeliveryUnit.Status(unit.status), DeliveryUnit.Status(status)
    if new not in ALLOWED_TRANSITIONS[old]:
        allowed = ", ".join(str(DeliveryUnit.Status(s).label) for s in sorted(ALLOWED_TRANSITIONS[old]))
        raise ValidationError(
            {
                "status": _("A %(old)s unit cannot become %(new)s. It can become: %(allowed)s.")
                % {"old": old.label, "new": new.label, "allowed": allowed or _("nothing; it has ended")}
            }
        )
    on = on or timezone.localdate()
    reason = reason.strip()
    if new in ENDINGS_WITH_REASON and not reason:
        raise ValidationError({"reason": _("Say why the unit ends early, e.g. too few participants.")})
    if replacement is not None and (
        replacement.pk == unit.pk
        or replacement.programme_id != unit.programme_id
        or replacement.organisation_id != unit.organisation_id
    ):
        raise ValidationError({"replacement": _("The replacement must be another of your units in this programme.")})
    unit.status = new
    unit.status_changed_on = on
    unit.status_reason = reason
    if new in ENDINGS_WITH_REASON:
        unit.replacement = replacement
    save_with_history(unit, actor=actor, reason=f"status {old} → {new}")
    return unit


@transaction.atomic
def facilitator_assign(*, actor: User | None, unit: DeliveryUnit, user: User, role: str) -> UnitFacilitator:
    members = Membership.objects.filter(user=user, organisation_id=unit.organisation_id, is_active=True)
    if not members.exists():
        raise ValidationError({"user": _("Only members of the organisation that runs the unit can facilitate it.")})
    if not members.filter(role__in=FACILITATING_ROLES).exists():
        raise ValidationError({"user": _("Only facilitators and coordinators can facilitate a unit.")})
    assignment, _created = UnitFacilitator.objects.update_or_create(unit=unit, user=user, defaults={"role": role})
    return assignment


@transaction.atomic
def facilitator_remove(*, actor: User | None, assignment: UnitFacilitator) -> None:
    assignment.delete()


# --- Correcting a unit after it was created ---------------------------------------------------
# A unit is set up before anyone knows the room, the interpreter or the autumn's holidays; all of
# it can change (what that changes in its meetings: ``meetings.services.unit_update``).


@transaction.atomic
def unit_update(
    *,
    actor: User | None,
    unit: DeliveryUnit,
    name: str,
    site: Site | None,
    capacity: int | None,
    minimum_size: int | None,
    languages: str,
    interpreter_language: str,
) -> DeliveryUnit:
    """Corrects the unit's details."""
    if site is not None and (site.programme_id != unit.programme_id or site.organisation_id != unit.organisation_id):
        raise ValidationError({"site": _("Choose one of your own sites of this programme.")})
    if site is not None and site.is_archived and site.pk != unit.site_id:
        raise ValidationError({"site": archived_message("site") % {"name": site.name}})
    if capacity and minimum_size and minimum_size > capacity:
        raise ValidationError({"minimum_size": _("The minimum size is larger than the capacity.")})
    unit.name, unit.site, unit.capacity, unit.minimum_size = name, site, capacity, minimum_size
    unit.languages, unit.interpreter_language = languages, interpreter_language
    unit.full_clean()
    return save_with_history(unit, actor=actor, reason="edited")


@transaction.atomic
def organisation_unlink(*, actor: User | None, programme: Programme, organisation: Organisation, why: str) -> None:
    """Removes a partner or an adopter, so that its members stop seeing the programme.

    Refused while it runs units or holds enrolments in the programme: those are its own data,
    and removing the link would hide them from the organisation that keeps them.
    """
    link: Partnership | Adoption | None = (
        programme.partnerships.filter(organisation=organisation).first()
        or programme.adoptions.filter(organisation=organisation).first()
    )
    if link is None:
        raise ValidationError(_("%(organisation)s is not linked to this programme.") % {"organisation": organisation})
    if (
        programme.units.filter(organisation=organisation).exists()
        or programme.enrolments.filter(organisation=organisation).exists()
    ):
        raise ValidationError(
            _(
                "%(organisation)s runs units or has enrolments in this programme. Its units and its people's "
                "data stay its own, so it stays linked; end its units first, or ask it to."
            )
            % {"organisation": organisation}
        )
    if not why.strip():
        raise ValidationError({"why": _("Say why: the programme's history keeps it.")})
    mark_history(link, actor=actor, reason=why.strip()[:100])
    link.delete()


# --- Deleting drafts -----------------------------------------------------------------------------
# A unit or a programme set up by mistake or as a test goes away for good while nothing has
# happened in it; once people or meetings are in it, it is cancelled or closed instead (its status),
# so that its history and what was recorded stay.


def _refuse_deleting(name: str) -> None:
    raise ValidationError(
        _(
            "%(name)s has people or held meetings, so it cannot be deleted. "
            "Change its status instead; its history stays."
        )
        % {"name": name}
    )


@transaction.atomic
def unit_delete_draft(*, actor: User | None, unit: DeliveryUnit) -> None:
    if not is_draft_unit(unit):
        _refuse_deleting(unit.name)
    mark_history(unit, actor=actor, reason="draft deleted")
    try:
        unit.delete()
    except ProtectedError:
        _refuse_deleting(unit.name)


@transaction.atomic
def programme_delete_draft(*, actor: User | None, programme: Programme) -> None:
    if not is_draft_programme(programme):
        raise ValidationError(
            _("%(name)s has units or people, so it cannot be deleted. Delete its draft units first, or close it.")
            % {"name": programme.name}
        )
    mark_history(programme, actor=actor, reason="draft deleted")
    try:
        programme.delete()
    except ProtectedError:
        _refuse_deleting(programme.name)


# --- Archiving -----------------------------------------------------------------------------------
# What has data cannot be deleted; it is archived instead: hidden from lists, kept with its history,
# restorable. An archived programme, unit or site takes nothing new (units, meetings, enrolments).


def refuse_if_archived(*items: Programme | Site | DeliveryUnit | None, message: str) -> None:
    """Refuses with ``message`` (which names the item as %(name)s) when one of the items is archived."""
    for item in items:
        if item is not None and item.is_archived:
            raise ValidationError(message % {"name": item.name})


def archived_message(what: str) -> str:
    """The refusal for adding ``what`` ("enrolments", "meetings" or "units") to an archived item."""
    messages = {
        "enrolments": _("%(name)s is archived and takes no new enrolments. Restore it on its page, or choose another."),
        "meetings": _("%(name)s is archived and takes no new meetings. Restore it on its page first."),
        "units": _("%(name)s is archived and takes no new units or sites. Restore it on its page first."),
        "site": _("The site %(name)s is archived. Choose another site, or restore it on the programme's page."),
    }
    return messages[what]


def _archive(item: Programme | Site | DeliveryUnit, *, actor: User | None, why: str) -> None:
    if item.is_archived:
        raise ValidationError(_("%(name)s is already archived.") % {"name": item.name})
    if not why.strip():
        raise ValidationError({"why": _("Say why it is archived: its history keeps it.")})
    item.archived_at = timezone.now()
    item.archive_reason = why.strip()[:300]
    save_with_history(item, actor=actor, reason="archived")


def _unarchive(item: Programme | Site | DeliveryUnit, *, actor: User | None) -> None:
    if not item.is_archived:
        raise ValidationError(_("%(name)s is not archived.") % {"name": item.name})
    item.archived_at = None
    item.archive_reason = ""
    save_with_history(item, actor=actor, reason="restored from the archive")


def _open_units(units: QuerySet[DeliveryUnit]) -> QuerySet[DeliveryUnit]:
    closed = (DeliveryUnit.Status.COMPLETED, DeliveryUnit.Status.DISCONTINUED, DeliveryUnit.Status.CANCELLED)
    return units.filter(archived_at__isnull=True).exclude(status__in=closed)


@transaction.atomic
def programme_archive(*, actor: User | None, programme: Programme, why: str) -> Programme:
    """Refused while a unit of the programme is still planned, recruiting or running: its meetings
    and reminders would go on under a programme nobody sees in the list."""
    open_units = _open_units(programme.units.all())
    own = [unit.name for unit in open_units.filter(organisation_id=programme.organisation_id)]
    others = open_units.exclude(organisation_id=programme.organisation_id).count()
    if own or others:
        names = ", ".join(own) if own else ""
        if others:
            names = (names + "; " if names else "") + _("%(n)d of other organisations") % {"n": others}
        raise ValidationError(
            _(
                "Units of the programme are still planned, recruiting or running (%(units)s). End them with "
                "their status, or archive them, first."
            )
            % {"units": names}
        )
    _archive(programme, actor=actor, why=why)
    return programme


@transaction.atomic
def programme_unarchive(*, actor: User | None, programme: Programme) -> Programme:
    _unarchive(programme, actor=actor)
    return programme


@transaction.atomic
def unit_archive(*, actor: User | None, unit: DeliveryUnit, why: str) -> DeliveryUnit:
    """Only an ended unit is archived: a live one would keep meeting and sending reminders unseen."""
    if not unit.is_closed:
        raise ValidationError(
            _(
                "%(name)s is still %(status)s. Change its status to completed, discontinued or cancelled "
                "first; then archive it."
            )
            % {"name": unit.name, "status": unit.get_status_display()}
        )
    _archive(unit, actor=actor, why=why)
    return unit


@transaction.atomic
def unit_unarchive(*, actor: User | None, unit: DeliveryUnit) -> DeliveryUnit:
    refuse_if_archived(unit.programme, message=_("The programme %(name)s is archived. Restore the programme first."))
    _unarchive(unit, actor=actor)
    return unit


@transaction.atomic
def site_archive(*, actor: User | None, site: Site, why: str) -> Site:
    """The site leaves the list and the choices for new units; units that meet there keep it."""
    _archive(site, actor=actor, why=why)
    return site


@transaction.atomic
def site_unarchive(*, actor: User | None, site: Site) -> Site:
    refuse_if_archived(site.programme, message=_("The programme %(name)s is archived. Restore the programme first."))
    _unarchive(site, actor=actor)
    return site


@transaction.atomic
def site_delete_draft(*, actor: User | None, site: Site) -> None:
    """A site no unit uses goes for good; one in use is refused with the units that use it."""
    users = list(site.units.values_list("name", flat=True).order_by("name"))
    if users:
        raise ValidationError(
            _("%(site)s is the site of %(units)s, so it cannot be deleted. Archive it instead; the units keep it.")
            % {"site": site.name, "units": ", ".join(users)}
        )
    mark_history(site, actor=actor, reason="draft deleted")
    site.delete()
