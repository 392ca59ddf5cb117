"""The form for making an API token."""

from datetime import datetime, time, timedelta
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from pilotti.api.models import Access
from pilotti.core.forms import set_queryset
from pilotti.core.zone import HELSINKI
from pilotti.organisations.models import Organisation


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("What the token is for, e.g. the county's reporting system.")
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        to_field_name="uuid",
        empty_label=None,
        help_text=_("The token sees what you see in this organisation, with your role there."),
    )
    access = forms.ChoiceField(label=_("Access"), choices=Access.choices, initial=Access.READ, widget=forms.RadioSelect)
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The token stops working at the end of this day. Leave empty for no expiry."),
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "organisation", organisations)

    def expires_at(self) -> datetime | None:
        """The end of the chosen day in Helsinki, when the token stops working."""
        day = self.cleaned_data.get("expires_on")
        if day is None:
            return None
        return datetime.combine(day + timedelta(days=1), time.min, tzinfo=HELSINKI)
