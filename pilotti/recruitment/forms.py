from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy

from pilotti.core import uploads
from pilotti.core.forms import ConfirmableForm, set_choices, set_queryset
from pilotti.programmes.models import DeliveryUnit, Programme
from pilotti.recruitment.importer import MAX_BYTES
from pilotti.recruitment.models import Enrolment, ReferralSource, Stage, StageChange
from pilotti.recruitment.services import EnrolmentFields, allowed_next

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _segment_choices(programme: Programme) -> list[tuple[str, str]]:
    return [("", "—"), *((name, name) for name in programme.segments.values_list("name", flat=True))]


class EnrolmentForm(ConfirmableForm):
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Unit"),
        queryset=DeliveryUnit.objects.none(),
        required=False,
        help_text=gettext_lazy("Leave empty until a group or track is chosen."),
    )
    referral_source = forms.ChoiceField(label=gettext_lazy("Referral source"), choices=ReferralSource.choices)
    segment = forms.ChoiceField(label=gettext_lazy("Segment it counts against"), choices=[], required=False)
    contacted_on = forms.DateField(label=gettext_lazy("Contacted on"), widget=DATE_WIDGET, initial=timezone.localdate)

    def __init__(self, *args: Any, programme: Programme, units: QuerySet[DeliveryUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.programme = programme
        set_queryset(self, "unit", units)
        set_choices(self, "segment", _segment_choices(programme))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self.warn_unless_plausible("contacted_on", cleaned.get("contacted_on"))
        return cleaned

    def to_fields(self) -> EnrolmentFields:
        data = self.cleaned_data
        return EnrolmentFields(
            programme=self.programme,
            unit=data.get("unit"),
            referral_source=data["referral_source"],
            segment=data.get("segment") or "",
            contacted_on=data["contacted_on"],
        )


class TransitionForm(ConfirmableForm):
    to = forms.ChoiceField(label=gettext_lazy("Move to"), choices=[])
    on = forms.DateField(label=gettext_lazy("Date"), widget=DATE_WIDGET, initial=timezone.localdate)
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
        set_choices(self, "to", [(s.value, s.label) for s in allowed_next(enrolment)] or Stage.choices)
        set_queryset(self, "unit", units)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self.warn_unless_plausible("on", cleaned.get("on"))
        return cleaned


def _step_label(step: StageChange) -> str:
    return f"{Stage(step.to_stage).label.capitalize()} · {date_format(step.on, 'SHORT_DATE_FORMAT')}"


class CorrectionForm(ConfirmableForm):
    """Corrects the date or reason of one step that stands; the old values stay in the history."""

    step = forms.TypedChoiceField(label=gettext_lazy("Step to correct"), choices=[], coerce=int)
    on = forms.DateField(
        label=gettext_lazy("Correct date"),
        widget=DATE_WIDGET,
        required=False,
        help_text=gettext_lazy("Leave empty to keep the step's date."),
    )
    reason = forms.CharField(
        label=gettext_lazy("Correct reason"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("Leave empty to keep the step's reason."),
    )
    why = forms.CharField(label=gettext_lazy("Why the correction"), max_length=300)

    def __init__(self, *args: Any, steps: list[StageChange], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.steps = {step.pk: step for step in steps}
        set_choices(self, "step", [(step.pk, _step_label(step)) for step in reversed(steps)])

    def clean(self) -> dict[str, Any]:
        """An empty date or reason keeps the step's own, so correcting one never changes the other."""
        cleaned = super().clean()
        if "step" in cleaned:
            step = cleaned["step"] = self.steps[cleaned["step"]]
            cleaned["on"] = cleaned.get("on") or step.on
            cleaned["reason"] = cleaned.get("reason") or step.reason
            if cleaned["on"] != step.on:
                self.warn_unless_plausible("on", cleaned["on"])
        return cleaned


class UndoForm(forms.Form):
    why = forms.CharField(label=gettext_lazy("Why the step is undone"), max_length=300)


class ImportForm(forms.Form):
    programme = forms.ModelChoiceField(label=gettext_lazy("Programme"), queryset=Programme.objects.none())
    file = forms.FileField(
        label=gettext_lazy("File"), help_text=gettext_lazy("CSV (UTF-8, comma or semicolon) or Excel (.xlsx).")
    )

    def __init__(self, *args: Any, programmes: QuerySet[Programme], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "programme", programmes)

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        uploads.check_upload(upload, max_bytes=MAX_BYTES)
        return upload
