from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from pilotti.sso.models import SingleSignOn
from pilotti.sso.services import parse_email_domains


class SingleSignOnForm(forms.Form):
    is_enabled = forms.BooleanField(label=_("Staff sign in through this provider"), required=False)
    server_url = forms.URLField(
        label=SingleSignOn._meta.get_field("server_url").verbose_name,
        help_text=SingleSignOn._meta.get_field("server_url").help_text,
        max_length=500,
        assume_scheme="https",
    )
    client_id = forms.CharField(label=_("Client ID"), max_length=200)
    client_secret = forms.CharField(
        label=_("Client secret"),
        required=False,
        strip=True,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text=_("Stored encrypted and never shown again. Leave empty to keep the stored secret."),
    )
    email_domains = forms.CharField(
        label=_("Allowed e-mail domains"),
        required=False,
        help_text=_("Separated by commas, e.g. pirha.fi, tampere.fi. Only addresses in these domains may sign in."),
    )
    trust_emails_without_verified_claim = forms.BooleanField(
        label=SingleSignOn._meta.get_field("trust_emails_without_verified_claim").verbose_name,
        help_text=SingleSignOn._meta.get_field("trust_emails_without_verified_claim").help_text,
        required=False,
    )

    def clean_email_domains(self) -> list[str]:
        try:
            return parse_email_domains(self.cleaned_data["email_domains"])
        except ValidationError as error:
            raise ValidationError(error.message_dict["email_domains"]) from error

    @classmethod
    def initial_for(cls, sso: SingleSignOn | None) -> dict[str, Any]:
        if sso is None:
            return {}
        return {
            "is_enabled": sso.is_enabled,
            "server_url": sso.server_url,
            "client_id": sso.client_id,
            "email_domains": ", ".join(sso.email_domains),
            "trust_emails_without_verified_claim": sso.trust_emails_without_verified_claim,
        }


class OrganisationSignInForm(forms.Form):
    email = forms.EmailField(
        label=_("Your work e-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)
