from collections.abc import Mapping
from datetime import date
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from pilotti.audit.models import Action, Purpose
from pilotti.audit.selectors import LogFilters

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AccessLogFilterForm(forms.Form):
    """The organisation's access log, narrowed; the view passes the e-mail addresses in the log."""

    code = forms.CharField(label=gettext_lazy("Participant code"), max_length=12, required=False)
    user_email = forms.ChoiceField(label=gettext_lazy("Staff member"), choices=(), required=False)
    first_day = forms.DateField(label=pgettext_lazy("date filter", "From"), required=False, widget=DATE_WIDGET)
    last_day = forms.DateField(label=pgettext_lazy("date filter", "To"), required=False, widget=DATE_WIDGET)
    action = forms.ChoiceField(label=gettext_lazy("Action"), choices=(), required=False)
    purpose = forms.ChoiceField(label=gettext_lazy("Purpose"), choices=(), required=False)

    def __init__(self, data: Mapping[str, Any] | None, *, users: list[str]) -> None:
        super().__init__(data)
        everyone = [("", _("All"))]
        cast(forms.ChoiceField, self.fields["user_email"]).choices = everyone + [(e, e) for e in users]
        cast(forms.ChoiceField, self.fields["action"]).choices = everyone + list(Action.choices)
        cast(forms.ChoiceField, self.fields["purpose"]).choices = everyone + list(Purpose.choices)

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        first, last = cleaned.get("first_day"), cleaned.get("last_day")
        if isinstance(first, date) and isinstance(last, date) and last < first:
            raise ValidationError(_("The last day is before the first."))
        return cleaned

    def filters(self) -> LogFilters:
        if not self.is_valid():
            return LogFilters()
        data = self.cleaned_data
        return LogFilters(
            code=data["code"].strip(),
            user_email=data["user_email"],
            first_day=data["first_day"],
            last_day=data["last_day"],
            action=data["action"],
            purpose=data["purpose"],
        )
