"""The model's handbook: the files a programme is run with — the worker's guide, method cards,
curriculum materials, consent templates — each kept in every version that was uploaded.

Files describe the model, not people: they are meant to hold no personal data, so reading them
is not access-logged (docs/programmes.md, "The handbook"). Every version stays; a new upload
becomes the current one, and the earlier ones remain downloadable with who uploaded them and why.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from pilotti.organisations.tenancy import TenantOwned
from pilotti.programmes.models import Programme


class Kind(models.TextChoices):
    WORKER_GUIDE = "worker_guide", _("worker's guide")
    METHOD_CARD = "method_card", _("method card")
    CURRICULUM = "curriculum", _("curriculum material")
    CONSENT_TEMPLATE = "consent_template", _("consent template")
    OTHER = "other", pgettext_lazy("handbook file", "other")


class HandbookFile(TenantOwned, models.Model):
    """One document of the handbook; its content is in its versions."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="handbook_files")
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A corrected title or kind, and a removed file, keep who did it and why.
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["kind", "title", "id"]

    def __str__(self) -> str:
        return self.title


def _stored_name(version: "HandbookVersion", filename: str) -> str:
    # Never the uploaded name on disk: the path is made of ids, the name is kept in the row.
    return f"handbook/{version.file.programme.uuid}/{version.uuid}"


class HandbookVersion(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file = models.ForeignKey(HandbookFile, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    content = models.FileField(upload_to=_stored_name, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["file", "number"], name="one_handbook_version_number")]

    def __str__(self) -> str:
        return f"{self.file} v{self.number}"
