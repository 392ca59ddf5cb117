"""Writes to an organisation's single sign-on settings."""

import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pilotti.accounts.models import User
from pilotti.organisations.models import Organisation, Role
from pilotti.organisations.selectors import has_role
from pilotti.sso.models import SingleSignOn

DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
# Plain HTTP is allowed only to this machine itself (a provider under test or development).
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


def parse_email_domains(text: str) -> list[str]:
    """Domains separated by commas, spaces or lines; a leading @ is forgiven."""
    domains = [part.strip().lower().lstrip("@") for part in re.split(r"[,\s]+", text) if part.strip()]
    bad = [domain for domain in domains if not DOMAIN.match(domain)]
    if bad:
        raise ValidationError(
            {
                "email_domains": _("Not an e-mail domain: %(domains)s. Write e.g. pirha.fi.")
                % {"domains": ", ".join(bad)}
            }
        )
    return list(dict.fromkeys(domains))


def _check_server_url(server_url: str) -> str:
    url = server_url.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme != "https" and not (parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS):
        raise ValidationError({"server_url": _("The issuer URL must start with https://.")})
    return url


@transaction.atomic
def single_sign_on_save(
    *,
    actor: User,
    organisation: Organisation,
    is_enabled: bool,
    server_url: str,
    client_id: str,
    client_secret: str,
    email_domains: list[str],
    trust_emails_without_verified_claim: bool,
) -> SingleSignOn:
    """Creates or updates the settings; an empty ``client_secret`` keeps the stored one."""
    if not has_role(actor, organisation, Role.ADMIN):
        raise ValidationError(_("Only an organisation admin may change how its staff sign in."))
    sso = SingleSignOn.objects.select_for_update().filter(organisation=organisation).first()
    if sso is None:
        sso = SingleSignOn(organisation=organisation)
    errors: dict[str, list[str]] = {}
    if not client_secret and not sso.client_secret:
        errors.setdefault("client_secret", []).append(_("Enter the client secret your provider gave Pilotti."))
    if is_enabled and not email_domains:
        errors.setdefault("email_domains", []).append(
            _("Name at least one e-mail domain whose staff sign in through this provider.")
        )
    taken = sorted(
        domain
        for other in SingleSignOn.objects.exclude(organisation=organisation)
        for domain in other.email_domains
        if domain in email_domains
    )
    if taken:
        errors.setdefault("email_domains", []).append(
            _("Another organisation already signs in addresses at %(domains)s.") % {"domains": ", ".join(taken)}
        )
    try:
        server_url = _check_server_url(server_url)
    except ValidationError as error:
        errors.setdefault("server_url", []).extend(error.messages)
    if errors:
        raise ValidationError(errors)
    sso.is_enabled = is_enabled
    sso.server_url = server_url
    sso.client_id = client_id.strip()
    if client_secret:
        sso.client_secret = client_secret.strip()
    sso.email_domains = email_domains
    sso.trust_emails_without_verified_claim = trust_emails_without_verified_claim
    sso.updated_by = actor
    sso.full_clean()
    sso.save()
    return sso
