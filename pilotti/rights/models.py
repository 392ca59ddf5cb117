"""The disclosure log (luovutusloki) and the record of erasures.

A disclosure is data about a person sent outside the organisation: who received it, on what
legal basis, what was sent, when and by whom (client-data act 703/2023; docs/compliance.md, Legal references). Like the
access log it is append-only: the application refuses to change or delete a row and, on
PostgreSQL, so does the database (migration 0002).

An erasure record says that a person's identifying data was erased, when, by whom and under
which policy, with counts — and nothing that names the person.
"""

import uuid
from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pilotti.audit.models import AppendOnlyError


class DisclosureQuerySet(models.QuerySet["Disclosure"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("The disclosure log cannot be changed.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("The disclosure log cannot be deleted.")


class Disclosure(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    participant = models.ForeignKey("people.Participant", on_delete=models.PROTECT, related_name="disclosures")
    recipient = models.CharField(_("recipient"), max_length=200)
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    what = models.CharField(_("what was disclosed"), max_length=300)
    disclosed_on = models.DateField(_("disclosed on"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_by_email = models.CharField(_("recorded by"), max_length=254)
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = DisclosureQuerySet.as_manager()

    class Meta:
        ordering = ["-disclosed_on", "-id"]
        base_manager_name = "objects"
        verbose_name = _("disclosure")
        verbose_name_plural = _("disclosure log")

    def __str__(self) -> str:
        return f"{self.disclosed_on} → {self.recipient}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("The disclosure log cannot be changed.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("The disclosure log cannot be deleted.")


class ErasureReason(models.TextChoices):
    REQUEST = "request", _("the person asked (GDPR Art. 17)")
    RETENTION = "retention", _("the retention period ended")


class ErasureRecord(models.Model):
    """No name, no code: only that an erasure happened. ``participant`` (or ``household``) points
    at the row left behind, which after erasure identifies nobody; it lets retention skip people
    already done."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    participant = models.OneToOneField(
        "people.Participant", on_delete=models.PROTECT, related_name="erasure", null=True, blank=True
    )
    # A household's own record (its members each have theirs); lets the page say it was done.
    household = models.OneToOneField(
        "people.Household", on_delete=models.PROTECT, related_name="erasure", null=True, blank=True
    )
    at = models.DateTimeField(_("erased"), default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    by_email = models.CharField(_("erased by"), max_length=254)
    reason = models.CharField(_("reason"), max_length=16, choices=ErasureReason.choices)
    policy = models.CharField(_("policy for answers"), max_length=16)
    counts = models.JSONField(_("what was erased"), default=dict)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.reason}"
