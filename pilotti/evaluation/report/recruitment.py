"""Recruitment: the funnel per segment and referral source, and the CONSORT-style flow."""

from collections import defaultdict
from typing import Any, cast

from django.db.models import (
    Case,
    CharField,
    Count,
    Value,
    When,
)

from pilotti.evaluation.report.scope import Scope
from pilotti.evaluation.report.types import FlowStep, Recruitment, StageCounts
from pilotti.recruitment.models import EXITS, ReferralSource, Stage
from pilotti.recruitment.selectors import FUNNEL_STAGES, NOW_STAGES, funnel, funnel_counts

FLOW_STEPS = ("contacted", "enrolled", "started", "completed")

# --- Recruitment ----------------------------------------------------------------------------


def _stage_counts(row: dict[str, Any]) -> StageCounts:
    # Every stage of FUNNEL_STAGES and NOW_STAGES: the keys StageCounts declares.
    return cast(StageCounts, {stage: int(row.get(stage) or 0) for stage in (*FUNNEL_STAGES, *NOW_STAGES)})


def recruitment(s: Scope) -> Recruitment:
    """The funnel per segment (recruitment.selectors.funnel, against the targets), per referral
    source, and the CONSORT-style flow with who left at which step and why. Four queries."""
    segments = funnel(s.enrolments, s.programme)
    by_source = (
        s.enrolments.order_by().values("referral_source").annotate(**funnel_counts()).order_by("referral_source")
    )
    labels = dict(ReferralSource.choices)
    step = Case(
        When(started_on__isnull=False, then=Value("started")),
        When(enrolled_on__isnull=False, then=Value("enrolled")),
        default=Value("contacted"),
        output_field=CharField(),
    )
    leaving = (
        s.enrolments.exclude(stage=Stage.COMPLETED)
        .order_by()
        .annotate(step=step)
        .values("step", "stage", "end_reason")
        .annotate(n=Count("pk"))
        .order_by("step", "stage", "end_reason")
    )
    total = segments.total.counts
    flow: list[FlowStep] = []
    exits: dict[str, dict[str, Any]] = {
        name: {"exits": defaultdict(int), "reasons": [], "in_progress": 0} for name in FLOW_STEPS
    }
    for row in leaving:
        entry = exits[row["step"]]
        if row["stage"] in EXITS:
            entry["exits"][row["stage"]] += row["n"]
            entry["reasons"].append(
                {
                    "stage": row["stage"],
                    "label": str(Stage(row["stage"]).label),
                    "reason": row["end_reason"],
                    "n": row["n"],
                }
            )
        else:
            entry["in_progress"] += row["n"]
    for name in FLOW_STEPS:
        entry = exits[name]
        flow.append(
            {
                "step": name,
                "label": str(Stage(name).label),
                "n": int(total.get(name, 0)),
                "left": [
                    {"stage": stage, "label": str(Stage(stage).label), "n": int(entry["exits"].get(stage, 0))}
                    for stage in EXITS
                    if name != "completed"
                ],
                "reasons": entry["reasons"] if name != "completed" else [],
                "in_progress": entry["in_progress"] if name != "completed" else 0,
            }
        )
    return {
        "segments": [
            {"segment": row.segment, "target": row.target, **_stage_counts(row.counts)} for row in segments.rows
        ],
        "total": {"segment": "", "target": segments.total.target, **_stage_counts(segments.total.counts)},
        "referral_sources": [
            {
                "source": row["referral_source"],
                "label": str(labels.get(row["referral_source"], row["referral_source"])),
                **_stage_counts(row),
            }
            for row in by_source
        ],
        "flow": flow,
    }
