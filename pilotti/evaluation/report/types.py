"""The report's shape, declared once: what the builder returns, what disclosure control changes,
and what the page, the PDF, the tables and exports and the API read (the API's OpenAPI schema is
generated from these declarations, field by field).

A count that leaves the organisation may be replaced by ``"suppressed"`` (``Count``); so may a
statistic (``Figure``). Keys marked ``NotRequired`` are absent where the figure does not apply
(an item without a scale has no mean) or was withheld as a whole (a small group's results).
``typing_extensions.TypedDict``: pydantic reads TypedDicts from it on Python < 3.12.
"""

from typing import Literal, NotRequired

from typing_extensions import TypedDict

Suppressed = Literal["suppressed"]
# Why a group's statistics are withheld in the shared view: fewer people than the threshold, or
# they would let a hidden count or a small group's figures be worked out from the others.
Withheld = Literal["fewer_people", "derivable"]
Count = int | Suppressed
Number = int | float
Figure = Number | None | Suppressed


class ProgrammeHead(TypedDict):
    slug: str
    name: str
    organisation: str


class FiltersOut(TypedDict):
    since: str | None
    until: str | None
    unit: str | None
    unit_name: str | None
    dose: float


# --- Recruitment -------------------------------------------------------------------------------


class StageCounts(TypedDict):
    contacted: Count
    interested: Count
    enrolled: Count
    started: Count
    completed: Count
    waiting: Count
    declined: Count
    not_reached: Count
    dropped_out: Count


class SegmentRow(StageCounts):
    segment: str
    target: int | None


class SourceRow(StageCounts):
    source: str
    label: str


class Exit(TypedDict):
    stage: str
    label: str
    n: Count


class ExitReason(TypedDict):
    stage: str
    label: str
    reason: str
    n: int


class FlowStep(TypedDict):
    step: str
    label: str
    n: Count
    left: list[Exit]
    reasons: list[ExitReason]
    in_progress: Count


class Recruitment(TypedDict):
    segments: list[SegmentRow]
    total: SegmentRow
    referral_sources: list[SourceRow]
    flow: list[FlowStep]


# --- Attendance --------------------------------------------------------------------------------


class MeetingRow(TypedDict):
    unit: str
    number: int
    date: str
    present: Count
    absent: Count
    excused: Count
    recorded: Count
    visitors: Count


class NumberRow(TypedDict):
    number: int
    meetings: int
    present: Count
    absent: Count
    excused: Count
    recorded: Count
    visitors: Count


class ParticipantRow(TypedDict):
    code: str
    unit: str
    attended: int
    offered: int
    rate: float | None
    last_attended: int | None
    dropped_out: bool


class RateBand(TypedDict):
    low: float
    high: float | None
    n: Count


class AttendanceSummary(TypedDict):
    meetings_held: int
    attended: Count
    offered: Count
    rate: Figure
    visitors: Count
    starters: Count
    median_rate: Figure
    q1_rate: Figure
    q3_rate: Figure


class Dose(TypedDict):
    threshold: float
    reached: Count
    of: Count
    share: Figure
    ci_low: Figure
    ci_high: Figure


class DropoutRow(TypedDict):
    number: int
    n: Count


class Attendance(TypedDict):
    meetings: list[MeetingRow]
    by_number: list[NumberRow]
    participants: list[ParticipantRow]
    rate_bands: list[RateBand]
    summary: AttendanceSummary
    dose: Dose
    dropout_by_meeting: list[DropoutRow]
    dropouts: Count


# --- Feedback ----------------------------------------------------------------------------------


class VersionHead(TypedDict):
    instrument: str
    name: str
    version: int
    responses: Count
    people: Count
    anonymous: Count
    at_meetings: Count


class Share(TypedDict):
    n: Count
    share: Figure
    ci_low: Figure
    ci_high: Figure


class OptionShare(Share):
    value: int
    label: str


class TopTwo(Share):
    labels: list[str]


class FreeText(TypedDict):
    text: str
    date: str
    unit: str


class FeedbackItem(TypedDict):
    key: str
    type: str
    label: str
    n: Count
    people: Count  # at least this many different people answered (answers are not people)
    withheld: NotRequired[Withheld]
    mean: NotRequired[Figure]
    sd: NotRequired[Figure]
    ci_low: NotRequired[Figure]
    ci_high: NotRequired[Figure]
    min: NotRequired[Figure]
    max: NotRequired[Figure]
    scale_min: NotRequired[Number | None]
    scale_max: NotRequired[Number | None]
    distribution: NotRequired[list[OptionShare]]
    top_two: NotRequired[TopTwo]
    answers: NotRequired[list[FreeText]]


class FeedbackVersion(VersionHead):
    items: list[FeedbackItem]


# --- Outcomes (before/after) ---------------------------------------------------------------------


class MeanOut(TypedDict):
    n: int
    mean: Figure
    sd: Figure
    ci_low: Figure
    ci_high: Figure


class EffectOut(TypedDict):
    d: Figure
    g: Figure
    ci_low: Figure
    ci_high: Figure


class WilcoxonOut(TypedDict):
    statistic: Number | None
    p: Number | None
    method: str
    nonzero: int


class ReliableChange(TypedDict):
    method: str
    counts: dict[str, Count] | None


class PairedGroup(TypedDict):
    population: str
    n: Count
    pre: NotRequired[MeanOut]
    post: NotRequired[MeanOut]
    difference: NotRequired[MeanOut]
    r: NotRequired[Number | None]
    can_reach_significance: NotRequired[bool]
    t: NotRequired[Number | None]
    df: NotRequired[int | None]
    p_t: NotRequired[Number | None]
    wilcoxon: NotRequired[WilcoxonOut]
    d_z: NotRequired[EffectOut]
    d_av: NotRequired[EffectOut]
    rci: NotRequired[ReliableChange]
    withheld: NotRequired[Withheld]


class Score(TypedDict):
    score: str
    label: str
    groups: list[PairedGroup]


class Outcome(VersionHead):
    direction: str
    reliability: float | None
    measured_people: Count
    scores: list[Score]


# --- Comparison ----------------------------------------------------------------------------------


class InstrumentName(TypedDict):
    key: str
    name: str


class Rating(TypedDict):
    n: Count
    people: Count
    withheld: NotRequired[Withheld]
    mean: Figure
    sd: Figure
    ci_low: Figure
    ci_high: Figure


class ComparedRow(TypedDict):
    name: str
    organisation: str
    own: bool
    units: int
    enrolled: Count
    started: Count
    completed: Count
    meetings_held: int
    present: Count
    recorded: Count
    attendance_rate: Figure
    ratings: dict[str, Rating]


class Comparison(TypedDict):
    instruments: list[InstrumentName]
    units: list[ComparedRow]
    sites: list[ComparedRow]
    organisations: list[ComparedRow]


# --- The whole report ------------------------------------------------------------------------------


class Report(TypedDict):
    programme: ProgrammeHead
    view: Literal["internal", "shared"]
    threshold: NotRequired[int]
    filters: FiltersOut
    generated_at: str
    recruitment: Recruitment
    attendance: Attendance
    feedback: list[FeedbackVersion]
    before_after: list[Outcome]
    comparison: Comparison
