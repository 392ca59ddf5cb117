"""A programme's report figures.

A router of the JSON API, version 1 (``pilotti.api.v1``)."""

from datetime import date
from uuid import UUID

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from pilotti.api import schemas
from pilotti.api.v1.common import WRITE, ServiceRefused, caller_of, responses
from pilotti.evaluation import selectors as evaluation
from pilotti.evaluation.services import report_build
from pilotti.programmes.selectors import programmes_visible_to

router = Router()


class ReportIn(Schema):
    since: date | None = Field(None, description="Only what happened on or after this day.")
    until: date | None = Field(None, description="Only what happened on or before this day.")
    unit: UUID | None = Field(None, description="One unit's figures only.")
    dose: int | None = Field(None, ge=1, le=100, description="Dose threshold: per cent of the meetings attended.")
    view: str | None = Field(
        None, pattern="^(internal|shared)$", description="internal (if the role allows) or shared (suppressed)."
    )


@router.get("/programmes/{slug}/report", response=responses(schemas.ReportOut, WRITE), tags=["report"])
def programme_report(request: HttpRequest, slug: str, filters: Query[ReportIn]) -> schemas.ReportOut:
    """The pilot report's figures, exactly as the report page shows them: the internal view for
    the organisation's admins, coordinators and evaluators, the shared (suppressed) one otherwise."""
    caller = caller_of(request)
    programme = get_object_or_404(programmes_visible_to(caller.viewer).select_related("organisation"), slug=slug)
    units = evaluation.report_units(caller.viewer, programme)
    if filters.since and filters.until and filters.since > filters.until:
        raise ServiceRefused(
            [{"loc": ["query", "until"], "msg": _("The end of the period is before its start."), "type": "invalid"}]
        )
    unit = None
    if filters.unit is not None:
        unit = units.filter(uuid=filters.unit).first()
        if unit is None:
            raise ServiceRefused(
                [{"loc": ["query", "unit"], "msg": _("No such unit in this programme's report."), "type": "invalid"}]
            )
    internal_allowed = evaluation.may_see_internal(caller.viewer, programme)
    report_filters = evaluation.Filters(
        since=filters.since,
        until=filters.until,
        unit=unit,
        dose=filters.dose / 100 if filters.dose else evaluation.DEFAULT_DOSE,
    )
    shared = filters.view == "shared" or not internal_allowed
    return report_build(viewer=caller.viewer, programme=programme, filters=report_filters, shared=shared)
