"""Another organisation's token sees nothing: empty lists, 404 for every object, in every operation.

This is the API's own isolation test (tests/test_isolation.py walks the pages with a session,
which the API does not take): every path of the schema is called with the outsider's token.
"""

import re
from typing import Any

import pytest

from conftest import World
from pilotti.api.tests.isolation import url_kwargs
from pilotti.audit.models import AccessLog
from pilotti.instruments.services import library_load
from pilotti.organisations.models import Role
from pilotti.organisations.services import membership_add
from tests.factories import ApiClient, api_as, build, make_programme, make_token, make_unit


def _paths(api: ApiClient) -> list[tuple[str, str]]:
    schema = api.client.get("/api/v1/openapi.json").json()
    return [(method, path.removeprefix("/api/v1")) for path, ops in schema["paths"].items() for method in ops]


def _filled(path: str, values: dict[str, Any]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), path)


def test_an_outsiders_token_finds_nothing_anywhere(world: World) -> None:
    values: dict[str, Any] = {}
    for kwargs in url_kwargs(world).values():
        values.update(kwargs)
    outsider = api_as(world.outsider, world.other_org)
    checked = 0
    for method, path in _paths(outsider):
        if method == "get" and "{" not in path:
            body = outsider.get(path).json()
            assert body["count"] == 0, path
            assert body["items"] == [] or path == "/instruments", path  # the shared library is everyone's
        elif "{" in path:
            # A valid body, so that the answer is about the object (a body is validated before any lookup).
            url = _filled(path, values)
            response = outsider.get(url) if method == "get" else outsider.post(url, {"records": []})
            assert response.status_code == 404, f"{method} {path}: {response.status_code}"
        checked += 1
    assert checked >= 15
    assert not AccessLog.objects.filter(user=world.outsider).exists()


def test_the_library_is_all_an_outsider_sees_of_instruments(world: World) -> None:
    url_kwargs(world)
    library_load()
    items = api_as(world.outsider, world.other_org).get("/instruments", limit=200).json()["items"]
    assert items
    assert all(i["is_library"] for i in items)


def test_a_token_shows_one_organisation_of_a_person_in_two(world: World) -> None:
    """The person is the owner org's coordinator too; their token for the other organisation shows none of it."""
    build(world, people=2, meetings=1)
    membership_add(organisation=world.org, user=world.outsider, role=Role.COORDINATOR)
    api = api_as(world.outsider, world.other_org)
    for path in ("/programmes", "/units", "/meetings", "/participants", "/enrolments", "/responses"):
        assert api.get(path).json()["count"] == 0, path
    assert api_as(world.outsider, world.org).get("/participants").json()["count"] == 2


def test_a_facilitator_token_sees_only_their_own_units(world: World) -> None:
    pilot = build(world, people=2, meetings=1, facilitator=world.facilitator)
    make_unit(make_programme(world.org, name="Toinen ohjelma"), name="Ei oma")
    api = api_as(world.facilitator, world.org, "read")
    assert [u["uuid"] for u in api.get("/units").json()["items"]] == [str(pilot.unit.uuid)]
    assert [p["slug"] for p in api.get("/programmes").json()["items"]] == [pilot.programme.slug]
    assert api.get("/responses").json()["count"] == 0  # answers are for coordinators and evaluators


@pytest.mark.parametrize("access", ["read", "write"])
def test_an_admin_of_another_organisation_cannot_use_a_members_token_scope(world: World, access: str) -> None:
    """A token is its holder's: an outsider's token never reaches the organisation whatever its access."""
    pilot = build(world, people=1, meetings=1)
    token = make_token(world.outsider, world.other_org, access)
    response = ApiClient(token).get(f"/programmes/{pilot.programme.slug}")
    assert response.status_code == 404
