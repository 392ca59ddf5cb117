"""Submitted answers with their scores.

A router of the JSON API, version 1 (``pilotti.api.v1``)."""

from collections.abc import Iterable
from datetime import date, datetime, time
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from pilotti.api import schemas
from pilotti.api.selectors import Caller
from pilotti.api.v1.common import (
    ONE_DAY,
    READ,
    WRITE,
    ServiceRefused,
    call_service,
    caller_of,
    instruments_of,
    invalid,
    log_many,
    page_of,
    paged,
    responses,
    writer_of,
)
from pilotti.audit.models import Category, Purpose
from pilotti.core.zone import HELSINKI, day_start
from pilotti.instruments import selectors as instruments
from pilotti.instruments.models import Answer, Response
from pilotti.instruments.spec import ItemType
from pilotti.meetings.selectors import meetings_visible_to
from pilotti.organisations.models import Role
from pilotti.people import selectors as people
from pilotti.surveys import selectors as surveys
from pilotti.surveys.services import paper_record

router = Router()


def _answer_value(answer: Answer) -> Any:
    item_type = answer.item.type
    if item_type == ItemType.MULTIPLE_CHOICE:
        return sorted(option.value for option in answer.choices.all())
    if item_type == ItemType.FREE_TEXT:
        return answer.text
    if item_type == ItemType.DATE:
        return answer.date
    return answer.value


def _response(response: Response) -> dict[str, Any]:
    return {
        "uuid": response.uuid,
        "instrument": response.version.instrument.key,
        "version": response.version.number,
        "version_uuid": response.version.uuid,
        "participant": response.participant.code if response.participant else None,
        "meeting": response.meeting.uuid if response.meeting else None,
        "mode": response.mode,
        "language": response.language,
        "submitted_at": response.submitted_at,
        "total": response.total,
        "mean_item_score": response.mean_item_score,
        "band": response.band.key if response.band else None,
        "subscale_scores": response.subscale_scores,
        "missing_items": response.missing_items,
        "is_prorated": response.is_prorated,
        "safety_flagged": response.safety_flagged,
        "answers": {answer.item.key: _answer_value(answer) for answer in response.answers.all()},
    }


def _responses_of(caller: Caller) -> QuerySet[Response]:
    return instruments.with_answers(instruments.responses_visible_to(caller.viewer).filter(submitted_at__isnull=False))


def _answers_purpose(caller: Caller) -> Purpose:
    return Purpose.EVALUATION if caller.role == Role.EVALUATOR else Purpose.QUESTIONNAIRE


class ResponseFilter(Schema):
    instrument: str | None = Field(None, description="Only answers to this instrument (its key).")
    participant: UUID | None = Field(None, description="Only this participant's answers.")
    since: date | None = Field(None, description="Only answers submitted on or after this day (Helsinki time).")
    until: date | None = Field(None, description="Only answers submitted on or before this day (Helsinki time).")


@router.get("/responses", response=responses(schemas.ResponsePage, READ), tags=["instruments and answers"])
def response_list(request: HttpRequest, page: Query[schemas.PageIn], filters: Query[ResponseFilter]) -> dict[str, Any]:
    """Submitted answers with item answers and scores (the organisation's admins, coordinators, evaluators)."""
    caller = caller_of(request)
    found = _responses_of(caller)
    if filters.instrument:
        found = found.filter(version__instrument__key=filters.instrument)
    if filters.participant:
        found = found.filter(participant__uuid=filters.participant)
    if filters.since:
        found = found.filter(submitted_at__gte=day_start(filters.since))
    if filters.until:
        found = found.filter(submitted_at__lt=day_start(filters.until) + ONE_DAY)
    count, rows = page_of(found.order_by("-submitted_at", "-id"), page)
    log_many(
        request, [r.participant for r in rows if r.participant is not None], Category.ANSWERS, _answers_purpose(caller)
    )
    return paged(count, page, map(_response, rows))


@router.get(
    "/responses/{response_uuid}", response=responses(schemas.ResponseOut, READ), tags=["instruments and answers"]
)
def response_detail(request: HttpRequest, response_uuid: UUID) -> dict[str, Any]:
    caller = caller_of(request)
    response = get_object_or_404(_responses_of(caller), uuid=response_uuid)
    if response.participant is not None:
        log_many(request, [response.participant], Category.ANSWERS, _answers_purpose(caller))
    return _response(response)


def _typed_answers(version_items: Iterable[tuple[str, str]], answers: dict[str, schemas.AnswerValue]) -> dict[str, Any]:
    """Dates arrive as text; the scoring and storage take date objects."""
    types = dict(version_items)
    typed: dict[str, Any] = dict(answers)
    errors = []
    for key, value in answers.items():
        if types.get(key) == ItemType.DATE and isinstance(value, str) and value:
            try:
                typed[key] = date.fromisoformat(value)
            except ValueError:
                message = _("Write the date as YYYY-MM-DD.")
                errors.append({"loc": ["body", "payload", "answers", key], "msg": message, "type": "date"})
    if errors:
        raise ServiceRefused(errors)
    return typed


@router.post("/responses", response=responses(schemas.ResponseOut, WRITE, status=201), tags=["instruments and answers"])
def response_new(request: HttpRequest, payload: schemas.ResponseIn) -> Status[dict[str, Any]]:
    """Submits one participant's answer set, as staff type in a paper form (recorded as paper):
    scored at once, and a safety item above zero raises the alert as on the pages."""
    caller = writer_of(request)
    participant = people.participants_visible_to(caller.viewer).filter(uuid=payload.participant).first()
    if participant is None:
        raise invalid("participant", _("No participant with this uuid in the token's organisation."))
    if not surveys.participants_for_answers(caller.viewer).filter(pk=participant.pk).exists():
        raise HttpError(403, _("Only coordinators and the facilitators of the person's own units enter answers."))
    versions = surveys.current_versions(instruments_of(caller), online_only=False)
    version = next((v for v in versions if v.uuid == payload.version_uuid), None)
    if version is None:
        raise invalid("version_uuid", _("Give the current version of one of the organisation's instruments."))
    if payload.language not in settings.PARTICIPANT_LANGUAGES:
        choices = ", ".join(settings.PARTICIPANT_LANGUAGES)
        raise invalid("language", _("Choose one of: %(choices)s.") % {"choices": choices})
    meeting = None
    if payload.meeting is not None:
        meeting = meetings_visible_to(caller.viewer).filter(uuid=payload.meeting).first()
        if meeting is None:
            raise invalid("meeting", _("No meeting with this uuid in the token's organisation."))
    version = instruments.version_with_structure(version)
    answers = _typed_answers(((i.key, i.type) for i in version.items.all()), payload.answers)
    answered_on = datetime.combine(payload.answered_on or timezone.localdate(), time(12), tzinfo=HELSINKI)
    if answered_on > timezone.now() + ONE_DAY:
        raise invalid("answered_on", _("The day is in the future."))
    response = call_service(
        lambda: paper_record(
            actor=caller.user,
            participant=participant,
            version=version,
            answers=answers,
            language=payload.language,
            meeting=meeting,
            answered_on=answered_on,
        ),
        at=("body", "payload", "answers"),
    )
    # The writer gets back what they wrote, also a facilitator who may not list the organisation's answers.
    return Status(201, _response(instruments.with_answers_of(response)))
