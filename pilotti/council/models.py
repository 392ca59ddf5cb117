"""The client council (asiakasraati): what participants suggested at a meeting, what was decided
and what was done, each with its day. The report lists them as "what participants changed"
(docs/evaluation.md, "The client council").

An item belongs to the organisation running the meeting's unit. Staff write the suggestion in the
group's words without names: the item is about the activity, not about a person, and it goes into
the shared report as written.
"""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pilotti.accounts.models import User
from pilotti.meetings.models import Meeting
from pilotti.organisations.models import Organisation
from pilotti.organisations.tenancy import TenantOwned


class Decision(models.TextChoices):
    OPEN = "open", _("not decided yet")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")


class CouncilItem(TenantOwned, models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="council_items")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="council_items")
    suggestion = models.TextField(_("what participants suggested"), max_length=2000)
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices, default=Decision.OPEN)
    decision_text = models.TextField(_("what was decided"), max_length=2000, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    action = models.TextField(_("what was done"), max_length=2000, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["meeting__starts_at", "id"]
        verbose_name = _("client council item")
        verbose_name_plural = _("client council items")
        constraints = [
            # A decision has its day; what was done comes after a decision to do it.
            models.CheckConstraint(
                condition=Q(decision="open", decided_on__isnull=True)
                | ~Q(decision="open") & Q(decided_on__isnull=False),
                name="council_decision_has_its_day",
            ),
            models.CheckConstraint(
                condition=Q(done_on__isnull=True) | Q(decision="accepted"),
                name="council_done_only_when_accepted",
            ),
        ]

    def __str__(self) -> str:
        return self.suggestion[:60]
