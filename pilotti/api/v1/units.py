"""Units of the programmes (groups, family tracks and the like).

A router of the JSON API, version 1 (``pilotti.api.v1``)."""

from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from pilotti.api import schemas
from pilotti.api.v1.common import READ, caller_of, page_of, paged, responses
from pilotti.programmes.models import DeliveryUnit
from pilotti.programmes.selectors import units_visible_to

router = Router()


def _unit(unit: DeliveryUnit) -> dict[str, Any]:
    return {
        "uuid": unit.uuid,
        "programme": unit.programme.slug,
        "organisation": unit.organisation.name,
        "kind": unit.kind,
        "name": unit.name,
        "status": unit.status,
        "site": unit.site.name if unit.site else None,
        "capacity": unit.capacity,
        "minimum_size": unit.minimum_size,
        "languages": unit.languages,
        "duration_minutes": unit.duration_minutes,
    }


class UnitFilter(Schema):
    programme: str | None = Field(None, description="Only this programme's units (its slug).")


@router.get("/units", response=responses(schemas.UnitPage, READ), tags=["units and meetings"])
def unit_list(request: HttpRequest, page: Query[schemas.PageIn], filters: Query[UnitFilter]) -> dict[str, Any]:
    units = units_visible_to(caller_of(request).viewer).select_related("programme", "organisation", "site")
    if filters.programme:
        units = units.filter(programme__slug=filters.programme)
    count, rows = page_of(units.order_by("programme__name", "name", "id"), page)
    return paged(count, page, map(_unit, rows))


@router.get("/units/{unit_uuid}", response=responses(schemas.UnitOut, READ), tags=["units and meetings"])
def unit_detail(request: HttpRequest, unit_uuid: UUID) -> dict[str, Any]:
    units = units_visible_to(caller_of(request).viewer).select_related("programme", "organisation", "site")
    return _unit(get_object_or_404(units, uuid=unit_uuid))
