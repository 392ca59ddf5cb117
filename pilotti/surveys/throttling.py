"""Rate limits of the participants' pages (/q/<token>/, /p/<code>/), in the shared cache.

Four counters, each per ``settings.SURVEY_PAGE_RATE_WINDOW`` seconds: every request from one IP
address, every request to one personal link, every request to one client panel, and unknown
addresses tried from one IP address. The last one stops guessing: a personal link's token
has 256 bits and a panel's code about 58, and a guesser gets only a handful of tries per window.
The client panel's answers have their own, stricter limit (services.panel_answer).
"""

from typing import Literal

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.http import HttpRequest

from pilotti.core.ratelimit import Limit, consume, exceeded


def _client(request: HttpRequest) -> str:
    return get_client_ip_address(request) or "unknown"


def _unknown_limit() -> Limit:
    return Limit("surveys-unknown", settings.SURVEY_PAGE_UNKNOWN_PER_IP, settings.SURVEY_PAGE_RATE_WINDOW)


def wait_before(request: HttpRequest, kind: Literal["link", "panel"], secret: str) -> int:
    """Counts this request; the seconds the client must wait, or 0 to go ahead."""
    window = settings.SURVEY_PAGE_RATE_WINDOW
    client = _client(request)
    guessing = exceeded(_unknown_limit(), client)
    if guessing:
        return guessing
    per_secret = settings.SURVEY_PAGE_RATE_PER_LINK if kind == "link" else settings.SURVEY_PAGE_RATE_PER_PANEL
    return max(
        consume(Limit("surveys-ip", settings.SURVEY_PAGE_RATE_PER_IP, window), client),
        consume(Limit(f"surveys-{kind}", per_secret, window), secret),
    )


def unknown_address(request: HttpRequest) -> None:
    """Counts a token or code that matched nothing (or has expired) against the client."""
    consume(_unknown_limit(), _client(request))
