"""The JSON API, version 1 (``/api/v1/``): django-ninja operations over the same selectors and
services as the pages. docs/api.md describes it for its users; the schema is
``/api/v1/openapi.json``.

Each operation: the caller comes from the bearer token (``auth.TokenAuth``); objects are found
through the apps' scoping selectors with the token's viewer (``caller.viewer``, the holder's
membership in the token's organisation only), the same selectors the pages use, so an object
outside the caller's scope answers 404 exactly like a missing one; a visible object the
caller's role may not change answers 403, and so does
any write with a read-only token; writes go through the apps' services; every list is paginated;
every person-level row returned or written is in the access log.
"""

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import Field, NinjaAPI, Query, Schema, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.openapi.docs import Swagger

from pilotti.api import schemas
from pilotti.api.auth import RateLimited, TokenAuth
from pilotti.api.selectors import Caller
from pilotti.audit.models import Action, Category, Purpose, Result
from pilotti.audit.services import log_access, log_access_many
from pilotti.core.zone import HELSINKI
from pilotti.evaluation import selectors as evaluation
from pilotti.evaluation.services import report_build
from pilotti.instruments import selectors as instruments
from pilotti.instruments.models import Answer, Instrument, Response
from pilotti.instruments.spec import ItemType
from pilotti.meetings import selectors as meetings
from pilotti.meetings import services as meeting_services
from pilotti.organisations.models import Role
from pilotti.people import selectors as people
from pilotti.people.models import HouseholdMember, Participant
from pilotti.people.services import ProfileFields, participant_create
from pilotti.programmes import selectors as programme_selectors
from pilotti.programmes.models import DeliveryUnit, Meeting, Programme
from pilotti.programmes.selectors import meetings_visible_to, programmes_visible_to, units_visible_to
from pilotti.recruitment import selectors as recruitment
from pilotti.recruitment.models import Enrolment
from pilotti.recruitment.services import EnrolmentFields, enrolment_create
from pilotti.surveys import selectors as surveys
from pilotti.surveys.services import paper_record

DESCRIPTION = """Pilotti's JSON API for programmes, units, meetings and attendance, pseudonymous
participants and enrolments, instruments, answers and the report figures.

Authenticate with a personal access token (made on the *API tokens* page):
`Authorization: Bearer pilotti_…`. A token acts for its holder in one organisation, with their
role there; read-only tokens get 403 on writes. Objects outside the token's scope answer 404.
Lists take `limit` (1–200, default 50) and `offset`, and answer `{count, limit, offset, items}`.
"""

LICENCE = {"name": "AGPL-3.0-or-later", "identifier": "AGPL-3.0-or-later"}  # pyproject.toml's licence


class PilottiAPI(NinjaAPI):
    """The API, its OpenAPI document holding only the components some operation uses: django-ninja
    also lists the query-parameter models (paging, filters), which no operation refers to
    (they are spelled out as parameters), and generated clients made classes of them."""

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.get("components", {}).get("schemas", {})
        used = _referenced({key: value for key, value in schema.items() if key != "components"}, components)
        schema["components"]["schemas"] = {name: components[name] for name in components if name in used}
        return schema


def _referenced(start: Any, components: dict[str, Any]) -> set[str]:
    """The schema components reachable from ``start`` through $ref, transitively."""
    prefix = "#/components/schemas/"
    found: set[str] = set()
    waiting = [start]
    while waiting:
        node = waiting.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith(prefix) and ref[len(prefix) :] not in found:
                name = ref[len(prefix) :]
                found.add(name)
                waiting.append(components.get(name))
            waiting.extend(node.values())
        elif isinstance(node, list):
            waiting.extend(node)
    return found


api = PilottiAPI(
    title="Pilotti API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    auth=TokenAuth(),
    docs=Swagger(settings={"persistAuthorization": False, "tryItOutEnabled": False}),
    # Paths start with /api/v1/, so the server is the site itself (SITE_URL, the address Pilotti's
    # links use).
    servers=[{"url": settings.SITE_URL, "description": "This Pilotti server"}],
    openapi_extra={"info": {"license": LICENCE}},
)

ONE_DAY = timedelta(days=1)
READ: dict[int, Any] = {401: schemas.Error, 404: schemas.Error, 422: schemas.ValidationErrors, 429: schemas.Error}
WRITE: dict[int, Any] = {**READ, 400: schemas.Error, 403: schemas.Error}


def _responses(ok: Any, extra: dict[int, Any], status: int = 200) -> dict[int, Any]:
    return {status: ok, **extra}


# --- Errors ------------------------------------------------------------------------------------


@api.exception_handler(AuthenticationError)
def _unauthorised(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(
        request, {"detail": _("Give a valid API token: Authorization: Bearer <token>.")}, status=401
    )
    response["WWW-Authenticate"] = 'Bearer realm="pilotti"'
    return response


@api.exception_handler(RateLimited)
def _rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    minutes = -(-exc.wait // 60)
    detail = ngettext(
        "Too many calls. Try again in %(minutes)s minute.", "Too many calls. Try again in %(minutes)s minutes.", minutes
    ) % {"minutes": minutes}
    response = api.create_response(request, {"detail": detail}, status=429)
    response["Retry-After"] = str(exc.wait)
    return response


def _field_errors(error: DjangoValidationError, at: Sequence[str | int]) -> list[dict[str, Any]]:
    """A service's ValidationError as the API's error list, each naming its field under ``at``."""
    if hasattr(error, "error_dict"):
        return [
            {
                "loc": [*at] if field == "__all__" else [*at, field],
                "msg": " ".join(e.messages),
                "type": e.code or "invalid",
            }
            for field, errors in error.error_dict.items()
            for e in errors
        ]
    return [{"loc": list(at), "msg": message, "type": "invalid"} for message in error.messages]


class ServiceRefused(Exception):
    """A service refused the write: answered 422 with the fields it named."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(errors)
        self.errors = errors


@api.exception_handler(ServiceRefused)
def _refused(request: HttpRequest, exc: ServiceRefused) -> HttpResponse:
    return api.create_response(request, {"detail": exc.errors}, status=422)


def _invalid(field: str, message: str, kind: str = "invalid") -> ServiceRefused:
    return ServiceRefused([{"loc": ["body", "payload", field], "msg": message, "type": kind}])


T = TypeVar("T")
R = TypeVar("R")


def _call(service: Callable[[], T], at: Sequence[str | int] = ("body", "payload")) -> T:
    try:
        return service()
    except DjangoValidationError as error:
        raise ServiceRefused(_field_errors(error, at)) from error


# --- The caller and pagination -----------------------------------------------------------------


def _caller(request: HttpRequest) -> Caller:
    caller = getattr(request, "auth", None)  # set by TokenAuth before any operation runs
    if not isinstance(caller, Caller):
        raise AuthenticationError
    return caller


def _writer(request: HttpRequest) -> Caller:
    caller = _caller(request)
    if not caller.token.can_write:
        raise HttpError(403, _("This token is read-only. Make a read-and-write token for changes."))
    return caller


def _instruments(caller: Caller) -> QuerySet[Instrument]:
    return surveys.instruments_for(caller.viewer, caller.organisation.pk)


def _page(queryset: QuerySet[Any], page: schemas.PageIn) -> tuple[int, list[Any]]:
    return queryset.count(), list(queryset[page.offset : page.offset + page.limit])


def _paged(count: int, page: schemas.PageIn, items: Iterable[dict[str, Any]]) -> dict[str, Any]:
    return {"count": count, "limit": page.limit, "offset": page.offset, "items": list(items)}


def _item(request: HttpRequest) -> str:
    return f"API {request.method} {request.path}"[:200]


def _log_many(request: HttpRequest, participants: Sequence[Participant], category: Category, purpose: Purpose) -> None:
    if participants:
        log_access_many(
            request,
            participants=participants,
            action=Action.VIEW,
            category=category,
            purpose=purpose,
            item=_item(request),
        )


# --- Programmes and their report ---------------------------------------------------------------


def _programme(programme: Programme) -> dict[str, Any]:
    return {
        **{f: getattr(programme, f) for f in schemas.ProgrammeOut.model_fields if f != "organisation"},
        "organisation": programme.organisation.name,
    }


@api.get("/programmes", response=_responses(schemas.ProgrammePage, READ), tags=["programmes"])
def programme_list(request: HttpRequest, page: Query[schemas.PageIn]) -> dict[str, Any]:
    """The programmes the token's organisation owns, is a partner in or has adopted."""
    programmes = programmes_visible_to(_caller(request).viewer).select_related("organisation").order_by("name", "id")
    count, rows = _page(programmes, page)
    return _paged(count, page, map(_programme, rows))


@api.get("/programmes/{slug}", response=_responses(schemas.ProgrammeOut, READ), tags=["programmes"])
def programme_detail(request: HttpRequest, slug: str) -> dict[str, Any]:
    programmes = programmes_visible_to(_caller(request).viewer).select_related("organisation")
    return _programme(get_object_or_404(programmes, slug=slug))


class ReportIn(Schema):
    since: date | None = Field(None, description="Only what happened on or after this day.")
    until: date | None = Field(None, description="Only what happened on or before this day.")
    unit: UUID | None = Field(None, description="One unit's figures only.")
    dose: int | None = Field(None, ge=1, le=100, description="Dose threshold: per cent of the meetings attended.")
    view: str | None = Field(
        None, pattern="^(internal|shared)$", description="internal (if the role allows) or shared (suppressed)."
    )


@api.get("/programmes/{slug}/report", response=_responses(schemas.ReportOut, WRITE), tags=["report"])
def programme_report(request: HttpRequest, slug: str, filters: Query[ReportIn]) -> schemas.ReportOut:
    """The pilot report's figures, exactly as the report page shows them: the internal view for
    the organisation's admins, coordinators and evaluators, the shared (suppressed) one otherwise."""
    caller = _caller(request)
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


# --- Units and meetings ------------------------------------------------------------------------


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


@api.get("/units", response=_responses(schemas.UnitPage, READ), tags=["units and meetings"])
def unit_list(request: HttpRequest, page: Query[schemas.PageIn], filters: Query[UnitFilter]) -> dict[str, Any]:
    units = units_visible_to(_caller(request).viewer).select_related("programme", "organisation", "site")
    if filters.programme:
        units = units.filter(programme__slug=filters.programme)
    count, rows = _page(units.order_by("programme__name", "name", "id"), page)
    return _paged(count, page, map(_unit, rows))


@api.get("/units/{unit_uuid}", response=_responses(schemas.UnitOut, READ), tags=["units and meetings"])
def unit_detail(request: HttpRequest, unit_uuid: UUID) -> dict[str, Any]:
    units = units_visible_to(_caller(request).viewer).select_related("programme", "organisation", "site")
    return _unit(get_object_or_404(units, uuid=unit_uuid))


def _meeting(meeting: Meeting) -> dict[str, Any]:
    fields = ("uuid", "starts_at", "duration_minutes", "status", "theme", "cancel_reason", "unregistered_visitors")
    return {**{f: getattr(meeting, f) for f in fields}, "unit": meeting.unit.uuid}


class MeetingFilter(Schema):
    unit: UUID | None = Field(None, description="Only this unit's meetings.")
    since: date | None = Field(None, description="Only meetings on or after this day (Helsinki time).")
    until: date | None = Field(None, description="Only meetings on or before this day (Helsinki time).")


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=HELSINKI)


@api.get("/meetings", response=_responses(schemas.MeetingPage, READ), tags=["units and meetings"])
def meeting_list(request: HttpRequest, page: Query[schemas.PageIn], filters: Query[MeetingFilter]) -> dict[str, Any]:
    found = meetings_visible_to(_caller(request).viewer).select_related("unit")
    if filters.unit:
        found = found.filter(unit__uuid=filters.unit)
    if filters.since:
        found = found.filter(starts_at__gte=_day_start(filters.since))
    if filters.until:
        found = found.filter(starts_at__lt=_day_start(filters.until) + ONE_DAY)
    count, rows = _page(found.order_by("starts_at", "id"), page)
    return _paged(count, page, map(_meeting, rows))


def _visible_meeting(caller: Caller, meeting_uuid: UUID) -> Meeting:
    meetings_ = meetings_visible_to(caller.viewer).select_related("unit", "unit__programme", "unit__organisation")
    return get_object_or_404(meetings_, uuid=meeting_uuid)


@api.get("/meetings/{meeting_uuid}", response=_responses(schemas.MeetingDetail, READ), tags=["units and meetings"])
def meeting_detail(request: HttpRequest, meeting_uuid: UUID) -> dict[str, Any]:
    """The meeting with its attendance counts (what everyone who sees the meeting may see)."""
    meeting = _visible_meeting(_caller(request), meeting_uuid)
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


@api.get(
    "/meetings/{meeting_uuid}/attendance",
    response=_responses(schemas.AttendancePage, WRITE),
    tags=["units and meetings"],
)
def attendance_list(request: HttpRequest, meeting_uuid: UUID, page: Query[schemas.PageIn]) -> dict[str, Any]:
    """The roll call: the unit's people by code with their attendance, for those who record it."""
    caller = _caller(request)
    meeting = _roll_call_keeper(caller, meeting_uuid)
    rows = meetings.roll_call(caller.viewer, meeting).rows
    shown = rows[page.offset : page.offset + page.limit]
    _log_many(request, [r.participant for r in shown if r.participant is not None], Category.PROFILE, Purpose.ROLL_CALL)
    return _paged(len(rows), page, map(_attendance_row, shown))


@api.post(
    "/meetings/{meeting_uuid}/attendance",
    response=_responses(schemas.Saved, WRITE),
    tags=["units and meetings"],
)
def attendance_record(request: HttpRequest, meeting_uuid: UUID, payload: schemas.RollCallIn) -> dict[str, Any]:
    """Records attendance of some or all of the roll call at once: all of it is saved, or none."""
    caller = _writer(request)
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
    _call(
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
            item=_item(request),
            result=Result.SAVED,
        )
    return {"saved": len(statuses)}


# --- Participants and enrolments ---------------------------------------------------------------


def _participant(participant: Participant) -> dict[str, Any]:
    return {f: getattr(participant, f) for f in schemas.ParticipantOut.model_fields}


@api.get("/participants", response=_responses(schemas.ParticipantPage, READ), tags=["participants"])
def participant_list(request: HttpRequest, page: Query[schemas.PageIn]) -> dict[str, Any]:
    """Pseudonymous participants (codes, never contact details) the caller sees in the organisation."""
    count, rows = _page(people.participants_visible_to(_caller(request).viewer).order_by("code"), page)
    _log_many(request, rows, Category.PROFILE, Purpose.CLIENT_WORK)
    return _paged(count, page, map(_participant, rows))


@api.get("/participants/{participant_uuid}", response=_responses(schemas.ParticipantOut, READ), tags=["participants"])
def participant_detail(request: HttpRequest, participant_uuid: UUID) -> dict[str, Any]:
    participant = get_object_or_404(people.participants_visible_to(_caller(request).viewer), uuid=participant_uuid)
    _log_many(request, [participant], Category.PROFILE, Purpose.CLIENT_WORK)
    return _participant(participant)


@api.post("/participants", response=_responses(schemas.ParticipantOut, WRITE, status=201), tags=["participants"])
def participant_new(request: HttpRequest, payload: schemas.ParticipantIn) -> Status[dict[str, Any]]:
    """A new pseudonymous participant of the token's organisation (coordinators). Contact details
    are not taken by the API: add them on the participant's page if they are needed."""
    caller = _writer(request)
    if not people.can_manage_participants(caller.viewer, caller.organisation.pk):
        raise HttpError(403, _("Only the organisation's coordinators add participants."))
    profile = ProfileFields(**payload.model_dump())
    participant = _call(
        lambda: participant_create(actor=caller.user, organisation=caller.organisation, profile=profile)
    )
    log_access(
        request,
        participant=participant,
        action=Action.CHANGE,
        category=Category.PROFILE,
        purpose=Purpose.CLIENT_WORK,
        item=_item(request),
        result=Result.SAVED,
    )
    return Status(201, _participant(participant))


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


@api.get("/enrolments", response=_responses(schemas.EnrolmentPage, READ), tags=["participants"])
def enrolment_list(
    request: HttpRequest, page: Query[schemas.PageIn], filters: Query[EnrolmentFilter]
) -> dict[str, Any]:
    found = _enrolments(_caller(request))
    if filters.programme:
        found = found.filter(programme__slug=filters.programme)
    if filters.unit:
        found = found.filter(unit__uuid=filters.unit)
    if filters.stage:
        found = found.filter(stage=filters.stage)
    count, rows = _page(found.order_by("-contacted_on", "-id"), page)
    _log_many(request, _enrolled_people(rows), Category.ENROLMENTS, Purpose.RECRUITMENT)
    return _paged(count, page, map(_enrolment, rows))


@api.get("/enrolments/{enrolment_uuid}", response=_responses(schemas.EnrolmentOut, READ), tags=["participants"])
def enrolment_detail(request: HttpRequest, enrolment_uuid: UUID) -> dict[str, Any]:
    enrolment = get_object_or_404(_enrolments(_caller(request)), uuid=enrolment_uuid)
    _log_many(request, _enrolled_people([enrolment]), Category.ENROLMENTS, Purpose.RECRUITMENT)
    return _enrolment(enrolment)


@api.post("/enrolments", response=_responses(schemas.EnrolmentOut, WRITE, status=201), tags=["participants"])
def enrolment_new(request: HttpRequest, payload: schemas.EnrolmentIn) -> Status[dict[str, Any]]:
    """Enrols a participant in a programme (and optionally one of the organisation's units) as contacted."""
    caller = _writer(request)
    participant = people.participants_visible_to(caller.viewer).filter(uuid=payload.participant).first()
    if participant is None:
        raise _invalid("participant", _("No participant with this uuid in the token's organisation."))
    if not people.can_manage_participants(caller.viewer, participant.organisation_id):
        raise HttpError(403, _("Only the organisation's coordinators enrol participants."))
    organisation = caller.organisation
    programme = programmes_visible_to(caller.viewer).filter(slug=payload.programme).first()
    if programme is None or not programme_selectors.runs_programme(programme, organisation.pk):
        raise _invalid("programme", _("Choose a programme your organisation runs."))
    unit = None
    if payload.unit is not None:
        unit = programme.units.filter(organisation=organisation, uuid=payload.unit).first()
        if unit is None:
            raise _invalid("unit", _("Choose one of your own organisation's units of this programme."))
    fields = EnrolmentFields(
        programme=programme,
        unit=unit,
        referral_source=payload.referral_source,
        contacted_on=payload.contacted_on,
        segment=payload.segment,
    )
    enrolment = _call(lambda: enrolment_create(actor=caller.user, fields=fields, participant=participant))
    log_access(
        request,
        participant=participant,
        action=Action.CHANGE,
        category=Category.ENROLMENTS,
        purpose=Purpose.RECRUITMENT,
        item=_item(request),
        result=Result.SAVED,
    )
    return Status(201, _enrolment(get_object_or_404(_enrolments(caller), pk=enrolment.pk)))


# --- Instruments -------------------------------------------------------------------------------


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


@api.get("/instruments", response=_responses(schemas.InstrumentPage, READ), tags=["instruments and answers"])
def instrument_list(request: HttpRequest, page: Query[schemas.PageIn]) -> dict[str, Any]:
    """Pilotti's library and the organisation's own questionnaires, with their current version."""
    found = _instruments(_caller(request)).filter(versions__isnull=False).distinct()
    count, rows = _page(found.prefetch_related("versions").order_by("name", "id"), page)
    return _paged(count, page, map(_instrument, rows))


@api.get(
    "/instruments/{instrument_uuid}",
    response=_responses(schemas.InstrumentDetail, READ),
    tags=["instruments and answers"],
)
def instrument_detail(request: HttpRequest, instrument_uuid: UUID) -> dict[str, Any]:
    """The current version's items, options and scoring rule."""
    found = _instruments(_caller(request)).filter(versions__isnull=False).distinct()
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


# --- Answers -----------------------------------------------------------------------------------


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


@api.get("/responses", response=_responses(schemas.ResponsePage, READ), tags=["instruments and answers"])
def response_list(request: HttpRequest, page: Query[schemas.PageIn], filters: Query[ResponseFilter]) -> dict[str, Any]:
    """Submitted answers with item answers and scores (the organisation's admins, coordinators, evaluators)."""
    caller = _caller(request)
    found = _responses_of(caller)
    if filters.instrument:
        found = found.filter(version__instrument__key=filters.instrument)
    if filters.participant:
        found = found.filter(participant__uuid=filters.participant)
    if filters.since:
        found = found.filter(submitted_at__gte=_day_start(filters.since))
    if filters.until:
        found = found.filter(submitted_at__lt=_day_start(filters.until) + ONE_DAY)
    count, rows = _page(found.order_by("-submitted_at", "-id"), page)
    _log_many(
        request, [r.participant for r in rows if r.participant is not None], Category.ANSWERS, _answers_purpose(caller)
    )
    return _paged(count, page, map(_response, rows))


@api.get("/responses/{response_uuid}", response=_responses(schemas.ResponseOut, READ), tags=["instruments and answers"])
def response_detail(request: HttpRequest, response_uuid: UUID) -> dict[str, Any]:
    caller = _caller(request)
    response = get_object_or_404(_responses_of(caller), uuid=response_uuid)
    if response.participant is not None:
        _log_many(request, [response.participant], Category.ANSWERS, _answers_purpose(caller))
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


@api.post("/responses", response=_responses(schemas.ResponseOut, WRITE, status=201), tags=["instruments and answers"])
def response_new(request: HttpRequest, payload: schemas.ResponseIn) -> Status[dict[str, Any]]:
    """Submits one participant's answer set, as staff type in a paper form (recorded as paper):
    scored at once, and a safety item above zero raises the alert as on the pages."""
    caller = _writer(request)
    participant = people.participants_visible_to(caller.viewer).filter(uuid=payload.participant).first()
    if participant is None:
        raise _invalid("participant", _("No participant with this uuid in the token's organisation."))
    if not surveys.participants_for_answers(caller.viewer).filter(pk=participant.pk).exists():
        raise HttpError(403, _("Only coordinators and the facilitators of the person's own units enter answers."))
    versions = surveys.current_versions(_instruments(caller), online_only=False)
    version = next((v for v in versions if v.uuid == payload.version_uuid), None)
    if version is None:
        raise _invalid("version_uuid", _("Give the current version of one of the organisation's instruments."))
    if payload.language not in settings.PARTICIPANT_LANGUAGES:
        choices = ", ".join(settings.PARTICIPANT_LANGUAGES)
        raise _invalid("language", _("Choose one of: %(choices)s.") % {"choices": choices})
    meeting = None
    if payload.meeting is not None:
        meeting = meetings_visible_to(caller.viewer).filter(uuid=payload.meeting).first()
        if meeting is None:
            raise _invalid("meeting", _("No meeting with this uuid in the token's organisation."))
    version = instruments.version_with_structure(version)
    answers = _typed_answers(((i.key, i.type) for i in version.items.all()), payload.answers)
    answered_on = datetime.combine(payload.answered_on or timezone.localdate(), time(12), tzinfo=HELSINKI)
    if answered_on > timezone.now() + ONE_DAY:
        raise _invalid("answered_on", _("The day is in the future."))
    response = _call(
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
