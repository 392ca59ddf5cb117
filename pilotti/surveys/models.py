"""The ways to answer a questionnaire: personal links and client panels (paper needs no model).

A personal link is reached by an unguessable token without signing in. Only the token's
SHA-256 is stored: the address is shown or sent once, when the link is made. A link belongs to
one participant and one instrument version, expires, and is answered once; a paused answer is
kept as a response that is not yet submitted (``response``, ``Response.submitted_at`` empty).

A client panel is an anonymous short link per meeting. Its code is stored as it is, because
staff show and print the same QR code many times; it gives nothing but a blank questionnaire.
``PanelDevice`` remembers which devices have answered (a hash, never linked to the answer).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pilotti.instruments.models import InstrumentVersion, Response
from pilotti.meetings.models import Meeting
from pilotti.organisations.models import Organisation
from pilotti.people.models import Participant


class PersonalLink(models.Model):
    class SentBy(models.TextChoices):
        NONE = "", _("not sent (shown or printed)")
        EMAIL = "email", _("e-mail")
        SMS = "sms", _("text message")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="survey_links")
    version = models.ForeignKey(InstrumentVersion, on_delete=models.PROTECT, related_name="personal_links")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    expires_at = models.DateTimeField(_("expires"))
    sent_by = models.CharField(_("sent by"), max_length=8, choices=SentBy.choices, blank=True)
    # The paused (not yet submitted) answer, and after submission the submitted one.
    response = models.ForeignKey(Response, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    submitted_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("personal link")
        verbose_name_plural = _("personal links")

    def __str__(self) -> str:
        return f"{self.participant_id} · {self.version}"


class ClientPanel(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="client_panel")
    version = models.ForeignKey(InstrumentVersion, on_delete=models.PROTECT, related_name="client_panels")
    code = models.CharField(max_length=20, unique=True, editable=False)
    # On a shared tablet the one-answer-per-device rule is off and the form resets after each answer.
    kiosk = models.BooleanField(_("kiosk mode for a shared tablet"), default=False)
    is_open = models.BooleanField(_("open for answers"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("client panel")
        verbose_name_plural = _("client panels")

    def __str__(self) -> str:
        return f"{self.meeting_id} · {self.version}"


class PanelDevice(models.Model):
    """A device that answered a panel: a hash of the panel and the device cookie's random id."""

    panel = models.ForeignKey(ClientPanel, on_delete=models.CASCADE, related_name="devices")
    device_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["panel", "device_hash"], name="one_answer_per_device")]

    def __str__(self) -> str:
        return f"{self.panel_id} · {self.device_hash[:8]}"
