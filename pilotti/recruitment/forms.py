from datetime import date
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from pilotti.core import uploads
from pilotti.programmes.models import DeliveryUnit, Programme
from pilotti.recruitment.importer import MAX_BYTES
from pilotti.recruitment.models import Enrolment, ReferralSource, Stage
from pilotti.recruitment.services import EnrolmentFields, allowed_next

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _segment_choices(programme: Programme) -> list[tuple[str, str]]:
    return [("", "—"), *((name, name) for name in programme.segments.values_list("name", flat=True))]


class EnrolmentForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Unit"),
        queryset=DeliveryUnit.objects.none(),
        required=False,
        help_text=gettext_lazy("Leave empty until a group or track is chosen."),
    )
    referral_source = forms.ChoiceField(label=gettext_lazy("Referral source"), choices=ReferralSource.choices)
    segment = forms.ChoiceField(label=gettext_lazy("Segment it counts against"), choices=[], required=False)
    contacted_on = forms.DateField(label=gettext_lazy("Contacted on"), widget=DATE_WIDGET)

    def __init__(self, *args: Any, programme: Programme, units: QuerySet[DeliveryUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["segment"].choices = _segment_choices(programme)  # type: ignore[attr-defined]

    def to_fields(self) -> EnrolmentFields:
        data = self.cleaned_data
        return EnrolmentFields(
            programme=self.programme,
            unit=data.get("unit"),
            referral_source=data["referral_source"],
            segment=data.get("segment") or "",
            contacted_on=data["contacted_on"],
        )


class TransitionForm(forms.Form):
    to = forms.ChoiceField(label=gettext_lazy("Move to"), choices=[])
    on = forms.DateField(label=gettext_lazy("Date"), widget=DATE_WIDGET, initial=date.today)
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Unit"),
        queryset=DeliveryUnit.objects.none(),
        required=False,
        help_text=gettext_lazy("Change only to move the person to another unit, e.g. off the waiting list."),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("Needed when someone drops out."),
    )

    def __init__(self, *args: Any, enrolment: Enrolment, units: QuerySet[DeliveryUnit], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("unit", enrolment.unit_id)
        super().__init__(*args, **kwargs)
        # Only the possible next stages are offered; the service still refuses others (a stale page).
        self.fields["to"].choices = [(s.value, s.label) for s in allowed_next(enrolment)] or Stage.choices  # type: ignore[attr-defined]
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class ImportForm(forms.Form):
    programme = forms.ModelChoiceField(label=gettext_lazy("Programme"), queryset=Programme.objects.none())
    file = forms.FileField(
        label=gettext_lazy("File"), help_text=gettext_lazy("CSV (UTF-8, comma or semicolon) or Excel (.xlsx).")
    )

    def __init__(self, *args: Any, programmes: QuerySet[Programme], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes  # type: ignore[attr-defined]

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        uploads.check_upload(upload, max_bytes=MAX_BYTES)
        return upload
