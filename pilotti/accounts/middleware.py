import time
from collections.abc import Callable
from urllib.parse import urlencode, urlsplit

from allauth.account.adapter import get_adapter
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from pilotti.accounts.signals import SIGNED_IN_AT

# Sent by the pages' automatic refreshes (hx-headers on every hx-trigger="every …"): a page left
# open polls every few seconds, and a poll is not the person using Pilotti (issue 19, finding 11).
POLL_HEADER = "X-Pilotti-Poll"
LAST_ACTIVE = "pilotti_last_active"
# The person's activity is written to the session at most once a minute, and a poll never writes
# it: a session row rewritten on every request made each poll a database write that could wait on
# another writer (issue 24). The idle timeout is therefore exact to the minute.
ACTIVITY_WRITE_INTERVAL = 60
# Set on a request whose activity SessionTimeoutMiddleware has just written to the session.
ACTIVITY_RECORDED = "pilotti_activity_recorded"
# The address and browser the session's row in the user's session list was last written with.
SESSION_LIST_CLIENT = "pilotti_session_list_client"


def is_poll(request: HttpRequest) -> bool:
    return request.headers.get(POLL_HEADER) == "1"


class SessionTimeoutMiddleware:
    """Ends a session after ``SESSION_IDLE_TIMEOUT`` without the person's own requests (ASVS
    7.3.1) and a fixed time after sign-in, however active it has been (ASVS 7.3.2).

    The idle time is kept in the session, not only in the session's expiry: a poll must neither
    count as the person's activity nor cost a write.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            signed_in_at: int | None = request.session.get(SIGNED_IN_AT)
            last_active: int = request.session.get(LAST_ACTIVE, signed_in_at or 0)
            if (
                signed_in_at is None
                or now - signed_in_at > settings.SESSION_ABSOLUTE_TIMEOUT
                or now - last_active > settings.SESSION_IDLE_TIMEOUT
            ):
                logout(request)
                messages.info(request, _("Your session has ended. Please sign in again."))
                if request.headers.get("HX-Request"):
                    # A poll's answer would land inside the page; the whole page leaves, names and all.
                    page = urlsplit(request.headers.get("HX-Current-URL", "")).path or "/"
                    return HttpResponseClientRedirect(f"{reverse('account_login')}?{urlencode({'next': page})}")
                return redirect(f"{reverse('account_login')}?next={request.path}")
            if not is_poll(request) and now - last_active >= ACTIVITY_WRITE_INTERVAL:
                request.session[LAST_ACTIVE] = int(now)
                setattr(request, ACTIVITY_RECORDED, True)
        return self.get_response(request)


class SessionListMiddleware:
    """Keeps the session's row in the user's own session list (My account → Sessions,
    allauth.usersessions) current, in place of allauth's UserSessionsMiddleware, which read
    and rewrote the row on every request, a page's polls included: four statements and a
    write for each page view (issue 24).

    The row is written when the session's address or browser differs from the one last
    written (allauth then sends ``session_client_changed``) and when SessionTimeoutMiddleware
    records the person's activity: at most once a minute and never for a poll, so the list's
    "last seen" is exact to the minute, as the idle timeout is.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and request.session.session_key:
            client = [
                get_adapter(request).get_client_ip(request),
                request.META.get("HTTP_USER_AGENT", "")[: UserSession._meta.get_field("user_agent").max_length],
            ]
            if request.session.get(SESSION_LIST_CLIENT) != client or getattr(request, ACTIVITY_RECORDED, False):
                UserSession.objects.create_from_request(request)
                request.session[SESSION_LIST_CLIENT] = client
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
