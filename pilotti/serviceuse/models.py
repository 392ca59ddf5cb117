"""Service use before and after: how many contacts a person or a household had with a named
service (family work, child protection notifications, emergency visits) in a period before the
support started and in as long a period after it ended. The report compares the two with a paired
test (docs/evaluation.md, "Service use before and after").

A programme's owner names its services and the length of the periods; each organisation's
coordinators record the counts of their own people, typed in or imported from a spreadsheet.
A count belongs to the organisation of its person or household, as their other data do.
"""

import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pilotti.accounts.models import User
from pilotti.organisations.models import Organisation
from pilotti.organisations.tenancy import TenantOwned
from pilotti.people.models import Household, Participant
from pilotti.programmes.models import Programme


class Service(TenantOwned, models.Model):
    """A service whose use the programme follows, e.g. family work."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="followed_services")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="followed_services")
    name = models.CharField(_("service"), max_length=120)
    description = models.CharField(_("what is counted"), max_length=300, blank=True)
    period_months = models.PositiveSmallIntegerField(
        _("months before and after"), default=6, validators=[MinValueValidator(1), MaxValueValidator(36)]
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["programme", "name"], name="one_service_per_name")]

    def __str__(self) -> str:
        return self.name


class ServiceUse(TenantOwned, models.Model):
    """One person's or household's contacts with one service, before and after."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="service_uses")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="uses")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, null=True, blank=True, related_name="service_uses"
    )
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, null=True, blank=True, related_name="service_uses"
    )
    # The before period is the service's months up to the day the support started; the after
    # period as many months from the day it ended.
    support_started_on = models.DateField(_("support started on"))
    support_ended_on = models.DateField(_("support ended on"))
    before_count = models.PositiveIntegerField(_("contacts before"))
    # Empty until the after period has been counted.
    after_count = models.PositiveIntegerField(_("contacts after"), null=True, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["service__name", "support_started_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(participant__isnull=False, household__isnull=True)
                | Q(participant__isnull=True, household__isnull=False),
                name="service_use_of_a_person_or_a_household",
            ),
            models.CheckConstraint(
                condition=Q(support_ended_on__gte=models.F("support_started_on")), name="service_use_ends_after_start"
            ),
            models.UniqueConstraint(fields=["service", "participant"], name="one_service_use_per_person"),
            models.UniqueConstraint(fields=["service", "household"], name="one_service_use_per_household"),
        ]

    def __str__(self) -> str:
        return f"{self.service}: {self.before_count} → {self.after_count}"

    @property
    def code(self) -> str:
        return self.participant.code if self.participant else self.household.code if self.household else ""
