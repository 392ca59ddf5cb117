"""Reads of organisations' single sign-on settings."""

from django.db.models import QuerySet

from pilotti.accounts.models import User
from pilotti.organisations.models import Membership, Organisation, Role
from pilotti.organisations.selectors import has_role
from pilotti.sso.models import PROVIDER_ID_PREFIX, SingleSignOn


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
    """The enabled provider whose allowed domains include the address's domain."""
    domain = email.rpartition("@")[2].strip().lower()
    if not domain:
        return None
    for sso in enabled_single_sign_ons():
        if domain in sso.email_domains:
            return sso
    return None


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
