"""Staff forms: making a personal link, setting a meeting's client panel, a paper form's details.

The questionnaire itself is not a Django form (see questionnaire.py)."""

from typing import Any

from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext_lazy as _

from pilotti.core.forms import ConfirmableForm, set_choices
from pilotti.instruments import coverage
from pilotti.instruments.models import InstrumentVersion
from pilotti.meetings.sms import sms_available
from pilotti.people.models import Participant
from pilotti.programmes.models import DeliveryUnit
from pilotti.surveys.models import PersonalLink


# django-stubs makes the base generic; subscripting it at run time needs django-stubs-ext, which
# only the development install has.
class VersionChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]  # its model comes from the queryset set at run time
    # The versions as given, marked with the organisation's translation packs (coverage.with_packs).
    given: dict[int, InstrumentVersion]

    def label_from_instance(self, obj: InstrumentVersion) -> str:
        return coverage.version_label(self.given.get(obj.pk, obj))


def _version_field(versions: list[InstrumentVersion], label: Any) -> VersionChoiceField:
    queryset = InstrumentVersion.objects.filter(pk__in=[v.pk for v in versions]).select_related("instrument")
    field = VersionChoiceField(queryset=queryset.order_by("instrument__name"), label=label, to_field_name="uuid")
    field.given = {v.pk: v for v in versions}
    return field


SEND_BY = [
    ("", _("I show it as a QR code or copy it now")),
    (PersonalLink.SentBy.EMAIL, _("By e-mail")),
    (PersonalLink.SentBy.SMS, _("By text message")),
]


def warn_uncovered(
    form: ConfirmableForm, version: InstrumentVersion | None, spoken: list[str], whose: str, organisation_id: int
) -> None:
    """Refuses a questionnaire without wording in ``spoken`` (its own or the organisation's
    translation packs) until the user ticks "make it anyway"; the message names the languages it
    has, and the paper form with an interpreter as the way out."""
    missing = coverage.uncovered(spoken, version, organisation_id) if version is not None else []
    if version is None or not missing:
        return
    message = gettext(
        "%(questionnaire)s has wording in %(covered)s, not in %(missing)s (the language of %(whose)s). "
        "Choose another questionnaire, let them answer in a language it has, or fill in a paper form with an "
        "interpreter."
    ) % {
        "questionnaire": version.instrument.local_name,
        "missing": coverage.language_names(missing),
        "whose": whose,
        "covered": coverage.language_names(coverage.covered(version, organisation_id))
        or gettext("no language (paper only)"),
    }
    form.warn("version", message)


class LinkForm(ConfirmableForm):
    confirm_label = gettext_lazy("Make it anyway: the person answers in one of the languages it has")
    confirm_hint = gettext_lazy("If that is right, tick “Make it anyway” and make the link again.")

    send_by = forms.ChoiceField(
        label=_("How does the participant get the link?"),
        choices=SEND_BY,
        widget=forms.RadioSelect,
        required=False,
    )
    days = forms.IntegerField(label=_("The link works for (days)"), min_value=1, max_value=365)

    def __init__(self, *args: Any, versions: list[InstrumentVersion], participant: Participant, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.participant = participant
        self.fields = {"version": _version_field(versions, _("Questionnaire")), **self.fields}
        self.fields["days"].initial = settings.SURVEY_LINK_DAYS
        if not sms_available():  # no backend: the page must not promise a text message
            set_choices(
                self, "send_by", [(value, label) for value, label in SEND_BY if value != PersonalLink.SentBy.SMS]
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        spoken = coverage.codes_in(self.participant.preferred_language)
        warn_uncovered(self, cleaned.get("version"), spoken, self.participant.code, self.participant.organisation_id)
        return cleaned


class PanelForm(ConfirmableForm):
    confirm_label = gettext_lazy("Use it anyway: the group answers in one of the languages it has")
    confirm_hint = gettext_lazy("If that is right, tick “Use it anyway” and save again.")

    kiosk = forms.BooleanField(
        label=_("Kiosk mode: a shared tablet, the form resets after each answer"),
        required=False,
        help_text=_("Turns off the one-answer-per-device rule for this meeting."),
    )
    is_open = forms.BooleanField(label=_("Open for answers"), required=False, initial=True)

    def __init__(self, *args: Any, versions: list[InstrumentVersion], unit: DeliveryUnit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.fields = {"version": _version_field(versions, _("Questionnaire")), **self.fields}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        spoken = coverage.codes_in(self.unit.languages)
        warn_uncovered(self, cleaned.get("version"), spoken, self.unit.name, self.unit.organisation_id)
        return cleaned


def _language_choices() -> list[tuple[str, str]]:
    return [(code, str(translation.get_language_info(code)["name_local"])) for code in settings.PARTICIPANT_LANGUAGES]


class PaperForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of the paper form"), choices=_language_choices)
    answered_on = forms.DateField(label=_("Date on the form"), widget=forms.DateInput(attrs={"type": "date"}))
