"""Enrolments of participants in programmes.

A router of the JSON API, version 1 (``pilotti.api.v1``)."""

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from pilotti.api import schemas
from pilotti.api.selectors import Caller
from pilotti.api.v1.common import (
    READ,
    WRITE,
    call_service,
    caller_of,
    invalid,
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
from pilotti.people.models import HouseholdMember, Participant
from pilotti.programmes import selectors as programme_selectors
from pilotti.programmes.selectors import programmes_visible_to
from pilotti.recruitment import selectors as recruitment
from pilotti.recruitment.models import Enrolment
from pilotti.recruitment.services import EnrolmentFields, enrolment_create

router = Router()


def _enrolment(enrolment: Enrolment) -> dict[str, Any]:
    dates = ("contacted_on", "interested_on", "waitlisted_on", "enrolled_on", "started_on", "completed_on", "ended_on")
    return {
        "uuid": enrolment.uuid,
        "programme": enrolment.programme.slug,
        "unit": enrolment.unit.uuid if enrolment.unit else None,
        "participant": enrolment.participant.code if enrolment.participant else None,
        "household": enrolment.household.code if enrolment.household else None,
        "stage": enrolment.stage,
        "referral_source": enrolment.referral_source,
        "segment": enrolment.segment,
        **{f: getattr(enrolment, f) for f in dates},
    }


def _enrolled_people(enrolments: Sequence[Enrolment]) -> list[Participant]:
    """The people an enrolment page shows: participants, and the adults of enrolled households."""
    people_ = {e.participant.pk: e.participant for e in enrolments if e.participant is not None}
    households = [e.household_id for e in enrolments if e.household_id is not None]
    if households:
        members = HouseholdMember.objects.filter(household__in=households, participant__isnull=False)
        for member in members.select_related("participant"):
            if member.participant is not None:
                people_[member.participant.pk] = member.participant
    return list(people_.values())


class EnrolmentFilter(Schema):
    programme: str | None = Field(None, description="Only this programme's enrolments (its slug).")
    unit: UUID | None = Field(None, description="Only this unit's enrolments.")
    stage: str | None = Field(None, description="Only enrolments now at this stage.")


def _enrolments(caller: Caller) -> QuerySet[Enrolment]:
    return recruitment.enrolments_visible_to(caller.viewer).select_related(
        "programme", "unit", "participant", "household"
    )


@router.get("/enrolments", response=responses(schemas.EnrolmentPage, READ), tags=["participants"])
def enrolment_list(
    request: HttpRequest, page: Query[schemas.PageIn], filters: Query[EnrolmentFilter]
) -> dict[str, Any]:
    found = _enrolments(caller_of(request))
    if filters.programme:
        found = found.filter(programme__slug=filters.programme)
    if filters.unit:
        found = found.filter(unit__uuid=filters.unit)
    if filters.stage:
        found = found.filter(stage=filters.stage)
    count, rows = page_of(found.order_by("-contacted_on", "-id"), page)
    log_many(request, _enrolled_people(rows), Category.ENROLMENTS, Purpose.RECRUITMENT)
    return paged(count, page, map(_enrolment, rows))


@router.get("/enrolments/{enrolment_uuid}", response=responses(schemas.EnrolmentOut, READ), tags=["participants"])
def enrolment_detail(request: HttpRequest, enrolment_uuid: UUID) -> dict[str, Any]:
    enrolment = get_object_or_404(_enrolments(caller_of(request)), uuid=enrolment_uuid)
    log_many(request, _enrolled_people([enrolment]), Category.ENROLMENTS, Purpose.RECRUITMENT)
    return _enrolment(enrolment)


@router.post("/enrolments", response=responses(schemas.EnrolmentOut, WRITE, status=201), tags=["participants"])
def enrolment_new(request: HttpRequest, payload: schemas.EnrolmentIn) -> Status[dict[str, Any]]:
    """Enrols a participant in a programme (and optionally one of the organisation's units) as contacted."""
    caller = writer_of(request)
    participant = people.participants_visible_to(caller.viewer).filter(uuid=payload.participant).first()
    if participant is None:
        raise invalid("participant", _("No participant with this uuid in the token's organisation."))
    if not people.can_manage_participants(caller.viewer, participant.organisation_id):
        raise HttpError(403, _("Only the organisation's coordinators enrol participants."))
    organisation = caller.organisation
    programme = programmes_visible_to(caller.viewer).filter(slug=payload.programme).first()
    if programme is None or not programme_selectors.runs_programme(programme, organisation.pk):
        raise invalid("programme", _("Choose a programme your organisation runs."))
    unit = None
    if payload.unit is not None:
        unit = programme.units.filter(organisation=organisation, uuid=payload.unit).first()
        if unit is None:
            raise invalid("unit", _("Choose one of your own organisation's units of this programme."))
    fields = EnrolmentFields(
        programme=programme,
        unit=unit,
        referral_source=payload.referral_source,
        contacted_on=payload.contacted_on,
        segment=payload.segment,
    )
    enrolment = call_service(lambda: enrolment_create(actor=caller.user, fields=fields, participant=participant))
    log_access(
        request,
        participant=participant,
        action=Action.CHANGE,
        category=Category.ENROLMENTS,
        purpose=Purpose.RECRUITMENT,
        item=log_item(request),
        result=Result.SAVED,
    )
    return Status(201, _enrolment(get_object_or_404(_enrolments(caller), pk=enrolment.pk)))
