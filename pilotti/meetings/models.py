"""Meetings, calendar feeds, sent reminders, attendance and participants' reminder choices.

A meeting belongs to a unit (``programmes.DeliveryUnit``). Its tables keep the names they had when
the model lived in ``programmes`` (``programmes_meeting`` and its history): the data stayed put.

A feed is reached by an unguessable token in its address, without a session, so calendar
programs can fetch it. Only a hash of the token is stored: the address is shown once, when it
is made, and a lost address is replaced by making a new one (which revokes the old).
"""

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pilotti.organisations.tenancy import TenantOwned
from pilotti.people.models import HouseholdMember, Participant
from pilotti.programmes.models import DeliveryUnit


def validate_https(link: str) -> None:
    """Remote links must be https: participants open them from e-mails and calendars."""
    if link and not link.lower().startswith("https://"):
        raise ValidationError(
            _("Use a link that starts with https:// — copy it from your video service's invitation."), code="https"
        )


class Meeting(TenantOwned, models.Model):
    """One meeting of a unit ("Meeting", never "Session": that name is Django's).

    The venue is the unit's site; a remote meeting has its own https link instead.
    """

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("scheduled")
        HELD = "held", _("held")
        CANCELLED = "cancelled", _("cancelled")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    unit = models.ForeignKey(DeliveryUnit, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(_("length in minutes"), default=90)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.SCHEDULED)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    moved_from = models.DateTimeField(_("moved from"), null=True, blank=True)
    # The theme is kept as text even when it was picked from the curriculum: editing the
    # programme's curriculum later must not rewrite what past meetings were about.
    theme = models.CharField(_("theme"), max_length=200, blank=True)
    remote_link = models.URLField(_("remote link"), max_length=500, blank=True, validators=[validate_https])
    interpreter_language = models.CharField(_("interpreter language"), max_length=100, blank=True)
    notes = models.TextField(_("notes for staff"), blank=True)
    # People, not assignments: removing someone from the unit later must not erase that
    # they were at its past meetings.
    facilitators_present = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="meetings_facilitated",
        blank=True,
        verbose_name=_("facilitators present"),
    )
    # Drop-in activities (e.g. a day activity) also count people who came without enrolling.
    unregistered_visitors = models.PositiveSmallIntegerField(_("unregistered visitors"), default=0)
    # iCalendar's SEQUENCE: bumped on every move and cancellation so calendars take the change.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    # The history's table keeps its old name too (the history of its m2m field moved with the app).
    history = HistoricalRecords(m2m_fields=[facilitators_present], table_name="programmes_historicalmeeting")

    class Meta:
        db_table = "programmes_meeting"
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["unit", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.unit} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def is_remote(self) -> bool:
        return bool(self.remote_link) or bool(self.unit.site and self.unit.site.is_remote)

    @property
    def venue(self) -> str:
        """Where to go: the remote link, or the site's name and address (empty if neither is known)."""
        if self.remote_link:
            return self.remote_link
        site = self.unit.site
        if site is None or site.is_remote:
            return ""
        return ", ".join(part for part in (site.name, site.street_address, site.municipality) if part)


class CalendarFeed(models.Model):
    """A person's feed of all the meetings they facilitate (no unit), or of one unit's meetings."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds")
    unit = models.ForeignKey(
        DeliveryUnit, on_delete=models.CASCADE, related_name="calendar_feeds", null=True, blank=True
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The language its owner chose in Pilotti when making it: the calendar app that fetches the
    # feed sends its own Accept-Language, which need not be the person's. Empty: the site's default.
    language = models.CharField(max_length=10, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    last_fetched_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            # At most one live feed per person and unit, and one of "all my meetings".
            models.UniqueConstraint(
                fields=["user", "unit"], condition=models.Q(revoked_at__isnull=True), name="one_live_feed_per_unit"
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(revoked_at__isnull=True, unit__isnull=True),
                name="one_live_personal_feed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.unit or 'all'}"

    @property
    def speaks(self) -> str:
        """The feed's language: the one chosen when it was made, else the site's default."""
        return self.language or settings.LANGUAGE_CODE


class MeetingReminder(models.Model):
    """A reminder that was sent: the row is written before sending, so nobody is reminded twice.

    ``recipient_key`` names the person across sources, e.g. ``user:<uuid>`` for a facilitator;
    participants (issue 5) get keys of their own.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", _("e-mail")
        SMS = "sms", _("text message")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="reminders")
    recipient_key = models.CharField(max_length=100)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "recipient_key"], name="one_reminder_per_meeting_and_person")
        ]

    def __str__(self) -> str:
        return f"{self.meeting} → {self.recipient_key} ({self.channel})"


class Attendance(models.Model):
    """Whether one person came to one meeting, recorded at the roll call.

    The person is a participant (enrolled on their own or as a household's adult), or, in a
    household track, a household member without a record of their own (a child).
    """

    class Status(models.TextChoices):
        PRESENT = "present", _("present")
        ABSENT = "absent", _("absent")
        EXCUSED = "excused", _("excused")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, null=True, blank=True, related_name="attendances"
    )
    # CASCADE, not PROTECT: people.services.household_save replaces a household's child rows
    # on every edit, and must not fail on them. (It also loses their attendance: reported.)
    member = models.ForeignKey(
        HouseholdMember, on_delete=models.CASCADE, null=True, blank=True, related_name="attendances"
    )
    status = models.CharField(_("attendance"), max_length=8, choices=Status.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(participant__isnull=False, member__isnull=True)
                | Q(participant__isnull=True, member__isnull=False),
                name="attendance_of_a_participant_or_a_member",
            ),
            models.UniqueConstraint(
                fields=["meeting", "participant"],
                condition=Q(participant__isnull=False),
                name="one_attendance_per_meeting_and_participant",
            ),
            models.UniqueConstraint(
                fields=["meeting", "member"],
                condition=Q(member__isnull=False),
                name="one_attendance_per_meeting_and_member",
            ),
        ]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")

    def __str__(self) -> str:
        return f"{self.meeting_id} · {self.participant_id or self.member_id} · {self.status}"


class ReminderChoice(models.Model):
    """How a participant wants to be reminded of meetings. The address itself is in their contact details."""

    class Channel(models.TextChoices):
        NONE = "none", _("no reminders")
        EMAIL = "email", _("by e-mail")
        SMS = "sms", _("by text message")

    participant = models.OneToOneField(Participant, on_delete=models.CASCADE, related_name="reminder_choice")
    channel = models.CharField(_("reminders"), max_length=8, choices=Channel.choices, default=Channel.NONE)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("reminder choice")
        verbose_name_plural = _("reminder choices")

    def __str__(self) -> str:
        return f"{self.participant_id} · {self.channel}"
