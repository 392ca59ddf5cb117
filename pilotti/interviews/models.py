"""Interviews and focus groups, the theme codebook, coded excerpts and the quote bank.

Each organisation running a programme (owner, partner, adopter) keeps its own interviews,
codebook and excerpts, as it keeps its own costs. What can identify a person — an interview's
notes or transcript, and an excerpt's words until someone has checked them — is a
``people.fields.EncryptedTextField``, encrypted at rest like contact details (the history tables
hold ciphertext too). Participants are named only by their pseudonymous code; staff by role;
partners by their organisation and role, never by name.

An excerpt is a passage of an interview's transcript, of a free-text answer or of a meeting's
notes, tagged with one or more themes. It becomes a quote, publishable in the shared report, only
when someone has checked it for identifying details: ``checked_by`` and ``checked_at`` say who and
when, and a later change to its words takes the mark away (the new words were not checked).
docs/evaluation.md, "What people said", says how the report counts themes.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from pilotti.instruments.models import Answer
from pilotti.meetings.models import Meeting
from pilotti.organisations.models import Organisation
from pilotti.organisations.tenancy import TenantOwned
from pilotti.people.fields import EncryptedTextField
from pilotti.people.models import Participant
from pilotti.programmes.models import DeliveryUnit, Programme


class Interview(TenantOwned, models.Model):
    class Kind(models.TextChoices):
        INTERVIEW = "interview", _("interview")
        FOCUS_GROUP = "focus_group", _("focus group")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="interviews")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="interviews")
    unit = models.ForeignKey(
        DeliveryUnit,
        on_delete=models.SET_NULL,
        related_name="interviews",
        null=True,
        blank=True,
        verbose_name=_("unit"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.INTERVIEW)
    title = models.CharField(_("title"), max_length=200, help_text=_("E.g. Parents after the group, spring."))
    held_on = models.DateField(_("date"))
    # The interview guide: one question a line, kept with the interview it was asked in.
    guide = models.TextField(_("interview guide's questions"), blank=True, help_text=_("One question a line."))
    # Notes or the transcript: typed, or read from an uploaded .txt or .docx.
    notes = EncryptedTextField(_("notes or transcript"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")

    def __str__(self) -> str:
        return f"{self.title} {self.held_on}"

    def questions(self) -> list[str]:
        return [line.strip() for line in self.guide.splitlines() if line.strip()]


class Interviewee(models.Model):
    """One person interviewed: a participant by code, a staff member by role, a partner by
    organisation and role. Each row is one person in the report's counts; a participant is one
    person however many interviews they took part in."""

    class Kind(models.TextChoices):
        PARTICIPANT = "participant", _("participant")
        STAFF = "staff", _("staff member")
        # Not the household's partner (a spouse): a partner organisation's worker.
        PARTNER = "partner", pgettext_lazy("interviewee", "partner")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="interviewees")
    kind = models.CharField(_("who"), max_length=16, choices=Kind.choices)
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, null=True, blank=True, related_name="interviews"
    )
    role = models.CharField(_("role"), max_length=200, blank=True, help_text=_("A role or organisation, never a name."))
    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="participant", participant__isnull=False)
                | Q(~Q(kind="participant"), participant__isnull=True) & ~Q(role=""),
                name="interviewee_is_a_participant_or_a_role",
            ),
            models.UniqueConstraint(fields=["interview", "participant"], name="participant_once_per_interview"),
        ]
        verbose_name = _("interviewee")
        verbose_name_plural = _("interviewees")

    def __str__(self) -> str:
        return self.label()

    def label(self) -> str:
        if self.participant is not None:
            return self.participant.code
        return f"{self.get_kind_display()}: {self.role}"


class Theme(TenantOwned, models.Model):
    """A theme of a programme's codebook; a theme may sit under a parent theme (two levels)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="themes")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="themes")
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent theme"),
    )
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True, help_text=_("What belongs under this theme."))
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "organisation", "name"], name="theme_name_once_per_codebook")
        ]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.name


class Excerpt(TenantOwned, models.Model):
    """A passage of one source, tagged with themes; a quote once checked and marked publishable."""

    class Source(models.TextChoices):
        INTERVIEW = "interview", _("interview")
        ANSWER = "answer", _("free-text answer")
        MEETING = "meeting", _("meeting notes")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="excerpts")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="excerpts")
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, null=True, blank=True, related_name="excerpts")
    # Who said it, of the interview's interviewees; empty for a focus group's shared passage.
    speaker = models.ForeignKey(
        Interviewee,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="excerpts",
        verbose_name=_("who said it"),
    )
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, null=True, blank=True, related_name="excerpts")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, null=True, blank=True, related_name="excerpts")
    text = EncryptedTextField(_("excerpt"))
    themes = models.ManyToManyField(Theme, related_name="excerpts", blank=True, verbose_name=_("themes"))
    # The quote bank: publishable only after a check for identifying details, by whom and when.
    publishable = models.BooleanField(_("publishable"), default=False)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    checked_at = models.DateTimeField(_("checked"), null=True, blank=True)
    check_note = models.CharField(_("what the check found"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["created_at"], m2m_fields=[themes])

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(source="interview", interview__isnull=False, answer__isnull=True, meeting__isnull=True)
                | Q(source="answer", answer__isnull=False, interview__isnull=True, meeting__isnull=True)
                | Q(source="meeting", meeting__isnull=False, interview__isnull=True, answer__isnull=True),
                name="excerpt_has_one_source",
            ),
            models.CheckConstraint(
                condition=Q(publishable=False) | Q(checked_at__isnull=False),
                name="publishable_only_when_checked",
            ),
        ]
        verbose_name = _("excerpt")
        verbose_name_plural = _("excerpts")

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.pk}"
