"""Generated programmes for the attacker: internal reports built from made-up people with the
report's own section builders where they take plain numbers, so that every relation holds."""

import inspect
from typing import Any

from hypothesis import strategies as st

from pilotti.evaluation import statistics
from pilotti.evaluation.report.attendance import _by_number, _rate_bands
from pilotti.evaluation.report.comparison import _compared
from pilotti.evaluation.report.feedback import _share
from pilotti.evaluation.report.outcomes import POPULATIONS, _paired_group, _population

STEPS = ("contacted", "enrolled", "started", "completed")
EXITS = ("declined", "not_reached", "dropped_out")
FUNNEL = ("contacted", "interested", "enrolled", "started", "completed")

# One person: how far they got (0 contacted … 3 completed), how they left (None: still in),
# their attendance at each meeting (0 present, 1 absent, 2 excused), a rating 1–5 or none, and
# before/after scores or none.
person = st.tuples(
    st.integers(0, 3),
    st.sampled_from([None, *EXITS]),
    st.lists(st.integers(0, 2), min_size=4, max_size=4),
    st.one_of(st.none(), st.integers(1, 5)),
    st.one_of(st.none(), st.tuples(st.integers(0, 25), st.one_of(st.none(), st.integers(0, 25)))),
)
# Units of 0 to 8 people: below, at and just above the threshold of 5.
programmes = st.lists(
    st.tuples(st.sampled_from(["A", "B"]), st.integers(1, 4), st.lists(person, max_size=8)), min_size=1, max_size=3
)


def _step(person: tuple[Any, ...]) -> int:
    reached, exit_stage = person[0], person[1]
    return 2 if reached == 3 and exit_stage else reached  # a leaver did not complete


def _group(population: str, people: list[tuple[bool, float | None, float | None]]) -> dict[str, Any]:
    chosen = _population(population, people)
    # The builder's further arguments (a norm SD, how many had a baseline) do not change counts.
    extra = (None, len(chosen))[: len(inspect.signature(_paired_group).parameters) - 4]
    try:
        return dict(_paired_group(population, [a for a, _ in chosen], [b for _, b in chosen], None, *extra))
    except ValueError:
        # statistics.paired fails on some degenerate samples (a NaN in the effect-size interval's
        # root finding); the group's count still goes through disclosure control.
        return {"population": population, "n": len(chosen)}


def report_set(units: list[tuple[str, int, list[tuple[Any, ...]]]]) -> dict[str, dict[str, Any]]:
    """The programme's report and each unit's, as ``suppression.shared_set`` takes them."""
    return {"programme": report(units)} | {f"unit {u}": report([unit], first=u) for u, unit in enumerate(units)}


def report(units: list[tuple[str, int, list[tuple[Any, ...]]]], first: int = 0) -> dict[str, Any]:
    """The report of ``units``, numbered from ``first`` (a unit's own report: one unit)."""
    people = [(u, p) for u, (_, _, members) in enumerate(units) for p in members]
    steps = [_step(p) for _, p in people]
    counts = {
        stage: sum(1 for s in steps if s >= max(0, STEPS.index(stage) if stage in STEPS else 1)) for stage in FUNNEL
    }
    for stage in EXITS:
        counts[stage] = sum(1 for s, (_, p) in zip(steps, people, strict=True) if p[1] == stage and s < 3)
    counts["waiting"] = 0
    flow = []
    for i, step in enumerate(STEPS):
        here = [p for s, (_, p) in zip(steps, people, strict=True) if s == i]
        last = step == "completed"
        flow.append(
            {
                "step": step,
                "label": step,
                "n": counts[step],
                "left": []
                if last
                else [{"stage": e, "label": e, "n": sum(1 for p in here if p[1] == e)} for e in EXITS],
                "reasons": [],
                "in_progress": 0 if last else sum(1 for p in here if p[1] is None),
            }
        )
    total = {"segment": "", "target": None, **counts}
    meetings: list[dict[str, Any]] = []
    participants: list[dict[str, Any]] = []
    by_unit_rows: list[dict[str, Any]] = []
    for u, (organisation, held, members) in enumerate(units, start=first):
        starters = [p for p in members if _step(p) >= 2]
        for number in range(1, held + 1):
            status = [p[2][number - 1] for p in starters]
            present, absent, excused = (status.count(k) for k in range(3))
            meetings.append(
                {
                    "unit": f"unit {u}",
                    "number": number,
                    "date": f"2026-01-{number:02d}",
                    "present": present,
                    "absent": absent,
                    "excused": excused,
                    "recorded": len(status),
                    "visitors": (u + number) % 3,
                }
            )
        for p in starters:
            attended = sum(1 for k in p[2][:held] if k == 0)
            participants.append(
                {
                    "rate": attended / held,
                    "attended": attended,
                    "dropped": p[1] == "dropped_out",
                    "last": max([k + 1 for k in range(held) if p[2][k] == 0], default=None),
                }
            )
        by_unit_rows.append(
            {
                "pk": u,
                "name": f"unit {u}",
                "organisation_id": organisation,
                "organisation__name": organisation,
                "enrolled": sum(1 for p in members if _step(p) >= 1),
                "started": len(starters),
                "completed": sum(1 for p in members if _step(p) == 3),
                "meetings_held": held,
                "present": sum(m["present"] for m in meetings if m["unit"] == f"unit {u}"),
                "recorded": sum(m["recorded"] for m in meetings if m["unit"] == f"unit {u}"),
            }
        )
    attending = [p for p in participants if p["attended"] > 0]
    rates = [p["rate"] for p in attending]
    median, q1, q3 = statistics.quantiles(rates)
    dose = statistics.wilson(sum(1 for r in rates if r >= 0.5), len(rates))
    dropouts: dict[int, int] = {}
    for row in attending:
        if row["dropped"] and row["last"] is not None:
            dropouts[row["last"]] = dropouts.get(row["last"], 0) + 1
    ratings = [p[3] for _, p in people if _step(p) >= 2 and p[3] is not None]
    summary = statistics.mean_ci(
        len(ratings),
        sum(ratings) / len(ratings) if ratings else None,
        statistics.sd_from_sums(
            len(ratings), sum(ratings) / len(ratings) if ratings else None, float(sum(r * r for r in ratings))
        ),
    )
    item = {
        "key": "rating",
        "type": "scale",
        "label": "rating",
        "n": len(ratings),
        "people": len(ratings),
        "mean": summary.mean,
        "sd": summary.sd,
        "ci_low": summary.ci_low,
        "ci_high": summary.ci_high,
        "min": min(ratings, default=None),
        "max": max(ratings, default=None),
        "scale_min": 1,
        "scale_max": 5,
        "distribution": [{"value": v, "label": str(v), **_share(ratings.count(v), len(ratings))} for v in range(1, 6)],
    }
    head = {"instrument": "x", "name": "x", "version": 1, "people": len(ratings), "anonymous": 0, "at_meetings": 0}
    measured: list[tuple[bool, float | None, float | None]] = [
        (_step(p) == 3, float(p[4][0]), None if p[4][1] is None else float(p[4][1]))
        for _, p in people
        if _step(p) >= 2 and p[4] is not None
    ]
    pairs = [m for m in measured if m[2] is not None]
    groups = [_group(population, measured) for population in POPULATIONS]
    newer = _newer(units, [p for _, p in people], measured, pairs)
    compared = [_compared(row["name"], [row], {}, {}, set()) for row in by_unit_rows]
    organisations = []
    for organisation in sorted({row["organisation__name"] for row in by_unit_rows}):
        organisations.append(
            _compared(organisation, [r for r in by_unit_rows if r["organisation__name"] == organisation], {}, {}, set())
        )
    return {
        "programme": {"slug": "generated", "name": "generated", "organisation": "A"},
        "view": "internal",
        "filters": {"since": None, "until": None, "unit": None, "unit_name": None, "dose": 0.5},
        "generated_at": "2026-12-06T12:00:00+02:00",
        "recruitment": {
            "segments": [dict(total)],
            "total": total,
            "referral_sources": [{"source": "self", "label": "self", **counts}],
            "flow": flow,
        },
        "attendance": {
            "meetings": meetings,
            "by_number": _by_number(meetings),
            "participants": [],
            "rate_bands": _rate_bands(rates),
            "summary": {
                "meetings_held": len(meetings),
                "attended": sum(m["present"] for m in meetings),
                "offered": sum(m["recorded"] for m in meetings),
                "rate": None,
                "visitors": sum(m["visitors"] for m in meetings),
                "starters": len(attending),
                "median_rate": median,
                "q1_rate": q1,
                "q3_rate": q3,
            },
            "dose": {
                "threshold": 0.5,
                "reached": dose.k,
                "of": dose.n,
                "share": dose.share,
                "ci_low": dose.ci_low,
                "ci_high": dose.ci_high,
            },
            "dropout_by_meeting": [{"number": k, "n": dropouts[k]} for k in sorted(dropouts)],
            "dropouts": sum(dropouts.values()),
        },
        "feedback": [{**head, "responses": len(ratings), "items": [item]}],
        "before_after": [
            {
                **head,
                "responses": 2 * len(pairs),
                "people": len(pairs),
                "direction": "higher_better",
                "reliability": None,
                "measured_people": len(measured),
                "scores": [{"score": "total", "label": "", "groups": groups}],
            }
        ],
        "comparison": {"instruments": [], "units": compared, "sites": [], "organisations": organisations},
        **newer,
    }


# What people said, by a person's rating: 1–2 "slow start" and 3 "good start" (themes of "start"),
# 4–5 "hope". Each person's material is one excerpt per theme, one more for a rating of 5.
THEMES = (("start", None), ("slow start", "start"), ("good start", "start"), ("hope", None))


def _themes_of(rating: int | None) -> list[str]:
    if rating is None:
        return []
    return ["start", "slow start"] if rating <= 2 else ["start", "good start"] if rating == 3 else ["hope"]


def _newer(
    units: list[tuple[str, int, list[tuple[Any, ...]]]],
    people: list[tuple[Any, ...]],
    measured: list[tuple[bool, float | None, float | None]],
    pairs: list[tuple[bool, float | None, float | None]],
) -> dict[str, Any]:
    """The report's later sections from the same people: the qualitative themes by rating, the
    service use before and after from the scores (a contact per five points), the response rates
    of the intake and end questionnaires ("x", as the before/after) and the council's suggestions
    (one a meeting held, every other accepted)."""
    starters = [p for p in people if _step(p) >= 2]
    speakers = [_themes_of(p[3]) for p in starters]
    themes = []
    for name, parent in THEMES:
        behind = [(t, p) for t, p in zip(speakers, starters, strict=True) if name in t]
        themes.append(
            {
                "name": name,
                "description": "",
                "parent": parent,
                "people": len(behind),
                "excerpts": len(behind) + sum(1 for _, p in behind if p[3] == 5),
            }
        )
    said = [p for p in starters if p[3] is not None]
    before = [float(int(a or 0) // 5) for _, a, _b in measured]
    counted = [(float(int(a or 0) // 5), float(int(b) // 5)) for _, a, b in pairs if b is not None]
    try:
        service = dict(_paired_group("all_pairs", [a for a, _ in counted], [b for _, b in counted], None))
    except ValueError:  # as in _group
        service = {"population": "all_pairs", "n": len(counted)}
    held = sum(h for _, h, _m in units)
    rates = [
        ("intake", len(starters), len(measured), len(starters) - sum(1 for p in starters if p[2][0] == 2)),
        ("end", len(measured), len(pairs), len(measured)),
    ]
    response = []
    for when, due, answered, invited in rates:
        answered_invited = min(answered, invited)
        response.append(
            {
                "entry": when,
                "instrument": "x",
                "when": when,
                "when_label": when,
                "follow_up_weeks": None,
                "per_meeting": False,
                "due": due,
                "answered": answered,
                "share_of_due": round(answered / due, 4) if due else None,
                "invited": invited,
                "answered_invited": answered_invited,
                "share_of_invited": round(answered_invited / invited, 4) if invited else None,
            }
        )
    return {
        "qualitative": {
            "people": len(said),
            "interviews": len(said),
            "focus_groups": 0,
            "excerpts": sum(2 if p[3] == 5 else 1 for p in said),
            "themes": themes,
            "quotes": [],
        },
        "service_use": [
            {
                "service": "s",
                "name": "family work",
                "description": "",
                "period_months": 6,
                "measured_people": len(before),
                "scores": [{"score": "contacts", "label": "", "groups": [service]}],
            }
        ],
        "response_rates": response,
        "council": {
            "suggestions": held,
            "accepted": (held + 1) // 2,
            "declined": held // 2,
            "done": held // 3,
            "items": [],
        },
    }
