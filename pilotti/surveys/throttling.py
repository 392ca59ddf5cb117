"""Rate limits of the participants' pages (/q/<token>/, /p/<code>/), in the shared counter table.

Four counters, each per ``settings.SURVEY_PAGE_RATE_WINDOW`` seconds: every request from one IP
address, every request to one personal link, every request to one client panel, and unknown
addresses tried from one IP address. The last one stops guessing: a personal link's token
has 256 bits and a panel's code about 58, and a guesser gets only a handful of tries per window.
The client panel's answers have their own, stricter limit per address and panel
(``SURVEY_PANEL_RATE_LIMIT``), counted on every POST with the page's counters: a request's
counters are one statement (pilotti.core.ratelimit.waits).
"""

from dataclasses import dataclass
from typing import Literal

from django.conf import settings
from django.http import HttpRequest

from pilotti.core.client_address import client_address
from pilotti.core.ratelimit import Limit, Use, consume, wait, waits_and_read
from pilotti.surveys import selectors
from pilotti.surveys.models import ClientPanel


def _client(request: HttpRequest) -> str:
    return client_address(request) or "unknown"


def _unknown_limit() -> Limit:
    return Limit("surveys-unknown", settings.SURVEY_PAGE_UNKNOWN_PER_IP, settings.SURVEY_PAGE_RATE_WINDOW)


def _page_uses(request: HttpRequest, kind: Literal["link", "panel"], secret: str) -> tuple[Use, ...]:
    window = settings.SURVEY_PAGE_RATE_WINDOW
    client = _client(request)
    per_secret = settings.SURVEY_PAGE_RATE_PER_LINK if kind == "link" else settings.SURVEY_PAGE_RATE_PER_PANEL
    return (
        Use(_unknown_limit(), client, counted=False),  # a guesser waits, whatever the address now
        Use(Limit("surveys-ip", settings.SURVEY_PAGE_RATE_PER_IP, window), client),
        Use(Limit(f"surveys-{kind}", per_secret, window), secret),
    )


def wait_before(request: HttpRequest, kind: Literal["link", "panel"], secret: str) -> int:
    """Counts this request; the seconds the client must wait, or 0 to go ahead."""
    return wait(*_page_uses(request, kind, secret))


@dataclass(frozen=True)
class PanelWaits:
    page: int  # seconds before this address may load the page again; 0 to go ahead
    answers: int  # the same for sending answers to this panel (always 0 for a GET)


def panel_waits(request: HttpRequest, code: str) -> tuple[PanelWaits, ClientPanel | None]:
    """Counts a request to a client panel, and on a POST an answer from this address to it: a
    script filling a meeting's panel from one address stops at ``SURVEY_PANEL_RATE_LIMIT``.

    With the waits, the live panel of the code (``selectors.live_panel_read``), or None when
    there is none or the page must wait: on PostgreSQL read in the counters' statement, one round
    trip for both (every answer of a full room comes through here); elsewhere right after them."""
    page = _page_uses(request, "panel", code)
    answers: tuple[Use, ...] = ()
    if request.method == "POST":
        limit = Limit("surveys-panel-answers", settings.SURVEY_PANEL_RATE_LIMIT, settings.SURVEY_PANEL_RATE_WINDOW)
        answers = (Use(limit, f"{code}:{_client(request)}"),)
    found, row = waits_and_read(*page, *answers, read=selectors.live_panel_read(code))
    result = PanelWaits(page=max(found[: len(page)]), answers=max(found[len(page) :], default=0))
    if result.page or row is None:
        return result, None
    return result, selectors.live_panel_from_row(row)


def unknown_address(request: HttpRequest) -> None:
    """Counts a token or code that matched nothing (or has expired) against the client."""
    consume(_unknown_limit(), _client(request))
