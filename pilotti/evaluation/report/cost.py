"""Cost per result: what the programme cost, per participant started, per completer and per
reliably improved participant, and what one more unit costs (docs/evaluation.md, "Cost per result").

The costs come from ``costs.selectors.costing`` (the same sums as the cost page): staff hours
from the roll call priced at each organisation's hourly rates, interpreting, and the costs
entered. The denominators are the report's own figures: the recruitment flow's *started* and
*completed*, and the reliable-change classes of each outcome measure's total score among
everyone with two measurements.

Cost per reliably improved participant carries the uncertainty of its denominator: the share
improved, k of n measured, has a Wilson 95 % interval; scaled to the people who started (present
at a roll call at least once) it gives an interval of the number improved, and dividing the cost
by its ends gives the interval of the cost per improved participant (an interval mapped through
a decreasing function).
"""

from decimal import Decimal
from typing import Any, cast

from django.utils.translation import gettext as _

from pilotti.costs.costing import CATEGORIES, Costing
from pilotti.costs.selectors import Period, costing
from pilotti.evaluation import statistics
from pilotti.evaluation.report.scope import Scope
from pilotti.evaluation.report.types import (
    Attendance,
    Cost,
    CostCategory,
    CostCategoryKey,
    CostPerImproved,
    MarginalUnit,
    Outcome,
    Recruitment,
    StaffCost,
    UnitCost,
)
from pilotti.instruments.scoring import Change
from pilotti.programmes.models import FacilitatorRole

SUPPRESSED = "suppressed"
IMPROVED = (Change.RECOVERED, Change.IMPROVED)


def _euros(amount: Decimal) -> float:
    return round(float(amount), 2)


def _hours(hours: Decimal) -> float:
    return round(float(hours), 2)


def _per(total: Decimal, n: Any) -> float | None:
    return _euros(total / n) if isinstance(n, int) and n > 0 else None


def category_labels() -> dict[str, str]:
    return {
        "staff": _("Staff time"),
        "interpreter": _("Interpreting"),
        "venue": _("Premises"),
        "materials": _("Materials"),
        "other": _("Other costs"),
    }


def cost(s: Scope, recruitment: Recruitment, attendance: Attendance, outcomes: list[Outcome]) -> Cost:
    """The cost section of the internal report; ``withhold_shared`` makes the shared one."""
    c = costing(s.programme, s.units, Period(s.filters.since, s.filters.until), programme_level=s.filters.unit is None)
    total = c.total
    flow = {step["step"]: step["n"] for step in recruitment["flow"]}
    started = flow.get("started", 0)
    # People, not enrolments, for the estimate: a family's enrolment counts once in the flow, while
    # each of its members present at a roll call (and measured) counts as a person.
    people = attendance["summary"]["starters"]
    labels = category_labels()
    categories: list[CostCategory] = [
        {
            "category": cast(CostCategoryKey, key),
            "label": labels[key],
            "amount": _euros(c.categories[key]),
            "hours": _hours(c.category_hours[key]) if key in c.category_hours else None,
        }
        for key in CATEGORIES
    ]
    return {
        "currency": "EUR",
        "has_inputs": c.has_inputs,
        "total": _euros(total),
        "unit_level": _euros(c.unit_level),
        "programme_level": _euros(c.programme_level),
        "categories": categories,
        "staff": _staff(c),
        "unpriced_hours": _hours(c.unpriced_hours),
        "units": (units := _units(c)),
        "per_started": {"n": started, "amount": _per(total, started)},
        "per_completer": {"n": flow.get("completed", 0), "amount": _per(total, flow.get("completed", 0))},
        # The measurement plan's primary outcome first (``primary``, where the report marks it).
        "per_improved": [
            row
            for outcome in sorted(outcomes, key=lambda o: not o.get("primary", False))
            if (row := _per_improved(total, people, outcome))
        ],
        "marginal_unit": _marginal(units),
    }


def _staff(c: Costing) -> list[StaffCost]:
    labels = dict(FacilitatorRole.choices)
    rows: list[StaffCost] = []
    for role, t in sorted(c.by_role.items()):
        if not t.hours:
            continue
        rows.append(
            {
                "role": role,
                "label": str(labels.get(role, role)),
                "hours": _hours(t.hours),
                # The average where organisations' rates differ; None: no hour of the role is priced.
                "rate": _euros(t.amount / t.priced_hours) if t.priced_hours else None,
                "amount": _euros(t.amount),
            }
        )
    return rows


def _units(c: Costing) -> list[UnitCost]:
    rows: list[UnitCost] = [
        {
            "unit": c.unit_names[pk][0],
            "organisation": c.unit_names[pk][1],
            "meetings_held": c.meetings_held.get(pk, 0),
            "amount": _euros(amount),
        }
        for pk, amount in c.unit_amounts.items()
    ]
    return sorted(rows, key=lambda row: (row["unit"], row["organisation"]))


def _marginal(units: list[UnitCost]) -> MarginalUnit:
    """One more unit costs what the average unit that met cost on its own (the programme-wide
    costs are already paid). The units that met at least once in the period are the basis."""
    amounts = [row["amount"] for row in units if row["meetings_held"] > 0]
    if not amounts:
        return {"units": 0, "mean": None, "low": None, "high": None}
    return {
        "units": len(amounts),
        "mean": round(sum(amounts) / len(amounts), 2),
        "low": min(amounts),
        "high": max(amounts),
    }


def _per_improved(total: Decimal, people: Any, outcome: Outcome) -> CostPerImproved | None:
    group = next(
        (
            g
            for score in outcome["scores"]
            if score["score"] == "total"
            for g in score["groups"]
            if g["population"] == "all_pairs"
        ),
        None,
    )
    if group is None or "rci" not in group or group["rci"]["counts"] is None:
        return None
    counts = group["rci"]["counts"]
    n, k = group["n"], sum(int(counts[name]) for name in IMPROVED)  # the internal view: whole numbers
    if not isinstance(n, int):
        return None
    share = statistics.wilson(k, n)
    row: CostPerImproved = {
        "instrument": outcome["instrument"],
        "name": outcome["name"],
        "population": "all_pairs",
        "measured": n,
        "improved": k,
        "share": share.share,
        "share_low": share.ci_low,
        "share_high": share.ci_high,
        # The people who started: present at a roll call at least once, and at least those measured.
        "starters": (starters := max(people, n) if isinstance(people, int) else n),
        "observed": _per(total, k),
        "estimate": None,
        "ci_low": None,
        "ci_high": None,
    }
    if starters > 0 and share.share:
        row["estimate"] = _euros(total / Decimal(share.share * starters))
        row["ci_low"] = _euros(total / Decimal(share.ci_high * starters)) if share.ci_high else None
        row["ci_high"] = _euros(total / Decimal(share.ci_low * starters)) if share.ci_low else None
    return row


# --- The shared view -----------------------------------------------------------------------------


def _hidden(value: Any) -> bool:
    return isinstance(value, str) and value == SUPPRESSED


def _small(value: Any, limit: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < limit


def _withhold(entry: dict[str, Any], keys: tuple[str, ...], reason: str) -> None:
    for key in keys:
        entry[key] = SUPPRESSED
    entry["withheld"] = reason


def withhold_shared(report: dict[str, Any], limit: int) -> None:
    """Called by ``suppression.shared`` after disclosure control has run over the counts: a cost
    per person shows, with the total beside it, its denominator (total ÷ cost per person), so it
    is published only where the denominator is — and where that is at least the threshold."""
    section = report.get("cost")
    if section is None:
        return
    flow = {step["step"]: step["n"] for step in report["recruitment"]["flow"]}
    for key, step in (("per_started", "started"), ("per_completer", "completed")):
        entry = section[key]
        published = flow.get(step, 0)
        if _small(entry["n"], limit):
            entry["n"] = SUPPRESSED
            _withhold(entry, ("amount",), "fewer_people")
        elif _hidden(published):
            entry["n"] = SUPPRESSED
            _withhold(entry, ("amount",), "derivable")
    starters = report["attendance"]["summary"]["starters"]
    groups = {
        outcome["instrument"]: g
        for outcome in report["before_after"]
        for score in outcome["scores"]
        if score["score"] == "total"
        for g in score["groups"]
        if g["population"] == "all_pairs"
    }
    figures = ("share", "share_low", "share_high", "observed", "estimate", "ci_low", "ci_high")
    for row in section["per_improved"]:
        group = groups.get(row["instrument"])
        rci = (group or {}).get("rci") or {}
        counts = rci.get("counts") or {}
        n, k = row["measured"], row["improved"]
        # The share (and every figure made from it) only where the reliable-change classes and
        # the starters are published: then k and n are published as well, nothing new.
        published = (
            group is not None
            and not _hidden(group["n"])
            and all(name in counts and not _hidden(counts[name]) for name in IMPROVED)
            and not _hidden(starters)
        )
        if (group is not None and group.get("withheld") == "fewer_people") or _small(n, limit) or _small(k, limit):
            reason = "fewer_people"
        elif not published or _small(n - k, limit):
            reason = "derivable"
        else:
            continue
        row["measured"] = group["n"] if group is not None else SUPPRESSED
        row["improved"] = SUPPRESSED
        row["starters"] = SUPPRESSED
        _withhold(row, figures, reason)
