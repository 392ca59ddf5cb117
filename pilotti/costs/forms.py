from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from pilotti.core.forms import set_queryset
from pilotti.costs.models import CostEntry, HourlyRate, entry_problems
from pilotti.costs.services import EntryFields, RateFields
from pilotti.programmes.models import DeliveryUnit, FacilitatorRole

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _money(label: "StrOrPromise", *, required: bool = False, minimum: int | None = 0) -> forms.DecimalField:
    # localize: a Finnish coordinator types 45,50 (a point is accepted too).
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=minimum,
        max_digits=10,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 8}),
    )


class RatesForm(forms.Form):
    """An hourly rate and the preparation time per meeting for each role; empty: no rate."""

    reason = forms.CharField(label=gettext_lazy("Why (kept in the history)"), max_length=300, required=False)

    def __init__(self, *args: Any, current: dict[str, HourlyRate], **kwargs: Any) -> None:
        initial: dict[str, Any] = {}
        for role, rate in current.items():
            initial[f"rate_{role}"] = rate.euros_per_hour
            initial[f"preparation_{role}"] = rate.preparation_minutes
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        for role, label in FacilitatorRole.choices:
            self.fields[f"rate_{role}"] = _money(gettext_lazy("%(role)s, euros an hour") % {"role": label})
            self.fields[f"preparation_{role}"] = forms.IntegerField(
                label=gettext_lazy("%(role)s, preparation per meeting, minutes") % {"role": label},
                required=False,
                min_value=0,
                max_value=600,
                widget=forms.NumberInput(attrs={"size": 4}),
            )

    def rows(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        return [
            (str(label), self[f"rate_{role}"], self[f"preparation_{role}"]) for role, label in FacilitatorRole.choices
        ]

    def to_rates(self) -> list[RateFields]:
        data = self.cleaned_data
        return [
            RateFields(
                role=role,
                euros_per_hour=data[f"rate_{role}"],
                preparation_minutes=data[f"preparation_{role}"] or 0,
            )
            for role in FacilitatorRole.values
        ]


class CostEntryForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=CostEntry.Kind.choices)
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Unit"),
        queryset=DeliveryUnit.objects.none(),
        required=False,
        empty_label=gettext_lazy("The whole programme"),
    )
    role = forms.ChoiceField(
        label=gettext_lazy("Role (staff time)"),
        choices=[("", "—"), *FacilitatorRole.choices],
        required=False,
    )
    hours = _money(gettext_lazy("Hours"), minimum=None)
    amount = _money(gettext_lazy("Amount, euros"))
    description = forms.CharField(label=gettext_lazy("Description"), max_length=300)
    spent_on = forms.DateField(label=gettext_lazy("Date"), widget=DATE_WIDGET)

    def __init__(self, *args: Any, units: QuerySet[DeliveryUnit], with_reason: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "unit", units)
        if with_reason:
            self.fields["reason"] = forms.CharField(
                label=gettext_lazy("Why the change (kept in the history)"), max_length=300
            )

    def clean(self) -> dict[str, Any]:
        # Every problem at once: the kind's rules are checked even when another field failed.
        cleaned = super().clean() or {}
        hours: Decimal | None = cleaned.get("hours")
        amount: Decimal | None = cleaned.get("amount")
        if "kind" not in cleaned:
            return cleaned
        problems = entry_problems(kind=cleaned["kind"], role=cleaned.get("role", ""), hours=hours, amount=amount)
        for field, message in problems.items():
            if field not in self.errors:
                self.add_error(field, message)
        return cleaned

    def to_fields(self) -> EntryFields:
        data = self.cleaned_data
        return EntryFields(
            kind=data["kind"],
            description=data["description"],
            spent_on=data["spent_on"],
            unit=data["unit"],
            role=data["role"],
            hours=data["hours"],
            amount=data["amount"],
        )

    @classmethod
    def initial_for(cls, entry: CostEntry) -> dict[str, Any]:
        return {
            "kind": entry.kind,
            "unit": entry.unit,
            "role": entry.role,
            "hours": entry.hours,
            "amount": entry.amount,
            "description": entry.description,
            "spent_on": entry.spent_on,
        }
