"""Outcomes: before/after per instrument and score, for three populations (docs/evaluation.md,
Before and after): intention to treat (everyone with a baseline, the baseline carried forward
where the end measurement is missing), everyone with both measurements (available cases) and
completers. Baseline and end are the answers inside the measurement plan's intake and end
windows; without both in the plan, a person's first and last answers."""

import dataclasses
from collections import defaultdict
from datetime import date, datetime
from typing import Any, Final

from django.db.models import (
    Case,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from pilotti.core.zone import HELSINKI
from pilotti.evaluation import statistics
from pilotti.evaluation.report.feedback import is_measure, version_head
from pilotti.evaluation.report.scope import Scope
from pilotti.evaluation.report.types import (
    ClinicalChange,
    Count,
    EffectOut,
    MeanOut,
    Outcome,
    PairedGroup,
    ReliableChange,
    Score,
    WilcoxonOut,
)
from pilotti.instruments.models import ScoringRule, Subscale
from pilotti.instruments.scoring import RCI_CRITERION, Change, reliable_change
from pilotti.instruments.selectors import scoring_spec
from pilotti.instruments.spec import Method, ScoringSpec, text_in
from pilotti.measurement.models import Audience, PlanEntry
from pilotti.measurement.models import When as Planned
from pilotti.meetings.models import Meeting
from pilotti.people.models import HouseholdMember

# Largest first: each is a subset of the one before (disclosure control relies on the order).
POPULATIONS = ("itt", "all_pairs", "completers")
# How baseline and end were chosen.
PLAN_WINDOWS: Final = "plan_windows"
FIRST_AND_LAST: Final = "first_and_last"

Answer = tuple[date, float | None, dict[str, Any]]
Windows = list[tuple[date | None, date | None]]  # per enrolment of a person: (intake day, end day)


def before_after(s: Scope, versions: list[dict[str, Any]], language: str) -> list[Outcome]:
    """Baseline and end measurement per person and instrument: paired tests, effect sizes,
    reliable and clinically relevant change, for intention to treat, available cases and
    completers. Five queries: the per-person scores, the plan, the people's windows, the
    scoring rules, the subscale names."""
    measures = [v for v in versions if is_measure(v)]
    if not measures:
        return []
    instrument_ids = sorted({v["instrument_id"] for v in measures})
    # Completers, directly or as a household's member: two lists selected once. A correlated
    # EXISTS with an OR of the two scanned every enrolment of the programme per answer.
    completed = s.enrolments.filter(completed_on__isnull=False)
    members = HouseholdMember.objects.filter(
        household_id__in=completed.filter(household__isnull=False).values("household_id")
    ).values("participant_id")
    completer = Q(participant_id__in=completed.filter(participant__isnull=False).values("participant_id")) | Q(
        participant_id__in=members
    )
    rows = (
        s.responses.filter(version__instrument_id__in=instrument_ids, participant__isnull=False, meeting__isnull=True)
        .annotate(completer=Case(When(completer, then=Value(True)), default=Value(False)))
        .order_by("participant_id", "version__instrument_id", "submitted_at", "pk")
        .values_list(
            "participant_id", "version__instrument_id", "submitted_at", "total", "subscale_scores", "completer"
        )
    )
    answers: dict[tuple[int, int], list[Answer]] = defaultdict(list)
    completers: set[int] = set()
    for participant_id, instrument_id, submitted_at, total, subscales, completer_ in rows:
        if submitted_at is None:  # only submitted answers are in scope
            continue
        answers[(participant_id, instrument_id)].append((_day(submitted_at), total, subscales or {}))
        if completer_:
            completers.add(participant_id)
    plan, primary = _plan(s, instrument_ids)
    windows = _windows(s) if plan else {}
    latest = {v["instrument_id"]: v["version_id"] for v in measures}  # ordered by number: the last wins
    rules = {
        rule.version.instrument_id: rule
        for rule in ScoringRule.objects.filter(version_id__in=latest.values()).select_related("version")
    }
    subscale_names: dict[int, dict[str, str]] = defaultdict(dict)
    for instrument_id, subscale_key, name in (
        Subscale.objects.filter(version_id__in=latest.values())
        .order_by("position", "id")
        .values_list("version__instrument_id", "key", "name")
    ):
        subscale_names[instrument_id][subscale_key] = text_in(name, language, subscale_key)
    result: list[Outcome] = []
    for version in sorted({v["instrument_id"]: v for v in measures}.values(), key=lambda v: v["name"]):
        instrument_id = version["instrument_id"]
        spec = scoring_spec(rules.get(instrument_id), [])
        days = plan.get(instrument_id)
        # person → (baseline, end or None)
        chosen: dict[int, tuple[Answer, Answer | None]] = {}
        for (person, instrument), given in answers.items():
            if instrument == instrument_id:
                picked = _baseline_and_end(given, days, windows.get(person, []))
                if picked is not None:
                    chosen[person] = picked
        keys: list[tuple[str, str]] = []
        if spec.method in (Method.SUM, Method.MEAN, Method.SCALED):
            keys.append(("total", ""))
        keys += list(subscale_names.get(instrument_id, {}).items())
        scores: list[Score] = []
        for score_key, label in keys:
            # (completer, baseline, end or None) per person with a baseline score, in a stable order.
            people = [
                (person in completers, _score(base, score_key), None if end is None else _score(end, score_key))
                for person, (base, end) in sorted(chosen.items())
            ]
            people = [(c, a, b) for c, a, b in people if a is not None]
            groups: list[PairedGroup] = []
            for population in POPULATIONS:
                pairs = _population(population, people)
                pre, post = [a for a, _ in pairs], [b for _, b in pairs]
                total_spec = spec if score_key == "total" else None
                groups.append(_paired_group(population, pre, post, total_spec))
            scores.append({"score": score_key, "label": label, "groups": groups})
        result.append(
            {
                **version_head(version),
                "direction": spec.direction,
                "reliability": spec.reliability,
                "measured_people": len({k[0] for k in answers if k[1] == instrument_id}),
                "primary": primary == instrument_id,
                "outcome": "primary" if primary == instrument_id else "secondary",
                "pairing": PLAN_WINDOWS if days else FIRST_AND_LAST,
                "scores": scores,
            }
        )
    return result


def _day(moment: datetime) -> date:
    return timezone.localtime(moment, HELSINKI).date()


def _plan(s: Scope, instrument_ids: list[int]) -> tuple[dict[int, tuple[int, int]], int | None]:
    """Per instrument measured both at intake and at the end of the plan, the two windows' days
    either side; and the instrument declared the primary outcome, if any."""
    intake: dict[int, int] = {}
    end: dict[int, int] = {}
    primary = None
    for instrument_id, when, window_days, is_primary, anonymous, audience in PlanEntry.objects.filter(
        programme=s.programme
    ).values_list("instrument_id", "when", "window_days", "primary_outcome", "anonymous", "audience"):
        if is_primary:
            primary = instrument_id
        if anonymous or audience == Audience.STAFF or instrument_id not in instrument_ids:
            continue
        if when == Planned.INTAKE:
            intake[instrument_id] = max(intake.get(instrument_id, 0), window_days)
        elif when == Planned.END:
            end[instrument_id] = max(end.get(instrument_id, 0), window_days)
    return {i: (intake[i], end[i]) for i in intake if i in end}, primary


def _windows(s: Scope) -> dict[int, Windows]:
    """Per person in scope, each enrolment's intake day (started, else enrolled) and end day (the
    unit's last meeting not cancelled): the due dates of docs/measurement.md. One query."""
    last_meeting = (
        Meeting.objects.filter(unit=OuterRef("unit"))
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("-starts_at")
        .annotate(day=TruncDate("starts_at", tzinfo=HELSINKI))
        .values("day")[:1]
    )
    result: dict[int, Windows] = defaultdict(list)
    for person, intake, end in (
        s.enrolments.filter(enrolled_on__isnull=False)
        .annotate(
            person=Coalesce("participant_id", "household__members__participant_id"),
            intake=Coalesce("started_on", "enrolled_on"),
            end=Subquery(last_meeting),
        )
        .order_by()
        .values_list("person", "intake", "end")
    ):
        if person is not None:
            result[person].append((intake, end))
    return result


def _within(day: date, due: date | None, days: int) -> bool:
    return due is not None and abs((day - due).days) <= days


def _baseline_and_end(
    given: list[Answer], days: tuple[int, int] | None, windows: Windows
) -> tuple[Answer, Answer | None] | None:
    """The baseline (the first answer) and the end measurement (the last, when there are two):
    with the plan's windows, the first answer inside an intake window and the last later one
    inside an end window — an answer halfway through is neither."""
    if days is None:
        return (given[0], given[-1] if len(given) >= 2 else None)
    intake_days, end_days = days
    baseline = next((i for i, a in enumerate(given) if any(_within(a[0], w[0], intake_days) for w in windows)), None)
    if baseline is None:
        return None
    later = [a for a in given[baseline + 1 :] if any(_within(a[0], w[1], end_days) for w in windows)]
    return (given[baseline], later[-1] if later else None)


def _population(population: str, people: list[tuple[bool, float | None, float | None]]) -> list[tuple[float, float]]:
    """Intention to treat carries the baseline forward where the end is missing (BOCF);
    available cases and completers need both measurements."""
    if population == "itt":
        return [(a, a if b is None else b) for _, a, b in people if a is not None]
    return [(a, b) for c, a, b in people if a is not None and b is not None and (c or population == "all_pairs")]


def _score(entry: Answer, key: str) -> float | None:
    _, total, subscales = entry
    value = total if key == "total" else subscales.get(key)
    return None if value is None else float(value)


def _summary(summary: statistics.MeanSummary) -> MeanOut:
    return {
        "n": summary.n,
        "mean": summary.mean,
        "sd": summary.sd,
        "ci_low": summary.ci_low,
        "ci_high": summary.ci_high,
    }


def _effect(effect: statistics.EffectSize) -> EffectOut:
    out: EffectOut = {"d": effect.d, "g": effect.g, "ci_low": effect.g_ci_low, "ci_high": effect.g_ci_high}
    if effect.interval:
        out["interval"] = effect.interval
    if effect.withheld:
        out["not_interpretable"] = effect.withheld
    return out


def _paired_group(
    population: str,
    pre: list[float],
    post: list[float],
    spec: ScoringSpec | None,
) -> PairedGroup:
    n = len(pre)
    group: PairedGroup = {"population": population, "n": n}
    if n == 0:
        return group
    result = statistics.paired(pre, post)
    wilcoxon: WilcoxonOut = {
        "statistic": result.wilcoxon.statistic,
        # Below six non-zero differences the smallest possible two-sided p is 2/2ⁿ ≥ 0.0625:
        # the rank test cannot show a change, so its p is withheld; the t-test's p is valid.
        "p": result.wilcoxon.p if result.can_reach_significance else None,
        "method": result.wilcoxon.method,
        "nonzero": result.wilcoxon.nonzero,
        "alternative": "two-sided",
    }
    if not result.can_reach_significance and result.wilcoxon.nonzero:
        wilcoxon["smallest_p"] = 2 / 2**result.wilcoxon.nonzero
    group.update(
        {
            "pre": _summary(result.pre),
            "post": _summary(result.post),
            "difference": _summary(result.difference),
            "r": result.r,
            "can_reach_significance": result.can_reach_significance,
            "t": result.t,
            "df": result.df,
            "p_t": result.p_t,
            "wilcoxon": wilcoxon,
            "d_z": _effect(result.d_z),
            "d_av": _effect(result.d_av),
        }
    )
    if spec is not None:
        group["rci"] = _reliable(pre, post, spec, result.pre.sd)
        clinical = _clinical(pre, post, spec)
        if clinical is not None:
            group["clinical_change"] = clinical
    return group


# The same paired tests and effect sizes for other before/after comparisons (report/serviceuse.py).
paired_group = _paired_group


def _classes(pre: list[float], post: list[float], spec: ScoringSpec, sd: float | None) -> dict[str, Count]:
    classes: dict[str, Count] = dict.fromkeys(Change.ALL, 0)
    for a, b in zip(pre, post, strict=True):
        classification = reliable_change(a, b, spec, sd=sd).classification
        if classification is not None:
            classes[classification] = int(classes[classification]) + 1
    return classes


def _reliable(pre: list[float], post: list[float], spec: ScoringSpec, baseline_sd: float | None) -> ReliableChange:
    """Jacobson & Truax with the instrument's reliability and its published norm SD (the
    clinical population's, else the general population's), else the SD of the group's own
    baselines (the one the report publishes beside it: no new figure), labelled which;
    |RC| > 1.96 (docs/statistics.md, Reliable change)."""
    norm_sd = spec.clinical_sd if spec.clinical_sd is not None else spec.functional_sd
    reliability = spec.reliability
    if reliability is None or not 0 <= reliability < 1:
        return {"method": "none", "counts": None}
    sd = norm_sd or baseline_sd
    if not sd:
        return {"method": "none", "counts": None, "sd_source": "sample"}
    jacobson_truax = dataclasses.replace(spec, reliable_change_points=None)
    s_diff = 2**0.5 * sd * (1 - reliability) ** 0.5
    out: ReliableChange = {
        "method": "jacobson_truax",
        "counts": _classes(pre, post, jacobson_truax, sd),
        "sd_source": "norm" if norm_sd else "sample",
        "sd": sd,
        "reliability": reliability,
        "threshold": RCI_CRITERION * s_diff,
    }
    return out


def _clinical(pre: list[float], post: list[float], spec: ScoringSpec) -> ClinicalChange | None:
    """The instrument's own published clinically relevant change in points (WHO-5: 10), a
    classification of its own: a change of at least that many points."""
    if spec.reliable_change_points is None:
        return None
    points_only = dataclasses.replace(spec, reliability=None, clinical_sd=None, functional_sd=None)
    return {"points": spec.reliable_change_points, "counts": _classes(pre, post, points_only, None)}
