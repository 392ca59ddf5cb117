"""Records refused requests as security events, from the response's status code."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from pilotti.audit.models import EventKind
from pilotti.audit.security import RECORDED, record_security_event


class SecurityEventMiddleware:
    """403 (refused), 429 (rate-limited), a password-reset request, and a signed-in user's 404
    on an address that names an object (a UUID, a slug, a token): someone probing for what
    they may not see. Other 404s (typos, scanners' guesses) would only be noise.

    CSRF failures and lockouts are recorded where they happen, with their reason; this
    middleware skips a request already recorded.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, RECORDED, False):
            return response
        status = response.status_code
        match = request.resolver_match
        url_name = match.view_name if match else ""
        if status == 403:
            record_security_event(EventKind.REFUSED, request=request, status=status, detail=url_name)
        elif status == 429:
            record_security_event(EventKind.RATE_LIMITED, request=request, status=status, detail=url_name)
        elif status == 404 and match is not None and match.kwargs and request.user.is_authenticated:
            record_security_event(EventKind.NOT_FOUND, request=request, status=status, detail=url_name)
        elif url_name == "account_reset_password" and request.method == "POST" and status == 302:
            # allauth sends no signal for a request; the same answer comes whether or not the
            # address has an account, so the event tells the admin, not the requester.
            record_security_event(
                EventKind.PASSWORD_RESET_REQUESTED, request=request, identifier=request.POST.get("email", "")
            )
        return response
