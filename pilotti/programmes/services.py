"""Writes to programmes, sites, units and meetings. Each is one atomic action recording who did it."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from pilotti.accounts.models import User
from pilotti.core.zone import HELSINKI
from pilotti.organisations.models import Membership, Organisation
from pilotti.programmes.models import (
    Adoption,
    CurriculumTopic,
    DeliveryUnit,
    Meeting,
    Partnership,
    Programme,
    Site,
    TargetSegment,
    UnitBreak,
    UnitFacilitator,
)
from pilotti.programmes.schedule import ScheduleRule, generate

# Meetings happen in Finland: wall-clock times are Helsinki times, whatever the server's zone.
RESERVED_SLUGS = {"new", "mine"}


def helsinki(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=HELSINKI)


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
    programme._history_user = actor  # type: ignore[attr-defined]
    programme.save()
    _replace_plan_lists(programme, fields)
    return programme


@transaction.atomic
def programme_update(*, actor: User, programme: Programme, fields: ProgrammeFields) -> Programme:
    _apply(programme, fields)
    programme.full_clean()
    programme._history_user = actor  # type: ignore[attr-defined]
    programme.save()
    _replace_plan_lists(programme, fields)
    return programme


def _refuse_owner(programme: Programme, organisation: Organisation) -> None:
    if organisation.pk == programme.organisation_id:
        raise ValidationError(_("%(organisation)s owns this programme already.") % {"organisation": organisation})


@transaction.atomic
def partner_add(*, actor: User | None, programme: Programme, organisation: Organisation) -> Partnership:
    _refuse_owner(programme, organisation)
    if programme.adoptions.filter(organisation=organisation).exists():
        raise ValidationError(_("%(organisation)s has adopted this programme.") % {"organisation": organisation})
    partnership, _created = Partnership.objects.get_or_create(programme=programme, organisation=organisation)
    return partnership


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
    schedule: ScheduleRule,
    start_time: time,
    kind: str = DeliveryUnit.Kind.GROUP,
    site: Site | None = None,
    capacity: int | None = None,
    minimum_size: int | None = None,
    languages: str = "",
    interpreter_language: str = "",
    duration_minutes: int = 90,
) -> DeliveryUnit:
    """Creates the unit, its breaks and its generated meetings (ScheduleError if the rule is wrong)."""
    if site is not None and (site.programme_id != programme.pk or site.organisation_id != organisation.pk):
        raise ValidationError({"site": _("Choose one of your own sites of this programme.")})
    if capacity and minimum_size and minimum_size > capacity:
        raise ValidationError({"minimum_size": _("The minimum size is larger than the capacity.")})
    planned = generate(schedule)
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
    unit._history_user = actor  # type: ignore[attr-defined]
    unit.save()
    UnitBreak.objects.bulk_create(UnitBreak(unit=unit, first=b.first, last=b.last) for b in schedule.breaks)
    bulk_create_with_history(
        [
            Meeting(
                unit=unit,
                starts_at=helsinki(day, start_time),
                duration_minutes=duration_minutes,
                interpreter_language=interpreter_language,
            )
            for day in planned.dates
        ],
        Meeting,
        default_user=actor,
        default_change_reason="generated",
    )
    return unit


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

    Ending early (discontinued, cancelled) needs a reason; meetings after that date are
    cancelled with the same reason.
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
        for meeting in unit.meetings.filter(status=Meeting.Status.SCHEDULED, starts_at__gt=helsinki(on, time.max)):
            _cancel(actor, meeting, reason)
    unit._history_user = actor  # type: ignore[attr-defined]
    unit._change_reason = f"status {old} → {new}"  # type: ignore[attr-defined]
    unit.save()
    return unit


@transaction.atomic
def facilitator_assign(*, actor: User | None, unit: DeliveryUnit, user: User, role: str) -> UnitFacilitator:
    if not Membership.objects.filter(user=user, organisation_id=unit.organisation_id, is_active=True).exists():
        raise ValidationError({"user": _("Only members of the organisation that runs the unit can facilitate it.")})
    assignment, _created = UnitFacilitator.objects.update_or_create(unit=unit, user=user, defaults={"role": role})
    return assignment


@transaction.atomic
def facilitator_remove(*, actor: User | None, assignment: UnitFacilitator) -> None:
    assignment.delete()


def _refuse_if_ended(unit: DeliveryUnit) -> None:
    if unit.is_closed:
        raise ValidationError(_("This unit has ended; its meetings can no longer be changed."))


@transaction.atomic
def meeting_add(
    *, actor: User | None, unit: DeliveryUnit, starts_at: datetime, duration_minutes: int | None = None
) -> Meeting:
    _refuse_if_ended(unit)
    meeting = Meeting(
        unit=unit,
        starts_at=starts_at,
        duration_minutes=duration_minutes or unit.duration_minutes,
        interpreter_language=unit.interpreter_language,
    )
    meeting._history_user = actor  # type: ignore[attr-defined]
    meeting._change_reason = "added"  # type: ignore[attr-defined]
    meeting.save()
    return meeting


@transaction.atomic
def meeting_move(
    *, actor: User | None, meeting: Meeting, starts_at: datetime, duration_minutes: int | None = None
) -> Meeting:
    _refuse_if_ended(meeting.unit)
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("A cancelled meeting cannot be moved. Add a new meeting instead."))
    if meeting.status == Meeting.Status.HELD:
        raise ValidationError(_("This meeting has been held; it cannot be moved."))
    if meeting.moved_from is None:
        meeting.moved_from = meeting.starts_at  # keep the original time, however often it moves
    meeting.starts_at = starts_at
    if duration_minutes:
        meeting.duration_minutes = duration_minutes
    meeting.sequence += 1
    meeting._history_user = actor  # type: ignore[attr-defined]
    meeting._change_reason = "moved"  # type: ignore[attr-defined]
    meeting.save()
    return meeting


def _cancel(actor: User | None, meeting: Meeting, reason: str) -> Meeting:
    meeting.status = Meeting.Status.CANCELLED
    meeting.cancel_reason = reason[:300]
    meeting.sequence += 1
    meeting._history_user = actor  # type: ignore[attr-defined]
    meeting._change_reason = "cancelled"  # type: ignore[attr-defined]
    meeting.save()
    return meeting


@transaction.atomic
def meeting_cancel(*, actor: User | None, meeting: Meeting, reason: str) -> Meeting:
    _refuse_if_ended(meeting.unit)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the meeting is cancelled; participants and facilitators see it.")})
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("This meeting is already cancelled."))
    if meeting.status == Meeting.Status.HELD:
        raise ValidationError(_("This meeting has been held; it cannot be cancelled."))
    return _cancel(actor, meeting, reason.strip())


# Recording what happened at a meeting (theme, notes, who was there, held) stays open after
# the unit has ended: it is usually written up after the last meeting. Moving and cancelling do not.


@transaction.atomic
def meeting_update(
    *,
    actor: User | None,
    meeting: Meeting,
    theme: str = "",
    remote_link: str = "",
    interpreter_language: str = "",
    notes: str = "",
    facilitators_present: Iterable[User] = (),
) -> Meeting:
    """Saves the meeting's details; those present must be among the unit's facilitators."""
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("This meeting is cancelled; its details can no longer be changed."))
    present = list(facilitators_present)
    allowed = set(meeting.unit.facilitators.values_list("user_id", flat=True))
    if any(user.pk not in allowed for user in present):
        raise ValidationError({"facilitators_present": _("Choose among the unit's facilitators.")})
    meeting.theme = theme.strip()[:200]
    meeting.remote_link = remote_link.strip()
    meeting.interpreter_language = interpreter_language.strip()[:100]
    meeting.notes = notes.strip()
    meeting.full_clean(exclude=["unit"])
    meeting._history_user = actor  # type: ignore[attr-defined]
    meeting._change_reason = "details"  # type: ignore[attr-defined]
    meeting.save()
    meeting.facilitators_present.set(present)
    return meeting


@transaction.atomic
def meeting_mark_held(*, actor: User | None, meeting: Meeting) -> Meeting:
    """Marks a scheduled meeting held, on or after its day (never ahead of time)."""
    if meeting.status != Meeting.Status.SCHEDULED:
        raise ValidationError(
            _("Only a scheduled meeting can be marked held; this one is %(status)s.")
            % {"status": meeting.get_status_display()}
        )
    day = meeting.starts_at.astimezone(HELSINKI).date()
    if day > timezone.now().astimezone(HELSINKI).date():
        raise ValidationError(
            _("This meeting is on %(date)s. You can mark it held on the day.")
            % {"date": date_format(day, "SHORT_DATE_FORMAT")}
        )
    meeting.status = Meeting.Status.HELD
    meeting._history_user = actor  # type: ignore[attr-defined]
    meeting._change_reason = "held"  # type: ignore[attr-defined]
    meeting.save()
    return meeting


@transaction.atomic
def meeting_unmark_held(*, actor: User | None, meeting: Meeting) -> Meeting:
    """Undoes a mistaken "held": the meeting is scheduled again."""
    if meeting.status != Meeting.Status.HELD:
        raise ValidationError(_("This meeting is not marked held."))
    meeting.status = Meeting.Status.SCHEDULED
    meeting._history_user = actor  # type: ignore[attr-defined]
    meeting._change_reason = "held undone"  # type: ignore[attr-defined]
    meeting.save()
    return meeting
