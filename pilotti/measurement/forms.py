from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pilotti.core.forms import ConfirmableForm, set_queryset
from pilotti.instruments import coverage
from pilotti.instruments.models import Instrument, InstrumentVersion
from pilotti.instruments.selectors import instruments_visible_to
from pilotti.measurement.models import Audience, PlanEntry
from pilotti.organisations.viewer import Viewer
from pilotti.programmes.models import DeliveryUnit


def _current(instrument: Instrument) -> InstrumentVersion | None:
    """The current version from the prefetched versions (the picker asks no query per row)."""
    version = max(instrument.versions.all(), key=lambda v: v.number, default=None)
    if version is not None:
        version.instrument = instrument
    return version


def _label(instrument: Instrument) -> str:
    version = _current(instrument)
    return coverage.version_label(version) if version is not None else instrument.local_name


# django-stubs makes the base generic; subscripting it at run time needs django-stubs-ext, which
# only the development install has.
class PlanEntryForm(ConfirmableForm, forms.ModelForm):  # type: ignore[type-arg]  # django-stubs' ModelForm is generic; the model is named in Meta
    confirm_label = _("Add it anyway: the units answer in one of the languages it has")
    confirm_hint = _("If that is right, tick “Add it anyway” and add the entry again.")

    class Meta:
        model = PlanEntry
        fields = ["instrument", "when", "follow_up_weeks", "audience", "anonymous", "window_days", "primary_outcome"]

    def __init__(self, *args: Any, viewer: Viewer, units: list[DeliveryUnit] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = units or []
        instruments = instruments_visible_to(viewer).prefetch_related("versions").order_by("name")
        set_queryset(self, "instrument", instruments, label=_label)
        window_days = self.fields["window_days"]
        if isinstance(window_days, forms.IntegerField):  # the model field's form field: the browser's lower bound
            window_days.min_value = 0

    def clean(self) -> dict[str, Any]:
        """Warns when a unit's languages (its free-text "languages used") lack the questionnaire's wording;
        workers answer in the staff's language, so a staff rating is not checked."""
        cleaned = super().clean()
        instrument = cleaned.get("instrument")
        version = _current(instrument) if instrument is not None else None
        if version is None or cleaned.get("audience") == Audience.STAFF:
            return cleaned
        lacking = [
            (unit, missing)
            for unit in self.units
            if (missing := coverage.uncovered(coverage.codes_in(unit.languages), version, unit.organisation_id))
        ]
        if lacking:
            units = "; ".join(f"{unit.name}: {coverage.language_names(missing)}" for unit, missing in lacking)
            message = gettext(
                "%(questionnaire)s has wording in %(covered)s, not in the languages of these units (%(units)s). "
                "Choose another questionnaire, let them answer in a language it has, or use paper forms with an "
                "interpreter."
            ) % {
                "questionnaire": version.instrument.local_name,
                "covered": coverage.language_names(coverage.covered(version, lacking[0][0].organisation_id))
                or gettext("no language (paper only)"),
                "units": units,
            }
            self.warn("instrument", message)
        return cleaned


class AcknowledgeForm(forms.Form):
    note = forms.CharField(
        label=_("What was done"),
        help_text=_("For example: called the participant the same day and agreed on a follow-up visit."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
