"""Marks a session that signed in through an organisation's own provider.

The provider did the multi-factor authentication, so ``RequireMFAMiddleware`` and allauth's
MFA step leave such a session alone. Every sign-in first clears the mark, so a later password
sign-in in the same browser needs Pilotti's own second factor again.
"""

from typing import Any

from allauth.account.signals import user_logged_in as allauth_user_logged_in
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from pilotti.accounts.middleware import MFA_BY_PROVIDER_SESSION_KEY
from pilotti.sso.selectors import single_sign_on_by_provider_id


def organisation_sign_on(sociallogin: Any) -> Any:
    """The enabled ``SingleSignOn`` a social login came through, or None."""
    if sociallogin is None:
        return None
    return single_sign_on_by_provider_id(sociallogin.account.provider)


@receiver(user_logged_in)
def forget_provider_mfa(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        request.session.pop(MFA_BY_PROVIDER_SESSION_KEY, None)


@receiver(allauth_user_logged_in)
def remember_provider_mfa(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    sso = organisation_sign_on(kwargs.get("sociallogin"))
    if sso is not None:
        request.session[MFA_BY_PROVIDER_SESSION_KEY] = str(sso.organisation.uuid)
