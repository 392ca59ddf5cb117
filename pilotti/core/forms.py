from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_lazy


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Shows a service's ValidationError on the form: on its field when the form has one,
    otherwise at the top, so the page keeps what was typed and says what to fix."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# Two years back is further than any contact or step a coordinator records late; a date before
# that is nearly always a typo of the year (2024 for 2026), as a date in the future is.
PLAUSIBLE_PAST_DAYS = 2 * 365


class ConfirmableForm(forms.Form):
    """A form that warns about an unlikely value and saves it once the user ticks "it is right".

    The checkbox appears only with a warning, and the page keeps everything typed, so a real
    late entry costs one tick and a typo is caught before it becomes the enrolment's history.
    """

    confirm = forms.BooleanField(
        label=gettext_lazy("The date is right: save it anyway"), required=False, widget=forms.HiddenInput
    )
    # What the checkbox says, and how the warning points to it: a form about something other than a
    # date that happened (a meeting's time) says so in its own words.
    confirm_label = gettext_lazy("The date is right: save it anyway")
    confirm_hint = gettext_lazy("If it is right, tick “The date is right” and save again.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["confirm"].label = self.confirm_label

    def warn_unless_plausible(self, field: str, day: date | None) -> None:
        """A day that has happened must not be in the future nor implausibly long ago."""
        if day is None:
            return
        today = timezone.localdate()
        if day > today:
            message = gettext("%(date)s is in the future.")
        elif (today - day).days > PLAUSIBLE_PAST_DAYS:
            message = gettext("%(date)s is more than two years ago.")
        else:
            return
        self.warn(field, message % {"date": date_format(day, "SHORT_DATE_FORMAT")})

    def warn(self, field: str | None, message: str) -> None:
        """Refuses the form with ``message`` until the user ticks the checkbox that now appears."""
        self.fields["confirm"].widget = forms.CheckboxInput()
        if not self.confirmed:
            self.add_error(field, f"{message} {self.confirm_hint}")

    def clean(self) -> dict[str, Any]:
        """Subclasses call this first, then ``warn_unless_plausible``; the services never see ``confirm``."""
        cleaned = super().clean() or {}
        self.confirmed = bool(cleaned.pop("confirm", False))
        return cleaned


# Fields whose choices depend on who is asking are declared empty and filled in ``__init__``.
# ``form.fields`` is typed as holding plain ``Field``s; these check the field's kind instead of
# silencing the type checker, so a renamed or retyped field fails loudly.


def set_queryset(
    form: forms.BaseForm, name: str, queryset: QuerySet[Any], *, label: Callable[[Any], str] | None = None
) -> None:
    """The field's rows and, if given, how each is labelled (Django's documented override)."""
    field = form.fields[name]
    if not isinstance(field, forms.ModelChoiceField):
        raise TypeError(f"{name} is not a model choice field")
    field.queryset = queryset
    if label is not None:
        setattr(field, "label_from_instance", label)  # noqa: B010  (an instance override of a method)


def set_choices(form: forms.BaseForm, name: str, choices: Iterable[tuple[Any, Any]]) -> None:
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{name} is not a choice field")
    field.choices = list(choices)
