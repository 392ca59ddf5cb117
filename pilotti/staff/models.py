"""The people who deliver a programme: staff and volunteers, their trainings, and staff targets.

A staff member is not a participant: nurses, peer instructors, interpreters and volunteers who
run a programme's units are kept here, never as participants, so that no funnel, report or
recruitment target counts them (Tampere's ten public health nurses were once a participant
segment). A staff member may sign in (``user``) or not: many peer instructors and volunteers
never do. The name and contact details identify a person, so they are encrypted at rest, in the
history table too, like participants' (people.fields.EncryptedTextField).

Every row belongs to the organisation the person works for; each organisation running a
programme (owner, partner, adopter) keeps its own roster. A programme's trainings (e.g.
Pakolaisapu's Kasvokkain facilitator training) and its staff targets are the owner's plan.
"""

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pilotti.organisations.models import Organisation
from pilotti.organisations.tenancy import TenantOwned
from pilotti.people.fields import EncryptedTextField
from pilotti.programmes.models import Archivable, DeliveryUnit, FacilitatorRole, Programme

VOLUNTEER = "volunteer"
# The facilitator roles of a programme's plan, and volunteers who help without facilitating.
ROLE_CHOICES = [*FacilitatorRole.choices, (VOLUNTEER, _("volunteer"))]


class StaffMember(TenantOwned, Archivable):
    """One person on an organisation's roster for a programme. Archived when they leave: kept with
    their trainings and history, off the roster, restorable."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="staff_members")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="staff_members")
    name = EncryptedTextField(_("name"))
    role = models.CharField(_("role"), max_length=32, choices=ROLE_CHOICES)
    title = models.CharField(
        _("title or workplace"), max_length=200, blank=True, help_text=_("E.g. public health nurse, Hervanta clinic.")
    )
    phone = EncryptedTextField(_("phone"), blank=True)
    email = EncryptedTextField(_("e-mail"), blank=True)
    units: "models.ManyToManyField[DeliveryUnit, models.Model]" = models.ManyToManyField(
        DeliveryUnit, related_name="staff_members", blank=True, verbose_name=_("units they work in")
    )
    # Set when the person also signs in to Pilotti; most peer instructors and volunteers do not.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff_records",
        verbose_name=_("user account"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords(m2m_fields=[units], excluded_fields=["created_at"])

    class Meta:
        ordering = ["id"]  # the name is ciphertext: lists are sorted by name after decrypting
        verbose_name = _("staff member")
        verbose_name_plural = _("staff and volunteers")

    def __str__(self) -> str:
        return f"{self.get_role_display()} · {self.uuid}"


class Training(models.Model):
    """A training the programme's staff take, e.g. the Kasvokkain facilitator training."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="trainings")
    name = models.CharField(_("training"), max_length=200)
    provider = models.CharField(_("provider"), max_length=200, blank=True, help_text=_("Who gives the training."))
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["programme", "name"], name="one_training_name")]
        verbose_name = _("training")
        verbose_name_plural = _("trainings")

    def __str__(self) -> str:
        return self.name


class TrainingRecord(models.Model):
    """One staff member's training: when, by whom, whether completed, the certificate and until when
    it holds. A person counts as trained on a day when a completed record holds on it."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    member = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="training_records")
    training = models.ForeignKey(Training, on_delete=models.PROTECT, related_name="records")
    trained_on = models.DateField(_("date"))
    trainer = models.CharField(_("trainer"), max_length=200, blank=True)
    completed = models.BooleanField(_("completed"), default=True)
    certificate = models.CharField(
        _("certificate"), max_length=200, blank=True, help_text=_("Its number or where it is kept, if one was given.")
    )
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["-trained_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("trained_on")),
                name="training_valid_after_it_was_given",
            )
        ]
        verbose_name = _("training record")
        verbose_name_plural = _("training records")

    def __str__(self) -> str:
        return f"{self.training_id} · {self.trained_on}"

    def holds_on(self, day: date) -> bool:
        return self.completed and self.trained_on <= day and (self.valid_until is None or self.valid_until >= day)


class StaffTarget(models.Model):
    """How many people of a role the programme means to have, e.g. ten public health nurses.
    Kept apart from the recruitment targets (programmes.TargetSegment), which count participants."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="staff_targets")
    role = models.CharField(_("role"), max_length=32, choices=ROLE_CHOICES)
    target = models.PositiveIntegerField(_("target"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["role"]
        constraints = [models.UniqueConstraint(fields=["programme", "role"], name="one_staff_target_per_role")]
        verbose_name = _("staff target")
        verbose_name_plural = _("staff targets")

    def __str__(self) -> str:
        return f"{self.role}: {self.target}"
