"""Outcomes: before/after per instrument and score, for everyone with two measurements and for completers."""

from collections import defaultdict
from typing import Any

from django.db.models import (
    Case,
    Q,
    Value,
    When,
)

from pilotti.evaluation import statistics
from pilotti.evaluation.report.feedback import is_measure, version_head
from pilotti.evaluation.report.scope import Scope
from pilotti.evaluation.report.types import Count, EffectOut, MeanOut, Outcome, PairedGroup, Score
from pilotti.instruments.models import ScoringRule, Subscale
from pilotti.instruments.scoring import Change, reliable_change
from pilotti.instruments.selectors import scoring_spec
from pilotti.instruments.spec import Method, text_in
from pilotti.people.models import HouseholdMember

POPULATIONS = ("all_pairs", "completers")


def before_after(s: Scope, versions: list[dict[str, Any]], language: str) -> list[Outcome]:
    """First and last submitted answer per person and instrument (intake vs end): paired tests,
    effect sizes and reliable change, for everyone with two measurements and for completers.
    Three queries: the per-person scores, the scoring rules, the subscale names."""
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
        .values_list("participant_id", "version__instrument_id", "total", "subscale_scores", "completer")
    )
    first: dict[tuple[int, int], tuple[float | None, dict[str, Any]]] = {}
    last: dict[tuple[int, int], tuple[float | None, dict[str, Any]]] = {}
    completers: set[int] = set()
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for participant_id, instrument_id, total, subscales, completer in rows:
        key = (participant_id, instrument_id)
        first.setdefault(key, (total, subscales or {}))
        last[key] = (total, subscales or {})
        counts[key] += 1
        if completer:
            completers.add(participant_id)
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
        rule = rules.get(instrument_id)
        spec = scoring_spec(rule, [])
        pairs = sorted(k for k, v in counts.items() if k[1] == instrument_id and v >= 2)
        scores: list[Score] = []
        keys: list[tuple[str, str]] = []
        if spec.method in (Method.SUM, Method.MEAN, Method.SCALED):
            keys.append(("total", ""))
        keys += list(subscale_names.get(instrument_id, {}).items())
        for score_key, label in keys:
            # (completer, before, after) per person with both scores, read once for both populations.
            paired = [
                (key[0] in completers, _score(first[key], score_key), _score(last[key], score_key)) for key in pairs
            ]
            complete = [(c, a, b) for c, a, b in paired if a is not None and b is not None]
            groups: list[PairedGroup] = []
            for population in POPULATIONS:
                chosen = [(a, b) for c, a, b in complete if c or population != "completers"]
                pre, post = [a for a, _ in chosen], [b for _, b in chosen]
                groups.append(_paired_group(population, pre, post, spec if score_key == "total" else None))
            scores.append({"score": score_key, "label": label, "groups": groups})
        result.append(
            {
                **version_head(version),
                "direction": spec.direction,
                "reliability": spec.reliability,
                "measured_people": len({k[0] for k in counts if k[1] == instrument_id}),
                "scores": scores,
            }
        )
    return result


def _score(entry: tuple[float | None, dict[str, Any]], key: str) -> float | None:
    total, subscales = entry
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
    return {"d": effect.d, "g": effect.g, "ci_low": effect.g_ci_low, "ci_high": effect.g_ci_high}


def _paired_group(population: str, pre: list[float], post: list[float], spec: Any) -> PairedGroup:
    n = len(pre)
    group: PairedGroup = {"population": population, "n": n}
    if n == 0:
        return group
    result = statistics.paired(pre, post)
    group.update(
        {
            "pre": _summary(result.pre),
            "post": _summary(result.post),
            "difference": _summary(result.difference),
            "r": result.r,
            "can_reach_significance": result.can_reach_significance,
            "t": result.t,
            "df": result.df,
            "p_t": result.p_t if result.can_reach_significance else None,
            "wilcoxon": {
                "statistic": result.wilcoxon.statistic,
                "p": result.wilcoxon.p if result.can_reach_significance else None,
                "method": result.wilcoxon.method,
                "nonzero": result.wilcoxon.nonzero,
            },
            "d_z": _effect(result.d_z),
            "d_av": _effect(result.d_av),
        }
    )
    if spec is not None:
        classes: dict[str, int] = dict.fromkeys(Change.ALL, 0)
        method = "none"
        for a, b in zip(pre, post, strict=True):
            change = reliable_change(a, b, spec)
            method = change.method
            if change.classification is not None:
                classes[change.classification] += 1
        counts: dict[str, Count] = {**classes}
        group["rci"] = {"method": method, "counts": counts if method != "none" else None}
    return group
