"""What a programme costs the organisations that run it: hourly rates by role, and costs entered.

Staff time is not typed in: it comes from the roll call (the facilitators present at each held
meeting, for the meeting's length plus the preparation time of their role), priced at the
organisation's hourly rate for the role. What the roll call does not show is entered as a
correction (a ``CostEntry`` of kind *staff*: a role and hours, negative to take hours away).
Every row belongs to the organisation that pays: each organisation running a programme (owner,
partner, adopter) keeps its own rates and costs for its own units. docs/evaluation.md, "Cost per
result", says how the report counts them.
"""

import uuid
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pilotti.organisations.models import Organisation
from pilotti.organisations.tenancy import TenantOwned
from pilotti.programmes.models import DeliveryUnit, FacilitatorRole, Programme


class HourlyRate(TenantOwned, models.Model):
    """What an hour of one role costs one organisation in one programme (salary with its side costs)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="hourly_rates")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="hourly_rates")
    role = models.CharField(_("role"), max_length=32, choices=FacilitatorRole.choices)
    euros_per_hour = models.DecimalField(
        _("euros an hour"), max_digits=8, decimal_places=2, validators=[MinValueValidator(0)]
    )
    # Preparation and record-keeping around each meeting, per facilitator present.
    preparation_minutes = models.PositiveSmallIntegerField(
        _("preparation per meeting, minutes"), default=0, validators=[MaxValueValidator(600)]
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["role"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "organisation", "role"], name="one_rate_per_role"),
            models.CheckConstraint(condition=Q(euros_per_hour__gte=0), name="rate_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.euros_per_hour} €/h"


class CostEntry(TenantOwned, models.Model):
    """One cost: for a unit, or for the programme as a whole (training, shared materials)."""

    class Kind(models.TextChoices):
        STAFF = "staff", _("staff time (correction)")
        INTERPRETER = "interpreter", _("interpreting")
        VENUE = "venue", _("venue")
        MATERIALS = "materials", _("materials")
        OTHER = "other", _("other")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="cost_entries")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="cost_entries")
    unit = models.ForeignKey(
        DeliveryUnit,
        on_delete=models.CASCADE,
        related_name="cost_entries",
        null=True,
        blank=True,
        verbose_name=_("unit"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    # Staff time: the role whose hourly rate prices the hours.
    role = models.CharField(_("role"), max_length=32, choices=FacilitatorRole.choices, blank=True)
    # Staff and interpreter hours; staff hours may be negative (a correction that takes time away).
    hours = models.DecimalField(_("hours"), max_digits=8, decimal_places=2, null=True, blank=True)
    # Euros; empty for hours priced at the role's rate.
    amount = models.DecimalField(_("amount, euros"), max_digits=10, decimal_places=2, null=True, blank=True)
    description = models.CharField(_("description"), max_length=300)
    spent_on = models.DateField(_("date"))
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["spent_on", "id"]
        verbose_name = _("cost")
        verbose_name_plural = _("costs")
        constraints = [
            # Staff time is hours of a role; interpreting hours or an invoice; the rest money.
            models.CheckConstraint(
                condition=(
                    Q(kind="staff", hours__isnull=False, amount__isnull=True) & ~Q(role="")
                    | Q(kind="interpreter") & (Q(hours__gt=0) | Q(amount__gte=0))
                    | Q(kind__in=["venue", "materials", "other"], amount__gte=0, hours__isnull=True)
                ),
                name="cost_entry_has_its_measure",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description}"


def entry_problems(*, kind: str, role: str, hours: Decimal | None, amount: Decimal | None) -> dict[str, str]:
    """What is missing or wrong in a cost of ``kind``, by field: the form shows them all at once
    and the service refuses the same (the constraint above is the database's last word)."""
    problems: dict[str, str] = {}
    if kind == CostEntry.Kind.STAFF:
        if not role:
            problems["role"] = gettext("Choose whose time this is.")
        if hours is None or hours == 0:
            problems["hours"] = gettext("Enter the hours (negative to take hours away).")
        if amount is not None:
            problems["amount"] = gettext("Staff time is priced at the role's hourly rate: leave the amount empty.")
    elif kind == CostEntry.Kind.INTERPRETER:
        if hours is not None and hours <= 0:
            problems["hours"] = gettext("Enter the hours interpreted, more than zero.")
        if amount is not None and amount < 0:
            problems["amount"] = gettext("Enter an amount of zero or more.")
        if hours is None and amount is None:
            problems["hours"] = gettext("Enter the hours interpreted, the invoiced amount, or both.")
    else:
        if amount is None or amount < 0:
            problems["amount"] = gettext("Enter an amount of zero or more.")
        if hours is not None:
            problems["hours"] = gettext("Only staff time and interpreting have hours.")
    return problems
