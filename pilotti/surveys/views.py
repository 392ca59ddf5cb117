"""The participant's pages: a personal link and a client panel. No sign-in, no JavaScript.

Each page renders inside ``translation.override`` in the participant's language (pilotti.core.languages),
carries ``Cache-Control: no-store`` (answers are personal) and ``noindex``. Unknown and expired
addresses answer a friendly 404 in that language, for GET and POST alike.
"""

import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers, patch_cache_control

from pilotti.core import languages, once
from pilotti.instruments import selectors as instruments
from pilotti.instruments.scoring import AnswerValue
from pilotti.instruments.spec import VersionSpec, text_in
from pilotti.surveys import crisis, questionnaire, selectors, services, throttling
from pilotti.surveys.models import ClientPanel, PersonalLink

PANEL_COOKIE_SALT = "pilotti.surveys.panel-device"
PANEL_COOKIE_AGE = 30 * 24 * 60 * 60


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], *, language: str, status: int = 200
) -> HttpResponse:
    with translation.override(language):
        context = {
            **context,
            "language": language,
            "direction": "rtl" if languages.is_bidi(language) else "ltr",
            "language_choices": languages.choices(language),
        }
        response = render(request, template, context, status=status)
    response["Content-Language"] = language
    response["X-Robots-Tag"] = "noindex"
    add_never_cache_headers(response)
    patch_cache_control(response, no_store=True, private=True)
    languages.remember(request, response, language)
    return response


def _redirect(request: HttpRequest, to: str, language: str) -> HttpResponse:
    response = redirect(to)
    languages.remember(request, response, language)
    return response


def _not_found(request: HttpRequest, language: str) -> HttpResponse:
    return _page(request, "surveys/not_found.html", {}, language=language, status=404)


def _too_many_requests(request: HttpRequest, wait: int) -> HttpResponse:
    """429 in the language the person chose, saying when to come back (docs/security.md)."""
    context = {"minutes": -(-wait // 60)}
    response = _page(request, "surveys/too_many_requests.html", context, language=languages.chosen(request), status=429)
    response["Retry-After"] = str(wait)
    return response


def _problem_codes(error: ValidationError) -> dict[str, str]:
    if not hasattr(error, "error_dict"):
        return {}
    return {key: str(errors[0].code) for key, errors in error.error_dict.items() if errors}


def _unavailable(request: HttpRequest, spec: VersionSpec, language: str, title: str) -> HttpResponse:
    available = [choice for choice in languages.choices(language) if choice.code in spec.languages]
    return _page(request, "surveys/unavailable.html", {"available": available, "title": title}, language=language)


def _form_context(
    spec: VersionSpec,
    language: str,
    *,
    anonymous: bool,
    answers: dict[str, AnswerValue],
    errors: dict[str, str],
) -> dict[str, Any]:
    items = questionnaire.offered_items(spec, anonymous=anonymous)
    return {
        "title": text_in(spec.title, language),
        "instructions": text_in(spec.instructions, language) if spec.instructions else "",
        "questions": questionnaire.questions(items, language, answers, errors),
        "has_errors": bool(errors),
    }


def _thanks_context(link: PersonalLink, title: str, language: str) -> dict[str, Any]:
    """After an answer that raised a safety alert, the person sees where to get help now, every
    time they open the link again."""
    flagged = link.response is not None and link.response.safety_flagged
    return {"title": title, "help_lines": crisis.help_lines(language) if flagged else []}


def _resent(request: HttpRequest, scope: str) -> bool:
    """A form whose answer is stored already, sent again (after a connection reset, a reload)."""
    return request.method == "POST" and once.was_used(scope, once.key_from(request.POST))


def answer(request: HttpRequest, token: str) -> HttpResponse:
    """A personal link: the questionnaire, paused and resumed here, submitted once."""
    if wait := throttling.wait_before(request, "link", token):
        return _too_many_requests(request, wait)
    link = services.personal_link_find(token)
    language = languages.chosen(request, link.participant.preferred_language if link else "")
    if link is None:
        throttling.unknown_address(request)
        return _not_found(request, language)
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    version = instruments.version_with_structure(link.version)
    spec = instruments.spec_for_organisation(version, link.organisation_id, language)
    title = text_in(spec.title, language, link.version.instrument.name)
    if link.submitted_at is not None:
        if _resent(request, services.link_scope(link)):  # the same thank-you as the first time
            return _redirect(request, request.path, language)
        status = 409 if request.method == "POST" else 200
        return _page(
            request, "surveys/thanks.html", _thanks_context(link, title, language), language=language, status=status
        )
    if language not in spec.languages:
        return _unavailable(request, spec, language, title)
    answers, errors = services.draft_answers(link), {}
    if request.method == "POST":
        items = questionnaire.offered_items(spec, anonymous=False)
        answers = questionnaire.answers_from(request.POST, items)
        try:
            if request.POST.get("action") == "pause":
                services.personal_link_pause(link=link, answers=answers, language=language)
                return _redirect(request, f"{request.path}?paused=1", language)
            services.personal_link_submit(
                link=link, answers=answers, language=language, once_key=once.key_from(request.POST)
            )
            return _redirect(request, request.path, language)
        except ValidationError as error:
            errors = _problem_codes(error)
        except services.AlreadyAnswered:
            return _page(
                request, "surveys/thanks.html", _thanks_context(link, title, language), language=language, status=409
            )
    context = {
        **_form_context(spec, language, anonymous=False, answers=answers, errors=errors),
        "can_pause": True,
        "once_key": once.form_key(request.POST),
        "paused": request.GET.get("paused") == "1" and not errors,
        "expires_at": link.expires_at,
    }
    return _page(request, "surveys/answer.html", context, language=language, status=400 if errors else 200)


# --- The client panel --------------------------------------------------------------------------


def _device_cookie(panel: ClientPanel) -> str:
    prefix = "__Host-" if settings.HTTPS else ""
    return f"{prefix}pilotti-panel-{panel.code}"


def _device_id(request: HttpRequest, panel: ClientPanel) -> str:
    value = request.get_signed_cookie(_device_cookie(panel), default="", salt=PANEL_COOKIE_SALT)
    return str(value or "")


def _with_device(response: HttpResponse, panel: ClientPanel, device_id: str) -> HttpResponse:
    response.set_signed_cookie(
        _device_cookie(panel),
        device_id,
        salt=PANEL_COOKIE_SALT,
        max_age=PANEL_COOKIE_AGE,
        path="/",
        secure=settings.HTTPS,
        httponly=True,
        samesite="Lax",
    )
    return response


def panel_answer(request: HttpRequest, code: str) -> HttpResponse:
    """The client panel: anonymous, one answer per device (unless in kiosk mode), rate-limited."""
    waits, panel = throttling.panel_waits(request, code)  # a POST's answer and the panel too
    if waits.page:
        return _too_many_requests(request, waits.page)
    language = languages.chosen(request)
    if panel is None:
        throttling.unknown_address(request)
        return _not_found(request, language)
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    version = instruments.version_with_structure(panel.version)
    spec = instruments.spec_for_organisation(version, panel.meeting.unit.organisation_id, language)
    title = text_in(spec.title, language, panel.version.instrument.name)
    device_id = _device_id(request, panel)
    if not selectors.panel_accepts_answers(panel, timezone.now()):
        return _page(request, "surveys/closed.html", {"title": title}, language=language)
    if not panel.kiosk and services.panel_has_answered(panel, device_id):
        return _page(request, "surveys/thanks.html", {"title": title, "anonymous": True}, language=language)
    if language not in spec.languages:
        return _unavailable(request, spec, language, title)
    device_id = device_id or secrets.token_urlsafe(16)
    answers: dict[str, AnswerValue] = {}
    errors: dict[str, str] = {}
    if request.method == "POST":
        answers = questionnaire.answers_from(request.POST, questionnaire.offered_items(spec, anonymous=True))
        try:
            services.panel_answer(
                panel=panel,
                answers=answers,
                language=language,
                device_id=device_id,
                over_limit=bool(waits.answers),
                once_key=once.key_from(request.POST),
            )
        except ValidationError as error:
            errors = _problem_codes(error)
        except (services.AlreadyAnswered, once.AlreadyUsed):
            pass  # the GET after the redirect says so; a resent form gets the same thank-you
        except services.TooManyAnswers:
            return _page(request, "surveys/too_many.html", {"title": title}, language=language, status=429)
        if not errors:
            if panel.kiosk:  # a fresh form for the next person, with a thank-you above it
                return _redirect(request, f"{request.path}?thanks=1", language)
            return _with_device(_redirect(request, request.path, language), panel, device_id)
    context = {
        **_form_context(spec, language, anonymous=True, answers=answers, errors=errors),
        "kiosk": panel.kiosk,
        "once_key": once.form_key(request.POST),
        "thanked": panel.kiosk and request.GET.get("thanks") == "1" and not errors,
    }
    response = _page(request, "surveys/answer.html", context, language=language, status=400 if errors else 200)
    return response if panel.kiosk else _with_device(response, panel, device_id)
