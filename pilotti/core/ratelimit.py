"""Fixed-window rate limits in Django's cache, which every app server shares (settings.CACHES).

A window is aligned to the clock (``now // window``), so the page that refuses can say exactly
when the next window opens. Keys are hashed: a personal link's token or a client's address is
never a cache key in plain text (the database cache stores keys in a table).
"""

import hashlib
import math
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@dataclass(frozen=True)
class Limit:
    name: str
    count: int  # requests allowed in one window
    window: int  # seconds


def _cache_key(limit: Limit, key: str, now: float) -> tuple[str, int]:
    window_index = int(now // limit.window)
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return f"pilotti:ratelimit:{limit.name}:{digest}:{window_index}", window_index


def _retry_after(limit: Limit, window_index: int, now: float) -> int:
    return max(1, math.ceil((window_index + 1) * limit.window - now))


def consume(limit: Limit, key: str, *, now: float | None = None) -> int:
    """Counts one use of ``key``: 0 while within the limit, else the seconds until it resets."""
    now = time.time() if now is None else now
    cache_key, window_index = _cache_key(limit, key, now)
    # Increment first: the key exists for every use but the window's first, and on the database
    # cache each call is several queries, so the common case must be a single call.
    try:
        count = cache.incr(cache_key)
    except ValueError:  # the window's first use, or another server's first use just now
        count = 1 if cache.add(cache_key, 1, timeout=limit.window + 1) else cache.incr(cache_key)
    return 0 if count <= limit.count else _retry_after(limit, window_index, now)


def exceeded(limit: Limit, key: str, *, now: float | None = None) -> int:
    """Like ``consume`` but without counting: for limits counted only on failures."""
    now = time.time() if now is None else now
    cache_key, window_index = _cache_key(limit, key, now)
    return 0 if int(cache.get(cache_key, 0)) < limit.count else _retry_after(limit, window_index, now)


# allauth's rate-limited pages and the allauth action (settings.ACCOUNT_RATE_LIMITS) behind each.
_ALLAUTH_ACTIONS = {
    "account_login": "login_failed",
    "account_reset_password": "reset_password",
    "account_reset_password_from_key": "reset_password_from_key",
    "account_reauthenticate": "reauthenticate",
    "account_change_password": "change_password",
}
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _longest_period(rates: str) -> int:
    """The longest window in an allauth rate such as ``"30/h/ip,3/h/key"``, in seconds."""
    longest = 0
    for rate in filter(None, (part.strip() for part in rates.split(","))):
        duration = rate.split("/")[1]
        longest = max(longest, int(float(duration[:-1] or 1) * _UNITS[duration[-1]]))
    return longest


def too_many_requests(request: HttpRequest) -> HttpResponse:
    """The 429 page of the staff side (``handler429``, which allauth calls): when to try again."""
    from allauth.account import app_settings as allauth_settings

    match = request.resolver_match
    action = _ALLAUTH_ACTIONS.get(match.url_name or "", "") if match else ""
    wait = _longest_period(allauth_settings.RATE_LIMITS.get(action) or "") or 3600
    response = render(request, "429.html", {"minutes": -(-wait // 60)}, status=429)
    response["Retry-After"] = str(wait)
    return response
