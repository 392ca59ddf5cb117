"""Rate limits of the participants' pages: guessing addresses, hammering one link, one network."""

import re
import secrets

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from pilotti.core.tokens import hash_token
from pilotti.meetings.models import Meeting
from pilotti.people.models import Participant
from pilotti.programmes.models import DeliveryUnit
from pilotti.surveys.models import PersonalLink
from tests.factories import link_for, panel_for

Group = tuple[DeliveryUnit, Meeting]
FROM = {"REMOTE_ADDR": "198.51.100.9"}


def link_url(token: str) -> str:
    return reverse("surveys:answer", kwargs={"token": token})


def test_a_personal_links_token_is_unguessable_and_only_its_hash_is_stored(person: Participant) -> None:
    link, token = link_for(person)
    # token_urlsafe(32): 32 random bytes from the secrets module, 256 bits, 43 characters.
    assert len(token) == 43
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token)
    stored = " ".join(str(value) for value in PersonalLink.objects.values_list().get(pk=link.pk))
    assert token not in stored
    assert link.token_hash == hash_token(token)


def test_it_stops_guessing_addresses_after_a_few_misses_and_says_when_to_come_back(person: Participant) -> None:
    _link, token = link_for(person)
    guesser = Client(**FROM)
    for _guess in range(20):
        assert guesser.get(link_url(secrets.token_urlsafe(32))).status_code == 404
    response = guesser.get(link_url(secrets.token_urlsafe(32)) + "?lang=fi")
    assert response.status_code == 429
    minutes = -(-int(response["Retry-After"]) // 60)
    assert 1 <= minutes <= 10
    page = response.content.decode()
    assert "Yritä uudelleen" in page or "try again" in page  # Finnish once the catalogue has it
    assert str(minutes) in page
    assert "no-store" in response["Cache-Control"]
    # Even a right guess is refused now, while the real holder on another network gets in.
    assert guesser.get(link_url(token)).status_code == 429
    assert Client(REMOTE_ADDR="203.0.113.5").get(link_url(token)).status_code == 200


def test_it_stops_guessing_client_panel_codes(group: Group) -> None:
    panel = panel_for(group[1])
    guesser = Client(**FROM)
    for n in range(20):
        assert guesser.get(reverse("surveys:panel_answer", kwargs={"code": f"zzzzzz{n:04d}"})).status_code == 404
    assert guesser.get(reverse("surveys:panel_answer", kwargs={"code": panel.code})).status_code == 429
    assert Client().get(reverse("surveys:panel_answer", kwargs={"code": panel.code})).status_code == 200


@override_settings(SURVEY_PAGE_RATE_PER_LINK=5)
def test_it_limits_requests_to_one_link_from_anywhere(person: Participant) -> None:
    _link, token = link_for(person)
    statuses = [Client(REMOTE_ADDR=f"192.0.2.{n}").get(link_url(token)).status_code for n in range(6)]
    assert statuses == [200, 200, 200, 200, 200, 429]


@override_settings(SURVEY_PAGE_RATE_PER_IP=4)
def test_it_limits_requests_from_one_network(person: Participant, group: Group) -> None:
    _link, token = link_for(person)
    panel = panel_for(group[1])
    client = Client(**FROM)
    statuses = [client.get(link_url(token)).status_code for _request in range(2)]
    statuses += [client.get(reverse("surveys:panel_answer", kwargs={"code": panel.code})).status_code for _ in range(3)]
    assert statuses == [200, 200, 200, 200, 429]


@pytest.mark.parametrize("language", ["fi", "sv", "ar"])
def test_the_wait_page_speaks_the_persons_language(person: Participant, language: str) -> None:
    with override_settings(SURVEY_PAGE_RATE_PER_LINK=0):
        _link, token = link_for(person)
        response = Client().get(link_url(token) + f"?lang={language}")
    assert response.status_code == 429
    assert response["Content-Language"] == language
    assert f'lang="{language}"' in response.content.decode()
