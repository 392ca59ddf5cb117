"""An organisation's own OpenID Connect provider, through which its staff sign in.

allauth keeps provider credentials in its ``SocialApp`` table in plain text; Pilotti keeps
them here instead, the client secret encrypted with the field-encryption keys (never
``SECRET_KEY``), and hands allauth an unsaved ``SocialApp`` built from this row
(``pilotti.sso.adapter``).
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pilotti.organisations.models import Organisation
from pilotti.people.fields import EncryptedTextField

# allauth's provider id of an organisation's OpenID Connect app: part of the redirect URI the
# organisation registers with its provider (/accounts/oidc/org-<slug>/login/callback/).
PROVIDER_ID_PREFIX = "org-"


class SingleSignOn(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="single_sign_on")
    is_enabled = models.BooleanField(_("staff may sign in through this provider"), default=False)
    server_url = models.URLField(
        _("issuer (server) URL"),
        max_length=500,
        help_text=_(
            "The provider's issuer, e.g. https://login.microsoftonline.com/<tenant id>/v2.0. "
            "Pilotti reads <issuer>/.well-known/openid-configuration."
        ),
    )
    client_id = models.CharField(_("client ID"), max_length=200)
    client_secret = EncryptedTextField(_("client secret"))
    email_domains = models.JSONField(_("allowed e-mail domains"), default=list)
    trust_emails_without_verified_claim = models.BooleanField(
        _("trust e-mail addresses in the allowed domains without an email_verified claim"),
        default=False,
        help_text=_(
            "Microsoft Entra ID sends no email_verified claim. Tick this only if your provider lets nobody "
            "but your organisation hand out addresses in these domains."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        verbose_name = _("single sign-on")
        verbose_name_plural = _("single sign-ons")

    def __str__(self) -> str:
        return str(self.organisation)

    @property
    def provider_id(self) -> str:
        return f"{PROVIDER_ID_PREFIX}{self.organisation.slug}"


def new_domain_token() -> str:
    return secrets.token_urlsafe(24)


# Where and what the organisation publishes to prove that it holds a domain.
TXT_RECORD_PREFIX = "_pilotti-challenge."
TXT_VALUE_PREFIX = "pilotti-domain-verification="


class EmailDomain(models.Model):
    """An e-mail domain an organisation claims for its single sign-on.

    Naming a domain proves nothing: until the claim is proven (a DNS TXT record checked by
    ``manage.py verify_email_domains``, or the operator's approval with the same command), nobody
    signs in through the provider with an address there. A domain is proven for one organisation
    at most, so the first admin to type a domain no longer owns it (issue 19, finding 1).
    """

    class Proof(models.TextChoices):
        DNS = "dns", _("DNS TXT record")
        OPERATOR = "operator", _("approved by the operator")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="email_domains")
    domain = models.CharField(_("e-mail domain"), max_length=253)
    token = models.CharField(max_length=64, default=new_domain_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    proven_at = models.DateTimeField(_("proven"), null=True, blank=True)
    proof = models.CharField(_("proof"), max_length=16, choices=Proof.choices, blank=True)
    proven_by = models.CharField(_("proven by"), max_length=200, blank=True)

    class Meta:
        ordering = ["domain"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "domain"], name="one_claim_per_organisation_and_domain"),
            models.UniqueConstraint(
                fields=["domain"], condition=models.Q(proven_at__isnull=False), name="one_proven_claim_per_domain"
            ),
        ]
        verbose_name = _("e-mail domain")
        verbose_name_plural = _("e-mail domains")

    def __str__(self) -> str:
        return self.domain

    @property
    def txt_name(self) -> str:
        return f"{TXT_RECORD_PREFIX}{self.domain}"

    @property
    def txt_value(self) -> str:
        return f"{TXT_VALUE_PREFIX}{self.token}"
