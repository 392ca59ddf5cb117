"""The API's request and response shapes (pydantic, through django-ninja). Pseudonymous only:
participants appear by code, never with contact details."""

from datetime import date, datetime
from typing import Any, Literal
from uuid import UUID

from ninja import Field, Schema

from pilotti.evaluation.report.types import Report

MAX_LIMIT = 200

# The models' choices, written out so that the schema and the type checker both see them
# (test_schemas.py keeps them equal to the models').
ReferralSourceValue = Literal[
    "child_health_clinic", "integration_plan", "outreach", "self", "social_services", "school", "ngo", "other"
]
GenderValue = Literal["", "female", "male", "other", "not_said"]
AgeBandValue = Literal["", "under_18", "18_29", "30_44", "45_64", "65_plus"]
AttendanceStatus = Literal["present", "absent", "excused"]
AnswerValue = int | float | str | list[int] | None
# The report's contract is declared once, beside the report; pydantic reads its TypedDicts field by
# field, so the OpenAPI schema describes every figure and where it may be "suppressed".
ReportOut = Report


class Error(Schema):
    detail: str


class FieldError(Schema):
    loc: list[str | int] = Field(description="Where the problem is, e.g. ['query', 'limit'] or ['body', 'unit'].")
    msg: str
    type: str


class ValidationErrors(Schema):
    detail: list[FieldError]


class PageIn(Schema):
    limit: int = Field(50, ge=1, le=MAX_LIMIT, description="How many items at most.")
    offset: int = Field(0, ge=0, le=1_000_000, description="How many items to skip.")


class Page(Schema):
    count: int = Field(description="How many items there are in all.")
    limit: int
    offset: int


# --- Programmes, units, meetings ---------------------------------------------------------------


class ProgrammeOut(Schema):
    uuid: UUID
    slug: str
    name: str
    description: str
    organisation: str = Field(description="The owner's name.")
    status: str
    starts_on: date | None
    ends_on: date | None
    target_groups: str
    meetings_min: int | None
    meetings_max: int | None
    frequency: str
    duration_minutes: int
    mode: str


class ProgrammePage(Page):
    items: list[ProgrammeOut]


class UnitOut(Schema):
    uuid: UUID
    programme: str = Field(description="The programme's slug.")
    organisation: str = Field(description="The name of the organisation that runs the unit.")
    kind: str
    name: str
    status: str
    site: str | None
    capacity: int | None
    minimum_size: int | None
    languages: str
    duration_minutes: int


class UnitPage(Page):
    items: list[UnitOut]


class AttendanceCounts(Schema):
    present: int
    absent: int
    excused: int


class MeetingOut(Schema):
    uuid: UUID
    unit: UUID
    starts_at: datetime
    duration_minutes: int
    status: str
    theme: str
    cancel_reason: str
    unregistered_visitors: int


class MeetingDetail(MeetingOut):
    attendance: AttendanceCounts


class MeetingPage(Page):
    items: list[MeetingOut]


class AttendanceRow(Schema):
    person: UUID = Field(description="The participant's uuid, or a household member's (a child).")
    participant: str | None = Field(description="The participant code; null for a child of a household track.")
    household: str | None = Field(description="For a child: the household code.")
    status: AttendanceStatus | None = Field(description="null: not marked yet.")


class AttendancePage(Page):
    items: list[AttendanceRow]


class AttendanceRecord(Schema):
    person: UUID
    status: AttendanceStatus


class RollCallIn(Schema):
    records: list[AttendanceRecord] = Field(max_length=500)
    unregistered_visitors: int | None = Field(None, ge=0, le=999)


class Saved(Schema):
    saved: int


# --- Participants and enrolments ---------------------------------------------------------------


class ParticipantOut(Schema):
    uuid: UUID
    code: str
    birth_year: int | None
    age_band: str
    gender: str
    preferred_language: str
    needs_interpreter: bool
    interpreter_language: str
    segment: str
    municipality: str


class ParticipantPage(Page):
    items: list[ParticipantOut]


class ParticipantIn(Schema):
    birth_year: int | None = Field(None, ge=1900, le=2100)
    age_band: AgeBandValue = ""
    gender: GenderValue = ""
    preferred_language: str = Field("", max_length=60)
    needs_interpreter: bool = False
    interpreter_language: str = Field("", max_length=60)
    segment: str = Field("", max_length=200)
    municipality: str = Field("", max_length=100)


class EnrolmentOut(Schema):
    uuid: UUID
    programme: str
    unit: UUID | None
    participant: str | None = Field(description="The participant code, for a participant's own enrolment.")
    household: str | None = Field(description="The household code, for a household's enrolment.")
    stage: str
    referral_source: str
    segment: str
    contacted_on: date
    interested_on: date | None
    waitlisted_on: date | None
    enrolled_on: date | None
    started_on: date | None
    completed_on: date | None
    ended_on: date | None


class EnrolmentPage(Page):
    items: list[EnrolmentOut]


class EnrolmentIn(Schema):
    participant: UUID
    programme: str = Field(description="The programme's slug.", max_length=80)
    unit: UUID | None = None
    referral_source: ReferralSourceValue
    contacted_on: date
    segment: str = Field("", max_length=200)


# --- Instruments and answers -------------------------------------------------------------------


class InstrumentOut(Schema):
    uuid: UUID
    key: str
    name: str
    is_library: bool
    is_validated: bool
    shows_wording: bool
    version: int = Field(description="The current version's number.")
    version_uuid: UUID = Field(description="Give this when submitting answers.")
    languages: list[str]


class InstrumentPage(Page):
    items: list[InstrumentOut]


class OptionOut(Schema):
    value: int
    label: dict[str, str]


class ItemOut(Schema):
    key: str
    type: str
    text: dict[str, str]
    required: bool
    min_value: float | None
    max_value: float | None
    options: list[OptionOut]
    subscale: str
    reverse_scored: bool
    is_safety_item: bool
    scored: bool


class InstrumentDetail(InstrumentOut):
    description: str
    source: str
    licence: str
    items: list[ItemOut]
    scoring: dict[str, Any]


class ResponseOut(Schema):
    uuid: UUID
    instrument: str = Field(description="The instrument's key.")
    version: int
    version_uuid: UUID
    participant: str | None = Field(description="The participant code; null for an anonymous answer.")
    meeting: UUID | None
    mode: str
    language: str
    submitted_at: datetime
    total: float | None
    mean_item_score: float | None
    band: str | None
    subscale_scores: dict[str, float | None]
    missing_items: list[str]
    is_prorated: bool
    safety_flagged: bool
    answers: dict[str, AnswerValue | date]


class ResponsePage(Page):
    items: list[ResponseOut]


class ResponseIn(Schema):
    participant: UUID
    version_uuid: UUID = Field(description="The current version of an instrument (GET /instruments).")
    language: str = Field(description="The language of the form that was answered, e.g. fi.", max_length=8)
    answers: dict[str, AnswerValue] = Field(
        description="Item key → value: a number, an option's value, a list of values (multiple choice), "
        "text, or a date as YYYY-MM-DD. Leave an item out when it was not answered."
    )
    answered_on: date | None = Field(None, description="The day it was answered; today if left out.")
    meeting: UUID | None = None
