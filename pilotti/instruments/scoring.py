"""Scoring, answer checks and reliable change: pure functions over ``spec.VersionSpec``.

No database here, so every rule is tested with a worked example on the shipped library's
own files (pilotti/instruments/tests/test_scoring.py). Part B (answering) and the evaluation call:

- ``problems(spec, answers)``: what is wrong with a set of answers, per item key;
- ``score(spec, answers)``: the total, subscales, band, missing items and safety flags;
- ``reliable_change(pre, post, spec)``: the Jacobson–Truax reliable change index and the
  person's classification (docs/statistics.md, Reliable change).

Answers are keyed by item key: a number for scale, single-choice and number items (the
option's value for single choice), a list of option values for multiple choice, text for
free text and a ``date`` for date items. ``None`` or a missing key means not answered.
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from pilotti.instruments.spec import (
    BandSpec,
    ItemSpec,
    ItemType,
    Method,
    MissingRule,
    ScoringSpec,
    VersionSpec,
)

AnswerValue = int | float | Decimal | str | date | Sequence[int] | None

# The 95 % criterion of Jacobson & Truax (1991): |RCI| > 1.96 is reliable change.
RCI_CRITERION = 1.96


class Problem:
    """Codes for what is wrong with an answer; pages turn them into messages in the person's language."""

    REQUIRED = "required"
    NOT_AN_OPTION = "not_an_option"
    OUT_OF_RANGE = "out_of_range"
    NOT_A_WHOLE_NUMBER = "not_a_whole_number"
    NOT_A_NUMBER = "not_a_number"
    NOT_A_DATE = "not_a_date"
    NOT_TEXT = "not_text"


def is_blank(value: AnswerValue) -> bool:
    return value is None or (isinstance(value, str | list | tuple) and len(value) == 0)


def _number(value: AnswerValue) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        return None
    try:
        number = float(str(value).replace(",", ".").strip())
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _problem(item: ItemSpec, value: AnswerValue) -> str | None:
    """What is wrong with one given (non-blank) answer, or None."""
    option_values = {option.value for option in item.options}
    if item.type == ItemType.MULTIPLE_CHOICE:
        if isinstance(value, str | bytes) or not isinstance(value, Sequence):
            return Problem.NOT_AN_OPTION
        numbers = [_number(v) for v in value]
        return None if all(n is not None and n in option_values for n in numbers) else Problem.NOT_AN_OPTION
    if item.type == ItemType.FREE_TEXT:
        return None if isinstance(value, str) else Problem.NOT_TEXT
    if item.type == ItemType.DATE:
        return None if isinstance(value, date) else Problem.NOT_A_DATE
    number = _number(value)
    if number is None:
        return Problem.NOT_AN_OPTION if item.type == ItemType.SINGLE_CHOICE else Problem.NOT_A_NUMBER
    if item.type == ItemType.SINGLE_CHOICE:
        return None if number in option_values else Problem.NOT_AN_OPTION
    if item.type == ItemType.SCALE and not number.is_integer():
        return Problem.NOT_A_WHOLE_NUMBER
    if (item.min_value is not None and number < item.min_value) or (
        item.max_value is not None and number > item.max_value
    ):
        return Problem.OUT_OF_RANGE
    return None


def problems(spec: VersionSpec, answers: Mapping[str, AnswerValue], *, partial: bool = False) -> dict[str, str]:
    """Item key → problem code. ``partial`` lets required items be blank (a paused answer, or
    a paper form where the person skipped a question: the scoring rule then decides)."""
    found: dict[str, str] = {}
    for item in spec.items:
        value = answers.get(item.key)
        if is_blank(value):
            if item.required and not partial:
                found[item.key] = Problem.REQUIRED
            continue
        problem = _problem(item, value)
        if problem:
            found[item.key] = problem
    return found


@dataclass(frozen=True)
class SubscaleScore:
    score: float | None
    band: str | None
    missing_items: tuple[str, ...]


@dataclass(frozen=True)
class ScoreResult:
    total: float | None  # None: not scored, or too many items missing for the instrument's rule
    raw_total: float | None  # the sum before scaling or conversion
    mean: float | None  # mean item score of the answered scored items (CORE-10 reports it)
    band: str | None  # the key of the total's band
    subscales: dict[str, SubscaleScore]
    missing_items: tuple[str, ...]  # scored items without an answer
    item_scores: dict[str, float]  # after reverse scoring
    safety_items: tuple[str, ...]  # safety items answered above zero: raise an alert now
    prorated: bool = False
    scored: bool = True  # False for instruments without any score (surveys)
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def is_complete(self) -> bool:
        return not self.missing_items


def _item_score(item: ItemSpec, value: AnswerValue) -> float | None:
    number = _number(value) if not is_blank(value) else None
    if number is None:
        return None
    if item.reverse_scored:
        # value′ = (max + min) − value (docs/instruments.md, Scoring), from the options or the scale's ends.
        ends = item.value_range
        if ends is not None:
            number = ends[0] + ends[1] - number
    return number


def band_of(bands: Sequence[BandSpec], score: float | None) -> str | None:
    if score is None:
        return None
    return next((band.key for band in bands if band.low <= score <= band.high), None)


def _aggregate(
    values: list[float], missing: int, count: int, rule: ScoringSpec, method: str
) -> tuple[float | None, bool]:
    """Sum or mean of the answered items under the missing-items rule; (score, prorated)."""
    if count == 0 or not values:
        return None, False
    allowed = missing == 0 or (rule.missing_rule == MissingRule.PRORATE and missing <= rule.max_missing)
    if not allowed:
        return None, False
    mean = sum(values) / len(values)
    if method == Method.MEAN:
        return mean, missing > 0
    # Prorating: the mean of the answered items stands in for the missing ones.
    return (mean * count if missing else sum(values)), missing > 0


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def score(spec: VersionSpec, answers: Mapping[str, AnswerValue]) -> ScoreResult:
    rule = spec.scoring
    scored_items = [item for item in spec.items if item.counts_in_score]
    item_scores: dict[str, float] = {}
    for item in scored_items:
        value = _item_score(item, answers.get(item.key))
        if value is not None:
            item_scores[item.key] = value
    missing = tuple(item.key for item in scored_items if item.key not in item_scores)
    safety = tuple(
        item.key for item in spec.items if item.is_safety_item and (_item_score(item, answers.get(item.key)) or 0) > 0
    )

    subscales: dict[str, SubscaleScore] = {}
    for subscale in spec.subscales:
        members = [item for item in scored_items if item.subscale == subscale.key]
        values = [item_scores[item.key] for item in members if item.key in item_scores]
        sub_missing = tuple(item.key for item in members if item.key not in item_scores)
        value, _prorated = _aggregate(values, len(sub_missing), len(members), rule, subscale.method)
        value = _round(value)
        subscales[subscale.key] = SubscaleScore(value, band_of(subscale.bands, value), sub_missing)

    values = list(item_scores.values())
    mean = _round(sum(values) / len(values)) if values else None
    raw: float | None = None
    total: float | None = None
    prorated = False
    notes: list[str] = []
    if rule.method in (Method.SUM, Method.MEAN, Method.SCALED):
        method = Method.MEAN if rule.method == Method.MEAN else Method.SUM
        raw, prorated = _aggregate(values, len(missing), len(scored_items), rule, method)
        total = raw
        if rule.method == Method.SCALED and raw is not None:
            total, note = _scaled(rule, raw)
            if note:
                notes.append(note)
    return ScoreResult(
        total=_round(total),
        raw_total=_round(raw),
        mean=mean,
        band=band_of(rule.bands, _round(total)),
        subscales=subscales,
        missing_items=missing,
        item_scores=item_scores,
        safety_items=safety,
        prorated=prorated,
        scored=rule.method != Method.NONE,
        notes=tuple(notes),
    )


def _scaled(rule: ScoringSpec, raw: float) -> tuple[float | None, str]:
    if rule.conversion_table:
        table = dict(rule.conversion_table)
        converted = table.get(round(raw))
        return converted, "" if converted is not None else "raw score outside the conversion table"
    if rule.multiplier is not None:
        return raw * rule.multiplier, ""
    return raw, ""


# --- Reliable and clinically significant change (docs/statistics.md, Reliable change) -------------------


class Change:
    RECOVERED = "recovered"
    IMPROVED = "improved"
    UNCHANGED = "unchanged"
    DETERIORATED = "deteriorated"
    ALL = (RECOVERED, IMPROVED, UNCHANGED, DETERIORATED)


@dataclass(frozen=True)
class RCIResult:
    change: float  # post − pre, in score points
    rci: float | None  # (post − pre) / S_diff; None without SD and reliability
    threshold: float | None  # the smallest change in points that counts as reliable
    classification: str | None  # a Change value; None when the instrument has no basis for one
    method: str  # "jacobson_truax", "published_points" or "none"
    cutoff: float | None  # the clinical cut-off used for "recovered"
    s_diff: float | None = None


def clinical_cutoff(rule: ScoringSpec) -> float | None:
    """The stored cut-off, else criterion c from the norms: (s0·M1 + s1·M0) / (s0 + s1)."""
    if rule.clinical_cutoff is not None:
        return rule.clinical_cutoff
    m0, s0, m1, s1 = rule.functional_mean, rule.functional_sd, rule.clinical_mean, rule.clinical_sd
    if m0 is None or s0 is None or m1 is None or s1 is None or s0 + s1 == 0:
        return None
    return (s0 * m1 + s1 * m0) / (s0 + s1)


def is_clinical(rule: ScoringSpec, value: float, cutoff: float) -> bool:
    return value >= cutoff if rule.lower_is_better else value <= cutoff


def reliable_change(pre: float, post: float, spec: VersionSpec | ScoringSpec, *, sd: float | None = None) -> RCIResult:
    """Jacobson–Truax: SE = SD1·√(1 − r), S_diff = √2·SE, RCI = (post − pre) / S_diff.

    SD1 is ``sd`` when given (e.g. the pre-treatment SD of one's own sample), else the stored
    clinical SD, else the functional (norm) SD. Without SD and reliability a published minimum
    change in points is used if the instrument has one; without either there is no
    classification (3X10D: no reliability estimate, so no RCI).
    """
    rule = spec.scoring if isinstance(spec, VersionSpec) else spec
    change = post - pre
    sd1 = sd if sd is not None else (rule.clinical_sd if rule.clinical_sd is not None else rule.functional_sd)
    cutoff = clinical_cutoff(rule)
    rci: float | None = None
    s_diff: float | None = None
    if sd1 is not None and rule.reliability is not None and 0 <= rule.reliability < 1 and sd1 > 0:
        s_diff = math.sqrt(2) * sd1 * math.sqrt(1 - rule.reliability)
        rci = change / s_diff
        threshold: float | None = RCI_CRITERION * s_diff
        reliable = abs(rci) > RCI_CRITERION
        method = "jacobson_truax"
    elif rule.reliable_change_points is not None:
        threshold = rule.reliable_change_points
        reliable = abs(change) >= threshold
        method = "published_points"
    else:
        return RCIResult(change=change, rci=None, threshold=None, classification=None, method="none", cutoff=cutoff)
    better = -change if rule.lower_is_better else change
    if not reliable or better == 0:
        classification = Change.UNCHANGED
    elif better < 0:
        classification = Change.DETERIORATED
    elif cutoff is not None and is_clinical(rule, pre, cutoff) and not is_clinical(rule, post, cutoff):
        classification = Change.RECOVERED
    else:
        classification = Change.IMPROVED
    return RCIResult(
        change=change,
        rci=None if rci is None else round(rci, 3),
        threshold=None if threshold is None else round(threshold, 3),
        classification=classification,
        method=method,
        cutoff=cutoff,
        s_diff=None if s_diff is None else round(s_diff, 3),
    )
