"""Writes to enrolments. Every stage change is one atomic action that keeps a StageChange row."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pilotti.accounts.models import User
from pilotti.people.models import Household, Participant
from pilotti.programmes.models import DeliveryUnit, Programme
from pilotti.recruitment.models import EXITS, FINAL, HOLDS_PLACE, PATH, Enrolment, Stage, StageChange

DATE_FIELDS = {
    Stage.CONTACTED: "contacted_on",
    Stage.INTERESTED: "interested_on",
    Stage.WAITING: "waitlisted_on",
    Stage.ENROLLED: "enrolled_on",
    Stage.STARTED: "started_on",
    Stage.COMPLETED: "completed_on",
}


def _position(stage: str) -> int:
    """Where a stage sits on the main path; the waiting list sits between interested and enrolled."""
    if stage == Stage.WAITING:
        return PATH.index(Stage.INTERESTED)
    return PATH.index(Stage(stage))


def allowed_next(enrolment: Enrolment) -> list[Stage]:
    """The stages this enrolment can move to now, in the order they are offered."""
    if enrolment.stage in FINAL:
        return []
    here = _position(enrolment.stage)
    forward = [stage for stage in PATH if PATH.index(stage) > here]
    if enrolment.stage in (Stage.CONTACTED, Stage.INTERESTED) and enrolment.unit_id is not None:
        forward.insert(forward.index(Stage.ENROLLED), Stage.WAITING)
    return [*forward, *EXITS]


def _refusal(enrolment: Enrolment, to: str) -> str:
    here, there = Stage(enrolment.stage).label, Stage(to).label
    if enrolment.stage in FINAL:
        return _("This enrolment has ended (%(stage)s). To take the person in again, start a new enrolment.") % {
            "stage": here
        }
    if to == enrolment.stage:
        return _("The enrolment is already %(stage)s.") % {"stage": here}
    if to == Stage.WAITING:
        return _("Only someone contacted or interested, with a unit chosen, can be put on the waiting list.")
    return _("A person who is %(here)s cannot be marked %(there)s: stages only move forward.") % {
        "here": here,
        "there": there,
    }


def _check_unit_has_room(unit: DeliveryUnit, enrolment: Enrolment | None) -> None:
    taken = Enrolment.objects.filter(unit=unit, stage__in=HOLDS_PLACE)
    if enrolment is not None and enrolment.pk:
        taken = taken.exclude(pk=enrolment.pk)
    if unit.capacity is not None and taken.count() >= unit.capacity:
        raise ValidationError(
            _(
                "%(unit)s is full (%(taken)d of %(capacity)d places). Put the person on the waiting list, "
                "or choose another unit."
            )
            % {"unit": unit.name, "taken": taken.count(), "capacity": unit.capacity}
        )


def _check_unit(programme: Programme, unit: DeliveryUnit | None, organisation_id: int) -> None:
    if unit is None:
        return
    if unit.programme_id != programme.pk:
        raise ValidationError({"unit": _("Choose a unit of this programme.")})
    if unit.organisation_id != organisation_id:
        raise ValidationError({"unit": _("Choose one of your own organisation's units.")})


def _check_segment(programme: Programme, segment: str) -> None:
    names = list(programme.segments.values_list("name", flat=True))
    if segment and names and segment not in names:
        raise ValidationError(
            {"segment": _("Choose one of the programme's segments: %(names)s.") % {"names": ", ".join(names)}}
        )


@dataclass
class EnrolmentFields:
    programme: Programme
    referral_source: str
    contacted_on: date
    unit: DeliveryUnit | None = None
    segment: str = ""


@transaction.atomic
def enrolment_create(
    *,
    actor: User | None,
    fields: EnrolmentFields,
    participant: Participant | None = None,
    household: Household | None = None,
) -> Enrolment:
    who = participant or household
    if who is None or (participant is not None and household is not None):
        raise ValidationError(_("Enrol either a participant or a household."))
    _check_unit(fields.programme, fields.unit, who.organisation_id)
    _check_segment(fields.programme, fields.segment)
    open_enrolments = Enrolment.objects.filter(
        programme=fields.programme, participant=participant, household=household
    ).exclude(stage__in=FINAL)
    if open_enrolments.exists():
        raise ValidationError(
            _("%(who)s is already on their way into this programme. Move that enrolment on instead.")
            % {"who": who.code}
        )
    enrolment = Enrolment(
        organisation_id=who.organisation_id,
        programme=fields.programme,
        unit=fields.unit,
        participant=participant,
        household=household,
        referral_source=fields.referral_source,
        segment=fields.segment,
        stage=Stage.CONTACTED,
        contacted_on=fields.contacted_on,
    )
    enrolment.full_clean()
    enrolment._history_user = actor  # type: ignore[attr-defined]
    enrolment.save()
    StageChange.objects.create(
        enrolment=enrolment, to_stage=Stage.CONTACTED, on=fields.contacted_on, unit=fields.unit, changed_by=actor
    )
    return enrolment


@transaction.atomic
def enrolment_transition(
    *,
    actor: User | None,
    enrolment: Enrolment,
    to: str,
    on: date,
    reason: str = "",
    unit: DeliveryUnit | None = None,
) -> Enrolment:
    """Moves the enrolment forward (skipped stages get the same day) or out, with a clear refusal otherwise.

    ``unit`` moves the enrolment to another unit of the programme, e.g. off the waiting list
    into a group that has room; the old unit stays in the stage history.
    """
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if to not in allowed_next(enrolment):
        raise ValidationError(_refusal(enrolment, to))
    last = max(d for d in (getattr(enrolment, f) for f in (*DATE_FIELDS.values(), "ended_on")) if d is not None)
    if on < last:
        raise ValidationError(
            _("The date is before the previous step (%(date)s). Choose %(date)s or later.")
            % {"date": date_format(last, "SHORT_DATE_FORMAT")}
        )
    if to == Stage.DROPPED_OUT and not reason.strip():
        raise ValidationError(_("Write why the person dropped out: it guides how the programme is improved."))
    if unit is not None and unit.pk != enrolment.unit_id:
        _check_unit(enrolment.programme, unit, enrolment.organisation_id)
        enrolment.unit = unit
    if to in HOLDS_PLACE and enrolment.stage not in HOLDS_PLACE and enrolment.unit is not None:
        _check_unit_has_room(enrolment.unit, enrolment)
    previous = enrolment.stage
    if to in EXITS:
        enrolment.ended_on, enrolment.end_reason = on, reason.strip()
    else:
        for stage in PATH[: PATH.index(Stage(to)) + 1] if to != Stage.WAITING else [Stage.INTERESTED, Stage.WAITING]:
            if getattr(enrolment, DATE_FIELDS[stage]) is None:
                setattr(enrolment, DATE_FIELDS[stage], on)
    enrolment.stage = to
    enrolment._history_user = actor  # type: ignore[attr-defined]
    enrolment.save()
    StageChange.objects.create(
        enrolment=enrolment,
        from_stage=previous,
        to_stage=to,
        on=on,
        unit=enrolment.unit,
        reason=reason.strip(),
        changed_by=actor,
    )
    return enrolment
