"""Meetings, and the roll call of each.

A router of the JSON API, version 1 (``pilotti.api.v1``)."""

from datetime import date
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
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
    log_item,
    log_many,
    page_of,
    paged,
    responses,
    writer_of,
)
from pilotti.audit.models import Action, Category, Purpose, Result
from pilotti.audit.services import log_access_many
from pilotti.core.zone import day_start
from pilotti.meetings import selectors as meetings
from pilotti.meetings import services as meeting_services
from pilotti.meetings.models import Meeting
from pilotti.meetings.selectors import meetings_visible_to
from pilotti.people.models import HouseholdMember, Participant
from pilotti.programmes import selectors as programme_selectors
from pilotti.programmes.models import DeliveryUnit

router = Router()


def _meeting(meeting: Meeting) -> dict[str, Any]:
    fields = ("uuid", "starts_at", "duration_minutes", "status", "theme", "cancel_reason", "unregistered_visitors")
    return {**{f: getattr(meeting, f) for f in fields}, "unit": meeting.unit.uuid}


class MeetingFilter(Schema):
    unit: UUID | None = Field(None, description="Only this unit's meetings.")
    since: date | None = Field(None, description="Only meetings on or after this day (Helsinki time).")
    until: date | None = Field(None, description="Only meetings on or before this day (Helsinki time).")


@router.get("/meetings", response=responses(schemas.MeetingPage, READ), tags=["units and meetings"])
def meeting_list(request: HttpRequest, page: Query[schemas.PageIn], filters: Query[MeetingFilter]) -> dict[str, Any]:
    found = meetings_visible_to(caller_of(request).viewer).select_related("unit")
    if filters.unit:
        found = found.filter(unit__uuid=filters.unit)
    if filters.since:
        found = found.filter(starts_at__gte=day_start(filters.since))
    if filters.until:
        found = found.filter(starts_at__lt=day_start(filters.until) + ONE_DAY)
    count, rows = page_of(found.order_by("starts_at", "id"), page)
    return paged(count, page, map(_meeting, rows))


def _visible_meeting(caller: Caller, meeting_uuid: UUID) -> Meeting:
    meetings_ = meetings_visible_to(caller.viewer).select_related("unit", "unit__programme", "unit__organisation")
    return get_object_or_404(meetings_, uuid=meeting_uuid)


@router.get("/meetings/{meeting_uuid}", response=responses(schemas.MeetingDetail, READ), tags=["units and meetings"])
def meeting_detail(request: HttpRequest, meeting_uuid: UUID) -> dict[str, Any]:
    """The meeting with its attendance counts (what everyone who sees the meeting may see)."""
    meeting = _visible_meeting(caller_of(request), meeting_uuid)
    return {**_meeting(meeting), "attendance": meetings.attendance_counts(meeting)}


def _roll_call_keeper(caller: Caller, meeting_uuid: UUID) -> Meeting:
    """The meeting, for those who take its roll call in the token's organisation (403 for others)."""
    meeting = _visible_meeting(caller, meeting_uuid)
    if not programme_selectors.can_change_meetings(caller.viewer, meeting.unit):
        raise HttpError(403, _("Only the unit's facilitators and managers see and record its roll call."))
    return meeting


def _attendance_row(row: meetings.RollCallRow) -> dict[str, Any]:
    return {
        "person": row.key,
        "participant": row.participant.code if row.participant is not None else None,
        "household": row.code if row.member is not None else None,
        "status": row.status or None,
    }


@router.get(
    "/meetings/{meeting_uuid}/attendance",
    response=responses(schemas.AttendancePage, WRITE),
    tags=["units and meetings"],
)
def attendance_list(request: HttpRequest, meeting_uuid: UUID, page: Query[schemas.PageIn]) -> dict[str, Any]:
    """The roll call: the unit's people by code with their attendance, for those who record it."""
    caller = caller_of(request)
    meeting = _roll_call_keeper(caller, meeting_uuid)
    rows = meetings.roll_call(caller.viewer, meeting).rows
    shown = rows[page.offset : page.offset + page.limit]
    log_many(request, [r.participant for r in shown if r.participant is not None], Category.PROFILE, Purpose.ROLL_CALL)
    return paged(len(rows), page, map(_attendance_row, shown))


@router.post(
    "/meetings/{meeting_uuid}/attendance",
    response=responses(schemas.Saved, WRITE),
    tags=["units and meetings"],
)
def attendance_record(request: HttpRequest, meeting_uuid: UUID, payload: schemas.RollCallIn) -> dict[str, Any]:
    """Records attendance of some or all of the roll call at once: all of it is saved, or none."""
    caller = writer_of(request)
    meeting = _roll_call_keeper(caller, meeting_uuid)
    roll = {row.key: row for row in meetings.roll_call(caller.viewer, meeting).rows}
    errors = []
    seen: set[UUID] = set()
    for index, record in enumerate(payload.records):
        if record.person not in roll or record.person in seen:
            message = _("Not in this meeting's roll call.") if record.person not in roll else _("Given twice.")
            errors.append({"loc": ["body", "payload", "records", index, "person"], "msg": message, "type": "invalid"})
        seen.add(record.person)
    if payload.unregistered_visitors is not None and meeting.unit.kind != DeliveryUnit.Kind.GROUP:
        message = _("Only groups count unregistered visitors.")
        errors.append({"loc": ["body", "payload", "unregistered_visitors"], "msg": message, "type": "invalid"})
    if errors:
        raise ServiceRefused(errors)
    statuses: list[tuple[Participant | None, HouseholdMember | None, str]] = [
        (roll[r.person].participant, roll[r.person].member, r.status) for r in payload.records
    ]
    call_service(
        lambda: meeting_services.roll_call_record(
            actor=caller.user,
            meeting=meeting,
            statuses=statuses,
            unregistered_visitors=payload.unregistered_visitors,
        )
    )
    recorded = [p for p, _member, _status in statuses if p is not None]
    if recorded:
        log_access_many(
            request,
            participants=recorded,
            action=Action.CHANGE,
            category=Category.PROFILE,
            purpose=Purpose.ROLL_CALL,
            item=log_item(request),
            result=Result.SAVED,
        )
    return {"saved": len(statuses)}
