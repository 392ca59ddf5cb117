"""A programme's costs added up: staff hours from the roll call priced at the hourly rates, the
interpreting the roll call implies, and the costs entered (docs/evaluation.md, "Cost per result").

Pure arithmetic over rows the selectors read (``selectors.costing`` reads them in five queries);
the cost page and the report's cost section (``evaluation.report.cost``) both use it, so they
always agree. Money is ``Decimal`` here; the report rounds it to cents.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pilotti.programmes.models import FacilitatorRole

ZERO = Decimal(0)
MINUTES = Decimal(60)
INTERPRETER = FacilitatorRole.INTERPRETER.value
CATEGORIES = ("staff", "interpreter", "venue", "materials", "other")


@dataclass(frozen=True)
class Rate:
    euros_per_hour: Decimal
    preparation_minutes: int


@dataclass
class RoleTotal:
    hours: Decimal = ZERO
    amount: Decimal = ZERO
    priced_hours: Decimal = ZERO


@dataclass
class Costing:
    """Everything priced, by role, by category and by unit."""

    by_role: dict[str, RoleTotal] = field(default_factory=lambda: defaultdict(RoleTotal))
    categories: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(CATEGORIES, ZERO))
    category_hours: dict[str, Decimal] = field(default_factory=lambda: {"staff": ZERO, "interpreter": ZERO})
    unit_amounts: dict[int, Decimal] = field(default_factory=lambda: defaultdict(lambda: ZERO))
    unit_hours: dict[tuple[int, str], Decimal] = field(default_factory=lambda: defaultdict(lambda: ZERO))
    meetings_held: dict[int, int] = field(default_factory=dict)
    unit_names: dict[int, tuple[str, str]] = field(default_factory=dict)  # (unit, organisation)
    programme_level: Decimal = ZERO
    unpriced_hours: Decimal = ZERO
    has_inputs: bool = False

    @property
    def unit_level(self) -> Decimal:
        return sum(self.unit_amounts.values(), ZERO)

    @property
    def total(self) -> Decimal:
        return self.unit_level + self.programme_level

    def _hours(self, *, organisation_id: int, unit_id: int | None, role: str, hours: Decimal, rates: Any) -> None:
        """Prices ``hours`` of ``role`` at the organisation's rate (unpriced without one)."""
        rate: Rate | None = rates.get((organisation_id, role))
        total = self.by_role[role]
        total.hours += hours
        category = "interpreter" if role == INTERPRETER else "staff"
        self.category_hours[category] += hours
        if unit_id is not None:
            self.unit_hours[(unit_id, role)] += hours
        if rate is None:
            self.unpriced_hours += hours
            return
        amount = hours * rate.euros_per_hour
        total.amount += amount
        total.priced_hours += hours
        self._money(unit_id=unit_id, category=category, amount=amount)

    def _money(self, *, unit_id: int | None, category: str, amount: Decimal) -> None:
        self.categories[category] += amount
        if unit_id is None:
            self.programme_level += amount
        else:
            self.unit_amounts[unit_id] += amount


def add_up(
    *,
    units: Iterable[tuple[int, int]],
    roll_call: Iterable[dict[str, Any]],
    meetings: Iterable[dict[str, Any]],
    rates: dict[tuple[int, str], Rate],
    entries: Iterable[dict[str, Any]],
) -> Costing:
    """``units``: (unit id, organisation id); ``roll_call``: facilitator-meetings per unit and role
    (``unit_id``, ``role``, ``count``, ``minutes``); ``meetings``: held meetings per unit
    (``unit_id``, ``held``, ``interpreter_minutes``); ``entries``: cost entries as values."""
    costing = Costing(has_inputs=bool(rates))
    organisation = dict(units)
    for row in meetings:
        costing.meetings_held[row["unit_id"]] = row["held"]
        costing.unit_amounts[row["unit_id"]] += ZERO  # a unit that met is a unit, even at no cost
        if row["interpreter_minutes"]:
            costing._hours(
                organisation_id=organisation[row["unit_id"]],
                unit_id=row["unit_id"],
                role=INTERPRETER,
                hours=Decimal(row["interpreter_minutes"]) / MINUTES,
                rates=rates,
            )
    for row in roll_call:
        org = organisation[row["unit_id"]]
        rate = rates.get((org, row["role"]))
        preparation = rate.preparation_minutes if rate else 0
        minutes = Decimal(row["minutes"]) + Decimal(row["count"] * preparation)
        costing._hours(
            organisation_id=org, unit_id=row["unit_id"], role=row["role"], hours=minutes / MINUTES, rates=rates
        )
    for entry in entries:
        costing.has_inputs = True
        kind, amount, hours = entry["kind"], entry["amount"], entry["hours"]
        if kind == "staff" or (kind == "interpreter" and amount is None):
            role = entry["role"] if kind == "staff" else INTERPRETER
            costing._hours(
                organisation_id=entry["organisation_id"], unit_id=entry["unit_id"], role=role, hours=hours, rates=rates
            )
        else:
            if kind == "interpreter" and hours is not None:
                costing.category_hours["interpreter"] += hours
                costing.by_role[INTERPRETER].hours += hours
                costing.by_role[INTERPRETER].amount += amount
                costing.by_role[INTERPRETER].priced_hours += hours
            costing._money(unit_id=entry["unit_id"], category=kind, amount=amount)
    return costing
