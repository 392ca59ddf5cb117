"""Calendar feeds and sent reminders. The meeting itself is ``programmes.Meeting``.

A feed is reached by an unguessable token in its address, without a session, so calendar
programs can fetch it. Only a hash of the token is stored: the address is shown once, when it
is made, and a lost address is replaced by making a new one (which revokes the old).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pilotti.programmes.models import DeliveryUnit, Meeting


class CalendarFeed(models.Model):
    """A person's feed of all the meetings they facilitate (no unit), or of one unit's meetings."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds")
    unit = models.ForeignKey(
        DeliveryUnit, on_delete=models.CASCADE, related_name="calendar_feeds", null=True, blank=True
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
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
