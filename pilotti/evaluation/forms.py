"""The report's filters: a GET form (period, unit, dose threshold, which view)."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pilotti.core.forms import set_choices
from pilotti.evaluation.selectors import DEFAULT_DOSE, Filters
from pilotti.programmes.models import DeliveryUnit


class ReportFilterForm(forms.Form):
    since = forms.DateField(
        label=pgettext_lazy("date filter", "From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=pgettext_lazy("date filter", "To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    unit = forms.ChoiceField(label=_("Unit"), required=False)
    dose = forms.IntegerField(
        label=_("Dose: attended at least this many per cent of the meetings"),
        min_value=1,
        max_value=100,
        required=False,
        initial=int(DEFAULT_DOSE * 100),
    )
    view = forms.ChoiceField(
        label=_("View"),
        required=False,
        choices=[("internal", _("internal (unsuppressed)")), ("shared", _("shared (small numbers suppressed)"))],
    )

    def __init__(self, *args: Any, units: QuerySet[DeliveryUnit], internal_allowed: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = {str(unit.uuid): unit for unit in units.order_by("name")}
        choices = [("", _("All units")), *((key, u.name) for key, u in self.units.items())]
        set_choices(self, "unit", choices)
        if not internal_allowed:
            del self.fields["view"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end of the period is before its start."))
        return data

    def filters(self, unit: DeliveryUnit | None = None) -> Filters:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        chosen = unit or self.units.get(data.get("unit") or "")
        dose = data.get("dose")
        return Filters(
            since=data.get("since"),
            until=data.get("until"),
            unit=chosen,
            dose=(dose / 100) if dose else DEFAULT_DOSE,
        )

    def wants_shared(self) -> bool:
        return self.is_bound and self.is_valid() and self.cleaned_data.get("view") == "shared"
