from datetime import date, datetime

from django.urls import reverse

from conftest import World, signed_in
from pilotti.core.zone import HELSINKI
from pilotti.meetings.models import Meeting
from pilotti.programmes import services
from pilotti.programmes.models import DeliveryUnit, Partnership
from tests.factories import make_programme, make_site, make_unit, queries_for


def test_it_shows_the_schedule_in_local_time(world: World) -> None:
    unit = make_unit(make_programme(world.org), name="Naistari")
    url = reverse("programmes:unit_detail", args=[unit.uuid])
    page = signed_in(world.evaluator).get(url, headers={"Accept-Language": "fi"}).content.decode()
    assert "30.10.2019" in page
    assert "15.30" in page  # Finnish time format, in Helsinki time
    english = signed_in(world.evaluator).get(url, headers={"Accept-Language": "en"}).content.decode()
    assert "30 Oct 2019" in english
    assert "15:30" in english
    assert "Move" not in english  # evaluators read only


def test_it_shows_a_unit_in_a_constant_number_of_queries(world: World) -> None:
    programme = make_programme(world.org)
    few_unit = make_unit(programme, name="Pieni", count=3, site=make_site(programme), facilitator=world.facilitator)
    many_unit = make_unit(programme, name="Iso", count=30, facilitator=world.facilitator)
    services.facilitator_assign(actor=None, unit=many_unit, user=world.coordinator, role="peer_instructor")
    client = signed_in(world.coordinator)
    few = queries_for(client, reverse("programmes:unit_detail", args=[few_unit.uuid]))
    many = queries_for(client, reverse("programmes:unit_detail", args=[many_unit.uuid]))
    assert many == few
    print(f"unit detail: {few} queries")


def test_it_refuses_an_impossible_status_change_with_a_clear_message(world: World) -> None:
    unit = make_unit(make_programme(world.org))
    client = signed_in(world.coordinator)
    response = client.post(reverse("meetings:unit_status", args=[unit.uuid]), {"status": "completed"}, follow=True)
    assert "A planned unit cannot become completed" in response.content.decode()
    unit.refresh_from_db()
    assert unit.status == DeliveryUnit.Status.PLANNED


def test_it_discontinues_a_unit_and_cancels_its_later_meetings(world: World) -> None:
    programme = make_programme(world.org)
    tesoma = make_unit(programme, name="Tesoma", first=date(2019, 11, 12))
    hervanta = make_unit(programme, name="Hervanta 3", first=date(2020, 1, 29), count=6)
    client = signed_in(world.coordinator)
    url = reverse("meetings:unit_status", args=[tesoma.uuid])
    client.post(url, {"status": "running", "on": "2019-11-12"})
    response = client.post(url, {"status": "discontinued", "on": "2019-12-03", "reason": ""}, follow=True)
    assert "Say why the unit ends early" in response.content.decode()
    client.post(
        url,
        {
            "status": "discontinued",
            "on": "2019-12-03",
            "reason": "Vähäinen osallistujamäärä",
            "replacement": hervanta.pk,
        },
    )
    tesoma.refresh_from_db()
    assert tesoma.status == DeliveryUnit.Status.DISCONTINUED
    assert tesoma.replacement == hervanta
    assert tesoma.status_changed_on == date(2019, 12, 3)
    held = tesoma.meetings.filter(status=Meeting.Status.SCHEDULED)
    assert [m.starts_at.astimezone(HELSINKI).day for m in held] == [12, 19, 26, 3]
    assert set(tesoma.meetings.exclude(pk__in=held).values_list("cancel_reason", flat=True)) == {
        "Vähäinen osallistujamäärä"
    }
    assert list(tesoma.history.order_by("history_date").values_list("status", flat=True)) == [
        "planned",
        "running",
        "discontinued",
    ]
    page = client.get(reverse("programmes:unit_detail", args=[tesoma.uuid])).content.decode()
    assert "Vähäinen osallistujamäärä" in page
    assert "Hervanta 3" in page


def test_it_moves_a_meeting_and_remembers_where_from(world: World) -> None:
    unit = make_unit(make_programme(world.org))
    meeting = unit.meetings.first()
    assert meeting is not None
    client = signed_in(world.coordinator)
    url = reverse("meetings:move", args=[meeting.uuid])
    response = client.post(url, {"day": "2019-10-31", "start_time": "16:00"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.starts_at == datetime(2019, 10, 31, 16, 0, tzinfo=HELSINKI)
    assert meeting.moved_from == datetime(2019, 10, 30, 15, 30, tzinfo=HELSINKI)
    assert meeting.history.count() == 2
    page = client.get(reverse("programmes:unit_detail", args=[unit.uuid])).content.decode()
    assert "moved from 30 Oct 2019" in page


def test_it_cancels_a_meeting_only_with_a_reason(world: World) -> None:
    unit = make_unit(make_programme(world.org))
    meeting = unit.meetings.first()
    assert meeting is not None
    client = signed_in(world.coordinator)
    url = reverse("meetings:cancel", args=[meeting.uuid])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    client.post(url, {"reason": "Ohjaaja sairastui"})
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    assert meeting.cancel_reason == "Ohjaaja sairastui"


def test_it_adds_a_meeting(world: World) -> None:
    unit = make_unit(make_programme(world.org), count=2)
    response = signed_in(world.coordinator).post(
        reverse("meetings:add", args=[unit.uuid]), {"day": "2019-12-20", "start_time": "15:30"}
    )
    assert response.status_code == 302
    assert unit.meetings.count() == 3
    assert unit.meetings.last().duration_minutes == 90  # type: ignore[union-attr]


def test_it_assigns_only_members_as_facilitators(world: World) -> None:
    unit = make_unit(make_programme(world.org))
    client = signed_in(world.coordinator)
    url = reverse("programmes:facilitator_add", args=[unit.uuid])
    client.post(url, {"user": world.outsider.pk, "role": "peer_instructor"})
    assert not unit.facilitators.exists()
    client.post(url, {"user": world.facilitator.pk, "role": "peer_instructor"})
    assert unit.facilitators.get().user == world.facilitator


def test_it_links_to_the_units_report_for_those_who_may_read_it(world: World) -> None:
    programme = make_programme(world.org)
    unit = make_unit(programme, name="Naistari")
    Partnership.objects.create(programme=programme, organisation=world.other_org)
    url = reverse("programmes:unit_detail", args=[unit.uuid])
    report = reverse("evaluation:unit_report", args=[unit.uuid])
    assert report in signed_in(world.evaluator).get(url).content.decode()
    assert signed_in(world.evaluator).get(report).status_code == 200
    # A partner organisation sees the unit but reports only on its own units.
    partner_page = signed_in(world.outsider).get(url)
    assert partner_page.status_code == 200
    assert report not in partner_page.content.decode()
