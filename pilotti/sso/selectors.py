"""Reads of organisations' single sign-on settings."""

from allauth.mfa.models import Authenticator
from django.db.models import QuerySet

from pilotti.accounts.models import User
from pilotti.organisations.models import Membership, Organisation, Role
from pilotti.organisations.selectors import has_role
from pilotti.sso.models import PROVIDER_ID_PREFIX, EmailDomain, SingleSignOn


def single_sign_on_for_admin(user: User, organisation: Organisation) -> SingleSignOn | None:
    """The organisation's settings for its admins; None for anyone else and when there are none."""
    if not has_role(user, organisation, Role.ADMIN):
        return None
    return SingleSignOn.objects.filter(organisation=organisation).select_related("organisation").first()


def enabled_single_sign_ons() -> QuerySet[SingleSignOn]:
    return SingleSignOn.objects.filter(is_enabled=True).select_related("organisation")


def single_sign_on_by_provider_id(provider_id: str) -> SingleSignOn | None:
    if not provider_id.startswith(PROVIDER_ID_PREFIX):
        return None
    slug = provider_id.removeprefix(PROVIDER_ID_PREFIX)
    return enabled_single_sign_ons().filter(organisation__slug=slug).first()


def single_sign_on_for_email(email: str) -> SingleSignOn | None:
    """The enabled provider of the organisation that has proven the address's domain."""
    domain = email.rpartition("@")[2].strip().lower()
    if not domain:
        return None
    proven = EmailDomain.objects.filter(domain=domain, proven_at__isnull=False).values("organisation_id")
    return enabled_single_sign_ons().filter(organisation__in=proven).first()


def proven_domains(sso: SingleSignOn) -> set[str]:
    """The provider's allowed domains that its organisation has proven it holds."""
    return set(
        EmailDomain.objects.filter(
            organisation_id=sso.organisation_id, domain__in=sso.email_domains, proven_at__isnull=False
        ).values_list("domain", flat=True)
    )


def email_domains_of(organisation: Organisation) -> QuerySet[EmailDomain]:
    return EmailDomain.objects.filter(organisation=organisation)


def claims_to_verify() -> QuerySet[EmailDomain]:
    return EmailDomain.objects.filter(proven_at__isnull=True).select_related("organisation")


def member_for_sign_in(organisation: Organisation, email: str) -> User | None:
    """The active staff account with this address and an active membership, or None."""
    membership = (
        Membership.objects.filter(
            organisation=organisation, is_active=True, user__is_active=True, user__email=email.strip().lower()
        )
        .select_related("user")
        .first()
    )
    return membership.user if membership else None


def memberships_beyond(user: User, organisation: Organisation | None) -> QuerySet[Membership]:
    """The user's active memberships in organisations other than the one a provider-made session
    is limited to: the ones it may open only with Pilotti's own second factor."""
    return (
        Membership.everywhere.filter(user=user, is_active=True)
        .exclude(organisation=organisation)
        .select_related("organisation")
        .order_by("organisation__name")
    )


def has_pilottis_second_factor(user: User) -> bool:
    return bool(  # allauth is untyped
        Authenticator.objects.filter(
            user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
        ).exists()
    )
