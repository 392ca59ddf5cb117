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
    # "cluster_robust": the CI allows for people rating several times (docs/statistics.md, Repeated ratings)
    ci_method: NotRequired[str]
    clusters: NotRequired[Count]  # the people (and anonymous answers, one each) the CI treats as independent
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
    g: Figure  # Hedges-corrected point estimate
    ci_low: Figure  # the interval of the population effect size, not multiplied by J
    ci_high: Figure
    interval: NotRequired[str]  # "exact" (d_z's noncentral t) or "approximate" (d_av's)
    # Why d is not given: "no_variation" (every change the same), "no_spread" (everyone the same
    # score before or after), "under_three_pairs".
    not_interpretable: NotRequired[str]


class WilcoxonOut(TypedDict):
    statistic: Number | None
    p: Number | None
    method: str
    nonzero: int
    alternative: NotRequired[Literal["two-sided"]]
    smallest_p: NotRequired[Number]  # 2/2ⁿ: below 6 non-zero differences p cannot be below 0.05, so p is withheld


class ReliableChange(TypedDict):
    method: str  # "jacobson_truax" or "none"
    counts: dict[str, Count] | None
    sd_source: NotRequired[Literal["norm", "sample"]]  # a published norm SD, or the group's baseline SD
    sd: NotRequired[Figure]
    reliability: NotRequired[Number]
    threshold: NotRequired[Figure]  # 1.96·S_diff: the smallest reliable change in points


class ClinicalChange(TypedDict):
    """The instrument's own published clinically relevant change (WHO-5: 10 points), apart from
    reliable change."""

    points: Number
    counts: dict[str, Count]


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
    clinical_change: NotRequired[ClinicalChange]
    withheld: NotRequired[Withheld]


class Score(TypedDict):
    score: str
    label: str
    groups: list[PairedGroup]


class Outcome(VersionHead):
    direction: str
    reliability: float | None
    measured_people: Count
    primary: bool  # the measurement plan's declared primary outcome; every other is secondary
    outcome: Literal["primary", "secondary"]
    # How baseline and end were chosen: inside the plan's intake and end windows, or (no such
    # entries in the plan) each person's first and last answers.
    pairing: Literal["plan_windows", "first_and_last"]
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


# --- Cost per result (report/cost.py, docs/evaluation.md "Cost per result") -----------------------
# Money is in euros, rounded to cents; hours to two decimals.

CostCategoryKey = Literal["staff", "interpreter", "venue", "materials", "other"]


class CostCategory(TypedDict):
    category: CostCategoryKey
    label: str
    amount: float
    hours: float | None  # staff and interpreter hours priced in ``amount``


class StaffCost(TypedDict):
    role: str  # programmes.FacilitatorRole
    label: str
    hours: float  # facilitators present × (meeting length + preparation), plus corrections
    rate: float | None  # euros an hour; None: no rate entered, the hours are not priced
    amount: float


class UnitCost(TypedDict):
    unit: str
    organisation: str
    meetings_held: int
    amount: float  # the unit's own costs: staff, interpreter and the costs entered for it


class CostPerPerson(TypedDict):
    n: Count  # the denominator: people started or completed
    amount: Figure  # total ÷ n; None when n is 0
    withheld: NotRequired[Withheld]


class CostPerImproved(TypedDict):
    instrument: str
    name: str
    population: str  # "all_pairs": everyone with two measurements
    measured: Count  # people with two measurements
    improved: Count  # reliably improved (recovered or improved)
    share: Figure  # improved ÷ measured, with its Wilson 95 % interval
    share_low: Figure
    share_high: Figure
    starters: Count  # people present at a roll call at least once (at least the measured)
    observed: Figure  # total ÷ improved: the cost per person known to have improved
    estimate: Figure  # total ÷ (share × starters)
    ci_low: Figure  # total ÷ (share_high × starters)
    ci_high: Figure  # total ÷ (share_low × starters); None when share_low is 0 (no upper bound)
    withheld: NotRequired[Withheld]


class MarginalUnit(TypedDict):
    units: int  # units with at least one held meeting in the period
    mean: Figure  # the average unit's own cost: the cost of running one more unit
    low: Figure  # the cheapest and the dearest unit
    high: Figure


class Cost(TypedDict):
    currency: Literal["EUR"]
    has_inputs: bool  # any rate or cost entered: without them the figures are hours only
    total: float
    unit_level: float  # the units' own costs
    programme_level: float  # costs entered for the programme, not for a unit (training, shared materials)
    categories: list[CostCategory]
    staff: list[StaffCost]
    unpriced_hours: float  # staff and interpreter hours without a rate: not in ``total``
    units: list[UnitCost]
    per_started: CostPerPerson
    per_completer: CostPerPerson
    per_improved: list[CostPerImproved]
    marginal_unit: MarginalUnit


# --- What people said (report/qualitative.py, docs/evaluation.md "What people said") -----------


class ThemeOut(TypedDict):
    name: str
    description: str
    parent: str | None  # the main theme's name; None: a main theme
    people: Count  # different people whose coded material supports the theme (a main theme: with its themes')
    excerpts: Count


class Quote(TypedDict):
    text: str  # checked for identifying details and marked publishable
    themes: list[str]
    source: str  # interview, free-text answer or meeting notes, in the report's language
    speaker: str  # participant, staff member, partner, or several people or notes


class Qualitative(TypedDict):
    people: Count  # different people whose coded material the section covers
    interviews: int
    focus_groups: int
    excerpts: Count  # excerpts tagged with at least one theme (hidden where it would bound a hidden count)
    themes: list[ThemeOut]
    quotes: list[Quote]


# --- What participants changed (report/council.py) and service use (report/serviceuse.py) ---------


class CouncilRow(TypedDict):
    meeting_on: str  # the meeting where it was suggested, ISO date
    unit: str
    suggestion: str  # in the group's words, without names
    decision: str  # "open", "accepted" or "declined"
    decision_label: str
    decision_text: str
    decided_on: str | None
    action: str  # what was done
    done_on: str | None


class Council(TypedDict):
    suggestions: int  # suggestions, not people: never suppressed
    accepted: int
    declined: int
    done: int
    items: list[CouncilRow]


class ServiceUseOut(TypedDict):
    service: str  # the service's UUID
    name: str
    description: str
    period_months: int
    measured_people: Count  # people and households with counts before
    scores: list[Score]  # one: "contacts", with the group of everyone with both counts


# --- The whole report ------------------------------------------------------------------------------


# --- Response rate (report/response.py, docs/measurement.md "Response rate") -------------------


class ResponseRate(TypedDict):
    entry: str  # the plan entry's uuid
    instrument: str
    when: str  # intake · every_meeting · end · follow_up
    when_label: str
    follow_up_weeks: int | None
    per_meeting: bool  # counts are person-meetings, not people
    due: int | str
    answered: int | str
    share_of_due: float | str | None
    invited: int | str
    answered_invited: int | str
    share_of_invited: float | str | None


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
    cost: NotRequired[Cost]
    council: NotRequired[Council]
    service_use: NotRequired[list[ServiceUseOut]]
    qualitative: NotRequired[Qualitative]
    response_rates: NotRequired[list[ResponseRate]]
