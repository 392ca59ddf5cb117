"""Correcting a unit after it was created: its details, and its schedule from a day on."""

from datetime import date, datetime, time

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import World, signed_in
from pilotti.core.zone import HELSINKI
from pilotti.meetings import services
from pilotti.meetings.models import Meeting
from pilotti.meetings.schedule import DateRange, ScheduleRule
from pilotti.programmes.models import DeliveryUnit
from tests.factories import make_programme, make_site, make_unit

# A Sunday in the middle of the helper unit's series (Wednesdays 30.10.–11.12.2019 at 15.30).
SUNDAY = datetime(2019, 11, 10, 12, tzinfo=HELSINKI)


@pytest.fixture
def unit(world: World) -> DeliveryUnit:
    return make_unit(make_programme(world.org), facilitator=world.facilitator)


def days(unit: DeliveryUnit, status: str = "scheduled") -> list[date]:
    return [m.starts_at.astimezone(HELSINKI).date() for m in unit.meetings.filter(status=status)]


def reschedule(unit: DeliveryUnit, count: int, **rule: object) -> services.ScheduleChange:
    return services.unit_reschedule(
        actor=None,
        unit=unit,
        rule=ScheduleRule(first=date(2019, 11, 14), count=count, **rule),  # type: ignore[arg-type]
        start_time=time(17),
        duration_minutes=90,
    )


def test_it_moves_the_future_meetings_to_the_new_weekday_around_a_break(unit: DeliveryUnit) -> None:
    with time_machine.travel(SUNDAY, tick=False):
        plan = reschedule(unit, 5, breaks=(DateRange(date(2019, 11, 28), date(2019, 11, 28)),))
    assert (len(plan.moved), plan.added, plan.cancelled) == (5, [], [])
    assert days(unit) == [
        date(2019, 10, 30), date(2019, 11, 6),  # held or past: untouched
        date(2019, 11, 14), date(2019, 11, 21), date(2019, 12, 5), date(2019, 12, 12), date(2019, 12, 19),
    ]  # fmt: skip
    moved = unit.meetings.get(starts_at__date=date(2019, 11, 14))
    assert moved.moved_from == datetime(2019, 11, 13, 15, 30, tzinfo=HELSINKI)
    assert moved.starts_at.astimezone(HELSINKI).time() == time(17)
    assert [(b.first, b.last) for b in unit.breaks.all()] == [(date(2019, 11, 28), date(2019, 11, 28))]


def test_it_adds_and_cancels_meetings_when_the_count_changes(unit: DeliveryUnit) -> None:
    with time_machine.travel(SUNDAY, tick=False):
        plan = reschedule(unit, 3)
    assert (len(plan.moved), len(plan.cancelled)) == (3, 2)
    assert days(unit, "cancelled") == [date(2019, 12, 4), date(2019, 12, 11)]
    assert unit.meetings.get(starts_at__date=date(2019, 12, 4)).cancel_reason == "The schedule was changed."
    other = make_unit(unit.programme, name="Toinen")
    with time_machine.travel(SUNDAY, tick=False):
        plan = reschedule(other, 7)
    assert (len(plan.moved), len(plan.added)) == (5, 2)
    assert len(days(other)) == 9


def test_it_leaves_held_meetings_and_the_past_alone(unit: DeliveryUnit) -> None:
    unit.meetings.filter(starts_at__date=date(2019, 11, 20)).update(status=Meeting.Status.HELD)
    with time_machine.travel(SUNDAY, tick=False):
        plan = reschedule(unit, 4, rule="weekly")
    assert [m.starts_at.date() for m in plan.untouched] == [date(2019, 11, 20)]
    assert days(unit, "held") == [date(2019, 11, 20)]
    assert date(2019, 11, 21) in days(unit)
    with time_machine.travel(SUNDAY, tick=False), pytest.raises(ValidationError, match="after today"):
        services.unit_schedule_plan(unit, ScheduleRule(first=date(2019, 11, 10), count=2), time(17), 90)


def test_it_corrects_the_units_details(world: World, unit: DeliveryUnit) -> None:
    site = make_site(unit.programme, name="Kirjasto")
    details = {"name": "Hervanta B", "site": site, "capacity": 8, "minimum_size": 4, "languages": "fi"}
    services.unit_update(actor=world.coordinator, unit=unit, interpreter_language="arabia", **details)  # type: ignore[arg-type]
    unit.refresh_from_db()
    assert (unit.name, unit.site, unit.capacity) == ("Hervanta B", site, 8)
    assert set(unit.meetings.values_list("interpreter_language", flat=True)) == {"arabia"}
    assert unit.history.first().history_user == world.coordinator  # type: ignore[union-attr]
    with pytest.raises(ValidationError, match="minimum size is larger"):
        services.unit_update(actor=None, unit=unit, interpreter_language="", **{**details, "minimum_size": 9})  # type: ignore[arg-type]


def test_it_previews_then_saves_the_new_schedule_on_the_page(world: World, unit: DeliveryUnit) -> None:
    url = reverse("meetings:unit_schedule", args=[unit.uuid])
    form = {"first_date": "2019-11-14", "start_time": "17:00", "duration_minutes": "90", "rule": "weekly", "count": "5"}
    with time_machine.travel(SUNDAY, tick=False):
        client = signed_in(world.coordinator)
        assert 'value="2019-11-13"' in client.get(url).text  # the next meeting
        preview = client.post(url, {**form, "action": "preview"}).text
        assert "5 meetings move" in preview
        assert unit.meetings.filter(starts_at__date=date(2019, 11, 13)).exists()
        assert client.post(url, {**form, "action": "save"}).status_code == 302
    assert date(2019, 11, 14) in days(unit)


def test_it_edits_the_details_on_the_page_and_shows_every_error(world: World, unit: DeliveryUnit) -> None:
    url = reverse("meetings:unit_edit", args=[unit.uuid])
    client = signed_in(world.coordinator)
    assert 'value="Hervanta"' in client.get(url).text
    response = client.post(url, {"name": "", "capacity": "0"})
    assert response.status_code == 400
    assert response.text.count('class="field-error"') == 2
    # A cross-field rule shows beside a missing name, not only once the name is given.
    response = client.post(url, {"name": "", "capacity": "4", "minimum_size": "6"})
    assert response.text.count('class="field-error"') == 2
    assert "The minimum size is larger than the capacity." in response.text
    assert client.post(url, {"name": "Hervanta B", "capacity": "10"}).status_code == 302
    unit.refresh_from_db()
    assert (unit.name, unit.capacity) == ("Hervanta B", 10)


def test_it_asks_before_moving_a_meeting_onto_a_holiday_a_break_or_another_meeting(
    world: World, unit: DeliveryUnit
) -> None:
    # The unit meets on Wednesdays 30.10.–11.12.2019 at 15.30; the other on Fridays, same facilitator.
    unit.breaks.create(first=date(2019, 12, 9), last=date(2019, 12, 10))
    other = make_unit(unit.programme, name="Toinen", first=date(2019, 11, 1), facilitator=world.facilitator)
    meeting = unit.meetings.get(starts_at__date=date(2019, 11, 13))
    url = reverse("meetings:move", args=[meeting.uuid])
    client = signed_in(world.coordinator)
    cases = {
        "2019-11-20": "Hervanta already meets on",
        "2019-12-06": "is a public holiday",
        "2019-12-10": "is in the unit",
        "2019-11-08": "Alfa facilitator facilitates Toinen then",
    }
    for day, warning in cases.items():
        response = client.post(url, {"day": day, "start_time": "15:30"})
        assert response.status_code == 400
        assert warning in response.text
        # The meeting's own words, not the funnel's "The date is right".
        assert "Keep this time anyway" in response.text
        assert "The date is right" not in response.text
    assert other.meetings.count() == 7
    assert client.post(url, {"day": "2019-11-08", "start_time": "15:30", "confirm": "on"}).status_code == 302
    last = reverse("meetings:move", args=[unit.meetings.order_by("starts_at").last().uuid])  # type: ignore[union-attr]
    assert client.post(last, {"day": "2019-12-12", "start_time": "15:30"}).status_code == 302


def test_it_restores_a_cancelled_meeting_and_can_keep_the_count(world: World, unit: DeliveryUnit) -> None:
    meeting = unit.meetings.get(starts_at__date=date(2019, 11, 13))
    client = signed_in(world.coordinator)
    cancel = reverse("meetings:cancel", args=[meeting.uuid])
    assert client.post(cancel, {"reason": "Sairastuminen", "add_at_end": "on"}).status_code == 302
    assert days(unit)[-1] == date(2019, 12, 18)
    assert client.post(reverse("meetings:restore", args=[meeting.uuid])).status_code == 302
    meeting.refresh_from_db()
    assert (meeting.status, meeting.cancel_reason) == ("scheduled", "")
    with pytest.raises(ValidationError, match="Only a cancelled meeting"):
        services.meeting_restore(actor=None, meeting=meeting)


def test_it_changes_the_remote_link_of_every_coming_meeting_only_when_asked(world: World, unit: DeliveryUnit) -> None:
    url = reverse("meetings:unit_edit", args=[unit.uuid])
    link = "https://meet.example/hervanta"
    with time_machine.travel(SUNDAY, tick=False):
        client = signed_in(world.coordinator)
        assert client.post(url, {"name": "Hervanta", "remote_link": link}).status_code == 302
        assert set(unit.meetings.values_list("remote_link", flat=True)) == {"", link}
        assert unit.meetings.filter(remote_link=link).count() == 5
        own = unit.meetings.filter(remote_link=link).last()
        own.remote_link = "https://meet.example/last"  # type: ignore[union-attr]
        own.save()  # type: ignore[union-attr]
        assert client.post(url, {"name": "Hervanta B", "remote_link": link}).status_code == 302
        assert unit.meetings.filter(remote_link="https://meet.example/last").count() == 1
        response = client.post(url, {"name": "Hervanta", "remote_link": "http://meet.example"})
        assert "https://" in response.text


def test_it_offers_only_the_statuses_the_unit_can_take(world: World, unit: DeliveryUnit) -> None:
    page = signed_in(world.coordinator).get(reverse("programmes:unit_detail", args=[unit.uuid])).text
    options = page[page.index('name="status"') : page.index("</select>", page.index('name="status"'))]
    assert 'value="recruiting"' in options
    assert 'value="planned"' not in options
    assert 'value="completed"' not in options
