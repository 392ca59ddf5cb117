"""Pseudonymous participants.

A router of the JSON API, version 1 (``pilotti.api.v1``)."""

from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError

from pilotti.api import schemas
from pilotti.api.v1.common import (
    READ,
    WRITE,
    call_service,
    caller_of,
    log_item,
    log_many,
    page_of,
    paged,
    responses,
    writer_of,
)
from pilotti.audit.models import Action, Category, Purpose, Result
from pilotti.audit.services import log_access
from pilotti.people import selectors as people
from pilotti.people.models import Participant
from pilotti.people.services import ProfileFields, participant_create

router = Router()


def _participant(participant: Participant) -> dict[str, Any]:
    return {f: getattr(participant, f) for f in schemas.ParticipantOut.model_fields}


@router.get("/participants", response=responses(schemas.ParticipantPage, READ), tags=["participants"])
def participant_list(request: HttpRequest, page: Query[schemas.PageIn]) -> dict[str, Any]:
    """Pseudonymous participants (codes, never contact details) the caller sees in the organisation."""
    count, rows = page_of(people.participants_visible_to(caller_of(request).viewer).order_by("code"), page)
    log_many(request, rows, Category.PROFILE, Purpose.CLIENT_WORK)
    return paged(count, page, map(_participant, rows))


@router.get("/participants/{participant_uuid}", response=responses(schemas.ParticipantOut, READ), tags=["participants"])
def participant_detail(request: HttpRequest, participant_uuid: UUID) -> dict[str, Any]:
    participant = get_object_or_404(people.participants_visible_to(caller_of(request).viewer), uuid=participant_uuid)
    log_many(request, [participant], Category.PROFILE, Purpose.CLIENT_WORK)
    return _participant(participant)


@router.post("/participants", response=responses(schemas.ParticipantOut, WRITE, status=201), tags=["participants"])
def participant_new(request: HttpRequest, payload: schemas.ParticipantIn) -> Status[dict[str, Any]]:
    """A new pseudonymous participant of the token's organisation (coordinators). Contact details
    are not taken by the API: add them on the participant's page if they are needed."""
    caller = writer_of(request)
    if not people.can_manage_participants(caller.viewer, caller.organisation.pk):
        raise HttpError(403, _("Only the organisation's coordinators add participants."))
    profile = ProfileFields(**payload.model_dump())
    participant = call_service(
        lambda: participant_create(actor=caller.user, organisation=caller.organisation, profile=profile)
    )
    log_access(
        request,
        participant=participant,
        action=Action.CHANGE,
        category=Category.PROFILE,
        purpose=Purpose.CLIENT_WORK,
        item=log_item(request),
        result=Result.SAVED,
    )
    return Status(201, _participant(participant))
