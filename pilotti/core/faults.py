"""What people see when something fails: the handler of uncaught exceptions (``handler500``).

While the database is away (PostgreSQL restarting, its connections killed, SQLite's write lock
held past the busy timeout) Django raises ``OperationalError`` or ``InterfaceError`` from
wherever the first query happens, often in a middleware before any view. Every such exception
reaches this handler, so one place turns it into a 503 with ``Retry-After`` instead of Django's
bare English "Server Error (500)". The page is in the person's language (the participants'
eight on their pages, fi/sv/en elsewhere). After a participant sent answers it carries the sent
fields again so that nothing typed is lost: "Send my answers again" posts them as they were, with
the same one-time key (``pilotti.core.once``), so a resend never stores an answer twice. Staff
pages do not echo what was sent (a sign-in form's password would end up in the page).

Nothing in the 500/503 pages may touch the database: they are rendered without the request's
context processors (which read the user and the session). The 403, 404 and CSRF-failure pages
(``handler403``, ``handler404``, ``CSRF_FAILURE_VIEW`` through pilotti.audit) come while the
database works, so a staff member sees them inside the usual header and menu, in the language
of their pages, with a link back; a participant sees them in the participant's language.
"""

import re
import sys
from typing import Any

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_cache_control

from pilotti.core import languages

UNAVAILABLE = (OperationalError, InterfaceError)
# Seconds a client is asked to wait: a PostgreSQL restart took 13 s in the fault tests (issue 28).
RETRY_AFTER = 15
# The participants' pages (pilotti/surveys/urls.py): personal links and client panels.
PARTICIPANT_PATH = re.compile(r"^/[qp]/")


def database_unavailable(error: BaseException | None) -> bool:
    return isinstance(error, UNAVAILABLE)


def _resend_fields(request: HttpRequest) -> list[tuple[str, str]]:
    """The fields of a sent questionnaire, to be sent again as they were."""
    if request.method != "POST":
        return []
    return [(name, value) for name, values in request.POST.lists() for value in values]


def _render(request: HttpRequest, template: str, context: dict[str, Any], *, status: int) -> HttpResponse:
    response = HttpResponse(loader.get_template(template).render(context), status=status)
    add_never_cache_headers(response)
    patch_cache_control(response, no_store=True, private=True)
    return response


def _participant_page(request: HttpRequest, template: str, status: int) -> HttpResponse:
    language = languages.chosen(request)
    with translation.override(language):
        context = {
            "language": language,
            "direction": "rtl" if languages.is_bidi(language) else "ltr",
            "language_choices": [],
            "fields": _resend_fields(request),
            "action": request.get_full_path(),
        }
        response = _render(request, template, context, status=status)
    response["Content-Language"] = language
    response["X-Robots-Tag"] = "noindex"
    return response


def _staff_page(request: HttpRequest, template: str, status: int) -> HttpResponse:
    language = translation.get_language() or settings.LANGUAGE_CODE
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    with translation.override(language):
        response = _render(request, template, {}, status=status)
    response["Content-Language"] = language
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: 503 while the database is away, else a kind 500. Django has logged the
    exception already (``django.request``)."""
    unavailable = database_unavailable(sys.exc_info()[1])
    status = 503 if unavailable else 500
    if PARTICIPANT_PATH.match(request.path):
        template = "surveys/503.html" if unavailable else "surveys/500.html"
        response = _participant_page(request, template, status)
    else:
        response = _staff_page(request, f"{status}.html", status)
    if unavailable:
        response["Retry-After"] = str(RETRY_AFTER)
    return response


def _participant_error(request: HttpRequest, template: str, context: dict[str, Any], *, status: int) -> HttpResponse:
    """A participant's 404 or CSRF failure, rendered with the request (a fresh CSRF token)."""
    language = languages.chosen(request)
    with translation.override(language):
        context = {
            **context,
            "language": language,
            "direction": "rtl" if languages.is_bidi(language) else "ltr",
            "language_choices": languages.choices(language),
        }
        response = render(request, template, context, status=status)
    add_never_cache_headers(response)
    patch_cache_control(response, no_store=True, private=True)
    response["Content-Language"] = language
    response["X-Robots-Tag"] = "noindex"
    return response


def _staff_error(request: HttpRequest, template: str, context: dict[str, Any], *, status: int) -> HttpResponse:
    response = render(request, template, context, status=status)
    response["Content-Language"] = translation.get_language() or settings.LANGUAGE_CODE
    return response


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """``handler404``: the same page for "missing" and "not yours", never naming what was asked."""
    if PARTICIPANT_PATH.match(request.path):
        return _participant_error(request, "surveys/not_found.html", {}, status=404)
    return _staff_error(request, "404.html", {}, status=404)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """``handler403``: refused, with the way back to the start page."""
    return _staff_error(request, "403.html", {}, status=403)


def csrf_failed(request: HttpRequest) -> HttpResponse:
    """A form sent with a stale or missing security token (CSRF): nothing was saved. The page
    offers to send the same fields again with a fresh token, so what was typed is not lost; a
    browser that refuses cookies is told so. Passwords are never echoed back."""
    no_cookie = not request.COOKIES.get(settings.CSRF_COOKIE_NAME)
    fields = [
        (name, value)
        for name, value in _resend_fields(request)
        if name != "csrfmiddlewaretoken" and "password" not in name
    ]
    context = {"fields": fields, "action": request.get_full_path(), "no_cookie": no_cookie}
    if PARTICIPANT_PATH.match(request.path):
        return _participant_error(request, "surveys/403_csrf.html", context, status=403)
    return _staff_error(request, "403_csrf.html", context, status=403)
