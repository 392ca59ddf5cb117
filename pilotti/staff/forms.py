from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy, pgettext_lazy

from pilotti.accounts.models import User
from pilotti.core.forms import set_queryset
from pilotti.programmes.models import DeliveryUnit
from pilotti.staff.models import ROLE_CHOICES, StaffMember, Training, TrainingRecord
from pilotti.staff.services import MemberFields, RecordFields

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _reason(label: Any = None, *, required: bool = False) -> forms.CharField:
    return forms.CharField(label=label or gettext_lazy("Why (kept in the history)"), max_length=300, required=required)


class MemberForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=ROLE_CHOICES)
    title = forms.CharField(
        label=gettext_lazy("Title or workplace"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("E.g. public health nurse, Hervanta clinic."),
    )
    phone = forms.CharField(label=gettext_lazy("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=gettext_lazy("E-mail"), required=False)
    units = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Units they work in"),
        queryset=DeliveryUnit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    user = forms.ModelChoiceField(
        label=gettext_lazy("User account"),
        queryset=User.objects.none(),
        required=False,
        empty_label=gettext_lazy("Does not sign in"),
        help_text=gettext_lazy("Only if the person also signs in to Pilotti."),
    )

    def __init__(
        self,
        *args: Any,
        units: QuerySet[DeliveryUnit],
        users: QuerySet[User],
        with_reason: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "units", units)
        set_queryset(self, "user", users, label=lambda user: user.full_name or user.email)
        if with_reason:
            self.fields["reason"] = _change_reason(required=False)

    def to_fields(self) -> MemberFields:
        data = self.cleaned_data
        return MemberFields(
            name=data["name"],
            role=data["role"],
            title=data["title"],
            phone=data["phone"],
            email=data["email"],
            units=list(data["units"]),
            user=data["user"],
        )

    @staticmethod
    def initial_for(member: StaffMember) -> dict[str, Any]:
        return {
            "name": member.name,
            "role": member.role,
            "title": member.title,
            "phone": member.phone,
            "email": member.email,
            "units": list(member.units.all()),
            "user": member.user,
        }


def _change_reason(*, required: bool) -> forms.CharField:
    return _reason(gettext_lazy("Why the change (kept in the history)"), required=required)


class ArchiveForm(forms.Form):
    reason = _reason(gettext_lazy("Why (e.g. left the project)"), required=True)


class TrainingForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Training"), max_length=200)
    provider = forms.CharField(label=gettext_lazy("Provider"), max_length=200, required=False)
    description = forms.CharField(
        label=gettext_lazy("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class RecordForm(forms.Form):
    training = forms.ModelChoiceField(label=gettext_lazy("Training"), queryset=Training.objects.none())
    trained_on = forms.DateField(label=gettext_lazy("Date"), widget=DATE_WIDGET)
    trainer = forms.CharField(label=gettext_lazy("Trainer"), max_length=200, required=False)
    completed = forms.BooleanField(label=pgettext_lazy("training", "Completed"), required=False, initial=True)
    certificate = forms.CharField(
        label=gettext_lazy("Certificate"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Its number or where it is kept, if one was given."),
    )
    valid_until = forms.DateField(label=gettext_lazy("Valid until"), widget=DATE_WIDGET, required=False)

    def __init__(self, *args: Any, trainings: QuerySet[Training], with_reason: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "training", trainings)
        if with_reason:
            self.fields["reason"] = _change_reason(required=True)

    def to_fields(self) -> RecordFields:
        data = self.cleaned_data
        return RecordFields(
            training=data["training"],
            trained_on=data["trained_on"],
            trainer=data["trainer"],
            completed=data["completed"],
            certificate=data["certificate"],
            valid_until=data["valid_until"],
        )

    @staticmethod
    def initial_for(record: TrainingRecord) -> dict[str, Any]:
        return {
            "training": record.training,
            "trained_on": record.trained_on,
            "trainer": record.trainer,
            "completed": record.completed,
            "certificate": record.certificate,
            "valid_until": record.valid_until,
        }


class TargetsForm(forms.Form):
    """A number for each role; empty: no target for the role."""

    reason = _reason()

    def __init__(self, *args: Any, current: dict[str, int], **kwargs: Any) -> None:
        kwargs["initial"] = {f"target_{role}": number for role, number in current.items()}
        super().__init__(*args, **kwargs)
        for role, label in ROLE_CHOICES:
            self.fields[f"target_{role}"] = forms.IntegerField(
                label=label, required=False, min_value=0, max_value=10000, widget=forms.NumberInput(attrs={"size": 4})
            )

    def role_fields(self) -> list[forms.BoundField]:
        return [self[f"target_{role}"] for role, _label in ROLE_CHOICES]

    def to_targets(self) -> dict[str, int | None]:
        return {role: self.cleaned_data[f"target_{role}"] for role, _label in ROLE_CHOICES}
