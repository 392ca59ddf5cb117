"""Meeting reminders: who gets one, what it says, and sending each at most once.

``send_due_reminders`` is run by ``manage.py send_meeting_reminders`` from cron. For every
scheduled meeting that starts within the lead time it asks each *recipient source* for the
people to remind, and sends each person one message, by e-mail or text message.

A recipient source is a function ``(meeting) -> Iterable[Recipient]``. There are two: the
unit's facilitators, by e-mail, and the participants who chose e-mail or text-message
reminders (``ReminderChoice``). No message carries staff notes.
"""

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import F, Prefetch, Q, QuerySet
from django.utils import timezone, translation
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _

from pilotti.audit.models import Action, Category, Purpose
from pilotti.audit.services import log_access
from pilotti.core.claims import claim
from pilotti.core.zone import HELSINKI
from pilotti.meetings.models import Meeting, MeetingReminder
from pilotti.meetings.sms import send_sms, sms_available
from pilotti.people.models import ConsentPurpose, HouseholdMember, Participant
from pilotti.people.selectors import consent_holds_on
from pilotti.programmes.models import DeliveryUnit, UnitFacilitator
from pilotti.recruitment.models import Enrolment, Stage

logger = logging.getLogger("pilotti.reminders")
Channel = MeetingReminder.Channel


@dataclass(frozen=True)
class Recipient:
    key: str  # the same person gets the same key on every run, e.g. "user:42"
    channel: str  # MeetingReminder.Channel
    address: str  # an e-mail address or a phone number
    language: str = ""  # the message's language; the site's default when empty
    participant: Participant | None = None  # set when the address came from a participant's contact details


RecipientSource = Callable[[Meeting], Iterable[Recipient]]


def facilitator_recipients(meeting: Meeting) -> Iterator[Recipient]:
    """The unit's facilitators who are still active members of its organisation, by e-mail."""
    for assignment in meeting.unit.facilitators.all():  # prefetched by due_meetings
        if assignment.user.email:
            yield Recipient(key=f"user:{assignment.user_id}", channel=Channel.EMAIL, address=assignment.user.email)


# Reminder texts exist in these languages; everyone else gets Finnish until the participant
# languages of issue 7 arrive. Preferred languages are free text, so a few spellings are known.
MESSAGE_LANGUAGES = {
    "fi": "fi", "suomi": "fi", "finnish": "fi", "finska": "fi",
    "sv": "sv", "ruotsi": "sv", "svenska": "sv", "swedish": "sv",
    "en": "en", "englanti": "en", "english": "en", "engelska": "en",
}  # fmt: skip


def message_language(preferred: str) -> str:
    return MESSAGE_LANGUAGES.get(preferred.strip().lower(), "fi")


def participant_recipients(meeting: Meeting) -> Iterator[Recipient]:
    """Participants of the unit who chose e-mail or text-message reminders.

    Only those whose enrolment is active (enrolled or started; household members through
    their household's enrolment) and whose consent to take part holds today. The address is
    read from their encrypted contact details; someone without one is skipped.
    """
    today = timezone.now().astimezone(HELSINKI).date()
    active = Enrolment.objects.filter(unit=meeting.unit, stage__in=[Stage.ENROLLED, Stage.STARTED])
    households = active.filter(household__isnull=False).values("household_id")
    adults = HouseholdMember.objects.filter(household__in=households, participant__isnull=False)
    participants = (
        Participant.objects.filter(
            Q(pk__in=active.filter(participant__isnull=False).values("participant_id"))
            | Q(pk__in=adults.values("participant_id"))
        )
        .filter(consent_holds_on(today, purpose=ConsentPurpose.PARTICIPATION))
        # Without a text-message backend those who chose text messages get none (the choice page
        # no longer offers them; docs/deployment.md).
        .filter(reminder_choice__channel__in=[Channel.EMAIL, Channel.SMS] if sms_available() else [Channel.EMAIL])
        .select_related("contact", "reminder_choice")
        .order_by("code")
    )
    for participant in participants:
        channel = participant.reminder_choice.channel
        contact = getattr(participant, "contact", None)
        address = (contact.email if channel == Channel.EMAIL else contact.phone) if contact is not None else ""
        if not address.strip():
            logger.warning("Participant %s chose %s reminders but has no address for them.", participant.code, channel)
            continue
        yield Recipient(
            key=f"participant:{participant.uuid}",
            channel=channel,
            address=address.strip(),
            language=message_language(participant.preferred_language),
            participant=participant,
        )


RECIPIENT_SOURCES: list[RecipientSource] = [facilitator_recipients, participant_recipients]


def due_meetings(now: datetime, hours: int) -> QuerySet[Meeting]:
    """Scheduled meetings starting within ``hours`` from now, of units that have not ended."""
    facilitators = UnitFacilitator.objects.filter(
        user__is_active=True,
        user__memberships__organisation=F("unit__organisation"),
        user__memberships__is_active=True,
    ).select_related("user")
    ended = [DeliveryUnit.Status.COMPLETED, DeliveryUnit.Status.DISCONTINUED, DeliveryUnit.Status.CANCELLED]
    return (
        Meeting.objects.filter(
            status=Meeting.Status.SCHEDULED, starts_at__gt=now, starts_at__lte=now + timedelta(hours=hours)
        )
        .exclude(unit__status__in=ended)
        .select_related("unit", "unit__site")
        .prefetch_related(Prefetch("unit__facilitators", queryset=facilitators), "reminders")
        .order_by("starts_at")
    )


def compose(meeting: Meeting, recipient: Recipient) -> tuple[str, str]:
    """The subject and body of one reminder, in the recipient's language and Helsinki time."""
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        local = meeting.starts_at.astimezone(HELSINKI)
        when = {
            "unit": meeting.unit.name,
            "day": date_format(local, "l"),
            "date": date_format(local, "SHORT_DATE_FORMAT"),
            "time": time_format(local, "TIME_FORMAT"),
        }
        subject = _("Reminder: %(unit)s on %(day)s %(date)s at %(time)s") % when
        lines = [_("%(unit)s meets on %(day)s %(date)s at %(time)s.") % when]
        if meeting.theme:
            lines.append(_("Theme: %(theme)s") % {"theme": meeting.theme})
        if meeting.remote_link:
            lines.append(_("Join the meeting: %(link)s") % {"link": meeting.remote_link})
        elif meeting.venue:
            lines.append(_("Place: %(venue)s") % {"venue": meeting.venue})
        if meeting.interpreter_language:
            lines.append(_("Interpreter: %(language)s") % {"language": meeting.interpreter_language})
        return subject, "\n".join(lines) + "\n"


def _deliver(meeting: Meeting, recipient: Recipient) -> None:
    subject, body = compose(meeting, recipient)
    if recipient.channel == Channel.SMS:
        send_sms(recipient.address, body)
    else:
        send_mail(subject, body, None, [recipient.address])


def _log_sent(meeting: Meeting, recipient: Recipient) -> None:
    if recipient.participant is not None:
        # Sending used the participant's contact details: the access log says so, by whom
        # (this cron task) and why, as it does for staff who open them.
        log_access(
            None,
            participant=recipient.participant,
            action=Action.SEND,
            category=Category.CONTACT_DETAILS,
            purpose=Purpose.REMINDER,
            item=f"{recipient.channel} reminder of the meeting {meeting.uuid}",
            system="send_meeting_reminders",
        )


def _claim(meeting: Meeting, recipient: Recipient) -> MeetingReminder | None:
    """Writes the reminder row before sending: a second run, or a parallel one, finds it and skips."""
    return claim(MeetingReminder, meeting=meeting, recipient_key=recipient.key, channel=recipient.channel)


def send_due_reminders(*, now: datetime, hours: int) -> int:
    """Sends every reminder that is due and not yet sent; returns how many were sent.

    At most once: the row is committed before sending. If sending fails the row is removed,
    so the next run tries again; a crash between the two loses a reminder rather than
    sending it twice.
    """
    sent = 0
    for meeting in due_meetings(now, hours):
        done = {reminder.recipient_key for reminder in meeting.reminders.all()}
        for source in RECIPIENT_SOURCES:
            for recipient in source(meeting):
                if recipient.key in done:
                    continue
                done.add(recipient.key)
                claim = _claim(meeting, recipient)
                if claim is None:
                    continue
                try:
                    _deliver(meeting, recipient)
                except Exception:
                    logger.exception("Could not send a %s reminder of meeting %s.", recipient.channel, meeting.uuid)
                    claim.delete()
                else:
                    sent += 1
                    _log_sent(meeting, recipient)
    return sent
