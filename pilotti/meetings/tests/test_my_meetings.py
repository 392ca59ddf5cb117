from datetime import datetime, timedelta

from django.urls import reverse

from conftest import World, signed_in
from pilotti.core.zone import HELSINKI
from pilotti.meetings import services as meeting_services
from pilotti.meetings.selectors import my_week
from pilotti.organisations.viewer import Viewer
from pilotti.programmes import services
from tests.factories import NOW, unit_with_meetings


def _week(world: World, units: int, per_unit: int) -> None:
    """Units the facilitator runs, each meeting today and every day up to Sunday."""
    for n in range(units):
        times = [NOW + timedelta(hours=1, minutes=n)] + [NOW + timedelta(days=d, minutes=n) for d in range(1, per_unit)]
        unit, _ = unit_with_meetings(world.org, facilitator=world.facilitator, name=f"Ryhmä {n}", at=times)
        services.facilitator_assign(actor=None, unit=unit, user=world.coordinator, role="peer_instructor")


def test_it_shows_a_facilitators_day_and_week_first_thing_after_sign_in(world: World, frozen_now: datetime) -> None:
    _unit, meetings = unit_with_meetings(
        world.org,
        facilitator=world.facilitator,
        at=[
            NOW - timedelta(days=1),  # yesterday: not shown
            NOW + timedelta(hours=3),  # today 15.00
            NOW + timedelta(days=2),  # Friday
            NOW + timedelta(days=5),  # next Monday: not this week
        ],
    )
    meeting_services.meeting_update(actor=None, meeting=meetings[1], theme="Vauvan hoito")
    page = signed_in(world.facilitator).get(reverse("core:home")).text
    today, later = page.index(">Today<"), page.index(">Later this week<")
    assert today < page.index("15:00") < later < page.index("Fri 15 Mar 2030")
    assert "Vauvan hoito" in page
    assert "Tue 12 Mar 2030" not in page
    assert "Mon 18 Mar 2030" not in page
    week = my_week(Viewer.everywhere(world.facilitator), NOW)
    assert [m.pk for m in week.today] == [meetings[1].pk]
    assert [m.pk for m in week.later] == [meetings[2].pk]


def test_it_shows_the_next_meeting_when_the_week_is_empty(world: World, frozen_now: datetime) -> None:
    unit_with_meetings(world.org, facilitator=world.facilitator, at=[datetime(2030, 4, 2, 10, 0, tzinfo=HELSINKI)])
    page = signed_in(world.facilitator).get(reverse("meetings:mine")).text
    assert "No meetings today or later this week." in page
    assert "Next meeting" in page
    assert "Tue 2 Apr 2030" in page


def test_it_shows_nothing_of_units_the_user_does_not_facilitate(world: World, frozen_now: datetime) -> None:
    unit_with_meetings(world.org, facilitator=world.facilitator)
    home = signed_in(world.coordinator).get(reverse("core:home")).text
    assert "Hervanta" not in home
    assert 'id="my-meetings-heading"' not in home
    page = signed_in(world.outsider).get(reverse("meetings:mine")).text
    assert "Hervanta" not in page
    assert "You facilitate no units." in page


def test_it_shows_my_meetings_in_a_constant_number_of_queries(
    world: World, frozen_now: datetime, django_assert_max_num_queries: object
) -> None:
    client = signed_in(world.facilitator)
    _week(world, units=1, per_unit=2)
    client.get(reverse("meetings:mine"))  # sign-in bookkeeping happens once per session
    with django_assert_max_num_queries(MAX_QUERIES):  # type: ignore[operator]
        few = client.get(reverse("meetings:mine"))
    _week(world, units=6, per_unit=5)
    with django_assert_max_num_queries(MAX_QUERIES):  # type: ignore[operator]
        many = client.get(reverse("meetings:mine"))
    with django_assert_max_num_queries(MAX_QUERIES):  # type: ignore[operator]
        home = client.get(reverse("core:home"))
    assert few.text.count("meeting-card__link") == 2
    assert many.text.count("meeting-card__link") == 32
    assert home.text.count("meeting-card__link") == 32


# Sign-in bookkeeping (session, user, user session, MFA check, memberships) takes about ten;
# the meetings themselves one, two or three, whatever their number; "waiting for you" up to three.
MAX_QUERIES = 17
