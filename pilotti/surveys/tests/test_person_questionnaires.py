"""The participant's page lists their questionnaires (issue 23): which, made when, open until or answered."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import World, signed_in
from pilotti.people.models import Participant
from pilotti.surveys import services
from tests.factories import WHO5_ANSWERS, link_for

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_the_persons_page_loads_their_questionnaires(world: World, person: Participant) -> None:
    page = signed_in(world.facilitator).get(reverse("people:detail", args=[person.uuid])).content.decode()
    table = reverse("surveys:link_list", args=[person.uuid])
    assert f'hx-get="{table}"' in page
    assert f'href="{table}"' in page  # without JavaScript: a plain link to the same list
    assert f"{reverse('surveys:link_new')}?participant={person.uuid}" in page


def test_it_lists_made_open_answered_and_expired_links(world: World, person: Participant) -> None:
    answered, _token = link_for(person)
    services.personal_link_submit(
        link=answered, answers={k.removeprefix("q-"): int(v) for k, v in WHO5_ANSWERS.items()}, language="en"
    )
    link_for(person, key="k10")
    link_for(person, key="phq-9", expires_at=timezone.now() - timedelta(days=1))
    response = signed_in(world.facilitator).get(reverse("surveys:link_list", args=[person.uuid]), **HTMX)
    assert response.status_code == 200
    table = response.content.decode()
    assert "<html" not in table  # the partial only
    assert "WHO-5 Well-Being Index" in table
    assert "answered " in table
    assert "open until " in table
    assert "expired" in table


@pytest.mark.parametrize("links", [1, 6])
def test_the_list_asks_a_constant_number_of_queries(
    world: World, person: Participant, links: int, django_assert_max_num_queries: object
) -> None:
    for _ in range(links):
        link_for(person, key="who-5")
    client = signed_in(world.facilitator)
    client.get(reverse("surveys:link_list", args=[person.uuid]), **HTMX)  # warm the session and caches
    with django_assert_max_num_queries(14):  # type: ignore[operator]
        response = client.get(reverse("surveys:link_list", args=[person.uuid]), **HTMX)
    assert response.content.decode().count("open until ") == links


def test_only_those_who_may_see_the_person_get_the_list(world: World, person: Participant) -> None:
    link_for(person)
    for user in (world.outsider, world.evaluator):
        assert signed_in(user).get(reverse("surveys:link_list", args=[person.uuid]), **HTMX).status_code == 404
    page = signed_in(world.evaluator).get(reverse("people:detail", args=[person.uuid]))
    assert reverse("surveys:link_list", args=[person.uuid]) not in page.content.decode()
