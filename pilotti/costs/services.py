"""Writes to rates and costs: each one atomic, its history row naming who changed it and why."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pilotti.accounts.models import User
from pilotti.core.history import mark_history, save_with_history
from pilotti.costs.models import CostEntry, HourlyRate, entry_problems
from pilotti.organisations.models import Organisation
from pilotti.programmes.models import DeliveryUnit, Programme


@dataclass(frozen=True)
class RateFields:
    role: str
    euros_per_hour: Decimal | None  # None: no rate for the role (a rate set earlier is removed)
    preparation_minutes: int = 0


@dataclass(frozen=True)
class EntryFields:
    kind: str
    description: str
    spent_on: date
    unit: DeliveryUnit | None = None
    role: str = ""
    hours: Decimal | None = None
    amount: Decimal | None = None


@transaction.atomic
def rates_set(
    *, actor: User | None, programme: Programme, organisation: Organisation, rates: list[RateFields], reason: str = ""
) -> int:
    """Sets the organisation's hourly rates in the programme; returns how many rows changed."""
    current = {r.role: r for r in HourlyRate.objects.filter(programme=programme, organisation=organisation)}
    changed = 0
    for fields in rates:
        rate = current.get(fields.role)
        if fields.euros_per_hour is None:
            if rate is not None:
                mark_history(rate, actor=actor, reason=reason)
                rate.delete()
                changed += 1
            continue
        if rate is None:
            rate = HourlyRate(programme=programme, organisation=organisation, role=fields.role)
        elif (rate.euros_per_hour, rate.preparation_minutes) == (fields.euros_per_hour, fields.preparation_minutes):
            continue
        rate.euros_per_hour = fields.euros_per_hour
        rate.preparation_minutes = fields.preparation_minutes
        save_with_history(rate, actor=actor, reason=reason)
        changed += 1
    return changed


def _check(*, programme: Programme, organisation: Organisation, fields: EntryFields) -> None:
    """The rules the form also shows, so that a service caller cannot store a cost the report
    would misread: every error at once, on its field."""
    errors: dict[str, str] = {}
    if fields.unit is not None and (
        fields.unit.programme_id != programme.pk or fields.unit.organisation_id != organisation.pk
    ):
        errors["unit"] = _("Choose one of your organisation's units of this programme.")
    errors |= entry_problems(kind=fields.kind, role=fields.role, hours=fields.hours, amount=fields.amount)
    if errors:
        raise ValidationError(errors)


def _apply(entry: CostEntry, fields: EntryFields) -> None:
    entry.kind = fields.kind
    entry.description = fields.description
    entry.spent_on = fields.spent_on
    entry.unit = fields.unit
    entry.role = fields.role if fields.kind == CostEntry.Kind.STAFF else ""
    entry.hours = fields.hours
    entry.amount = fields.amount


@transaction.atomic
def cost_entry_add(
    *, actor: User | None, programme: Programme, organisation: Organisation, fields: EntryFields
) -> CostEntry:
    _check(programme=programme, organisation=organisation, fields=fields)
    entry = CostEntry(programme=programme, organisation=organisation)
    _apply(entry, fields)
    return save_with_history(entry, actor=actor)


@transaction.atomic
def cost_entry_update(*, actor: User | None, entry: CostEntry, fields: EntryFields, reason: str) -> CostEntry:
    """A correction: the history keeps the earlier values, who changed them and why."""
    _check(programme=entry.programme, organisation=entry.organisation, fields=fields)
    _apply(entry, fields)
    return save_with_history(entry, actor=actor, reason=reason)


@transaction.atomic
def cost_entry_remove(*, actor: User | None, entry: CostEntry, reason: str) -> None:
    """The history keeps the removed cost, who removed it and why."""
    mark_history(entry, actor=actor, reason=reason)
    entry.delete()
