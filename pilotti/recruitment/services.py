"""Writes to enrolments. Every stage change is one atomic action that keeps a StageChange row."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pilotti.accounts.models import User
from pilotti.core.history import save_with_history
from pilotti.people.models import Household, Participant
from pilotti.programmes.models import DeliveryUnit, Programme
from pilotti.programmes.services import archived_message, refuse_if_archived
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
    refuse_if_archived(fields.programme, fields.unit, message=archived_message("enrolments"))
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
    save_with_history(enrolment, actor=actor)
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
        refuse_if_archived(unit, message=archived_message("enrolments"))
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
    save_with_history(enrolment, actor=actor)
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


# --- Corrections -------------------------------------------------------------------------------
# A wrong date or a step taken by mistake must not lock an enrolment (a contact date typed a year
# ahead refused every later step). A correction changes the step and the enrolment's dates, and
# keeps the old values in its own StageChange row; an undo steps back and keeps the undone step.


def effective_steps(enrolment: Enrolment) -> list[StageChange]:
    """The steps that stand, in order: not corrections or undos themselves, and not undone."""
    return list(
        enrolment.changes.filter(kind=StageChange.Kind.STEP)
        .exclude(corrections__kind=StageChange.Kind.UNDO)
        .select_related("unit")
        .order_by("changed_at", "id")
    )


def _fields_set_by(step: StageChange) -> list[str]:
    """The enrolment's date fields this step filled in (skipped stages get the step's day)."""
    if not step.from_stage:
        return [DATE_FIELDS[Stage.CONTACTED]]
    if step.to_stage in EXITS:
        return ["ended_on"]
    start = _position(step.from_stage)
    last = Stage.INTERESTED if step.to_stage == Stage.WAITING else Stage(step.to_stage)
    stages = [stage for stage in PATH if start < PATH.index(stage) <= PATH.index(last)]
    if step.to_stage == Stage.WAITING:
        stages.append(Stage.WAITING)
    return [DATE_FIELDS[stage] for stage in stages]


def _why(why: str) -> str:
    if not why.strip():
        raise ValidationError({"why": _("Write why: the history shows it next to the correction.")})
    return why.strip()


def _check_between(steps: list[StageChange], step: StageChange, on: date) -> None:
    index = steps.index(step)
    before = steps[index - 1].on if index > 0 else None
    after = steps[index + 1].on if index + 1 < len(steps) else None
    if before is not None and on < before:
        message = _("The date is before the previous step (%(date)s). Choose %(date)s or later.")
        raise ValidationError({"on": message % {"date": date_format(before, "SHORT_DATE_FORMAT")}})
    if after is not None and on > after:
        message = _("The date is after the next step (%(date)s). Correct that step first, or choose an earlier date.")
        raise ValidationError({"on": message % {"date": date_format(after, "SHORT_DATE_FORMAT")}})


@transaction.atomic
def stage_change_correct(
    *, actor: User | None, enrolment: Enrolment, step: StageChange, on: date, reason: str, why: str
) -> StageChange:
    """Corrects a step's date or reason; the enrolment's dates follow, the old values stay in the history."""
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    why = _why(why)
    steps = effective_steps(enrolment)
    current = next((s for s in steps if s.pk == step.pk), None)
    if current is None:
        raise ValidationError({"step": _("That step has been undone or corrected in the meantime. Reload the page.")})
    step = current  # the row as it stands now, read under the lock
    reason = reason.strip()
    if (on, reason) == (step.on, step.reason):
        raise ValidationError(_("Nothing was changed: change the date or the reason."))
    _check_between(steps, step, on)
    if step.to_stage == Stage.DROPPED_OUT and not reason:
        raise ValidationError(
            {"reason": _("Write why the person dropped out: it guides how the programme is improved.")}
        )
    correction = StageChange.objects.create(
        enrolment=enrolment, kind=StageChange.Kind.CORRECTION, corrects=step, from_stage=step.from_stage,
        to_stage=step.to_stage, on=on, unit=step.unit, reason=why, previous_on=step.on,
        previous_reason=step.reason, changed_by=actor,
    )  # fmt: skip
    for field in _fields_set_by(step):
        if getattr(enrolment, field) == step.on:
            setattr(enrolment, field, on)
    if step.to_stage in EXITS:  # an exit is always the last step
        enrolment.end_reason = reason
    step.on, step.reason = on, reason
    step.save(update_fields=["on", "reason"])
    save_with_history(enrolment, actor=actor, reason=why)
    return correction


@transaction.atomic
def enrolment_undo_step(*, actor: User | None, enrolment: Enrolment, why: str) -> StageChange:
    """Takes back the latest step: the enrolment returns to the stage, dates and unit it had before."""
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    why = _why(why)
    steps = effective_steps(enrolment)
    if len(steps) < 2:
        raise ValidationError(
            _("The first step cannot be undone. Correct its date instead, or end the enrolment as declined.")
        )
    step, before = steps[-1], steps[-2]
    back = Stage(step.from_stage)
    if step.to_stage in EXITS:
        others = Enrolment.objects.filter(
            programme=enrolment.programme, participant=enrolment.participant, household=enrolment.household
        ).exclude(stage__in=FINAL)
        if others.exclude(pk=enrolment.pk).exists():
            raise ValidationError(
                _("%(who)s has a newer enrolment in this programme. Move that one on instead.")
                % {"who": enrolment.who.code}
            )
    enrolment.unit = before.unit
    if back in HOLDS_PLACE and enrolment.stage not in HOLDS_PLACE and enrolment.unit is not None:
        _check_unit_has_room(enrolment.unit, enrolment)
    for field in _fields_set_by(step):
        setattr(enrolment, field, None)
    if step.to_stage in EXITS:
        enrolment.end_reason = ""
    enrolment.stage = back
    save_with_history(enrolment, actor=actor, reason=why)
    return StageChange.objects.create(
        enrolment=enrolment, kind=StageChange.Kind.UNDO, corrects=step, from_stage=step.to_stage, to_stage=back,
        on=step.on, unit=enrolment.unit, reason=why, changed_by=actor,
    )  # fmt: skip
