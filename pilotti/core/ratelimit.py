"""Fixed-window rate limits, counted in a table of the database (``core.RateCounter``), which
every app server shares whatever the cache is.

A window is aligned to the clock (``now // window``), so the page that refuses can say exactly
when the next window opens. Keys are hashed: a personal link's token or a client's address is
never stored in plain text.

One request's counters are one statement: an upsert that adds to every counter at once and
returns the new counts (``INSERT … ON CONFLICT DO UPDATE … RETURNING``, PostgreSQL and SQLite
3.35+ alike). The database adds under the row's lock, so the count is exact with any number of
servers and workers; the first use of a window inserts its row. Closed windows are deleted by
``prune``, which a window's first use runs now and then (``PRUNE_ONE_IN``).

On PostgreSQL a page may read its row in the same statement (``waits_and_read``: the upsert as
a data-modifying ``WITH`` and the page's query beside it), one round trip for both; the
statement is prepared there (pilotti.core.prepared). Elsewhere the read follows the upsert.
"""

import hashlib
import math
import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connections, router
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from pilotti.core import prepared
from pilotti.core.models import RateCounter

# A window's first use deletes the closed windows once in this many times: the table holds about
# the counters of the open windows, and the delete runs on an index, not on every request.
PRUNE_ONE_IN = 50


@dataclass(frozen=True)
class Limit:
    name: str
    count: int  # requests allowed in one window
    window: int  # seconds


@dataclass(frozen=True)
class Use:
    """One use of ``key`` under ``limit``; ``counted=False`` only asks whether the limit is reached
    (for limits counted on failures only)."""

    limit: Limit
    key: str
    counted: bool = True


def _counter_key(limit: Limit, key: str, window_index: int) -> str:
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return f"{limit.name}:{digest}:{window_index}"


def _retry_after(limit: Limit, window_index: int, now: float) -> int:
    return max(1, math.ceil((window_index + 1) * limit.window - now))


@dataclass(frozen=True)
class Read:
    """A query whose first row a page wants with its counters: ``sql`` with ``%s`` placeholders,
    its columns named apart from ``key`` and ``count``."""

    sql: str
    params: Sequence[Any]


def waits(*uses: Use, now: float | None = None) -> list[int]:
    """Counts the uses in one statement; for each, 0 while within its limit, else the seconds
    until its window ends."""
    return waits_and_read(*uses, now=now)[0]


def waits_and_read(
    *uses: Use, read: Read | None = None, now: float | None = None
) -> tuple[list[int], tuple[Any, ...] | None]:
    """``waits``, and the first row of ``read`` (None when it finds none), in the same statement
    on PostgreSQL. A row is found whatever the waits say: the caller decides what to show."""
    now = time.time() if now is None else now
    rows: dict[str, list[int]] = {}  # counter key: [added, expires]
    for use in uses:
        window_index = int(now // use.limit.window)
        row = rows.setdefault(
            _counter_key(use.limit, use.key, window_index), [0, (window_index + 1) * use.limit.window]
        )
        row[0] += int(use.counted)
    counts, found = _add(rows, read)
    first_use = any(added and counts[key] == added for key, (added, _expires) in rows.items())
    if first_use and secrets.randbelow(PRUNE_ONE_IN) == 0:  # now and then, tidy up
        prune(now=now)
    result = []
    for use in uses:
        window_index = int(now // use.limit.window)
        count = counts[_counter_key(use.limit, use.key, window_index)]
        # A counted use may be the limit's last; an uncounted one asks whether the next would pass it.
        passed = count > use.limit.count - (0 if use.counted else 1)
        result.append(_retry_after(use.limit, window_index, now) if passed else 0)
    return result, found


def wait(*uses: Use, now: float | None = None) -> int:
    """Like ``waits``: 0 while all are within their limits, else the longest wait."""
    return max(waits(*uses, now=now), default=0)


def _add(rows: dict[str, list[int]], read: Read | None) -> tuple[dict[str, int], tuple[Any, ...] | None]:
    connection = connections[router.db_for_write(RateCounter)]
    quote = connection.ops.quote_name
    table, key, count, expires = (quote(name) for name in (RateCounter._meta.db_table, "key", "count", "expires"))
    ordered = sorted(rows)  # the same lock order in every statement: no deadlock between two
    values = ", ".join(["(%s, %s, %s)"] * len(ordered))
    sql = (
        f"INSERT INTO {table} ({key}, {count}, {expires}) VALUES {values} "  # noqa: S608 - names quoted, values bound
        f"ON CONFLICT ({key}) DO UPDATE SET {count} = {table}.{count} + excluded.{count} "
        f"RETURNING {key}, {count}"
    )
    params: list[Any] = []
    for name in ordered:
        params += [name, *rows[name]]
    together = read is not None and connection.vendor == "postgresql"
    if together and read is not None:
        # One round trip: the read sees the tables as they were before this statement, which is
        # all it needs (the counters come from the upsert's RETURNING, not from a read).
        sql = (
            f"WITH counted AS ({sql}) SELECT counted.{key}, counted.{count}, found.* "  # noqa: S608 - as above
            f"FROM counted LEFT JOIN ({read.sql}) AS found ON TRUE"
        )
        params += read.params
    with prepared.cursor(connection) as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
        counts = {name: int(value) for name, value, *_rest in fetched}
        if together:
            first = tuple(fetched[0][2:]) if fetched else ()
            return counts, first if any(value is not None for value in first) else None
        if read is None:
            return counts, None
        cursor.execute(read.sql, read.params)
        row = cursor.fetchone()
        return counts, tuple(row) if row is not None else None


def consume(limit: Limit, key: str, *, now: float | None = None) -> int:
    """Counts one use of ``key``: 0 while within the limit, else the seconds until it resets."""
    return wait(Use(limit, key), now=now)


def prune(*, now: float | None = None) -> int:
    """Deletes the counters of closed windows; how many."""
    now = time.time() if now is None else now
    deleted, _by_model = RateCounter.objects.filter(expires__lte=now).delete()
    return deleted


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
