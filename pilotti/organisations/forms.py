from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from pilotti.organisations.models import Role


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    # The least-privileged role first: a hurried invitation should not hand out an admin's rights.
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.FACILITATOR)
    title = forms.CharField(label=_("Job title"), max_length=120, required=False)


class MembershipForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    title = forms.CharField(label=_("Job title"), max_length=120, required=False)


class SwitchOrganisationForm(forms.Form):
    organisation = forms.UUIDField()
    next = forms.CharField(required=False)


class AcceptInvitationForm(forms.Form):
    full_name = forms.CharField(label=_("Your name"), max_length=200)
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(
        label=_("Password again"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ. Type the same password twice."))
        elif p1:
            from pilotti.accounts.models import User

            try:
                password_validation.validate_password(
                    str(p1), User(email=self.email, full_name=str(cleaned.get("full_name", "")))
                )
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned
