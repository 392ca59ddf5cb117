import re
from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pilotti.accounts.models import User
from pilotti.core.forms import ConfirmableForm, set_queryset
from pilotti.core.zone import HELSINKI
from pilotti.organisations.models import Organisation
from pilotti.organisations.validators import normalise_business_id, validate_business_id
from pilotti.programmes.models import (
    DeliveryUnit,
    FacilitatorRole,
    Frequency,
    Meeting,
    Mode,
    Programme,
    Site,
    validate_https,
)
from pilotti.programmes.schedule import DateRange, Rule, Schedule, ScheduleError, ScheduleRule, generate
from pilotti.programmes.selectors import FACILITATING_ROLES, meeting_warnings, replacement_candidates
from pilotti.programmes.services import ALLOWED_TRANSITIONS, ProgrammeFields, helsinki

# The HTML date and time inputs speak ISO on the wire; people see them in their own locale.
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
SEGMENT_LINE = re.compile(r"^(?P<name>.+?)\s*[:=]\s*(?P<target>\d+)\s*$")
DATE_RANGE_SPLIT = re.compile(r"\s*(?:–|—|\s-\s|-(?=\s*\d{1,2}\.)|\.\.)\s*")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class ProgrammeForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    description = forms.CharField(
        label=gettext_lazy("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=Programme.Status.choices)
    starts_on = forms.DateField(label=gettext_lazy("Period starts"), widget=DATE_WIDGET, required=False)
    ends_on = forms.DateField(label=gettext_lazy("Period ends"), widget=DATE_WIDGET, required=False)
    target_groups = forms.CharField(
        label=gettext_lazy("Target groups"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    segments = forms.CharField(
        label=gettext_lazy("Recruitment targets"),
        help_text=gettext_lazy("One segment a line, the target after a colon. For example: Finnish families: 20"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    meetings_min = forms.IntegerField(
        label=gettext_lazy("Meetings, at least"), min_value=1, max_value=200, required=False
    )
    meetings_max = forms.IntegerField(
        label=gettext_lazy("Meetings, at most"), min_value=1, max_value=200, required=False
    )
    frequency = forms.ChoiceField(label=gettext_lazy("Frequency"), choices=Frequency.choices)
    duration_minutes = forms.IntegerField(label=gettext_lazy("Meeting length in minutes"), min_value=5, max_value=600)
    mode = forms.ChoiceField(label=gettext_lazy("Mode"), choices=Mode.choices)
    topics = forms.CharField(
        label=gettext_lazy("Curriculum"),
        help_text=gettext_lazy("One topic a line, in the order of the meetings."),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    facilitator_roles = forms.MultipleChoiceField(
        label=gettext_lazy("Facilitator roles the model needs"),
        choices=FacilitatorRole.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    interpreter_language = forms.CharField(label=gettext_lazy("Interpreter language"), max_length=100, required=False)
    measurement_plan = forms.CharField(
        label=gettext_lazy("Measurement plan"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    absences_before_call = forms.IntegerField(
        label=gettext_lazy("Absences in a row before a call"),
        help_text=gettext_lazy(
            "A person absent from this many meetings in a row, not excused, is on the facilitator's "
            "“waiting for you” list."
        ),
        min_value=1,
        max_value=6,  # "waiting for you" looks six weeks back (meetings.selectors.WAITING_DAYS)
        initial=2,
        required=False,
    )

    @classmethod
    def initial_for(cls, programme: Programme) -> dict[str, Any]:
        initial = {name: getattr(programme, name) for name in cls.base_fields if hasattr(programme, name)}
        initial["segments"] = "\n".join(f"{s.name}: {s.target}" for s in programme.segments.all())
        initial["topics"] = "\n".join(t.title for t in programme.topics.all())
        return initial

    def clean_segments(self) -> list[tuple[str, int]]:
        """Every wrong line is reported at once, so a pasted list is fixed in one go."""
        segments, errors = [], []
        for number, line in enumerate(_lines(self.cleaned_data["segments"]), start=1):
            match = SEGMENT_LINE.match(line)
            if match is None:
                errors.append(
                    _("Line %(number)d: write the segment, a colon and a number, e.g. Finnish families: 20.")
                    % {"number": number}
                )
            else:
                segments.append((match["name"][:200], int(match["target"])))
        if errors:
            raise forms.ValidationError(errors)
        return segments

    def clean_absences_before_call(self) -> int:
        """Empty (a form from before the field, an API client): two, the default."""
        return self.cleaned_data.get("absences_before_call") or 2

    def clean_topics(self) -> list[str]:
        return [line[:200] for line in _lines(self.cleaned_data["topics"])]

    def clean(self) -> dict[str, Any]:
        """The plan's cross-field rules (the service keeps them too), said beside every other error."""
        cleaned = super().clean() or {}
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The period ends before it starts. Choose a later end date."))
        fewest, most = cleaned.get("meetings_min"), cleaned.get("meetings_max")
        if fewest and most and most < fewest:
            self.add_error("meetings_max", _("The most meetings is less than the fewest. Swap the numbers."))
        return cleaned

    def to_fields(self) -> ProgrammeFields:
        data = dict(self.cleaned_data)
        for text in ("description", "target_groups", "interpreter_language", "measurement_plan"):
            data[text] = data.get(text) or ""
        return ProgrammeFields(**data)


class OrganisationForm(forms.Form):
    """Names another organisation by its business ID, so no list of organisations is shown."""

    business_id = forms.CharField(
        label=gettext_lazy("Business ID (Y-tunnus)"), max_length=9, help_text=gettext_lazy("For example 1234567-8.")
    )
    adopted_on = forms.DateField(label=gettext_lazy("Adopted on"), widget=DATE_WIDGET, required=False)

    def clean_business_id(self) -> Organisation:
        """A mistyped ID says what is wrong with it, before it is looked up."""
        business_id = normalise_business_id(self.cleaned_data["business_id"])
        validate_business_id(business_id)
        organisation = Organisation.objects.filter(business_id=business_id).first()
        if organisation is None:
            raise forms.ValidationError(_("No organisation with this business ID uses Pilotti. Check the number."))
        return organisation


class SiteForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Venue name"), max_length=200)
    is_remote = forms.BooleanField(label=gettext_lazy("Remote (video or phone)"), required=False)
    street_address = forms.CharField(label=gettext_lazy("Street address"), max_length=200, required=False)
    municipality = forms.CharField(label=gettext_lazy("Municipality"), max_length=100, required=False)
    accessibility_notes = forms.CharField(
        label=gettext_lazy("Accessibility notes"),
        help_text=gettext_lazy("E.g. step-free entrance, lift, hearing loop, parking for prams."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


def parse_breaks(text: str) -> tuple[DateRange, ...]:
    """Break dates, one a line: a single date or two dates joined by a dash, in the user's format."""
    field = forms.DateField()
    example = date_format(date(2019, 12, 23), "SHORT_DATE_FORMAT")
    breaks, errors = [], []
    for number, line in enumerate(_lines(text), start=1):
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


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("New status"), choices=DeliveryUnit.Status.choices)
    on = forms.DateField(label=gettext_lazy("Date"), widget=DATE_WIDGET, required=False)
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        help_text=gettext_lazy("Needed when the unit is discontinued or cancelled."),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    replacement = forms.ModelChoiceField(
        label=gettext_lazy("Replaced by"), queryset=DeliveryUnit.objects.none(), required=False
    )

    def __init__(self, *args: Any, unit: DeliveryUnit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "replacement", replacement_candidates(unit))
        # Only the statuses the unit can move to are offered, the usual next one first, so the form
        # never starts at one the unit cannot take; a stale page's choice still reaches the service,
        # whose refusal says what the unit can become.
        allowed = ALLOWED_TRANSITIONS[unit.status]
        self.fields["status"].widget.choices = [(s.value, s.label) for s in DeliveryUnit.Status if s in allowed]


class FacilitatorForm(forms.Form):
    user = forms.ModelChoiceField(label=gettext_lazy("Staff member"), queryset=User.objects.none())
    role = forms.ChoiceField(label=gettext_lazy("Role in the unit"), choices=FacilitatorRole.choices)

    def __init__(self, *args: Any, unit: DeliveryUnit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff = User.objects.filter(
            memberships__organisation_id=unit.organisation_id,
            memberships__is_active=True,
            memberships__role__in=FACILITATING_ROLES,
        ).order_by("full_name", "email")
        set_queryset(self, "user", staff)


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


class UnlinkForm(forms.Form):
    why = forms.CharField(label=gettext_lazy("Why"), max_length=100)


class ArchiveForm(forms.Form):
    why = forms.CharField(
        label=gettext_lazy("Why"),
        help_text=gettext_lazy("For example: a test record, or the pilot has ended. The history keeps it."),
        max_length=300,
    )
