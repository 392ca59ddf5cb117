"""The programmes the token's organisation owns, is a partner in or has adopted.

A router of the JSON API, version 1 (``pilotti.api.v1``)."""

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router

from pilotti.api import schemas
from pilotti.api.v1.common import READ, caller_of, page_of, paged, responses
from pilotti.programmes.models import Programme
from pilotti.programmes.selectors import programmes_visible_to

router = Router()


def _programme(programme: Programme) -> dict[str, Any]:
    return {
        **{f: getattr(programme, f) for f in schemas.ProgrammeOut.model_fields if f != "organisation"},
        "organisation": programme.organisation.name,
    }


@router.get("/programmes", response=responses(schemas.ProgrammePage, READ), tags=["programmes"])
def programme_list(request: HttpRequest, page: Query[schemas.PageIn]) -> dict[str, Any]:
    """The programmes the token's organisation owns, is a partner in or has adopted."""
    programmes = programmes_visible_to(caller_of(request).viewer).select_related("organisation").order_by("name", "id")
    count, rows = page_of(programmes, page)
    return paged(count, page, map(_programme, rows))


@router.get("/programmes/{slug}", response=responses(schemas.ProgrammeOut, READ), tags=["programmes"])
def programme_detail(request: HttpRequest, slug: str) -> dict[str, Any]:
    programmes = programmes_visible_to(caller_of(request).viewer).select_related("organisation")
    return _programme(get_object_or_404(programmes, slug=slug))
