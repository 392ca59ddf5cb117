"""Writes of calendar feeds. Meeting writes are in ``pilotti.programmes.services``; reminders in reminders.py."""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from pilotti.accounts.models import User
from pilotti.meetings.models import CalendarFeed
from pilotti.programmes.models import DeliveryUnit


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def feed_create(*, actor: User, unit: DeliveryUnit | None = None) -> tuple[CalendarFeed, str]:
    """A new feed and its token (shown once; only the hash is kept). The old feed of the same kind stops."""
    CalendarFeed.objects.filter(user=actor, unit=unit, revoked_at__isnull=True).update(revoked_at=timezone.now())
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(user=actor, unit=unit, token_hash=hash_token(token))
    return feed, token


@transaction.atomic
def feed_revoke(*, actor: User, feed: CalendarFeed) -> CalendarFeed:
    if feed.revoked_at is None:
        feed.revoked_at = timezone.now()
        feed.save(update_fields=["revoked_at"])
    return feed


def feed_fetched(*, feed: CalendarFeed) -> None:
    """Remembers when a calendar last fetched the feed, so its owner sees whether it is in use."""
    CalendarFeed.objects.filter(pk=feed.pk).update(last_fetched_at=timezone.now())
