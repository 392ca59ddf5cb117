import re
from datetime import date
from typing import Any

from django import forms
from django.core.validators import URLValidator
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pilotti.accounts.models import User
from pilotti.core.forms import ConfirmableForm, set_choices, set_queryset
from pilotti.core.zone import HELSINKI
from pilotti.meetings.models import Attendance, Meeting, ReminderChoice, validate_https
from pilotti.meetings.schedule import DateRange, Rule, Schedule, ScheduleError, ScheduleRule, generate
from pilotti.meetings.selectors import NOT_MARKED, RollCallRow, meeting_warnings
from pilotti.meetings.services import MAX_VISITORS, helsinki
from pilotti.meetings.sms import sms_available
from pilotti.programmes.forms import DATE_WIDGET, TIME_WIDGET
from pilotti.programmes.models import DeliveryUnit, Frequency, Programme, Site


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


# --- A unit's schedule and its meetings (the unit's other fields are programmes') ----------------

DATE_RANGE_SPLIT = re.compile(r"\s*(?:–|—|\s-\s|-(?=\s*\d{1,2}\.)|\.\.)\s*")


def parse_breaks(text: str) -> tuple[DateRange, ...]:
    """Break dates, one a line: a single date or two dates joined by a dash, in the user's format."""
    field = forms.DateField()
    example = date_format(date(2019, 12, 23), "SHORT_DATE_FORMAT")
    breaks, errors = [], []
    for number, line in enumerate((line.strip() for line in text.splitlines() if line.strip()), start=1):
        parts = DATE_RANGE_SPLIT.split(line)
        try:
            if len(parts) > 2:
                raise forms.ValidationError("")
            first = field.clean(parts[0])
            last = field.clean(parts[-1])
        except forms.ValidationError:
            errors.append(
                _("Line %(number)d: write a date such as %(example)s, or two dates joined by a dash.")
                % {"number": number, "example": example}
            )
            continue
        if last < first:
            errors.append(_("Line %(number)d: the break ends before it starts.") % {"number": number})
        else:
            breaks.append(DateRange(first, last))
    if errors:  # every wrong line at once
        raise forms.ValidationError(errors)
    return tuple(breaks)


SCHEDULE_FIELD = {"first": "first_date", "until": "until", "count": "count", "weekdays": "weekdays"}


class UnitForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=DeliveryUnit.Kind.choices)
    site = forms.ModelChoiceField(label=gettext_lazy("Site"), queryset=Site.objects.none(), required=False)
    capacity = forms.IntegerField(label=gettext_lazy("Capacity"), min_value=1, max_value=500, required=False)
    minimum_size = forms.IntegerField(label=gettext_lazy("Minimum size"), min_value=1, max_value=500, required=False)
    languages = forms.CharField(label=gettext_lazy("Languages used"), max_length=200, required=False)
    interpreter_language = forms.CharField(label=gettext_lazy("Interpreter language"), max_length=100, required=False)
    first_date = forms.DateField(label=gettext_lazy("First meeting"), widget=DATE_WIDGET)
    start_time = forms.TimeField(label=gettext_lazy("Starts at"), widget=TIME_WIDGET)
    duration_minutes = forms.IntegerField(label=gettext_lazy("Meeting length in minutes"), min_value=5, max_value=600)
    rule = forms.ChoiceField(label=gettext_lazy("Repeats"), choices=Frequency.choices, widget=forms.RadioSelect)
    weekdays = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Weekdays"),
        help_text=gettext_lazy("For twice a week: the days the unit meets."),
        choices=list(WEEKDAYS.items()),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    interval_weeks = forms.IntegerField(
        label=gettext_lazy("Weeks between meetings"),
        help_text=gettext_lazy("For every few weeks: 2 means every other week."),
        min_value=1,
        max_value=52,
        required=False,
    )
    count = forms.IntegerField(
        label=gettext_lazy("Number of meetings"),
        help_text=gettext_lazy(
            "Holidays and breaks do not use up meetings: the series runs on until it has this many."
        ),
        max_value=200,
        required=False,
    )
    until = forms.DateField(
        label=gettext_lazy("Or the last date"),
        help_text=gettext_lazy("Leave the number empty if you give the last date."),
        widget=DATE_WIDGET,
        required=False,
    )
    breaks = forms.CharField(
        label=gettext_lazy("Breaks"),
        help_text=gettext_lazy("One a line: a date, or two dates joined by a dash."),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args: Any, sites: QuerySet[Site], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "site", sites)
        self.schedule: Schedule | None = None
        self.schedule_rule: ScheduleRule | None = None

    def clean_breaks(self) -> tuple[DateRange, ...]:
        return parse_breaks(self.cleaned_data["breaks"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # The service refuses this too, but only once the rest is valid: said here, it shows with
        # a missing name at once instead of after it (issue 20, every error at once).
        capacity, minimum_size = cleaned.get("capacity"), cleaned.get("minimum_size")
        if capacity and minimum_size and minimum_size > capacity:
            self.add_error("minimum_size", _("The minimum size is larger than the capacity."))
        # The schedule's own rules are checked even when, say, the name is missing, so that every
        # error shows at once; only a schedule field's own error (or its absence) stops them.
        schedule_fields = ("first_date", "rule", "weekdays", "interval_weeks", "count", "until", "breaks")
        if any(name in self.errors for name in schedule_fields) or cleaned.get("first_date") is None:
            return cleaned
        rule = ScheduleRule(
            first=cleaned["first_date"],
            rule=Rule(cleaned["rule"]),
            count=cleaned.get("count"),
            until=cleaned.get("until"),
            weekdays=frozenset(cleaned.get("weekdays") or ()),
            interval_weeks=cleaned.get("interval_weeks") or (2 if cleaned["rule"] == Rule.EVERY_N_WEEKS else 1),
            breaks=cleaned.get("breaks") or (),
        )
        try:
            self.schedule = generate(rule)
        except ScheduleError as error:
            self.add_error(SCHEDULE_FIELD.get(error.field or "", error.field), error.message)
        else:
            self.schedule_rule = rule
        return cleaned


class MeetingForm(ConfirmableForm):
    confirm_label = gettext_lazy("Keep this time anyway")
    confirm_hint = gettext_lazy("If the time is right, tick “Keep this time anyway” and save again.")

    day = forms.DateField(label=gettext_lazy("Date"), widget=DATE_WIDGET)
    start_time = forms.TimeField(label=gettext_lazy("Starts at"), widget=TIME_WIDGET)
    duration_minutes = forms.IntegerField(
        label=gettext_lazy("Length in minutes"), min_value=5, max_value=600, required=False
    )

    def __init__(self, *args: Any, unit: DeliveryUnit, meeting: Meeting | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unit, self.meeting = unit, meeting

    def clean(self) -> dict[str, Any]:
        """A time on another meeting, a holiday or a break is asked about once, not refused."""
        cleaned = super().clean()
        if cleaned.get("day") and cleaned.get("start_time"):
            starts_at = helsinki(cleaned["day"], cleaned["start_time"])
            length = cleaned.get("duration_minutes") or self.unit.duration_minutes
            for warning in meeting_warnings(self.unit, starts_at, length, meeting=self.meeting):
                self.warn("day", warning)
        return cleaned


class CancelMeetingForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        help_text=gettext_lazy("Facilitators and, later, participants see this."),
        max_length=300,
    )
    add_at_end = forms.BooleanField(
        label=gettext_lazy("Add a meeting a week after the last one, so the number of meetings stays the same"),
        required=False,
    )


def _break_line(first: date, last: date) -> str:
    """A break as parse_breaks reads it back, in the user's date format."""
    day = date_format(first, "SHORT_DATE_FORMAT")
    return day if first == last else f"{day} – {date_format(last, 'SHORT_DATE_FORMAT')}"


class UnitDetailsForm(UnitForm):
    """The unit's details without its schedule (that is changed with UnitScheduleForm)."""

    kind = None  # type: ignore[assignment]  # removes the parent form's field (Django's documented way)
    first_date = start_time = duration_minutes = rule = weekdays = interval_weeks = None  # type: ignore[assignment]  # removes the parent form's field (Django's documented way)
    count = until = breaks = None  # type: ignore[assignment]  # removes the parent form's field (Django's documented way)

    remote_link = forms.URLField(
        label=gettext_lazy("Remote link of the coming meetings"),
        help_text=gettext_lazy("A new link replaces the link of every meeting still to come."),
        assume_scheme="https",
        max_length=500,
        required=False,
        validators=[validate_https],
    )

    @classmethod
    def initial_for(cls, unit: DeliveryUnit) -> dict[str, Any]:
        keys = ("name", "site", "capacity", "minimum_size", "languages", "interpreter_language")
        upcoming = unit.meetings.filter(status=Meeting.Status.SCHEDULED, starts_at__gt=timezone.now()).first()
        return {key: getattr(unit, key) for key in keys} | {"remote_link": upcoming.remote_link if upcoming else ""}

    def to_fields(self) -> dict[str, Any]:
        """The details for unit_update; the link only when it was changed, so that one meeting's own
        link is not overwritten by saving a name."""
        fields = dict(self.cleaned_data)
        if "remote_link" not in self.changed_data:
            fields["remote_link"] = None
        return fields


class UnitScheduleForm(UnitForm):
    """The unit's new rule: the meetings after today are regenerated from it."""

    name = kind = site = capacity = minimum_size = languages = interpreter_language = None  # type: ignore[assignment]  # removes the parent form's field (Django's documented way)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # UnitForm's own __init__ fills the site field, which this form does not have.
        forms.Form.__init__(self, *args, **kwargs)
        self.schedule: Schedule | None = None
        self.schedule_rule: ScheduleRule | None = None

    @classmethod
    def initial_for(cls, unit: DeliveryUnit, programme: Programme) -> dict[str, Any]:
        upcoming = unit.meetings.filter(status=Meeting.Status.SCHEDULED, starts_at__gt=timezone.now()).first()
        when = upcoming.starts_at.astimezone(HELSINKI) if upcoming else None
        upcoming_count = unit.meetings.filter(status=Meeting.Status.SCHEDULED, starts_at__gt=timezone.now()).count()
        return {
            "first_date": when.date() if when else None,
            "start_time": when.time() if when else None,
            "duration_minutes": unit.duration_minutes,
            "rule": programme.frequency,
            "count": upcoming_count or None,
            "breaks": "\n".join(_break_line(b.first, b.last) for b in unit.breaks.all()),
        }
