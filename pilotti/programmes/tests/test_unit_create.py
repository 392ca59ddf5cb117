from datetime import datetime
from typing import Any

import pytest
from django.urls import reverse

from conftest import World, signed_in
from pilotti.core.zone import HELSINKI
from pilotti.programmes.models import DeliveryUnit
from tests.factories import make_programme, make_site


def _form(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "Keskusta",
        "kind": "group",
        "first_date": "2019-11-14",
        "start_time": "17:00",
        "duration_minutes": "90",
        "rule": "weekly",
        "count": "7",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_it_previews_the_schedule_as_a_partial_for_htmx(world: World) -> None:
    programme = make_programme(world.org)
    url = reverse("meetings:unit_create", args=[programme.slug])
    response = signed_in(world.coordinator).post(url, _form(action="preview"), headers={"HX-Request": "true"})
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<form method="post" novalidate class="unit-form" id="unit-form">')
    assert "<html" not in page
    assert "7 meetings" in page
    assert "Tapaninpäivä" in page  # Thu 26.12.2019 is skipped, the series runs to 2.1.2020
    assert not DeliveryUnit.objects.exists()


def test_it_previews_on_the_full_page_without_javascript(world: World) -> None:
    programme = make_programme(world.org)
    url = reverse("meetings:unit_create", args=[programme.slug])
    response = signed_in(world.coordinator).post(url, _form(action="preview"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" in page
    assert "Tapaninpäivä" in page
    assert 'value="Keskusta"' in page
    assert not DeliveryUnit.objects.exists()


def test_it_saves_the_unit_with_its_meetings(world: World) -> None:
    programme = make_programme(world.org)
    site = make_site(programme, name="MLL Laivapuiston perhetalo")
    url = reverse("meetings:unit_create", args=[programme.slug])
    response = signed_in(world.coordinator).post(url, _form(action="save", site=str(site.pk), breaks=""))
    unit = DeliveryUnit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("programmes:unit_detail", args=[unit.uuid])
    starts = [m.starts_at.astimezone(HELSINKI) for m in unit.meetings.all()]
    assert len(starts) == 7
    assert starts[0] == datetime(2019, 11, 14, 17, 0, tzinfo=HELSINKI)
    assert starts[-1] == datetime(2020, 1, 2, 17, 0, tzinfo=HELSINKI)
    assert unit.organisation == world.org
    assert unit.site == site
    assert unit.history.count() == 1


def test_it_saves_breaks_typed_in_finnish_format(world: World) -> None:
    programme = make_programme(world.org)
    url = reverse("meetings:unit_create", args=[programme.slug])
    client = signed_in(world.coordinator)
    finnish = {"Accept-Language": "fi"}
    response = client.post(url, _form(action="save", breaks="21.11.2019–28.11.2019\n5.12.2019"), headers=finnish)
    unit = DeliveryUnit.objects.get()
    assert response.status_code == 302
    assert [(b.first.isoformat(), b.last.isoformat()) for b in unit.breaks.all()] == [
        ("2019-11-21", "2019-11-28"),
        ("2019-12-05", "2019-12-05"),
    ]
    assert unit.meetings.count() == 7
    assert unit.meetings.last().starts_at.astimezone(HELSINKI).date().isoformat() == "2020-01-23"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"count": None, "until": "2019-11-01"}, "The last date is before the first meeting"),
        ({"count": "0"}, "The number of meetings must be at least 1"),
        ({"rule": "weekdays"}, "Choose at least two weekdays"),
        ({"first_date": "2019-12-24", "count": None, "until": "2019-12-26"}, "falls on a public holiday"),
        ({"breaks": "joulu"}, "Line 1"),
    ],
)
def test_it_explains_a_wrong_schedule_and_keeps_what_was_typed(
    world: World, changes: dict[str, Any], message: str
) -> None:
    programme = make_programme(world.org)
    url = reverse("meetings:unit_create", args=[programme.slug])
    response = signed_in(world.coordinator).post(url, _form(action="save", **changes))
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page
    assert message in page
    assert 'value="Keskusta"' in page
    assert not DeliveryUnit.objects.exists()


def test_it_explains_a_wrong_schedule_in_the_htmx_preview(world: World) -> None:
    programme = make_programme(world.org)
    url = reverse("meetings:unit_create", args=[programme.slug])
    response = signed_in(world.coordinator).post(url, _form(count="0"), headers={"HX-Request": "true"})
    assert response.status_code == 200  # htmx swaps only successful responses
    assert "at least 1" in response.content.decode()


def test_it_offers_only_my_own_sites(world: World) -> None:
    programme = make_programme(world.org)
    from pilotti.programmes import services

    services.partner_add(actor=None, programme=programme, organisation=world.other_org)
    mine = make_site(programme, name="Oma tila")
    theirs = make_site(programme, world.other_org, name="Kumppanin tila")
    url = reverse("meetings:unit_create", args=[programme.slug])
    response = signed_in(world.coordinator).post(url, _form(action="save", site=str(theirs.pk)))
    assert response.status_code == 400
    assert list(response.context["form"].fields["site"].queryset) == [mine]


def test_it_reports_every_error_at_once_and_drops_a_corrected_one(world: World) -> None:
    programme = make_programme(world.org)
    url = reverse("meetings:unit_create", args=[programme.slug])
    client = signed_in(world.coordinator)
    broken = _form(name="", count=None, breaks="1.13.2019\n24.12.2019 - 20.12.2019", action="save")
    page = client.post(url, broken).text
    for error in ("This field is required", "Line 1: write a date", "Line 2: the break ends before it starts"):
        assert error in page
    fixed = _form(action="preview", count=None)
    partial = client.post(url, fixed, headers={"HX-Request": "true"}).text
    assert "This field is required" not in partial
    assert "Give the number of meetings" in partial
