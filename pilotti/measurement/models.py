"""The measurement plan of a programme and the safety alerts raised by answers.

A plan entry says which instrument is given when (intake, every meeting, at the end, a
follow-up some weeks after the end) and to whom (participants, a household's parents, the
workers). The due questionnaires are not stored: ``selectors.due_questionnaires`` computes them from the
plan, the enrolments and the meetings, and looks up the submitted answers in the same query.

A safety alert is raised at once when a participant answers a safety item above zero (PHQ-9
item 9, EPDS item 10, CORE-10 item 6). It stays until one of the responsible workers
acknowledges it; every change keeps history.
"""

import uuid
from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pilotti.instruments.models import Instrument, Response
from pilotti.meetings.models import Meeting
from pilotti.organisations.models import Organisation
from pilotti.organisations.tenancy import TenantOwned
from pilotti.people.fields import EncryptedTextField
from pilotti.people.models import Participant
from pilotti.programmes.models import DeliveryUnit, Programme


class When(models.TextChoices):
    INTAKE = "intake", _("at intake")
    EVERY_MEETING = "every_meeting", _("after every meeting")
    END = "end", _("at the end")
    FOLLOW_UP = "follow_up", _("follow-up after the end")


class Audience(models.TextChoices):
    PARTICIPANTS = "participants", _("participants")
    PARENTS = "parents", _("a household's parents")
    STAFF = "staff", _("workers (facilitators)")


class PlanEntry(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="plan_entries")
    instrument = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, related_name="plan_entries", verbose_name=_("instrument")
    )
    when = models.CharField(_("when"), max_length=16, choices=When.choices)
    follow_up_weeks = models.PositiveSmallIntegerField(
        _("weeks after the end"), null=True, blank=True, help_text=_("Only for a follow-up.")
    )
    audience = models.CharField(_("who answers"), max_length=16, choices=Audience.choices)
    # The client panel: answered without a name, so it is counted per meeting, never per person.
    anonymous = models.BooleanField(
        _("anonymous (client panel)"),
        default=False,
        help_text=_("Answers are counted per meeting; nobody is chased for a missing answer."),
    )
    window_days = models.PositiveSmallIntegerField(
        _("days either side of the due date"),
        default=14,
        help_text=_("An answer given this many days before or after the due date counts."),
    )
    # The pilot's one primary outcome (docs/evaluation.md, Before and after): the report labels
    # its before/after as primary and every other measure as secondary. One per programme.
    primary_outcome = models.BooleanField(
        _("primary outcome"),
        default=False,
        help_text=_(
            "The one outcome the pilot is judged by, declared before the results are seen; every other "
            "questionnaire's results are reported as secondary. Marking this entry unmarks any other."
        ),
    )
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme"], condition=models.Q(primary_outcome=True), name="one_primary_outcome_per_programme"
            )
        ]
        verbose_name = _("measurement plan entry")
        verbose_name_plural = _("measurement plan entries")

    def __str__(self) -> str:
        return f"{self.programme}: {self.instrument} {self.when}"


class SafetyAlert(TenantOwned, models.Model):
    """A safety item answered above zero. Shown to the participant's responsible workers until acknowledged."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="safety_alerts")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="safety_alerts")
    response = models.OneToOneField(Response, on_delete=models.PROTECT, related_name="safety_alert")
    items = models.JSONField(_("safety items answered above zero"), default=list)  # item keys
    raised_at = models.DateTimeField(_("raised"))
    notified = models.PositiveSmallIntegerField(_("workers notified by e-mail"), default=0)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    note = models.TextField(_("what was done"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-raised_at", "-id"]
        indexes = [models.Index(fields=["organisation", "acknowledged_at"])]

    def __str__(self) -> str:
        return f"{self.participant} {self.raised_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.acknowledged_at is None


class Invitation(TenantOwned, models.Model):
    """One person's invitation to answer one plan entry at one measurement point.

    Written by ``invitations.send_due`` (cron, ``manage.py send_questionnaire_invitations``) or
    by "send now" on the due list. ``point`` names the measurement point: ``intake``, ``end``,
    ``follow_up`` or ``meeting:<uuid>``; one invitation per person, entry and point (a second
    server that races to write the same row gets an IntegrityError and skips). Each message,
    the invitation and every reminder, is an ``InvitationMessage`` claim row.

    The link's token is kept encrypted so that reminders carry the same link; it is erased
    once the invitation is answered or has expired.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", _("e-mail")
        SMS = "sms", _("text message")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    entry = models.ForeignKey(PlanEntry, on_delete=models.CASCADE, related_name="invitations")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="questionnaire_invitations")
    unit = models.ForeignKey(DeliveryUnit, on_delete=models.PROTECT, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    point = models.CharField(max_length=60)
    due_on = models.DateField(_("due"))
    expires_at = models.DateTimeField(_("expires"))
    channel = models.CharField(_("sent by"), max_length=8, choices=Channel.choices)
    language = models.CharField(_("language"), max_length=8)
    link_uuid = models.UUIDField(null=True, blank=True)  # the surveys app's personal link
    token = EncryptedTextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("last reminded"), null=True, blank=True)
    reminders = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    # A refused address (the mail server said no such recipient): not retried, shown on the person's page.
    bounced_at = models.DateTimeField(_("address refused"), null=True, blank=True)
    bounced_address = EncryptedTextField(blank=True)  # nothing more goes to it; a new address is tried
    failures = models.PositiveSmallIntegerField(_("failed attempts"), default=0)
    last_error = models.CharField(max_length=200, blank=True)
    sent_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "participant", "point"], name="one_invitation_per_point")
        ]
        indexes = [models.Index(fields=["participant", "answered_at"])]
        verbose_name = _("questionnaire invitation")
        verbose_name_plural = _("questionnaire invitations")

    def __str__(self) -> str:
        return f"{self.participant_id} · {self.entry_id} · {self.point}"

    def status(self, now: datetime) -> str:
        """answered · refused (the address bounced) · expired · reminded · sent · failing · waiting."""
        if self.answered_at is not None:
            return "answered"
        if self.bounced_at is not None:
            return "refused"
        if self.expires_at <= now:
            return "expired"
        if self.sent_at is not None:
            return "reminded" if self.reminders else "sent"
        return "failing" if self.failures else "waiting"


class InvitationMessage(models.Model):
    """The claim row of one message: number 0 is the invitation, 1, 2 … the reminders.

    Written (and committed) before sending, as meeting reminders do: a parallel run that
    tries to write the same number gets an IntegrityError and sends nothing. A failed send
    deletes the row, so the next run tries again; ``delivered_at`` is set once it went out.
    """

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="messages")
    number = models.PositiveSmallIntegerField()
    channel = models.CharField(max_length=8, choices=Invitation.Channel.choices)
    claimed_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["invitation", "number"], name="one_message_per_invitation_and_number")
        ]

    def __str__(self) -> str:
        return f"{self.invitation_id} #{self.number}"
