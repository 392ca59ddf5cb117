"""The calendar feed read back by three iCalendar parsers nobody here wrote (icalendar, vobject
and ics), and its language: the one its owner uses Pilotti in, whatever the calendar app asks for."""

from datetime import UTC, datetime, timedelta

import ics  # type: ignore[import-untyped]
import vobject  # type: ignore[import-untyped]
from django.conf import settings
from django.test import Client
from django.urls import reverse
from icalendar import Calendar, vDuration

from conftest import World, signed_in
from pilotti.meetings import services
from pilotti.meetings.tests.test_feeds import _new_feed
from tests.factories import NOW, unit_with_meetings


def _fetch(url: str, accept_language: str = "en") -> bytes:
    response = Client().get(url, HTTP_ACCEPT_LANGUAGE=accept_language)  # a calendar program: no session
    assert response.status_code == 200
    return response.content


def _feed_with_a_cancelled_meeting(world: World, language: str) -> tuple[str, list[str]]:
    unit, meetings = unit_with_meetings(
        world.org, facilitator=world.facilitator, at=[NOW + timedelta(days=1), NOW + timedelta(days=8)]
    )
    services.meeting_cancel(actor=None, meeting=meetings[1], reason="Ohjaaja sairastui")
    client = signed_in(world.facilitator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language  # the language the person chose in Pilotti
    url = _new_feed(client, reverse("meetings:feed_create"))
    # The two meetings first, then the unit's others (it has one of its own).
    others = [f"{m.uuid}@pilotti" for m in unit.meetings.exclude(pk__in=[m.pk for m in meetings])]
    return url, [f"{m.uuid}@pilotti" for m in meetings] + others


def test_three_parsers_read_the_feed_and_its_refresh_interval(world: World, frozen_now: datetime) -> None:
    url, uids = _feed_with_a_cancelled_meeting(world, "fi")
    body = _fetch(url)

    calendar = Calendar.from_ical(body)
    assert vDuration.from_ical(str(calendar["X-PUBLISHED-TTL"])) == timedelta(hours=1)
    assert calendar["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
    assert calendar["REFRESH-INTERVAL"].dt == timedelta(hours=1)
    assert sorted(str(e["UID"]) for e in calendar.walk("VEVENT")) == sorted(uids)

    parsed = vobject.readOne(body.decode())
    assert parsed.x_published_ttl.value == "PT1H"
    assert parsed.refresh_interval.params["VALUE"] == ["DURATION"]
    events = {e.uid.value: e for e in parsed.vevent_list}
    assert sorted(events) == sorted(uids)
    assert events[uids[0]].dtstart.value == datetime(2030, 3, 14, 10, 0, tzinfo=UTC)
    assert events[uids[1]].status.value == "CANCELLED"
    assert events[uids[1]].summary.value.startswith("Peruttu: ")

    other = ics.Calendar(body.decode())
    by_uid = {e.uid: e for e in other.events}
    assert sorted(by_uid) == sorted(uids)
    assert by_uid[uids[0]].begin.datetime == datetime(2030, 3, 14, 10, 0, tzinfo=UTC)
    assert by_uid[uids[0]].duration == timedelta(minutes=90)


def test_the_feed_speaks_its_owners_language_not_the_calendar_apps(world: World, frozen_now: datetime) -> None:
    url, uids = _feed_with_a_cancelled_meeting(world, "sv")
    for accept_language in ("en", "fi", ""):
        calendar = vobject.readOne(_fetch(url, accept_language).decode())
        assert calendar.x_wr_calname.value == "Pilotti: Mina träffar"
        cancelled = next(e for e in calendar.vevent_list if e.uid.value == uids[1])
        assert cancelled.summary.value.startswith("Inställd: ")
    response = Client().get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "sv"


def test_the_feed_list_says_each_feeds_language(world: World, frozen_now: datetime) -> None:
    _feed_with_a_cancelled_meeting(world, "sv")
    client = signed_in(world.facilitator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fi"
    assert "kieli: ruotsi" in client.get(reverse("meetings:feed_list")).text
