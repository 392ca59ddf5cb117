"""Tokens: bearer only, hashed, revocable, expiring, and dead with the holder's membership."""

import hashlib
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from conftest import World, signed_in
from pilotti.api import services
from pilotti.api.models import ApiToken
from pilotti.organisations.models import Membership
from tests.factories import ApiClient, make_token


def test_it_answers_401_without_a_token(world: World) -> None:
    response = ApiClient(None).get("/programmes")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "Bearer" in response.json()["detail"]


def test_it_answers_401_to_a_wrong_token(world: World) -> None:
    make_token(world.coordinator, world.org)
    assert ApiClient("pilotti_abcdefgh_guessed").get("/programmes").status_code == 401


def test_it_ignores_a_signed_in_session(world: World) -> None:
    """No session authentication: a browser's cookies give nothing, so no CSRF can be forged."""
    assert signed_in(world.coordinator).get("/api/v1/programmes").status_code == 401


def test_it_lets_a_live_token_in_and_remembers_when(world: World) -> None:
    token = make_token(world.coordinator, world.org)
    assert ApiClient(token).get("/programmes").status_code == 200
    assert ApiToken.objects.get().last_used_at is not None


def test_it_stores_only_a_hash_and_a_visible_prefix(world: World) -> None:
    api_token, secret = services.token_create(actor=world.coordinator, organisation=world.org, name="BI", access="read")
    stored = ApiToken.objects.get(pk=api_token.pk)
    assert stored.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret.startswith(stored.prefix + "_")
    assert len(secret) > len(stored.prefix) + 40
    assert secret not in {str(value) for value in ApiToken.objects.values().get().values()}


def test_a_revoked_token_stops_working(world: World) -> None:
    token = make_token(world.coordinator, world.org)
    services.token_revoke(actor=world.coordinator, token=ApiToken.objects.get())
    assert ApiClient(token).get("/programmes").status_code == 401


def test_an_expired_token_stops_working(world: World) -> None:
    token = make_token(world.coordinator, world.org, expires_at=timezone.now() + timedelta(days=1))
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert ApiClient(token).get("/programmes").status_code == 401


def test_a_deactivated_membership_stops_the_token(world: World) -> None:
    token = make_token(world.coordinator, world.org)
    Membership.objects.filter(user=world.coordinator).update(is_active=False)
    assert ApiClient(token).get("/programmes").status_code == 401


def test_a_token_cannot_be_made_for_another_organisation(world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        services.token_create(actor=world.coordinator, organisation=world.other_org, name="x", access="read")
    assert "organisation" in refused.value.error_dict
    assert not ApiToken.objects.exists()


def test_a_read_token_may_not_write(world: World) -> None:
    token = make_token(world.coordinator, world.org, access="read")
    response = ApiClient(token).post("/participants", {"birth_year": 1990})
    assert response.status_code == 403
    assert "read-only" in response.json()["detail"]


def test_a_token_over_its_rate_gets_429_until_the_next_minute(world: World, settings: Any) -> None:
    settings.API_RATE_PER_TOKEN = 3
    client = ApiClient(make_token(world.coordinator, world.org))
    assert [client.get("/programmes").status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get("/programmes")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "Try again in 1 minute" in refused.json()["detail"]
    # Another holder's token has its own count.
    assert ApiClient(make_token(world.evaluator, world.org)).get("/programmes").status_code == 200


def test_guessing_tokens_from_one_address_gets_429(world: World, settings: Any) -> None:
    settings.API_FAILED_PER_IP = 2
    guesses = [ApiClient(f"pilotti_abcdefgh_guess{n}").get("/programmes").status_code for n in range(3)]
    assert guesses == [401, 401, 429]
