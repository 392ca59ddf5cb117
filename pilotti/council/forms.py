from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from pilotti.council.models import CouncilItem, Decision
from pilotti.council.services import ItemFields, item_problems
from pilotti.meetings.models import Meeting

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CouncilItemForm(forms.Form):
    suggestion = forms.CharField(
        label=gettext_lazy("What the participants suggested"),
        help_text=gettext_lazy("In the group's words, without names: this goes into the report as written."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    decision = forms.ChoiceField(label=gettext_lazy("Decision"), choices=Decision.choices, initial=Decision.OPEN)
    decision_text = forms.CharField(
        label=gettext_lazy("What was decided"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    decided_on = forms.DateField(label=gettext_lazy("Decided on"), required=False, widget=DATE_WIDGET)
    action = forms.CharField(
        label=gettext_lazy("What was done"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    done_on = forms.DateField(label=gettext_lazy("Done on"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args: Any, meeting: Meeting, with_reason: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        if with_reason:
            self.fields["reason"] = forms.CharField(
                label=gettext_lazy("Why the change (kept in the history)"), max_length=300
            )

    def clean(self) -> dict[str, Any]:
        # Every problem at once, on its field.
        cleaned = super().clean() or {}
        if "suggestion" in cleaned and "decision" in cleaned:
            for field, message in item_problems(self.meeting, self._fields(cleaned)).items():
                if field not in self.errors:
                    self.add_error(field, message)
        return cleaned

    @staticmethod
    def _fields(data: dict[str, Any]) -> ItemFields:
        return ItemFields(
            suggestion=data["suggestion"],
            decision=data["decision"],
            decision_text=data.get("decision_text", ""),
            decided_on=data.get("decided_on"),
            action=data.get("action", ""),
            done_on=data.get("done_on"),
        )

    def to_fields(self) -> ItemFields:
        return self._fields(self.cleaned_data)

    @classmethod
    def initial_for(cls, item: CouncilItem) -> dict[str, Any]:
        return {
            "suggestion": item.suggestion,
            "decision": item.decision,
            "decision_text": item.decision_text,
            "decided_on": item.decided_on,
            "action": item.action,
            "done_on": item.done_on,
        }
