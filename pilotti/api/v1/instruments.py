"""Questionnaires (instruments) with their current version.

A router of the JSON API, version 1 (``pilotti.api.v1``)."""

import dataclasses
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router

from pilotti.api import schemas
from pilotti.api.v1.common import READ, caller_of, instruments_of, page_of, paged, responses
from pilotti.instruments import selectors as instruments
from pilotti.instruments.models import Instrument

router = Router()


def _instrument(instrument: Instrument) -> dict[str, Any]:
    version = max(instrument.versions.all(), key=lambda v: v.number)
    return {
        "uuid": instrument.uuid,
        "key": instrument.key,
        "name": instrument.name,
        "is_library": instrument.is_library,
        "is_validated": instrument.is_validated,
        "shows_wording": instrument.shows_wording,
        "version": version.number,
        "version_uuid": version.uuid,
        "languages": list(version.languages),
    }


@router.get("/instruments", response=responses(schemas.InstrumentPage, READ), tags=["instruments and answers"])
def instrument_list(request: HttpRequest, page: Query[schemas.PageIn]) -> dict[str, Any]:
    """Pilotti's library and the organisation's own questionnaires, with their current version."""
    found = instruments_of(caller_of(request)).filter(versions__isnull=False).distinct()
    count, rows = page_of(found.prefetch_related("versions").order_by("name", "id"), page)
    return paged(count, page, map(_instrument, rows))


@router.get(
    "/instruments/{instrument_uuid}",
    response=responses(schemas.InstrumentDetail, READ),
    tags=["instruments and answers"],
)
def instrument_detail(request: HttpRequest, instrument_uuid: UUID) -> dict[str, Any]:
    """The current version's items, options and scoring rule."""
    found = instruments_of(caller_of(request)).filter(versions__isnull=False).distinct()
    instrument = get_object_or_404(found.prefetch_related("versions"), uuid=instrument_uuid)
    spec = instruments.spec_of(instruments.version_with_structure(instruments.current_version(instrument)))
    items = [
        {
            "key": item.key,
            "type": item.type,
            "text": item.text,
            "required": item.required,
            "min_value": item.min_value,
            "max_value": item.max_value,
            "options": [{"value": o.value, "label": o.label} for o in item.options],
            "subscale": item.subscale,
            "reverse_scored": item.reverse_scored,
            "is_safety_item": item.is_safety_item,
            "scored": item.scored,
        }
        for item in spec.items
    ]
    details = {"description": instrument.description, "source": instrument.source, "licence": instrument.licence}
    return {**_instrument(instrument), **details, "items": items, "scoring": dataclasses.asdict(spec.scoring)}
