"""Writes of calendar feeds, attendance and reminder choices.

Meeting writes are in ``pilotti.programmes.services`` (the one exception is the count of
unregistered visitors, recorded with the roll call); reminders are sent by reminders.py.
"""

import secrets
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pilotti.accounts.models import User
from pilotti.core.history import mark_history, save_with_history
from pilotti.core.tokens import hash_token
from pilotti.core.zone import HELSINKI
from pilotti.meetings.models import Attendance, CalendarFeed, ReminderChoice
from pilotti.meetings.selectors import NOT_MARKED
from pilotti.people.models import HouseholdMember, Participant
from pilotti.programmes.models import DeliveryUnit, Meeting

MAX_VISITORS = 999


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
