import time
from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from pilotti.accounts.signals import SIGNED_IN_AT


class SessionTimeoutMiddleware:
    """Ends a session a fixed time after sign-in, however active it has been (ASVS 7.3.2).

    The idle timeout is the session cookie's age, renewed on every request.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            signed_in_at = request.session.get(SIGNED_IN_AT)
            if signed_in_at is None or time.time() - signed_in_at > settings.SESSION_ABSOLUTE_TIMEOUT:
                logout(request)
                messages.info(request, _("Your session has ended. Please sign in again."))
                return redirect(f"{reverse('account_login')}?next={request.path}")
        return self.get_response(request)


# Pages a signed-in user without a second factor may still reach: setting one up, signing
# out, switching language, static files and the health check.
MFA_SETUP_OPEN_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/healthz", "/invitations/")
# Set on a session that signed in through an organisation's own OpenID Connect provider
# (pilotti.sso): that provider enforces the organisation's MFA, so Pilotti does not ask again.
MFA_BY_PROVIDER_SESSION_KEY = "pilotti_mfa_by_provider"


class RequireMFAMiddleware:
    """Every staff account must have TOTP or a passkey before it sees anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not user.is_demo
            and not request.path.startswith(MFA_SETUP_OPEN_PREFIXES)
            and not request.session.get(MFA_BY_PROVIDER_SESSION_KEY)
            and not Authenticator.objects.filter(
                user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
            ).exists()
        ):
            messages.info(request, _("Set up two-factor authentication to continue."))
            return redirect("mfa_activate_totp")
        return self.get_response(request)
