from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pilotti.core.forms import set_queryset
from pilotti.instruments.selectors import instruments_visible_to
from pilotti.measurement.models import PlanEntry
from pilotti.organisations.viewer import Viewer


# django-stubs makes the base generic; subscripting it at run time needs django-stubs-ext, which
# only the development install has.
class PlanEntryForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = PlanEntry
        fields = ["instrument", "when", "follow_up_weeks", "audience", "anonymous", "window_days", "primary_outcome"]

    def __init__(self, *args: Any, viewer: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "instrument", instruments_visible_to(viewer).order_by("name"))
        window_days = self.fields["window_days"]
        if isinstance(window_days, forms.IntegerField):  # the model field's form field: the browser's lower bound
            window_days.min_value = 0


class AcknowledgeForm(forms.Form):
    note = forms.CharField(
        label=_("What was done"),
        help_text=_("For example: called the participant the same day and agreed on a follow-up visit."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
