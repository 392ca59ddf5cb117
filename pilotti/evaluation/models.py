"""Files made in the background for one user: a report's PDF or a data export (files.py;
docs/deployment.md, "Background tasks and the worker"). The file itself sits in the default
storage; this row says whose it is, what it holds, and until when it may be downloaded."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class GeneratedFile(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("being prepared")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="generated_files")
    programme = models.ForeignKey("programmes.Programme", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(
        "programmes.DeliveryUnit", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # "pdf" for the report, else one of exports.FORMATS.
    format = models.CharField(max_length=10)
    # The report page's filters as they were asked for (a URL query string), rebuilt by the task.
    query = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(upload_to="generated/%Y/%m/", blank=True)
    filename = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    # Whose data the file holds (participant primary keys): each download is written to their
    # access logs, as the export was before it ran in the background.
    participant_ids = models.JSONField(default=list, blank=True)
    log_item = models.CharField(max_length=300, blank=True)  # the access log's "what": format and scope
    language = models.CharField(max_length=10)  # the requester's, for the PDF's words
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.format} {self.programme_id} {self.status}"

    @property
    def is_export(self) -> bool:
        return self.format != "pdf"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_slow(self) -> bool:
        """Still being prepared after the time it should take: the waiting page says so."""
        expected = timedelta(seconds=settings.GENERATED_FILE_EXPECTED_SECONDS)
        return self.status == self.Status.PENDING and self.created_at < timezone.now() - expected


class Change(models.Model):
    """One write to a table the report reads, for one programme or for all (``versions``)."""

    programme_key = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["programme_key", "id"], name="evaluation_change_version")]

    def __str__(self) -> str:
        return f"change {self.pk} of programme {self.programme_key or 'all'}"


class SharedRelease(models.Model):
    """A set of shared reports of a programme as it left (``suppression.Release``): what was
    published and the internal counts behind it, so that every later shared report of the
    programme (another period, another viewer's units, the same period on another day) is
    protected together with it (``releases``; docs/evaluation.md, Small numbers, rule 13). Counts
    only: no per-participant rows, free text or reasons are kept."""

    programme = models.ForeignKey("programmes.Programme", on_delete=models.CASCADE, related_name="+")
    # SHA-256 of what is kept: one row per distinct release, however often it is shown.
    digest = models.CharField(max_length=64)
    published = models.JSONField()  # by scope: the shared reports' filters and tables
    internal = models.JSONField()  # the same reports before suppression
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["programme", "digest"], name="evaluation_release_once")]

    def __str__(self) -> str:
        return f"release {self.digest[:8]} of programme {self.programme_id}"
