from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from pilotti.core.forms import set_queryset
from pilotti.serviceuse.models import Service, ServiceUse
from pilotti.serviceuse.services import ServiceFields, UseFields, use_problems

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _reason() -> forms.CharField:
    return forms.CharField(label=gettext_lazy("Why the change (kept in the history)"), max_length=300)


class ServiceForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Service"),
        max_length=120,
        help_text=gettext_lazy("For example family work, child protection notifications or emergency visits."),
    )
    description = forms.CharField(label=gettext_lazy("What is counted"), max_length=300, required=False)
    period_months = forms.IntegerField(
        label=gettext_lazy("Months before and after"),
        min_value=1,
        max_value=36,
        initial=6,
        help_text=gettext_lazy("Contacts are counted in as many months before the support started and after it ended."),
    )

    def __init__(self, *args: Any, with_reason: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if with_reason:
            self.fields["reason"] = _reason()

    def to_fields(self) -> ServiceFields:
        data = self.cleaned_data
        return ServiceFields(name=data["name"], description=data["description"], period_months=data["period_months"])

    @classmethod
    def initial_for(cls, service: Service) -> dict[str, Any]:
        return {"name": service.name, "description": service.description, "period_months": service.period_months}


class UseForm(forms.Form):
    service = forms.ModelChoiceField(label=gettext_lazy("Service"), queryset=Service.objects.none())
    code = forms.CharField(
        label=gettext_lazy("Participant or household code"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "size": 10}),
    )
    support_started_on = forms.DateField(label=gettext_lazy("Support started on"), widget=DATE_WIDGET)
    support_ended_on = forms.DateField(label=gettext_lazy("Support ended on"), widget=DATE_WIDGET)
    before_count = forms.IntegerField(label=gettext_lazy("Contacts before"), min_value=0)
    after_count = forms.IntegerField(
        label=gettext_lazy("Contacts after"),
        min_value=0,
        required=False,
        help_text=gettext_lazy("Leave empty until the months after have passed and been counted."),
    )

    def __init__(self, *args: Any, services: QuerySet[Service], use: ServiceUse | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "service", services)
        if use is not None:
            # A correction keeps its service and person; a wrong one is removed and entered again.
            del self.fields["service"]
            del self.fields["code"]
            self.fields["reason"] = _reason()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if all(cleaned.get(k) is not None for k in ("support_started_on", "support_ended_on", "before_count")):
            for field, message in use_problems(self._fields(cleaned)).items():
                if field not in self.errors:
                    self.add_error(field, message)
        return cleaned

    @staticmethod
    def _fields(data: dict[str, Any]) -> UseFields:
        return UseFields(
            support_started_on=data["support_started_on"],
            support_ended_on=data["support_ended_on"],
            before_count=data["before_count"],
            after_count=data.get("after_count"),
        )

    def to_fields(self) -> UseFields:
        return self._fields(self.cleaned_data)

    @classmethod
    def initial_for(cls, use: ServiceUse) -> dict[str, Any]:
        return {
            "support_started_on": use.support_started_on,
            "support_ended_on": use.support_ended_on,
            "before_count": use.before_count,
            "after_count": use.after_count,
        }


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"), help_text=gettext_lazy("CSV (UTF-8, comma or semicolon) or Excel (.xlsx).")
    )
