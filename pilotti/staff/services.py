"""Writes to staff rosters, trainings and staff targets: each one atomic, its history row naming
who changed it and why. Nothing is lost by a correction: every earlier value stays in the history."""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pilotti.accounts.models import User
from pilotti.core.history import mark_history, save_with_history
from pilotti.organisations.models import Organisation
from pilotti.programmes.models import DeliveryUnit, Programme
from pilotti.staff.models import ROLE_CHOICES, StaffMember, StaffTarget, Training, TrainingRecord


@dataclass(frozen=True)
class MemberFields:
    name: str
    role: str
    title: str = ""
    phone: str = ""
    email: str = ""
    units: list[DeliveryUnit] = field(default_factory=list)
    user: User | None = None


@dataclass(frozen=True)
class RecordFields:
    training: Training
    trained_on: date
    trainer: str = ""
    completed: bool = True
    certificate: str = ""
    valid_until: date | None = None


def _check_member(programme: Programme, organisation: Organisation, fields: MemberFields) -> None:
    if not fields.name.strip():
        raise ValidationError({"name": _("Write the person's name.")})
    if fields.role not in dict(ROLE_CHOICES):
        raise ValidationError({"role": _("Choose a role from the list.")})
    for unit in fields.units:
        if unit.programme_id != programme.pk or unit.organisation_id != organisation.pk:
            raise ValidationError({"units": _("Choose units your organisation runs in this programme.")})
    if fields.user is not None and not fields.user.memberships.filter(organisation=organisation).exists():
        raise ValidationError({"user": _("Link only an account of your organisation's members.")})


def _apply(member: StaffMember, fields: MemberFields) -> None:
    member.name = fields.name.strip()
    member.role = fields.role
    member.title = fields.title.strip()
    member.phone = fields.phone.strip()
    member.email = fields.email.strip()
    member.user = fields.user


@transaction.atomic
def staff_member_add(
    *, actor: User | None, programme: Programme, organisation: Organisation, fields: MemberFields, reason: str = ""
) -> StaffMember:
    """Adds a person to the organisation's roster for the programme."""
    if programme.is_archived:
        raise ValidationError(_("The programme is archived: restore it before adding staff."))
    _check_member(programme, organisation, fields)
    member = StaffMember(programme=programme, organisation=organisation, created_by=actor)
    _apply(member, fields)
    save_with_history(member, actor=actor, reason=reason)
    member.units.set(fields.units)
    return member


@transaction.atomic
def staff_member_change(*, actor: User | None, member: StaffMember, fields: MemberFields, reason: str = "") -> None:
    """Corrects or updates a person's details and units; the earlier values stay in the history."""
    _check_member(member.programme, member.organisation, fields)
    _apply(member, fields)
    save_with_history(member, actor=actor, reason=reason)
    if {unit.pk for unit in fields.units} != set(member.units.values_list("pk", flat=True)):
        member.units.set(fields.units)


@transaction.atomic
def staff_member_archive(*, actor: User | None, member: StaffMember, reason: str) -> None:
    """Someone left: off the roster and out of the counts, kept with their trainings and history."""
    if member.is_archived:
        return
    if not reason.strip():
        raise ValidationError({"reason": _("Say why, e.g. that the person left the project.")})
    member.archived_at = timezone.now()
    member.archive_reason = reason.strip()
    save_with_history(member, actor=actor, reason=reason.strip())


@transaction.atomic
def staff_member_restore(*, actor: User | None, member: StaffMember, reason: str = "") -> None:
    if not member.is_archived:
        return
    member.archived_at = None
    member.archive_reason = ""
    save_with_history(member, actor=actor, reason=reason or _("Restored to the roster."))


@transaction.atomic
def training_add(
    *, actor: User | None, programme: Programme, name: str, provider: str = "", description: str = ""
) -> Training:
    """Adds one of the programme's trainings, e.g. Pakolaisapu's Kasvokkain facilitator training."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Name the training.")})
    if Training.objects.filter(programme=programme, name=name).exists():
        raise ValidationError({"name": _("The programme already has a training of that name.")})
    training = Training(programme=programme, name=name, provider=provider.strip(), description=description.strip())
    return save_with_history(training, actor=actor)


def _check_record(member: StaffMember, fields: RecordFields) -> None:
    if fields.training.programme_id != member.programme_id:
        raise ValidationError({"training": _("Choose one of the programme's trainings.")})
    if fields.valid_until is not None and fields.valid_until < fields.trained_on:
        raise ValidationError({"valid_until": _("The training cannot expire before it was given.")})


def _apply_record(record: TrainingRecord, fields: RecordFields) -> None:
    record.training = fields.training
    record.trained_on = fields.trained_on
    record.trainer = fields.trainer.strip()
    record.completed = fields.completed
    record.certificate = fields.certificate.strip()
    record.valid_until = fields.valid_until


@transaction.atomic
def training_record_add(
    *, actor: User | None, member: StaffMember, fields: RecordFields, reason: str = ""
) -> TrainingRecord:
    """Records that a staff member took (or completed) one of the programme's trainings."""
    _check_record(member, fields)
    record = TrainingRecord(member=member)
    _apply_record(record, fields)
    return save_with_history(record, actor=actor, reason=reason)


@transaction.atomic
def training_record_change(*, actor: User | None, record: TrainingRecord, fields: RecordFields, reason: str) -> None:
    """Corrects a training record; the earlier values stay in its history."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say what was wrong, for the history.")})
    _check_record(record.member, fields)
    _apply_record(record, fields)
    save_with_history(record, actor=actor, reason=reason.strip())


@transaction.atomic
def staff_targets_set(
    *, actor: User | None, programme: Programme, targets: dict[str, int | None], reason: str = ""
) -> int:
    """Sets how many people of each role the programme means to have (None: no target); returns
    how many targets changed."""
    current = {t.role: t for t in StaffTarget.objects.filter(programme=programme)}
    changed = 0
    for role, number in targets.items():
        target = current.get(role)
        if number is None:
            if target is not None:
                mark_history(target, actor=actor, reason=reason)
                target.delete()
                changed += 1
            continue
        if target is not None and target.target == number:
            continue
        target = target or StaffTarget(programme=programme, role=role)
        target.target = number
        save_with_history(target, actor=actor, reason=reason)
        changed += 1
    return changed


@transaction.atomic
def staff_member_erase(*, actor: User | None, member: StaffMember) -> None:
    """Erases what identifies the person (name, title, phone, e-mail, the linked account), in the
    row and in every history row, and takes them off the roster. Their trainings stay, tied to an
    anonymous row, so that past counts of trained staff do not change. Who erased and when is the
    last history row."""
    member.name = ""
    member.title = ""
    member.phone = ""
    member.email = ""
    member.user = None
    if not member.is_archived:
        member.archived_at = timezone.now()
    member.archive_reason = _("Erased on request.")
    save_with_history(member, actor=actor, reason=_("Erased on request."))
    member.history.update(name="", title="", phone="", email="", user=None, archive_reason="")
