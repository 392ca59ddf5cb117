"""One-time keys in rendered forms: a resend stores nothing twice.

An answer can be stored while its sender sees only a connection reset (a worker died between
the commit and the response; issue 28 counted 2 556 stored for 2 555 acknowledged). The sender
then sends the same form again. Every answer form therefore carries a random key (``FIELD``),
and the service that stores the answer calls ``claim`` inside its transaction: the key's row is
inserted under a unique primary key, so the second time raises ``AlreadyUsed`` and the view
answers with the same "thank you" as the first time. On PostgreSQL a concurrent second insert
waits for the first transaction and then fails; on SQLite writers are serialised anyway.

A form without a key (a page rendered before this existed, a script) is stored as before.
Keys are kept for ``KEEP_DAYS`` days (a form left open longer and sent twice is the rare case
left): about one claim in ``PRUNE_ONE_IN`` deletes older ones, as the rate limits' counters do.
"""

import hashlib
import re
import secrets
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.utils import timezone

from pilotti.core.models import OnceKey

FIELD = "once"
KEEP_DAYS = 30
PRUNE_ONE_IN = 1000
_SHAPE = re.compile(r"[A-Za-z0-9_-]{16,64}")


class AlreadyUsed(Exception):
    """This form was stored already."""


def new_key() -> str:
    return secrets.token_urlsafe(18)


def key_from(data: QueryDict) -> str:
    """The posted key if it looks like one of ours, else "" (nothing to deduplicate)."""
    key = data.get(FIELD, "")
    return key if isinstance(key, str) and _SHAPE.fullmatch(key) else ""


def form_key(data: QueryDict) -> str:
    """The key to render into a form: the one just posted (nothing was stored: a form shown
    again with errors keeps it), else a new one."""
    return key_from(data) or new_key()


def _hashed(scope: str, key: str) -> str:
    return hashlib.sha256(f"{scope}:{key}".encode()).hexdigest()


def claim(scope: str, key: str, *, now: datetime | None = None) -> None:
    """Records the key inside the caller's transaction; AlreadyUsed when it was stored before.
    ``scope`` names the form (e.g. the panel), so that a key is only ever compared within it."""
    if not key:
        return
    try:
        # No savepoint (two statements fewer per answer): AlreadyUsed must leave the caller's
        # transaction, which then rolls back whole.
        with transaction.atomic(savepoint=False):
            OnceKey.objects.create(key=_hashed(scope, key), created_at=now or timezone.now())
    except IntegrityError:
        raise AlreadyUsed from None
    if secrets.randbelow(PRUNE_ONE_IN) == 0:
        prune(now=now)


def was_used(scope: str, key: str) -> bool:
    return bool(key) and OnceKey.objects.filter(key=_hashed(scope, key)).exists()


def prune(*, now: datetime | None = None) -> int:
    deleted, _rows = OnceKey.objects.filter(created_at__lt=(now or timezone.now()) - timedelta(days=KEEP_DAYS)).delete()
    return deleted
