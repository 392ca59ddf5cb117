"""Questionnaire invitations from the measurement plan, sent by themselves on their day.

``send_due(now=…)`` is run by ``manage.py send_questionnaire_invitations`` from cron. For every
plan entry answered per person (not the anonymous client panel, not workers' ratings) it finds
each enrolled person's measurement points — intake, after every meeting, the end, a follow-up
— whose day has come and whose window is still open, and sends each person one invitation by
the channel they chose, in their language, named by its sender ("Ikaalisten kaupunki ·
Päivätoiminta"). Reminders follow ``QUESTIONNAIRE_REMINDER_DAYS`` days after the invitation
(default 3 and 7) until the answer arrives, the link expires (the end of the entry's window)
or the consent is withdrawn.

At most once, from any number of servers at once: every message is an ``InvitationMessage``
claim row written before sending (``pilotti.core.claims``, as meeting reminders do). A backend
that fails deletes its claim and counts a failure: the invitation stays unsent and the next
run tries again. A mail server that refuses the address marks the invitation bounced; nothing
more goes to that address until the person's contact details change.

Who gets nothing: a person without the right consent on the day (evaluation consent; a
follow-up also needs the consent to be contacted for a follow-up), a person who has left or
whose enrolment is completed (intake and meeting invitations; the end and the follow-up are for
those who completed), a cancelled unit, a cancelled meeting, a person recorded absent from the
meeting, and a point already answered.

The link itself is a personal link of the surveys app, which sits above this app: it registers
its maker here (``register_links``) when it is loaded.
"""

import logging
import smtplib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Protocol
from uuid import UUID

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from pilotti.accounts.models import User
from pilotti.audit.models import Action, Category, Purpose
from pilotti.audit.services import log_access
from pilotti.core import languages
from pilotti.core.claims import claim
from pilotti.core.zone import HELSINKI
from pilotti.instruments.models import InstrumentVersion, Response
from pilotti.instruments.selectors import current_version
from pilotti.measurement.models import Audience, Invitation, InvitationMessage, PlanEntry, When
from pilotti.measurement.selectors import enrolled_people
from pilotti.meetings.models import Attendance, Meeting, ReminderChoice
from pilotti.meetings.sms import send_sms, sms_available
from pilotti.people.models import ConsentPurpose, ContactDetails, Participant
from pilotti.people.selectors import consent_holds_on
from pilotti.programmes.models import DeliveryUnit
from pilotti.recruitment.models import HOLDS_PLACE, Stage

logger = logging.getLogger("pilotti.invitations")
Channel = Invitation.Channel
ACTIVE = (Stage.ENROLLED, Stage.STARTED)


# --- The surveys app's side: the link and the words ---------------------------------------------


class Links(Protocol):
    """What the surveys app provides: a personal link that expires, and the message's words."""

    def create(
        self, *, participant: Participant, version: InstrumentVersion, expires_at: datetime, channel: str
    ) -> tuple[UUID, str]: ...

    def url(self, token: str) -> str: ...

    def compose(
        self, *, reminder: bool, language: str, sender: str, title: str, expires_at: datetime, url: str
    ) -> tuple[str, str]: ...


_links: Links | None = None


def register_links(links: Links) -> None:
    global _links  # set once, by the surveys app's ready()
    _links = links


def links() -> Links:
    if _links is None:  # pragma: no cover - the surveys app is always installed
        raise RuntimeError("The surveys app has not registered its personal links.")
    return _links


# --- Settings ---------------------------------------------------------------------------------


def reminder_days() -> list[int]:
    """Days after the invitation on which reminders go (``QUESTIONNAIRE_REMINDER_DAYS``, "3,7")."""
    return list(settings.QUESTIONNAIRE_REMINDER_DAYS)


def sending_hours() -> tuple[int, int]:
    """Messages go out between these Helsinki hours only (``QUESTIONNAIRE_SENDING_HOURS``): nobody
    is woken at night; a point that falls due in the evening goes the next morning."""
    first, last = settings.QUESTIONNAIRE_SENDING_HOURS
    return int(first), int(last)


def in_sending_hours(now: datetime) -> bool:
    first, last = sending_hours()
    return first <= now.astimezone(HELSINKI).hour < last


def _morning(day: date) -> datetime:
    return datetime.combine(day, time(sending_hours()[0]), tzinfo=HELSINKI)


def _closing(day: date) -> datetime:
    """The end of the last day of the window: the link works until then."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=HELSINKI)


# --- Measurement points -----------------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    """One person's measurement point of one plan entry: when it may go out and until when."""

    entry: PlanEntry
    participant_id: int
    unit_id: int
    point: str
    due_on: date
    send_from: datetime
    expires_at: datetime
    meeting_id: int | None = None


def _meeting_end(meeting: Meeting) -> datetime:
    return meeting.starts_at + timedelta(minutes=meeting.duration_minutes)


def entries_to_invite() -> QuerySet[PlanEntry]:
    """Plan entries answered per person: not the anonymous client panel, not workers' ratings."""
    entries = PlanEntry.objects.filter(anonymous=False).exclude(audience=Audience.STAFF)
    return entries.select_related("instrument", "programme").order_by("programme_id", "position", "id")


def points_of(entry: PlanEntry, units: QuerySet[DeliveryUnit]) -> Iterator[Point]:
    """Every person's points of the entry in those units (cancelled units have none)."""
    units = units.exclude(status=DeliveryUnit.Status.CANCELLED)
    meetings: dict[int, list[Meeting]] = {}
    for meeting in (
        Meeting.objects.filter(unit__in=units).exclude(status=Meeting.Status.CANCELLED).order_by("starts_at")
    ):
        meetings.setdefault(meeting.unit_id, []).append(meeting)
    window = timedelta(days=entry.window_days)
    fields = ["person_id", "unit_id", "stage", "intake", "stop"]  # annotations of _people
    rows = enrolled_people(units, entry).values(*fields)
    for row in rows:
        person, unit_id, stage = row["person_id"], row["unit_id"], row["stage"]
        held = meetings.get(unit_id, [])
        if person is None:
            continue
        if entry.when == When.INTAKE:
            if stage in ACTIVE and row["intake"]:
                due = row["intake"]
                yield Point(entry, person, unit_id, "intake", due, _morning(due), _closing(due + window))
        elif entry.when == When.EVERY_MEETING:
            if stage not in HOLDS_PLACE:
                continue
            for meeting in held:
                day = meeting.starts_at.astimezone(HELSINKI).date()
                if row["intake"] and row["intake"] <= day <= row["stop"]:
                    yield Point(
                        entry, person, unit_id, f"meeting:{meeting.uuid}", day, _meeting_end(meeting),
                        _closing(day + window), meeting.pk,
                    )  # fmt: skip
        elif held and stage in HOLDS_PLACE:
            last = held[-1]
            end = last.starts_at.astimezone(HELSINKI).date()
            if entry.when == When.END:
                yield Point(entry, person, unit_id, "end", end, _meeting_end(last), _closing(end + window))
            else:
                due = end + timedelta(weeks=entry.follow_up_weeks or 0)
                yield Point(entry, person, unit_id, "follow_up", due, _morning(due), _closing(due + window))


# --- Who may be sent what ---------------------------------------------------------------------


def _consents(point: Point, day: date) -> bool:
    people = Participant.objects.filter(pk=point.participant_id).filter(consent_holds_on(day))
    if point.entry.when == When.FOLLOW_UP:
        people = people.filter(consent_holds_on(day, purpose=ConsentPurpose.FOLLOW_UP))
    return people.exists()


def _absent(point: Point) -> bool:
    return (
        point.meeting_id is not None
        and Attendance.objects.filter(
            meeting_id=point.meeting_id, participant_id=point.participant_id, status=Attendance.Status.ABSENT
        ).exists()
    )


def _answer_of(entry: PlanEntry, participant_id: int, due_on: date, meeting_id: int | None) -> Response | None:
    answers = Response.objects.filter(
        participant_id=participant_id, version__instrument=entry.instrument_id, submitted_at__isnull=False
    )
    if meeting_id is not None:
        answers = answers.filter(meeting_id=meeting_id)
    else:
        window = timedelta(days=entry.window_days)
        answers = answers.filter(submitted_at__gte=_morning(due_on - window).replace(hour=0))
        answers = answers.filter(submitted_at__lt=_closing(due_on + window))
    return answers.order_by("submitted_at").first()


def channel_of(participant: Participant) -> tuple[str, str]:
    """The channel and address: the person's chosen way (as for meeting reminders), else e-mail
    if they have an address, else a text message when the installation can send one; ("", "")
    when there is no way to reach them."""
    choice = ReminderChoice.objects.filter(participant=participant).values_list("channel", flat=True).first()
    contact = ContactDetails.objects.filter(participant=participant).first()
    email = (contact.email or "").strip() if contact else ""
    phone = (contact.phone or "").strip() if contact else ""
    if choice == Channel.SMS and phone and sms_available():
        return Channel.SMS, phone
    if email:
        return Channel.EMAIL, email
    if phone and sms_available():
        return Channel.SMS, phone
    return "", ""


# --- Sending ----------------------------------------------------------------------------------


def sender_of(unit: DeliveryUnit) -> str:
    """Who the message is from, e.g. "Ikaalisten kaupunki · Päivätoiminta": never an anonymous link."""
    return f"{unit.organisation.name} · {unit.name}"


def _language(participant: Participant) -> str:
    return languages.from_free_text(participant.preferred_language) or settings.PARTICIPANT_LANGUAGES[0]


def _deliver(invitation: Invitation, address: str, *, reminder: bool) -> None:
    version = current_version(invitation.entry.instrument)
    subject, body = links().compose(
        reminder=reminder,
        language=invitation.language,
        sender=sender_of(invitation.unit),
        title=version.title_in(invitation.language) if version else str(invitation.entry.instrument),
        expires_at=invitation.expires_at,
        url=links().url(invitation.token),
    )
    if invitation.channel == Channel.SMS:
        send_sms(address, body)
    else:
        send_mail(subject, body, None, [address])


def _log_sent(invitation: Invitation, number: int, actor: User | None) -> None:
    log_access(
        actor,
        participant=invitation.participant,
        action=Action.SEND,
        category=Category.CONTACT_DETAILS,
        purpose=Purpose.QUESTIONNAIRE,
        item=f"{invitation.channel} questionnaire {'reminder' if number else 'invitation'} {invitation.uuid}",
        system="" if actor else "send_questionnaire_invitations",
    )


def _send(invitation: Invitation, number: int, now: datetime, actor: User | None) -> bool:
    """Claims message ``number`` of the invitation and sends it; True only when it went out."""
    channel, address = channel_of(invitation.participant)
    if not channel:
        return False
    message = claim(InvitationMessage, invitation=invitation, number=number, channel=channel)
    if message is None:
        return False  # another run sent it, or is sending it now
    invitation.channel = channel
    if invitation.link_uuid is None:  # only the claimer of the first message gets here
        version = current_version(invitation.entry.instrument)
        if version is None:
            message.delete()
            return False
        invitation.link_uuid, invitation.token = links().create(
            participant=invitation.participant, version=version, expires_at=invitation.expires_at, channel=channel
        )
        invitation.save(update_fields=["link_uuid", "token", "channel"])
    try:
        _deliver(invitation, address, reminder=number > 0)
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused) as error:
        message.delete()
        invitation.bounced_at, invitation.bounced_address = now, address
        invitation.last_error = type(error).__name__
        invitation.failures += 1
        invitation.save(update_fields=["bounced_at", "bounced_address", "last_error", "failures"])
        logger.warning("Questionnaire invitation %s: the address was refused.", invitation.uuid)
        return False
    except Exception as error:
        message.delete()
        invitation.failures += 1
        invitation.last_error = f"{type(error).__name__}: {error}"[:200]
        invitation.save(update_fields=["failures", "last_error"])
        logger.exception("Could not send questionnaire invitation %s (message %s).", invitation.uuid, number)
        return False
    message.delivered_at = now
    message.save(update_fields=["delivered_at"])
    invitation.bounced_at, invitation.bounced_address = None, ""  # the new address works
    if number == 0:
        invitation.sent_at, invitation.sent_by_user = now, actor
    else:
        invitation.reminders, invitation.reminded_at = number, now
    invitation.save(
        update_fields=[
            "sent_at",
            "sent_by_user",
            "reminders",
            "reminded_at",
            "channel",
            "bounced_at",
            "bounced_address",
        ]
    )
    _log_sent(invitation, number, actor)
    return True


def _invitation_for(point: Point, language: str) -> Invitation:
    """The point's invitation row, written once whichever server gets there first."""
    fields = {"entry": point.entry, "participant_id": point.participant_id, "point": point.point}
    found = Invitation.objects.filter(**fields).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return Invitation.objects.create(
                **fields,
                organisation_id=Participant.objects.values_list("organisation_id", flat=True).get(
                    pk=point.participant_id
                ),
                unit_id=point.unit_id,
                meeting_id=point.meeting_id,
                due_on=point.due_on,
                expires_at=point.expires_at,
                language=language,
            )
    except IntegrityError:
        return Invitation.objects.get(**fields)


def _stopped(invitation: Invitation, now: datetime) -> bool:
    """Answered (then marked so) or expired (then the token is erased): nothing more goes out."""
    if invitation.answered_at is None:
        answer = _answer_of(invitation.entry, invitation.participant_id, invitation.due_on, invitation.meeting_id)
        if answer is not None:
            invitation_answered(invitation, answer)
            return True
    if invitation.answered_at is not None:
        return True
    if invitation.expires_at <= now:
        if invitation.token:
            invitation.token = ""
            invitation.save(update_fields=["token"])
        return True
    return False


def _blocked(invitation: Invitation) -> bool:
    """The address was refused and is still the person's address."""
    return invitation.bounced_at is not None and channel_of(invitation.participant)[1] == invitation.bounced_address


def _select(queryset: QuerySet[Invitation]) -> QuerySet[Invitation]:
    return queryset.select_related("entry__instrument", "participant", "unit__organisation")


def send_point(point: Point, now: datetime, *, actor: User | None = None) -> str:
    """Sends the point's invitation, or its next reminder when it is due; returns what happened:
    "sent", "reminded", or "" for nothing."""
    if not _consents(point, now.astimezone(HELSINKI).date()) or _absent(point):
        return ""
    existing = _select(Invitation.objects.filter(entry=point.entry, participant_id=point.participant_id))
    invitation = existing.filter(point=point.point).first()
    if invitation is None:
        if _answer_of(point.entry, point.participant_id, point.due_on, point.meeting_id) is not None:
            return ""  # answered before any invitation (on paper, at the meeting)
        participant = Participant.objects.get(pk=point.participant_id)
        if not channel_of(participant)[0]:
            return ""
        invitation = _select(Invitation.objects.filter(pk=_invitation_for(point, _language(participant)).pk)).get()
    if _stopped(invitation, now) or _blocked(invitation):
        return ""
    if invitation.sent_at is None:
        return "sent" if _send(invitation, 0, now, actor) else ""
    number = invitation.reminders + 1
    days = reminder_days()
    # Staff's "send now" reminds at once; cron waits for the reminder's day.
    if actor is None and (number > len(days) or now < invitation.sent_at + timedelta(days=days[number - 1])):
        return ""
    return "reminded" if _send(invitation, number, now, actor) else ""


def send_due(*, now: datetime) -> dict[str, int]:
    """Sends every invitation and reminder due now, each once; returns the counts sent."""
    counts = {"sent": 0, "reminded": 0}
    if not in_sending_hours(now):
        return counts
    for entry in entries_to_invite():
        for point in points_of(entry, DeliveryUnit.objects.filter(programme_id=entry.programme_id)):
            if not (point.send_from <= now < point.expires_at):
                continue
            done = send_point(point, now)
            if done:
                counts[done] += 1
    return counts


# --- The answer arrives -----------------------------------------------------------------------


def invitation_answered(invitation: Invitation, response: Response) -> None:
    """Marks the invitation answered and erases its token: no reminder follows."""
    submitted = response.submitted_at or timezone.now()
    Invitation.objects.filter(pk=invitation.pk, answered_at__isnull=True).update(answered_at=submitted, token="")
    invitation.answered_at, invitation.token = submitted, ""


def response_arrived(response: Response) -> None:
    """Called by ``services.response_submitted``: the open invitation this answer answers stops.

    An answer through an invitation's link has no meeting of its own; the invitation of a
    meeting gives it one, so that the due list counts it for that meeting.
    """
    if response.participant_id is None or response.submitted_at is None:
        return
    open_ = Invitation.objects.filter(
        participant_id=response.participant_id,
        entry__instrument=response.version.instrument_id,
        answered_at__isnull=True,
        sent_at__isnull=False,
        expires_at__gt=response.submitted_at,
    )
    if response.meeting_id is not None:
        open_ = open_.filter(Q(meeting_id=response.meeting_id) | Q(meeting__isnull=True))
    invitation = open_.order_by("-due_on", "-id").first()
    if invitation is None:
        return
    if invitation.meeting_id is not None and response.meeting_id is None:
        Response.objects.filter(pk=response.pk).update(meeting_id=invitation.meeting_id)
        response.meeting_id = invitation.meeting_id
    invitation_answered(invitation, response)


# --- "Send now" from the due list ---------------------------------------------------------------


def send_now(
    *,
    actor: User,
    entry: PlanEntry,
    participant_ids: set[int],
    units: QuerySet[DeliveryUnit],
    now: datetime,
    only_uninvited: bool = False,
) -> dict[str, int]:
    """Sends the entry's current point to these people at once, whatever the hour: the invitation,
    or a reminder when it was sent already (not with ``only_uninvited``, the due list's "send to
    everyone missing"). For every meeting the current point is the latest meeting that has ended.
    A point whose window has closed gets a link that works the entry's window from today."""
    counts = {"sent": 0, "reminded": 0}
    today = now.astimezone(HELSINKI).date()
    current: dict[int, Point] = {}
    for point in points_of(entry, units):
        # Staff send at any hour: an intake, end or follow-up point is ready from its day's start.
        ready = point.send_from <= now or (point.meeting_id is None and point.due_on <= today)
        if point.participant_id not in participant_ids or not ready:
            continue
        if point.participant_id not in current or point.send_from > current[point.participant_id].send_from:
            current[point.participant_id] = point
    for point in current.values():
        if point.expires_at <= now:
            point = replace(
                point, expires_at=_closing(now.astimezone(HELSINKI).date() + timedelta(days=entry.window_days))
            )
        if (
            only_uninvited
            and Invitation.objects.filter(
                entry=entry, participant_id=point.participant_id, point=point.point, sent_at__isnull=False
            ).exists()
        ):
            continue
        done = send_point(point, now, actor=actor)
        if done:
            counts[done] += 1
    return counts
