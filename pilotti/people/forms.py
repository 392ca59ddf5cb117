from collections.abc import Mapping
from datetime import date
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pilotti.core.forms import set_choices
from pilotti.people.models import AgeBand, ConsentMethod, ConsentPurpose, Gender, Participant, Relation
from pilotti.people.services import ContactFields, MemberFields, ProfileFields
from pilotti.people.validators import normalise_identity_code, validate_identity_code
from pilotti.programmes.models import DeliveryUnit, Programme

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProfileForm(forms.Form):
    birth_year = forms.IntegerField(label=gettext_lazy("Year of birth"), min_value=1900, max_value=2100, required=False)
    age_band = forms.ChoiceField(
        label=gettext_lazy("Age band"),
        choices=[("", "—"), *AgeBand.choices],
        required=False,
        help_text=gettext_lazy("When the year of birth is not known."),
    )
    gender = forms.ChoiceField(label=gettext_lazy("Gender"), choices=[("", "—"), *Gender.choices], required=False)
    preferred_language = forms.CharField(
        label=gettext_lazy("Preferred language"),
        max_length=60,
        required=False,
        help_text=gettext_lazy("E.g. suomi, arabia, dari."),
    )
    needs_interpreter = forms.BooleanField(label=gettext_lazy("Needs an interpreter"), required=False)
    interpreter_language = forms.CharField(label=gettext_lazy("Interpreter language"), max_length=60, required=False)
    segment = forms.CharField(
        label=gettext_lazy("Segment"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("E.g. immigrant family, Finnish family."),
    )
    municipality = forms.CharField(label=gettext_lazy("Municipality"), max_length=100, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("needs_interpreter") and not data.get("interpreter_language"):
            self.add_error("interpreter_language", _("Write the language the interpreter should speak."))
        year = data.get("birth_year")
        if year and year > date.today().year:  # noqa: DTZ011  (a year, not a moment)
            self.add_error("birth_year", _("The year of birth is in the future. Check the year."))
        return data

    @classmethod
    def initial_for(cls, participant: Participant) -> dict[str, Any]:
        return {name: getattr(participant, name) for name in cls.base_fields}

    def to_profile(self) -> ProfileFields:
        data = self.cleaned_data
        texts = ("age_band", "gender", "preferred_language", "interpreter_language", "segment", "municipality")
        return ProfileFields(
            birth_year=data.get("birth_year"),
            needs_interpreter=bool(data.get("needs_interpreter")),
            **{name: (data.get(name) or "").strip() for name in texts},
        )


class ContactForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200, required=False)
    phone = forms.CharField(label=gettext_lazy("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=gettext_lazy("E-mail"), required=False)
    address = forms.CharField(label=gettext_lazy("Address"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    identity_code = forms.CharField(
        label=gettext_lazy("Personal identity code"),
        max_length=11,
        required=False,
        help_text=gettext_lazy("Only if the service needs it. For example 131052-308T."),
    )

    def clean_identity_code(self) -> str:
        value = normalise_identity_code(self.cleaned_data["identity_code"])
        if value:
            validate_identity_code(value)
        return value

    def to_contact(self) -> ContactFields:
        return ContactFields(**{name: self.cleaned_data.get(name) or "" for name in ContactFields.__dataclass_fields__})


class ParticipantForm(ProfileForm, ContactForm):
    """A new participant: the pseudonymous profile and, separately stored, the contact details."""


class ConsentForm(forms.Form):
    # Several purposes are usually consented to on one form and one day; each is recorded (and
    # later withdrawn) on its own. Nothing is ticked in advance: consent is given, not assumed.
    purposes = forms.MultipleChoiceField(
        label=gettext_lazy("Purposes"),
        choices=ConsentPurpose.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Tick the purposes the person consents to.")},
    )
    given_on = forms.DateField(label=gettext_lazy("Given on"), widget=DATE_WIDGET)
    method = forms.ChoiceField(
        label=gettext_lazy("How it was given"), choices=ConsentMethod.choices, widget=forms.RadioSelect
    )

    def clean_given_on(self) -> date:
        given_on: date = self.cleaned_data["given_on"]
        if given_on > date.today():  # noqa: DTZ011
            raise ValidationError(_("The date is in the future. Record consent on or after the day it is given."))
        return given_on

    def __init__(self, *args: Any, held: Mapping[str, date] | None = None, **kwargs: Any) -> None:
        """``held``: the purposes already in force, by the day given; they are not offered again."""
        super().__init__(*args, **kwargs)
        offered = [(value, label) for value, label in ConsentPurpose.choices if value not in (held or {})]
        set_choices(self, "purposes", offered)


class WithdrawForm(forms.Form):
    on = forms.DateField(label=gettext_lazy("Withdrawn on"), widget=DATE_WIDGET)


class SearchForm(forms.Form):
    """The participant list's search and filters; the view passes what the user may choose from."""

    q = forms.CharField(label=gettext_lazy("Search"), max_length=200, required=False)
    programme = forms.ModelChoiceField(
        label=gettext_lazy("Programme"), queryset=Programme.objects.none(), to_field_name="slug", required=False,
        empty_label=gettext_lazy("All"),
    )  # fmt: skip
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Unit"), queryset=DeliveryUnit.objects.none(), to_field_name="uuid", required=False,
        empty_label=gettext_lazy("All"),
    )  # fmt: skip
    stage = forms.ChoiceField(label=gettext_lazy("Stage"), choices=(), required=False)

    def __init__(
        self,
        data: Mapping[str, Any] | None,
        *,
        programmes: QuerySet[Programme],
        units: QuerySet[DeliveryUnit],
        stages: list[tuple[str, str]],
    ) -> None:
        super().__init__(data)
        cast(forms.ModelChoiceField[Programme], self.fields["programme"]).queryset = programmes
        cast(forms.ModelChoiceField[DeliveryUnit], self.fields["unit"]).queryset = units
        cast(forms.ChoiceField, self.fields["stage"]).choices = [("", _("All")), *stages]

    def filters(self) -> dict[str, Any]:
        """The chosen programme, unit and stage (none when the form is not valid)."""
        if not self.is_valid():
            return {}
        return {name: self.cleaned_data[name] for name in ("programme", "unit", "stage") if self.cleaned_data[name]}


class HouseholdForm(forms.Form):
    segment = forms.CharField(label=gettext_lazy("Segment"), max_length=200, required=False)
    municipality = forms.CharField(label=gettext_lazy("Municipality"), max_length=100, required=False)


class MemberForm(forms.Form):
    member = forms.UUIDField(widget=forms.HiddenInput, required=False)
    relation = forms.ChoiceField(label=gettext_lazy("Relation"), choices=[("", "—"), *Relation.choices], required=False)
    participant_code = forms.CharField(
        label=gettext_lazy("Participant code"),
        max_length=12,
        required=False,
        help_text=gettext_lazy("For parents and partners who are participants, e.g. PK-7Q4M2."),
    )
    birth_year = forms.IntegerField(label=gettext_lazy("Year of birth"), min_value=1900, max_value=2100, required=False)
    due_date = forms.DateField(label=gettext_lazy("Due date"), widget=DATE_WIDGET, required=False)

    def __init__(self, *args: Any, participants: QuerySet[Participant], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.participants = participants

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        code = (data.get("participant_code") or "").strip().upper()
        data["participant"] = None
        if code:
            data["participant"] = self.participants.filter(code=code).first()
            if data["participant"] is None:
                self.add_error("participant_code", _("No participant of yours has this code. Check the code."))
        if (code or data.get("birth_year") or data.get("due_date")) and not data.get("relation"):
            self.add_error("relation", _("Choose how this member is related to the family."))
        if data.get("relation") == Relation.EXPECTED_CHILD and not data.get("due_date"):
            self.add_error("due_date", _("Give the due date of the expected child."))
        return data

    def to_member(self) -> MemberFields | None:
        data = self.cleaned_data
        if not data.get("relation"):
            return None
        return MemberFields(
            relation=data["relation"],
            participant=data.get("participant"),
            member_uuid=data.get("member"),
            birth_year=data.get("birth_year"),
            due_date=data.get("due_date"),
        )


# django-stubs makes the base generic; subscripting it at run time needs django-stubs-ext, which
# only the development install has.
class BaseMemberFormSet(forms.BaseFormSet):  # type: ignore[type-arg]  # the form class comes from formset_factory
    def __init__(self, *args: Any, participants: QuerySet[Participant], **kwargs: Any) -> None:
        self.participants = participants
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {"participants": self.participants}

    def members(self) -> list[MemberFields]:
        return [m for m in (form.to_member() for form in self.forms) if m is not None]


# formset_factory is typed as returning the base class, not the one passed as ``formset``.
MemberFormSet: type[BaseMemberFormSet] = forms.formset_factory(  # type: ignore[assignment]  # formset_factory is typed to return the base class
    MemberForm, formset=BaseMemberFormSet, extra=2, max_num=12
)
