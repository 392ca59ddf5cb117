"""Reads of the client council: its items follow their meeting (``meetings_visible_to``), and
those who may change the meeting (its unit's managers and facilitators) record and correct them."""

from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from pilotti.council.models import CouncilItem
from pilotti.meetings.models import Meeting
from pilotti.meetings.selectors import meetings_visible_to
from pilotti.organisations.viewer import Viewer
from pilotti.programmes.models import DeliveryUnit
from pilotti.programmes.selectors import can_change_meetings


def council_items_visible_to(viewer: Viewer) -> QuerySet[CouncilItem]:
    return CouncilItem.objects.filter(meeting__in=meetings_visible_to(viewer))


def can_record_council(viewer: Viewer, meeting: Meeting) -> bool:
    return can_change_meetings(viewer, meeting.unit)


def items_of(meeting: Meeting) -> QuerySet[CouncilItem]:
    return meeting.council_items.order_by("created_at", "id")


def item_history(item: CouncilItem) -> QuerySet[Any]:
    """The item's earlier versions, newest first, with who changed it and why."""
    versions: QuerySet[Any] = item.history.select_related("history_user").order_by("-history_date")
    return versions


def items_of_units(units: QuerySet[DeliveryUnit], since: date | None, until: date | None) -> QuerySet[CouncilItem]:
    """The items suggested at the units' meetings in the period (by the meeting's day in
    Helsinki), for the report; the caller has scoped the units. One query."""
    condition = Q(meeting__unit__in=units)
    if since:
        condition &= Q(meeting__starts_at__date__gte=since)
    if until:
        condition &= Q(meeting__starts_at__date__lte=until)
    return (
        CouncilItem.objects.filter(condition)
        .select_related("meeting__unit")
        .order_by("meeting__starts_at", "created_at", "id")
    )
