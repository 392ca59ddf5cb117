"""Writes to an organisation's single sign-on settings."""

import re
from collections.abc import Callable

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pilotti.accounts.models import User
from pilotti.organisations.models import Organisation, Role
from pilotti.organisations.selectors import has_role
from pilotti.sso.addresses import RefusedAddress, check_provider_url
from pilotti.sso.models import EmailDomain, SingleSignOn

DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
# What allauth reads from the discovery document: each must be an address Pilotti may fetch.
DISCOVERY_ENDPOINTS = ("authorization_endpoint", "token_endpoint", "jwks_uri")


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


def discovery_document(url: str) -> dict[str, object]:
    """The provider's OpenID Connect discovery document, checked as allauth will use it."""
    where = f"{url}/.well-known/openid-configuration"
    try:
        check_provider_url(url)
        response = requests.get(where, timeout=settings.SOCIALACCOUNT_REQUESTS_TIMEOUT, allow_redirects=False)
        document = response.json() if response.status_code == 200 else None
    except RefusedAddress as error:
        raise ValidationError(str(error)) from error
    except (OSError, ValueError):  # requests' errors, and JSON that does not parse
        document = None
    if not isinstance(document, dict):
        raise ValidationError(
            _("Pilotti could not read an OpenID Connect discovery document at %(url)s. Check the issuer URL.")
            % {"url": where}
        )
    if document.get("issuer") != url:
        raise ValidationError(
            _("The provider gives its issuer as %(issuer)s, not %(url)s: use the issuer it gives.")
            % {"issuer": document.get("issuer"), "url": url}
        )
    for key in DISCOVERY_ENDPOINTS:
        endpoint = document.get(key)
        try:
            if not isinstance(endpoint, str):
                raise RefusedAddress(_("It names no %(key)s.") % {"key": key})
            check_provider_url(endpoint)
        except RefusedAddress as error:
            raise ValidationError(
                _("The provider's discovery document cannot be used: %(key)s: %(error)s") % {"key": key, "error": error}
            ) from error
    return document


def _check_server_url(server_url: str) -> str:
    url = server_url.strip().rstrip("/")
    try:
        discovery_document(url)
    except ValidationError as error:
        raise ValidationError({"server_url": error.messages}) from error
    return url


def _claim_domains(organisation: Organisation, domains: list[str]) -> None:
    """Keeps one claim per named domain: new ones start unproven, dropped ones go."""
    EmailDomain.objects.filter(organisation=organisation).exclude(domain__in=domains).delete()
    for domain in domains:
        EmailDomain.objects.get_or_create(organisation=organisation, domain=domain)


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
        EmailDomain.objects.filter(domain__in=email_domains, proven_at__isnull=False)
        .exclude(organisation=organisation)
        .values_list("domain", flat=True)
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
    _claim_domains(organisation, email_domains)
    return sso


def dns_txt_records(name: str) -> list[str]:
    """The TXT records of a DNS name; none when the name or the records do not exist."""
    import dns.exception
    import dns.resolver

    try:
        answer = dns.resolver.resolve(name, "TXT", lifetime=10)
    except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer, dns.resolver.NoNameservers, dns.exception.Timeout):
        return []
    return [b"".join(record.strings).decode(errors="replace") for record in answer]


def _prove(claim: EmailDomain, *, proof: str, proven_by: str) -> bool:
    claim.proven_at = timezone.now()
    claim.proof = proof
    claim.proven_by = proven_by
    try:
        with transaction.atomic():
            claim.save(update_fields=["proven_at", "proof", "proven_by"])
    except IntegrityError:  # another organisation proved the domain first
        return False
    return True


def email_domain_verify_by_dns(*, claim: EmailDomain, txt_records: Callable[[str], list[str]]) -> bool:
    """Proves the claim if the domain publishes its TXT record; ``txt_records`` looks records up."""
    if claim.proven_at is not None:
        return True
    if claim.txt_value not in txt_records(claim.txt_name):
        return False
    return _prove(claim, proof=EmailDomain.Proof.DNS, proven_by=claim.txt_name)


def email_domain_approve(*, claim: EmailDomain, operator: str) -> bool:
    """The operator's approval, after checking ownership some other way (e.g. a signed letter)."""
    if not operator.strip():
        raise ValidationError(_("Name the operator who approves the domain."))
    if claim.proven_at is not None:
        return True
    return _prove(claim, proof=EmailDomain.Proof.OPERATOR, proven_by=operator.strip())
