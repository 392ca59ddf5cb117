"""Programmes (a support model or pilot), their sites and delivery units (their meetings: pilotti.meetings).

Every tenant-owned row carries its organisation: a programme its owner, a site and a
delivery unit the organisation that uses or runs it. Reads go through selectors.py.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pilotti.organisations.models import Organisation
from pilotti.organisations.tenancy import TenantOwned


class Archivable(models.Model):
    """Archived: hidden from lists, kept with its history, restorable. A programme, site or unit with
    data cannot be deleted, only archived; an archived one takes no new enrolments, units or meetings.
    Who archived it, and why, is in its history (simple-history's user and the reason kept here)."""

    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    archive_reason = models.CharField(_("why it was archived"), max_length=300, blank=True)

    class Meta:
        abstract = True

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class Mode(models.TextChoices):
    IN_PERSON = "in_person", _("in person")
    REMOTE = "remote", _("remote")
    HYBRID = "hybrid", _("hybrid")


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("weekly")
    WEEKDAYS = "weekdays", _("twice a week on chosen weekdays")
    EVERY_N_WEEKS = "every_n_weeks", _("every few weeks")


class FacilitatorRole(models.TextChoices):
    SOCIAL_CARE = "social_care", _("social care professional")
    HEALTH_CARE = "health_care", _("health care professional")
    PUBLIC_HEALTH_NURSE = "public_health_nurse", _("public health nurse")
    PRACTICAL_NURSE = "practical_nurse", _("practical nurse")
    SOCIAL_COUNSELLOR = "social_counsellor", _("social counsellor")
    PEER_INSTRUCTOR = "peer_instructor", _("peer instructor")
    INTERPRETER = "interpreter", _("interpreter")
    OTHER = "other", _("other facilitator")


class Programme(TenantOwned, Archivable):
    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        ACTIVE = "active", _("active")
        ENDED = "ended", _("ended")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="programmes", verbose_name=_("owner")
    )
    partners: "models.ManyToManyField[Organisation, Partnership]" = models.ManyToManyField(
        Organisation, through="Partnership", related_name="partner_programmes", blank=True
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PLANNED)
    starts_on = models.DateField(_("period starts"), null=True, blank=True)
    ends_on = models.DateField(_("period ends"), null=True, blank=True)
    target_groups = models.TextField(_("target groups"), blank=True)
    # The session plan: what a unit of this programme is meant to look like.
    meetings_min = models.PositiveSmallIntegerField(_("meetings, at least"), null=True, blank=True)
    meetings_max = models.PositiveSmallIntegerField(_("meetings, at most"), null=True, blank=True)
    frequency = models.CharField(_("frequency"), max_length=16, choices=Frequency.choices, default=Frequency.WEEKLY)
    duration_minutes = models.PositiveSmallIntegerField(_("meeting length in minutes"), default=90)
    mode = models.CharField(_("mode"), max_length=16, choices=Mode.choices, default=Mode.IN_PERSON)
    facilitator_roles = models.JSONField(_("facilitator roles"), default=list, blank=True)
    interpreter_language = models.CharField(_("interpreter language"), max_length=100, blank=True)
    measurement_plan = models.TextField(_("measurement plan"), blank=True)
    # How many roll calls in a row a person may miss, not excused, before their facilitator is asked
    # to call them ("waiting for you", meetings.selectors.waiting_for); two is PMM's default. At most
    # six: the list looks six weeks back, so a weekly group's longer run would never show.
    absences_before_call = models.PositiveSmallIntegerField(
        _("absences in a row before a call"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(6)],
        help_text=_("A person absent from this many meetings in a row, not excused, is on the facilitator's list."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["name"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.name

    def facilitator_role_labels(self) -> list[str]:
        labels = dict(FacilitatorRole.choices)
        return [str(labels.get(role, role)) for role in self.facilitator_roles]


class Partnership(TenantOwned, models.Model):
    """A partner organisation runs the programme with its owner; its members get their role's access."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="partnerships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="partnerships")
    created_at = models.DateTimeField(auto_now_add=True)
    # Removing a partner or an adopter takes access away: the history keeps who did it and why.
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        constraints = [models.UniqueConstraint(fields=["programme", "organisation"], name="one_partnership")]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.programme}"


class PartnershipInvitation(TenantOwned, models.Model):
    """The owner's proposal that an organisation become a partner; a partnership exists only once
    an admin of that organisation accepts. Until then neither side sees anything of the other
    (issue 19: an owner could name any organisation a partner and be listed with it in reports)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for an answer")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="partner_invitations")
    # The invited organisation: its admins answer.
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="partner_invitations")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    invited_at = models.DateTimeField(auto_now_add=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    why = models.CharField(_("reason"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-invited_at"]
        constraints = [
            # One open question per programme and organisation; answered ones stay as history.
            models.UniqueConstraint(
                fields=["programme", "organisation"],
                condition=models.Q(status="pending"),
                name="one_pending_partner_invitation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.programme} ({self.status})"


class Adoption(TenantOwned, models.Model):
    """Another organisation runs the model on its own; its units and data stay its own."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="adoptions")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="adoptions")
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["organisation__name"]
        constraints = [models.UniqueConstraint(fields=["programme", "organisation"], name="one_adoption")]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.programme}"


class TargetSegment(models.Model):
    """A recruitment target, e.g. 20 immigrant families."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="segments")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("segment"), max_length=200)
    target = models.PositiveIntegerField(_("target"))

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.name}: {self.target}"


class CurriculumTopic(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="topics")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("topic"), max_length=200)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class Site(TenantOwned, Archivable):
    """A venue, or the remote setting, where an organisation runs units of a programme."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="sites")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="sites")
    name = models.CharField(_("venue name"), max_length=200)
    is_remote = models.BooleanField(_("remote"), default=False, help_text=_("Meetings by video or phone."))
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)
    accessibility_notes = models.TextField(_("accessibility notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Archiving, restoring and deleting a site: the history keeps who and why.
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["municipality", "name"]
        constraints = [models.UniqueConstraint(fields=["programme", "organisation", "name"], name="one_site_name")]

    def __str__(self) -> str:
        return f"{self.municipality}: {self.name}" if self.municipality else self.name


class DeliveryUnit(TenantOwned, Archivable):
    """A group at a venue or remote, or one household's own track of meetings."""

    class Kind(models.TextChoices):
        GROUP = "group", _("group")
        HOUSEHOLD_TRACK = "household_track", _("household track")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        RECRUITING = "recruiting", _("recruiting")
        RUNNING = "running", _("running")
        COMPLETED = "completed", _("completed")
        DISCONTINUED = "discontinued", _("discontinued")
        CANCELLED = "cancelled", _("cancelled")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="units")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="units")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="units", null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.GROUP)
    name = models.CharField(_("name"), max_length=200)
    capacity = models.PositiveSmallIntegerField(_("capacity"), null=True, blank=True)
    minimum_size = models.PositiveSmallIntegerField(_("minimum size"), null=True, blank=True)
    languages = models.CharField(_("languages used"), max_length=200, blank=True)
    interpreter_language = models.CharField(_("interpreter language"), max_length=100, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("meeting length in minutes"), default=90)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PLANNED)
    status_changed_on = models.DateField(_("status date"), null=True, blank=True)
    status_reason = models.TextField(_("reason"), blank=True)
    replacement = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replaces", verbose_name=_("replaced by")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["name"]
        verbose_name = _("delivery unit")
        verbose_name_plural = _("delivery units")

    def __str__(self) -> str:
        return self.name

    @property
    def is_closed(self) -> bool:
        return self.status in {self.Status.COMPLETED, self.Status.DISCONTINUED, self.Status.CANCELLED}


class UnitBreak(models.Model):
    """Dates the unit does not meet, e.g. a Christmas break."""

    unit = models.ForeignKey(DeliveryUnit, on_delete=models.CASCADE, related_name="breaks")
    first = models.DateField(_("first day"))
    last = models.DateField(_("last day"))

    class Meta:
        ordering = ["first"]

    def __str__(self) -> str:
        return f"{self.first}–{self.last}"


class UnitFacilitator(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    unit = models.ForeignKey(DeliveryUnit, on_delete=models.CASCADE, related_name="facilitators")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="facilitated_units")
    role = models.CharField(_("role in the unit"), max_length=32, choices=FacilitatorRole.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["unit", "user"], name="one_assignment_per_unit")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"
