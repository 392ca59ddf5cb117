import re
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pilotti.accounts.models import User
from pilotti.core.forms import set_queryset
from pilotti.organisations.models import Organisation
from pilotti.organisations.validators import normalise_business_id, validate_business_id
from pilotti.programmes.models import (
    DeliveryUnit,
    FacilitatorRole,
    Frequency,
    Mode,
    Programme,
)
from pilotti.programmes.selectors import FACILITATING_ROLES, replacement_candidates
from pilotti.programmes.services import ALLOWED_TRANSITIONS, ProgrammeFields

# The HTML date and time inputs speak ISO on the wire; people see them in their own locale.
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
SEGMENT_LINE = re.compile(r"^(?P<name>.+?)\s*[:=]\s*(?P<target>\d+)\s*$")


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


class UnlinkForm(forms.Form):
    why = forms.CharField(label=gettext_lazy("Why"), max_length=100)


class ArchiveForm(forms.Form):
    why = forms.CharField(
        label=gettext_lazy("Why"),
        help_text=gettext_lazy("For example: a test record, or the pilot has ended. The history keeps it."),
        max_length=300,
    )
