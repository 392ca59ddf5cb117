import re
from datetime import UTC, datetime, timedelta

from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from conftest import World, signed_in
from pilotti.meetings import services as meeting_services
from pilotti.meetings.models import CalendarFeed
from pilotti.programmes import services
from tests.factories import NOW, unit_with_meetings


def _new_feed(client: Client, url: str) -> str:
    """Makes a feed as a person would and returns its address, read from the page that shows it once."""
    response = client.post(url)
    assert response.status_code == 200
    match = re.search(r'id="feed-url"[^>]*value="(http://testserver/calendar/[^"]+\.ics)"', response.text)
    assert match, response.text
    return match[1]


def _events(url: str) -> dict[str, object]:
    response = Client().get(url)  # a calendar program: no session
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_it_serves_a_facilitators_meetings_as_a_calendar(world: World, frozen_now: datetime) -> None:
    unit, meetings = unit_with_meetings(
        world.org, facilitator=world.facilitator, at=[NOW + timedelta(days=1), NOW + timedelta(days=8)]
    )
    other, [remote] = unit_with_meetings(world.org, facilitator=world.facilitator, name="Etäryhmä", remote=True)
    meeting_services.meeting_update(actor=None, meeting=meetings[0], theme="Synnytys", notes="Salaista")
    meeting_services.meeting_update(actor=None, meeting=remote, remote_link="https://video.example.org/x")
    unit_with_meetings(world.org, facilitator=None, name="Toisen ryhmä")
    url = _new_feed(signed_in(world.facilitator), reverse("meetings:feed_create"))
    events = _events(url)
    expected = [*unit.meetings.all(), *other.meetings.all()]
    assert set(events) == {f"{m.uuid}@pilotti" for m in expected}
    event = events[f"{meetings[0].uuid}@pilotti"]
    assert event["SUMMARY"] == "Hervanta: Synnytys"  # type: ignore[index]
    assert event["LOCATION"] == "Paikka Hervanta, Tampere"  # type: ignore[index]
    assert event.start == datetime(2030, 3, 14, 10, 0, tzinfo=UTC)  # type: ignore[attr-defined]
    assert event.end == datetime(2030, 3, 14, 11, 30, tzinfo=UTC)  # type: ignore[attr-defined]
    assert event["SEQUENCE"] == 0  # type: ignore[index]
    assert event["STATUS"] == "CONFIRMED"  # type: ignore[index]
    assert "Salaista" not in Client().get(url).text  # staff notes stay in Pilotti
    assert events[f"{remote.uuid}@pilotti"]["LOCATION"] == "https://video.example.org/x"  # type: ignore[index]
    assert CalendarFeed.objects.get().last_fetched_at == NOW


def test_it_updates_the_feed_when_meetings_move_or_are_cancelled(world: World, frozen_now: datetime) -> None:
    unit, [moved, cancelled] = unit_with_meetings(
        world.org, facilitator=world.facilitator, at=[NOW + timedelta(days=1), NOW + timedelta(days=8)]
    )
    url = _new_feed(signed_in(world.coordinator), reverse("meetings:feed_create_unit", args=[unit.uuid]))
    meeting_services.meeting_move(actor=None, meeting=moved, starts_at=NOW + timedelta(days=2))
    meeting_services.meeting_move(actor=None, meeting=moved, starts_at=NOW + timedelta(days=3))
    meeting_services.meeting_cancel(actor=None, meeting=cancelled, reason="Ohjaaja sairastui")
    events = _events(url)
    assert len(events) == 3  # the same UIDs: moved and cancelled meetings replace their events
    event = events[f"{moved.uuid}@pilotti"]
    assert event["SEQUENCE"] == 2  # type: ignore[index]
    assert event.start == (NOW + timedelta(days=3)).astimezone(UTC)  # type: ignore[attr-defined]
    event = events[f"{cancelled.uuid}@pilotti"]
    assert event["STATUS"] == "CANCELLED"  # type: ignore[index]
    assert event["SEQUENCE"] == 1  # type: ignore[index]
    assert "Ohjaaja sairastui" in str(event["DESCRIPTION"])  # type: ignore[index]


def test_it_keeps_only_a_hash_and_shows_the_address_once(world: World, frozen_now: datetime) -> None:
    client = signed_in(world.facilitator)
    url = _new_feed(client, reverse("meetings:feed_create"))
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    feed = CalendarFeed.objects.get()
    assert token not in feed.token_hash
    page = client.get(reverse("meetings:feed_list")).text
    assert "All my meetings" in page
    assert token not in page


def test_it_stops_a_revoked_or_replaced_feed(world: World, frozen_now: datetime) -> None:
    unit_with_meetings(world.org, facilitator=world.facilitator)
    client = signed_in(world.facilitator)
    first = _new_feed(client, reverse("meetings:feed_create"))
    second = _new_feed(client, reverse("meetings:feed_create"))  # a lost address is replaced
    assert Client().get(first).status_code == 404
    assert Client().get(second).status_code == 200
    feed = CalendarFeed.objects.get(revoked_at__isnull=True)
    response = client.post(reverse("meetings:feed_revoke", args=[feed.uuid]), follow=True)
    assert "The feed was revoked." in response.text
    assert Client().get(second).status_code == 404
    assert Client().post(second).status_code == 404
    assert Client().get("/calendar/GuessedTokenGuessedTokenGuessedTokenGuesse.ics").status_code == 404


def test_it_follows_what_the_feeds_owner_may_still_see(world: World, frozen_now: datetime) -> None:
    unit, _ = unit_with_meetings(world.org, facilitator=world.facilitator)
    client = signed_in(world.facilitator)
    mine = _new_feed(client, reverse("meetings:feed_create"))
    of_unit = _new_feed(client, reverse("meetings:feed_create_unit", args=[unit.uuid]))
    assert len(_events(mine)) == 2
    services.facilitator_remove(actor=None, assignment=unit.facilitators.get())
    assert _events(mine) == {}
    assert Client().get(of_unit).status_code == 404
    world.facilitator.is_active = False
    world.facilitator.save()
    assert Client().get(mine).status_code == 404


def test_it_lets_no_one_make_a_feed_of_a_unit_they_cannot_see(world: World, frozen_now: datetime) -> None:
    unit, _ = unit_with_meetings(world.org, facilitator=None)
    assert signed_in(world.outsider).post(reverse("meetings:feed_create_unit", args=[unit.uuid])).status_code == 404
    assert signed_in(world.facilitator).post(reverse("meetings:feed_create_unit", args=[unit.uuid])).status_code == 404
    assert not CalendarFeed.objects.exists()
