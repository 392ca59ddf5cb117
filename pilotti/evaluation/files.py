"""Report PDFs and data exports, made in the background (``tasks.make_file``) and downloaded later.

A request writes a ``GeneratedFile`` row and enqueues the task; the task rebuilds the report or
the data set *as the requesting user* (the same scoping as the page), writes the file to the
default storage and marks the row ready. Downloads check the scope again and, for exports, write
the access log of everyone in the file, as the direct download did. Files expire after
``GENERATED_FILE_HOURS``; ``prune`` deletes them and their rows.
"""

import hashlib
import json
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify

from pilotti.accounts.models import User
from pilotti.core import leases
from pilotti.evaluation import charts, exports, pdf, selectors, services, suppression
from pilotti.evaluation.forms import ReportFilterForm
from pilotti.evaluation.models import GeneratedFile
from pilotti.organisations.viewer import Viewer
from pilotti.people.models import Participant
from pilotti.programmes.models import DeliveryUnit, Programme

logger = logging.getLogger("pilotti.evaluation.files")
Status = GeneratedFile.Status
PDF_CONTENT_TYPE = "application/pdf"


def report_for(
    viewer: Viewer, programme: Programme, unit: DeliveryUnit | None, query: QueryDict
) -> tuple[dict[str, Any], ReportFilterForm]:
    """The report the page shows for these filters, with its charts: the page and the PDF share it."""
    internal_allowed = selectors.may_see_internal(viewer, programme)
    form = ReportFilterForm(
        query or None, units=selectors.report_units(viewer, programme), internal_allowed=internal_allowed
    )
    report = services.report_build(
        viewer=viewer,
        programme=programme,
        filters=form.filters(unit),
        shared=form.wants_shared() or not internal_allowed,
    )
    return charts.with_charts(report), form


def export_filters(
    viewer: Viewer, programme: Programme, unit: DeliveryUnit | None, query: QueryDict
) -> tuple[selectors.Filters | None, ReportFilterForm]:
    """The export's filters; None when the form has errors (never the whole programme in place
    of a mistyped period)."""
    form = ReportFilterForm(query or None, units=selectors.report_units(viewer, programme), internal_allowed=True)
    return (None if form.errors else form.filters(unit)), form


def log_item(format: str, programme: Programme, filters: selectors.Filters) -> str:
    """What the access log says was exported: the format and the scope."""
    period = f"{filters.since or '…'}–{filters.until or '…'}"
    where = f"{programme.slug}{f' / {filters.unit.name}' if filters.unit else ''}"
    return f"{format} export: {where}, {period}"


def visible_to(viewer: Viewer) -> QuerySet[GeneratedFile]:
    """The files the viewer asked for, of programmes whose report they may still open."""
    return GeneratedFile.objects.filter(
        requested_by=viewer.user, programme__in=selectors.reports_visible_to(viewer)
    ).select_related("programme", "unit")


def still_allowed(viewer: Viewer, generated: GeneratedFile) -> bool:
    """The scope is checked again when the file is delivered: a unit the user no longer sees, or
    an export by someone who lost the internal view, is not handed out."""
    if (
        generated.unit is not None
        and not selectors.report_units(viewer, generated.programme).filter(Q(pk=generated.unit.pk)).exists()
    ):
        return False
    return not generated.is_export or selectors.may_see_internal(viewer, generated.programme)


def participants_in(generated: GeneratedFile) -> list[Participant]:
    """The people whose rows the file holds (scoped when it was made), for the access log."""
    return list(Participant.objects.filter(pk__in=generated.participant_ids))


def request_file(
    *, user: User, programme: Programme, unit: DeliveryUnit | None, format: str, query: QueryDict
) -> GeneratedFile:
    """Records the request and enqueues the task. The same file still being prepared for the same
    user is not asked for twice (a double click, a reload), unless it takes longer than expected:
    then the request is the person's "try again" and makes a new one."""
    from pilotti.evaluation.tasks import make_file  # tasks imports this module

    prune()
    now = timezone.now()
    encoded = query.urlencode()
    pending = GeneratedFile.objects.filter(
        requested_by=user,
        programme=programme,
        unit=unit,
        format=format,
        query=encoded,
        status=Status.PENDING,
        created_at__gt=now - timedelta(seconds=settings.GENERATED_FILE_EXPECTED_SECONDS),
    ).first()
    if pending is not None:
        return pending
    generated = GeneratedFile.objects.create(
        created_at=now,
        requested_by=user,
        programme=programme,
        unit=unit,
        format=format,
        query=encoded,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        expires_at=now + timedelta(hours=settings.GENERATED_FILE_HOURS),
    )
    make_file.enqueue(str(generated.uuid))
    generated.refresh_from_db()  # the immediate backend has made it already
    return generated


def settle(generated: GeneratedFile, *, now: datetime | None = None) -> GeneratedFile:
    """The waiting page's check, so that a file never waits for ever even without a worker to
    notice: tasks whose worker is gone are queued again or failed (core/leases.py), and a file not
    made when every attempt must have ended is failed."""
    if generated.status != Status.PENDING:
        return generated
    now = now or timezone.now()
    if settings.TASKS_BACKEND == "database":
        leases.recover(now=now)
    deadline = now - timedelta(seconds=settings.TASK_TIME_LIMIT * settings.TASK_MAX_ATTEMPTS)
    GeneratedFile.objects.filter(pk=generated.pk, status=Status.PENDING, created_at__lt=deadline).update(
        status=Status.FAILED, finished_at=now
    )
    generated.refresh_from_db(fields=["status", "finished_at"])
    return generated


def again_url(generated: GeneratedFile) -> str:
    """The address that asks for the same file again: the report page's own form posts to it."""
    scope, key = ("unit", generated.unit.uuid) if generated.unit else ("programme", generated.programme.slug)
    if generated.is_export:
        url = reverse(f"evaluation:{scope}_export", args=[key, generated.format])
    else:
        url = reverse(f"evaluation:{scope}_report_pdf", args=[key])
    return f"{url}?{generated.query}" if generated.query else url


def build(file_uuid: str) -> None:
    """The task's work: makes the file as its requester would see it, and stores it."""
    generated = GeneratedFile.objects.select_related("requested_by", "programme", "unit").get(uuid=file_uuid)
    if generated.status != Status.PENDING:
        return  # a task run twice (a worker restarted mid-way) makes the file once
    try:
        with translation.override(generated.language):
            made = _make(generated)
    except Exception:
        logger.exception("Could not make the %s file %s.", generated.format, generated.uuid)
        generated.status = Status.FAILED
        generated.finished_at = timezone.now()
        generated.save(update_fields=["status", "finished_at"])
        raise
    generated.file.save(f"{generated.uuid}-{made.name}", ContentFile(made.content), save=False)
    generated.filename = made.name
    generated.content_type = made.content_type
    generated.participant_ids = made.participant_ids
    generated.log_item = made.log_item
    generated.status = Status.READY
    generated.finished_at = timezone.now()
    generated.save(
        update_fields=["file", "filename", "content_type", "participant_ids", "log_item", "status", "finished_at"]
    )


def pdf_of(report: dict[str, Any]) -> bytes:
    """The report's PDF, laid out once for each report and language: a repeated report (the same
    figures, read from the cache under the same data version) gets the PDF laid out before."""
    made = json.dumps([services.CODE, translation.get_language(), report], sort_keys=True, default=str)
    key = "evaluation:pdf:" + hashlib.sha256(made.encode()).hexdigest()
    content: bytes | None = cache.get(key)
    if content is None:
        content = pdf.render_pdf(report)
        cache.set(key, content, suppression.CACHE_SECONDS)
    return content


@dataclass
class Made:
    content: bytes
    name: str
    content_type: str
    participant_ids: list[int] = field(default_factory=list)
    log_item: str = ""


def _make(generated: GeneratedFile) -> Made:
    # Asked for on a page, so made as the pages see: through all the requester's organisations.
    viewer = Viewer.everywhere(generated.requested_by)
    programme, unit = generated.programme, generated.unit
    query = QueryDict(generated.query)
    if generated.format == "pdf":
        report, _form = report_for(viewer, programme, unit, query)
        name = slugify(f"{programme.slug} {unit.name if unit else ''} {report['view']}")
        return Made(pdf_of(report), f"{name}.pdf", PDF_CONTENT_TYPE)
    filters, _form = export_filters(viewer, programme, unit, query)
    if filters is None:
        raise ValueError(f"The export {generated.uuid} was asked for with invalid filters.")
    data = exports.data_set(viewer, programme, filters)
    write, content_type, suffix = exports.WRITERS[generated.format]
    codebook = generated.format == "codebook"
    kind = "codebook" if codebook else "data excel-fi" if generated.format == "csv-fi" else "data"
    name = slugify(f"{programme.slug} {unit.name if unit else ''} {kind}")
    if codebook:  # it describes the variables and holds nobody
        return Made(write(data), f"{name}.{suffix}", content_type)
    return Made(
        write(data),
        f"{name}.{suffix}",
        content_type,
        participant_ids=[participant.pk for participant in data.participants],
        log_item=log_item(generated.format, programme, filters),
    )


def prune(now: datetime | None = None) -> int:
    """Deletes expired files and their rows; returns how many."""
    expired = list(GeneratedFile.objects.filter(expires_at__lte=now or timezone.now()))
    for generated in expired:
        if generated.file:
            generated.file.delete(save=False)
        generated.delete()
    return len(expired)
