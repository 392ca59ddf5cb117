"""The participant's language: chosen on the page, remembered in a cookie, else guessed.

Staff pages speak ``settings.LANGUAGES`` (fi, sv, en) through Django's LocaleMiddleware.
Participants' pages speak ``settings.PARTICIPANT_LANGUAGES`` and render inside
``translation.override``, with their own cookie, so that a participant choosing Arabic on a
shared device never changes the staff pages' language.
"""

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header

COOKIE_NAME = "__Host-pilotti-participant-language" if settings.HTTPS else "pilotti-participant-language"
COOKIE_AGE = 365 * 24 * 60 * 60

# Preferred languages are free text on the participant's profile; these spellings are known.
SPELLINGS = {
    "fi": ("suomi", "finnish", "finska", "fin"),
    "sv": ("ruotsi", "svenska", "swedish", "swe"),
    "en": ("englanti", "english", "engelska", "eng"),
    "ar": ("arabia", "arabic", "arabiska", "العربية", "عربي", "ara"),
    "so": ("somali", "somalia", "soomaali", "somaliska", "som"),
    "fa": ("persia", "farsi", "dari", "persian", "persiska", "فارسی", "دری", "prs", "fas", "per"),
    "ru": ("venäjä", "russian", "ryska", "русский", "rus"),
    "uk": ("ukraina", "ukrainian", "ukrainska", "українська", "ukr"),
}
_BY_SPELLING = {spelling: code for code, spellings in SPELLINGS.items() for spelling in (code, *spellings)}


def languages() -> list[str]:
    return list(settings.PARTICIPANT_LANGUAGES)


def from_free_text(text: str) -> str | None:
    """A participant language code from a profile's free-text preferred language, if known."""
    return _BY_SPELLING.get(text.strip().lower())


def from_accept_language(header: str) -> str | None:
    for tag, _quality in parse_accept_lang_header(header):
        code = tag.lower().split("-")[0]
        if code == "prs":  # Dari's own code; its script and our wording are Persian's
            code = "fa"
        if code in settings.PARTICIPANT_LANGUAGES:
            return code
    return None


def chosen(request: HttpRequest, preferred: str = "") -> str:
    """The language to show: the one asked for now, the remembered one, the person's
    preferred one, the browser's, else Finnish."""
    for candidate in (request.GET.get("lang", ""), request.COOKIES.get(COOKIE_NAME, "")):
        if candidate in settings.PARTICIPANT_LANGUAGES:
            return candidate
    return (
        from_free_text(preferred)
        or from_accept_language(request.headers.get("Accept-Language", ""))
        or settings.PARTICIPANT_LANGUAGES[0]
    )


def remember(request: HttpRequest, response: HttpResponse, language: str) -> None:
    if request.COOKIES.get(COOKIE_NAME) != language:
        response.set_cookie(
            COOKIE_NAME,
            language,
            max_age=COOKIE_AGE,
            path="/",
            secure=settings.HTTPS,
            httponly=True,
            samesite="Lax",
        )


@dataclass(frozen=True)
class LanguageChoice:
    code: str
    name: str  # in the language itself
    is_current: bool
    bidi: bool


def choices(current: str) -> list[LanguageChoice]:
    result = []
    for code in settings.PARTICIPANT_LANGUAGES:
        info = translation.get_language_info(code)
        name = str(info["name_local"])
        result.append(LanguageChoice(code, name[:1].upper() + name[1:], code == current, bool(info["bidi"])))
    return result


def is_bidi(code: str) -> bool:
    return bool(translation.get_language_info(code)["bidi"])
