"""Writes of meetings, calendar feeds, attendance and reminder choices; reminders are sent by reminders.py.

What changes a unit and its meetings together is composed here from ``programmes.services``: a
unit created with its schedule, a unit ended early (its meetings after that day are cancelled), a
unit's details that its coming meetings share, and a new schedule.
"""

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from pilotti.accounts.models import User
from pilotti.core.history import mark_history, save_with_history
from pilotti.core.tokens import hash_token
from pilotti.core.zone import HELSINKI
from pilotti.meetings.models import Attendance, CalendarFeed, Meeting, ReminderChoice, validate_https
from pilotti.meetings.schedule import DateRange, ScheduleRule, Skipped, generate
from pilotti.meetings.selectors import NOT_MARKED
from pilotti.organisations.models import Organisation
from pilotti.people.models import HouseholdMember, Participant
from pilotti.programmes import services as programmes
from pilotti.programmes.models import DeliveryUnit, Programme, Site

MAX_VISITORS = 999


# Meetings happen in Finland: wall-clock times are Helsinki times, whatever the server's zone.
def helsinki(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=HELSINKI)


@transaction.atomic
def feed_create(*, actor: User, unit: DeliveryUnit | None = None, language: str = "") -> tuple[CalendarFeed, str]:
    """A new feed and its token (shown once; only the hash is kept), in ``language``, the one the
    person uses Pilotti in (the site's default when empty). The old feed of the same kind stops."""
    CalendarFeed.objects.filter(user=actor, unit=unit, revoked_at__isnull=True).update(revoked_at=timezone.now())
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(
        user=actor, unit=unit, token_hash=hash_token(token), language=language or settings.LANGUAGE_CODE
    )
    return feed, token


@transaction.atomic
def feed_revoke(*, actor: User, feed: CalendarFeed) -> CalendarFeed:
    if feed.revoked_at is None:
        feed.revoked_at = timezone.now()
        feed.save(update_fields=["revoked_at"])
    return feed


def feed_fetched(*, feed: CalendarFeed) -> None:
    """Remembers when a calendar last fetched the feed, so its owner sees whether it is in use."""
    CalendarFeed.objects.filter(pk=feed.pk).update(last_fetched_at=timezone.now())


def _check_roll_call_open(meeting: Meeting) -> None:
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("The meeting is cancelled: it has no roll call."), code="cancelled")
    if meeting.starts_at.astimezone(HELSINKI).date() > timezone.now().astimezone(HELSINKI).date():
        raise ValidationError(_("You can take the roll call on the meeting's day."), code="future")


@transaction.atomic
def attendance_record(
    *,
    actor: User | None,
    meeting: Meeting,
    status: str,
    participant: Participant | None = None,
    member: HouseholdMember | None = None,
    at: datetime | None = None,
) -> Attendance:
    """Records one person's attendance. Saving the same status again changes nothing (a retried tap)."""
    if status not in Attendance.Status.values:
        raise ValidationError(_("Choose present, absent or excused."), code="status")
    if (participant is None) == (member is None):
        raise ValueError("Give a participant or a household member, not both.")
    _check_roll_call_open(meeting)
    person: dict[str, Participant | HouseholdMember | None] = (
        {"participant": participant} if participant is not None else {"member": member}
    )
    # Two phones tapping the same person's first mark at once would both find no row and both
    # insert: the meeting's row lock makes the second wait and then find the first one's row.
    Meeting.objects.select_for_update().values_list("pk", flat=True).get(pk=meeting.pk)
    attendance = Attendance.objects.select_for_update().filter(meeting=meeting, **person).first()
    if attendance is not None and attendance.status == status:
        return attendance
    if attendance is None:
        attendance = Attendance(meeting=meeting, **person)
    attendance.status = status
    attendance.recorded_by = actor
    attendance.recorded_at = at or timezone.now()
    save_with_history(attendance, actor=actor)
    return attendance


@transaction.atomic
def attendance_clear(
    *,
    actor: User | None,
    meeting: Meeting,
    participant: Participant | None = None,
    member: HouseholdMember | None = None,
) -> None:
    """Takes a person's mark away ("not marked" again); the history keeps the mark and who took it away."""
    if (participant is None) == (member is None):
        raise ValueError("Give a participant or a household member, not both.")
    _check_roll_call_open(meeting)
    person: dict[str, Participant | HouseholdMember | None] = (
        {"participant": participant} if participant is not None else {"member": member}
    )
    Meeting.objects.select_for_update().values_list("pk", flat=True).get(pk=meeting.pk)
    attendance = Attendance.objects.filter(meeting=meeting, **person).first()
    if attendance is not None:
        mark_history(attendance, actor=actor, reason="not marked")
        attendance.delete()


@transaction.atomic
def unregistered_visitors_record(*, actor: User | None, meeting: Meeting, count: int) -> Meeting:
    """The number of people who came to a drop-in meeting without being enrolled."""
    if not 0 <= count <= MAX_VISITORS:
        raise ValidationError(
            _("Write a number from 0 to %(most)s.") % {"most": MAX_VISITORS}, code="unregistered_visitors"
        )
    _check_roll_call_open(meeting)
    if meeting.unregistered_visitors != count:
        meeting.unregistered_visitors = count
        save_with_history(meeting, actor=actor, reason="visitors", update_fields=["unregistered_visitors"])
    return meeting


@transaction.atomic
def reminder_choice_set(*, actor: User | None, participant: Participant, channel: str) -> ReminderChoice:
    if channel not in ReminderChoice.Channel.values:
        raise ValidationError(_("Choose how the participant is reminded."), code="channel")
    choice = ReminderChoice.objects.filter(participant=participant).first() or ReminderChoice(participant=participant)
    if choice.pk is None or choice.channel != channel:
        choice.channel = channel
        choice.updated_by = actor
        save_with_history(choice, actor=actor)
    return choice


@transaction.atomic
def roll_call_record(
    *,
    actor: User | None,
    meeting: Meeting,
    statuses: list[tuple[Participant | None, HouseholdMember | None, str]],
    unregistered_visitors: int | None = None,
) -> None:
    """The whole roll call at once (the form without JavaScript): all of it is saved, or none."""
    _check_roll_call_open(meeting)
    for participant, member, status in statuses:
        if status == NOT_MARKED:
            attendance_clear(actor=actor, meeting=meeting, participant=participant, member=member)
        else:
            attendance_record(actor=actor, meeting=meeting, participant=participant, member=member, status=status)
    if unregistered_visitors is not None:
        unregistered_visitors_record(actor=actor, meeting=meeting, count=unregistered_visitors)


# --- A unit and its meetings together --------------------------------------------------------------


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
    unit = programmes.unit_create(
        actor=actor,
        programme=programme,
        organisation=organisation,
        name=name,
        kind=kind,
        site=site,
        capacity=capacity,
        minimum_size=minimum_size,
        languages=languages,
        interpreter_language=interpreter_language,
        duration_minutes=duration_minutes,
        breaks=[(b.first, b.last) for b in schedule.breaks],
    )
    planned = generate(schedule)  # a wrong rule undoes the unit with the rest of the transaction
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
    """``programmes.services.unit_change_status``; ending early (discontinued, cancelled) also
    cancels the unit's meetings after that date, with the same reason."""
    on = on or timezone.localdate()
    programmes.unit_change_status(actor=actor, unit=unit, status=status, on=on, reason=reason, replacement=replacement)
    if unit.status in programmes.ENDINGS_WITH_REASON:
        for meeting in unit.meetings.filter(status=Meeting.Status.SCHEDULED, starts_at__gt=helsinki(on, time.max)):
            _cancel(actor, meeting, reason.strip())
    return unit


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
    remote_link: str | None = None,
) -> DeliveryUnit:
    """Corrects the unit's details (``programmes.services.unit_update``); a new interpreter language
    reaches its scheduled meetings, and ``remote_link`` (None: unchanged) becomes the link of every
    meeting still to come. Held meetings and anything recorded at a meeting stay untouched."""
    old_language = unit.interpreter_language
    programmes.unit_update(
        actor=actor,
        unit=unit,
        name=name,
        site=site,
        capacity=capacity,
        minimum_size=minimum_size,
        languages=languages,
        interpreter_language=interpreter_language,
    )
    if interpreter_language != old_language:
        for meeting in unit.meetings.filter(status=Meeting.Status.SCHEDULED, interpreter_language=old_language):
            meeting.interpreter_language = interpreter_language
            save_with_history(meeting, actor=actor, reason="unit edited")
    if remote_link is not None:
        validate_https(remote_link)
        upcoming = unit.meetings.filter(status=Meeting.Status.SCHEDULED, starts_at__gt=timezone.now())
        for meeting in upcoming.exclude(remote_link=remote_link):
            meeting.remote_link = remote_link
            meeting.sequence += 1  # calendars show the new link
            save_with_history(meeting, actor=actor, reason="unit edited")
    return unit


# --- Meetings: added, moved, cancelled, restored, recorded -----------------------------------------


def _refuse_if_ended(unit: DeliveryUnit) -> None:
    if unit.is_closed:
        raise ValidationError(_("This unit has ended; its meetings can no longer be changed."))


@transaction.atomic
def meeting_add(
    *, actor: User | None, unit: DeliveryUnit, starts_at: datetime, duration_minutes: int | None = None
) -> Meeting:
    programmes.refuse_if_archived(unit, unit.programme, message=programmes.archived_message("meetings"))
    _refuse_if_ended(unit)
    meeting = Meeting(
        unit=unit,
        starts_at=starts_at,
        duration_minutes=duration_minutes or unit.duration_minutes,
        interpreter_language=unit.interpreter_language,
    )
    save_with_history(meeting, actor=actor, reason="added")
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
    save_with_history(meeting, actor=actor, reason="moved")
    return meeting


def _cancel(actor: User | None, meeting: Meeting, reason: str) -> Meeting:
    meeting.status = Meeting.Status.CANCELLED
    meeting.cancel_reason = reason[:300]
    meeting.sequence += 1
    save_with_history(meeting, actor=actor, reason="cancelled")
    return meeting


@transaction.atomic
def meeting_cancel(*, actor: User | None, meeting: Meeting, reason: str, add_at_end: bool = False) -> Meeting:
    """Cancels the meeting; ``add_at_end`` adds one after the unit's last so the count holds."""
    _refuse_if_ended(meeting.unit)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the meeting is cancelled; participants and facilitators see it.")})
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("This meeting is already cancelled."))
    if meeting.status == Meeting.Status.HELD:
        raise ValidationError(_("This meeting has been held; it cannot be cancelled."))
    _cancel(actor, meeting, reason.strip())
    if add_at_end:
        _add_at_end(actor, meeting.unit)
    return meeting


def _add_at_end(actor: User | None, unit: DeliveryUnit) -> Meeting:
    """A week after the unit's last meeting, at its time, skipping holidays and breaks as creation does."""
    last = unit.meetings.exclude(status=Meeting.Status.CANCELLED).order_by("starts_at").last()
    if last is None:
        raise ValidationError(_("The unit has no other meetings to add one after."))
    local = last.starts_at.astimezone(HELSINKI)
    breaks = tuple(DateRange(b.first, b.last) for b in unit.breaks.all())
    day = generate(ScheduleRule(first=local.date() + timedelta(weeks=1), count=1, breaks=breaks)).dates[0]
    return meeting_add(
        actor=actor, unit=unit, starts_at=helsinki(day, local.time()), duration_minutes=last.duration_minutes
    )


@transaction.atomic
def meeting_restore(*, actor: User | None, meeting: Meeting) -> Meeting:
    """Undoes a mistaken cancellation: the meeting is scheduled again, and calendars are told."""
    _refuse_if_ended(meeting.unit)
    if meeting.status != Meeting.Status.CANCELLED:
        raise ValidationError(_("Only a cancelled meeting can be restored."))
    meeting.status = Meeting.Status.SCHEDULED
    meeting.cancel_reason = ""
    meeting.sequence += 1
    return save_with_history(meeting, actor=actor, reason="restored")


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
    save_with_history(meeting, actor=actor, reason="details")
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
    save_with_history(meeting, actor=actor, reason="held")
    return meeting


@transaction.atomic
def meeting_unmark_held(*, actor: User | None, meeting: Meeting) -> Meeting:
    """Undoes a mistaken "held": the meeting is scheduled again."""
    if meeting.status != Meeting.Status.HELD:
        raise ValidationError(_("This meeting is not marked held."))
    meeting.status = Meeting.Status.SCHEDULED
    save_with_history(meeting, actor=actor, reason="held undone")
    return meeting


# --- A unit's new schedule ------------------------------------------------------------------------


@dataclass(frozen=True)
class ScheduleChange:
    """What a new rule does to the unit's meetings after today."""

    kept: list[Meeting]
    moved: list[tuple[Meeting, datetime]]
    added: list[datetime]
    cancelled: list[Meeting]
    # Held meetings, and meetings with attendance or answers, after today.
    untouched: list[Meeting]
    skipped: list[Skipped]

    @property
    def changes_anything(self) -> bool:
        return bool(self.moved or self.added or self.cancelled)


def _has_records(meeting: Meeting) -> bool:
    return meeting.status != Meeting.Status.SCHEDULED or meeting.attendances.exists() or meeting.responses.exists()


def unit_schedule_plan(
    unit: DeliveryUnit, rule: ScheduleRule, start_time: time, duration_minutes: int
) -> ScheduleChange:
    """The preview of ``unit_reschedule``: of the meetings after today, those at a new time are kept,
    the rest are moved onto the new times in order, and what is left over is added or cancelled."""
    if rule.first <= timezone.localdate():
        raise ValidationError({"first_date": _("Choose a day after today: held and past meetings stay as they are.")})
    planned = generate(rule)
    tomorrow = timezone.localdate() + timedelta(days=1)
    ahead = unit.meetings.filter(starts_at__gte=helsinki(tomorrow, time.min)).exclude(status=Meeting.Status.CANCELLED)
    untouched = [meeting for meeting in ahead if _has_records(meeting)]
    free = [meeting for meeting in ahead if meeting not in untouched]
    busy = {meeting.starts_at.astimezone(HELSINKI).date() for meeting in untouched}
    wanted = [helsinki(day, start_time) for day in planned.dates if day not in busy]
    kept = [m for m in free if m.starts_at in wanted and m.duration_minutes == duration_minutes]
    kept_at = {m.starts_at for m in kept}
    to_move = [m for m in free if m not in kept]
    new_times = [at for at in wanted if at not in kept_at]
    moved = list(zip(to_move, new_times, strict=False))
    return ScheduleChange(
        kept=kept,
        moved=moved,
        added=new_times[len(moved) :],
        cancelled=to_move[len(moved) :],
        untouched=untouched,
        skipped=planned.skipped,
    )


@transaction.atomic
def unit_reschedule(
    *, actor: User | None, unit: DeliveryUnit, rule: ScheduleRule, start_time: time, duration_minutes: int
) -> ScheduleChange:
    """Regenerates the meetings after today from the rule, with the same holiday logic as creation;
    the unit's breaks from ``rule.first`` on become the rule's."""
    _refuse_if_ended(unit)
    plan = unit_schedule_plan(unit, rule, start_time, duration_minutes)
    for meeting, starts_at in plan.moved:
        meeting_move(actor=actor, meeting=meeting, starts_at=starts_at, duration_minutes=duration_minutes)
    for meeting in plan.cancelled:
        _cancel(actor, meeting, _("The schedule was changed."))
    for starts_at in plan.added:
        meeting_add(actor=actor, unit=unit, starts_at=starts_at, duration_minutes=duration_minutes)
    programmes.unit_schedule_set(
        actor=actor,
        unit=unit,
        first=rule.first,
        breaks=[(b.first, b.last) for b in rule.breaks],
        duration_minutes=duration_minutes,
    )
    return plan
