"""Every programmes URL, as an outsider and as each role of world.org."""

import pytest
from django.urls import get_resolver, reverse

from conftest import World, signed_in
from pilotti.programmes.models import DeliveryUnit
from pilotti.programmes.tests.isolation import url_kwargs


def _programme_url_names() -> list[str]:
    resolver = get_resolver().namespace_dict["programmes"][1]
    return sorted(f"programmes:{name}" for name in resolver.reverse_dict if isinstance(name, str))


def test_it_covers_every_url_with_arguments(world: World) -> None:
    kwargs = url_kwargs(world)
    for name in _programme_url_names():
        try:
            reverse(name)
        except Exception:
            assert name in kwargs, name


def with_meeting_pages(kwargs: dict[str, dict[str, object]]) -> dict[str, dict[str, object]]:
    """The programme's URLs and the pages that change its unit's meetings, which are meetings'
    (pilotti/meetings/tests/isolation.py) at the paths they had here."""
    unit = DeliveryUnit.objects.get(uuid=kwargs["programmes:unit_detail"]["unit_uuid"])
    meeting = unit.meetings.first()
    assert meeting is not None
    by_unit, by_meeting = {"unit_uuid": unit.uuid}, {"meeting_uuid": meeting.uuid}
    return kwargs | {
        "meetings:unit_create": kwargs["programmes:detail"],
        "meetings:unit_status": by_unit,
        "meetings:unit_edit": by_unit,
        "meetings:unit_schedule": by_unit,
        "meetings:add": by_unit,
        "meetings:move": by_meeting,
        "meetings:cancel": by_meeting,
        "meetings:restore": by_meeting,
    }


def test_it_shows_outsiders_nothing(world: World) -> None:
    kwargs = with_meeting_pages(url_kwargs(world))
    client = signed_in(world.outsider)
    for name, values in kwargs.items():
        url = reverse(name, kwargs=values)
        assert client.get(url).status_code in (404, 405), name
        assert client.post(url, {"reason": "x", "status": "running"}).status_code == 404, name
    for name in ("programmes:list", "programmes:create"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert world.org.name not in response.content.decode()
        assert "Alfan ohjelma" not in response.content.decode()


@pytest.mark.parametrize("role", ["facilitator", "evaluator"])
def test_it_lets_readers_read_but_not_change(world: World, role: str) -> None:
    kwargs = with_meeting_pages(url_kwargs(world))
    client = signed_in(getattr(world, role))
    assert client.get(reverse("programmes:detail", kwargs=kwargs["programmes:detail"])).status_code == 200
    assert client.get(reverse("programmes:unit_detail", kwargs=kwargs["programmes:unit_detail"])).status_code == 200
    for name in ("programmes:edit", "meetings:unit_create"):
        assert client.get(reverse(name, kwargs=kwargs[name])).status_code == 403, name
    # The unit's own facilitator moves and cancels its meetings; an evaluator only reads.
    for name in ("meetings:move", "meetings:cancel"):
        expected = 200 if role == "facilitator" else 403
        assert client.get(reverse(name, kwargs=kwargs[name])).status_code == expected, name
    url = reverse("meetings:unit_status", kwargs=kwargs["meetings:unit_status"])
    assert client.post(url, {"status": "running"}).status_code == 403
