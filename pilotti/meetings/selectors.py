"""Reads of calendar feeds. Meetings are read through ``pilotti.programmes.selectors``."""

from django.db.models import QuerySet
from django.http import Http404

from pilotti.accounts.models import User
from pilotti.meetings.models import CalendarFeed
from pilotti.meetings.services import hash_token
from pilotti.programmes import selectors as programmes
from pilotti.programmes.models import Meeting


def feeds_of(user: User) -> QuerySet[CalendarFeed]:
    """The user's own live feeds: nobody else's, whatever their role."""
    if not user.is_authenticated:
        return CalendarFeed.objects.none()
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).select_related("unit", "unit__programme")


def live_feed(token: str) -> CalendarFeed:
    """The feed of a token, or 404: unknown, revoked, or its owner can no longer sign in."""
    feed = (
        CalendarFeed.objects.filter(token_hash=hash_token(token), revoked_at__isnull=True, user__is_active=True)
        .select_related("user", "unit")
        .first()
    )
    if feed is None:
        raise Http404
    return feed


def feed_meetings(feed: CalendarFeed) -> QuerySet[Meeting]:
    """What the feed's owner may see today, not what they could when the feed was made.

    A unit feed of a unit the owner no longer sees answers 404, like a revoked one.
    """
    if feed.unit is None:
        return programmes.my_meetings(feed.user)
    if not programmes.units_visible_to(feed.user).filter(pk=feed.unit.pk).exists():
        raise Http404
    return (
        programmes.meetings_visible_to(feed.user)
        .filter(unit=feed.unit)
        .select_related("unit", "unit__site", "unit__programme")
        .order_by("starts_at")
    )
