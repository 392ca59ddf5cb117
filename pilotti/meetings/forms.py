from typing import Any

from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pilotti.accounts.models import User
from pilotti.core.forms import set_choices, set_queryset
from pilotti.meetings.models import Attendance, ReminderChoice
from pilotti.meetings.selectors import NOT_MARKED, RollCallRow
from pilotti.meetings.services import MAX_VISITORS
from pilotti.meetings.sms import sms_available
from pilotti.programmes.models import Meeting, validate_https


def _validate_remote_link(link: str) -> None:
    """One message, the one that helps: first the scheme, then whether it is an address at all."""
    validate_https(link)
    URLValidator(
        schemes=["https"],
        message=gettext_lazy("This is not a web address. Copy the whole link, starting with https://."),
    )(link)


class MeetingDetailsForm(forms.Form):
    """What a facilitator records about a meeting. The theme is a curriculum topic or free text."""

    topic = forms.ChoiceField(label=gettext_lazy("Theme from the curriculum"), required=False)
    theme = forms.CharField(
        label=gettext_lazy("Or another theme"),
        help_text=gettext_lazy("Leave empty if you chose a topic above."),
        max_length=200,
        required=False,
    )
    remote_link = forms.CharField(
        label=gettext_lazy("Remote link"),
        help_text=gettext_lazy("The video meeting's address, starting with https://. Sent in reminders."),
        max_length=500,
        required=False,
        validators=[_validate_remote_link],
    )
    interpreter_language = forms.CharField(label=gettext_lazy("Interpreter language"), max_length=100, required=False)
    facilitators_present = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Facilitators present"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    notes = forms.CharField(
        label=gettext_lazy("Notes for staff"),
        help_text=gettext_lazy(
            "Seen by the unit's facilitators and coordinators only, never by participants or evaluators."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )

    def __init__(self, *args: Any, meeting: Meeting, topics: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "topic", [("", "—"), *((title, title) for title in topics)])
        facilitators = User.objects.filter(facilitated_units__unit_id=meeting.unit_id).order_by("full_name", "email")
        set_queryset(self, "facilitators_present", facilitators, label=User.get_full_name)
        if not topics:
            del self.fields["topic"]
            self.fields["theme"].label = _("Theme")
            self.fields["theme"].help_text = ""

    @classmethod
    def initial_for(cls, meeting: Meeting, topics: list[str]) -> dict[str, Any]:
        in_curriculum = meeting.theme in topics
        return {
            "topic": meeting.theme if in_curriculum else "",
            "theme": "" if in_curriculum else meeting.theme,
            "remote_link": meeting.remote_link,
            "interpreter_language": meeting.interpreter_language,
            "facilitators_present": list(meeting.facilitators_present.all()),
            "notes": meeting.notes,
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("topic") and cleaned.get("theme"):
            self.add_error("theme", _("Choose a topic from the curriculum or write another theme, not both."))
        return cleaned

    def details(self) -> dict[str, Any]:
        """The keyword arguments of ``meeting_update``."""
        data = self.cleaned_data
        return {
            "theme": data.get("topic") or data["theme"],
            "remote_link": data["remote_link"],
            "interpreter_language": data["interpreter_language"],
            "notes": data["notes"],
            "facilitators_present": data["facilitators_present"],
        }


class VisitorsForm(forms.Form):
    unregistered_visitors = forms.IntegerField(
        label=gettext_lazy("Unregistered visitors"),
        help_text=gettext_lazy("People who came without being enrolled: counted, not named."),
        min_value=0,
        max_value=MAX_VISITORS,
    )


class RollCallForm(VisitorsForm):
    """The roll call without JavaScript: a radio group per person and one Save button.

    A person left without a choice keeps what was recorded before. "Not marked" takes a mark
    away only from a person who was marked when the page was shown (``was-<key>``): a save
    from a page opened earlier does not wipe a mark a co-worker made since.
    """

    def __init__(self, *args: Any, rows: list[RollCallRow], with_visitors: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        if not with_visitors:
            del self.fields["unregistered_visitors"]
        else:
            self.fields["unregistered_visitors"].required = False
        for row in rows:
            self.fields[f"attendance-{row.key}"] = forms.ChoiceField(
                label=row.code,
                choices=[*Attendance.Status.choices, (NOT_MARKED, gettext_lazy("not marked"))],
                required=False,
            )

    def statuses(self) -> list[tuple[RollCallRow, str]]:
        """(row, status) to save; NOT_MARKED for a mark to take away."""
        chosen = [(row, self.cleaned_data.get(f"attendance-{row.key}") or "") for row in self.rows]
        return [
            (row, status)
            for row, status in chosen
            if status and (status != NOT_MARKED or self.data.get(f"was-{row.key}"))
        ]


def _reminder_channels() -> list[tuple[str, Any]]:
    """Text messages only when a backend can send them (pilotti.meetings.sms)."""
    return [(value, label) for value, label in ReminderChoice.Channel.choices if sms_available() or value != "sms"]


class ReminderChoiceForm(forms.Form):
    channel = forms.ChoiceField(
        label=gettext_lazy("Meeting reminders"),
        choices=_reminder_channels,
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "Sent to the e-mail address or phone number in the participant's contact details, "
            "before each meeting of their group, with the remote link."
        ),
    )
