from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pilotti.accounts.models import User
from pilotti.instruments.selectors import instruments_visible_to
from pilotti.measurement.models import PlanEntry


class PlanEntryForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = PlanEntry
        fields = ["instrument", "when", "follow_up_weeks", "audience", "anonymous", "window_days"]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instrument = self.fields["instrument"]
        instrument.queryset = instruments_visible_to(user).order_by("name")  # type: ignore[attr-defined]
        self.fields["window_days"].min_value = 0  # type: ignore[attr-defined]


class AcknowledgeForm(forms.Form):
    note = forms.CharField(
        label=_("What was done"),
        help_text=_("For example: called the participant the same day and agreed on a follow-up visit."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
