"""URL kwargs of the people pages, pointing at objects of ``world.org``."""

from datetime import date
from typing import Any

from pilotti.people import services
from tests.factories import make_household, make_participant


def url_kwargs(world: Any) -> dict[str, dict[str, object]]:
    participant = make_participant(world.org, name="Alfan Osallistuja")
    household = make_household(participant)
    consent = services.consent_give(
        actor=None, participant=participant, purpose="evaluation", given_on=date(2024, 1, 1), method="written"
    )
    by_participant = {"participant_uuid": participant.uuid}
    return {
        "people:detail": by_participant,
        "people:edit": by_participant,
        "people:contact_edit": by_participant,
        "people:consent_add": by_participant,
        "people:consent_withdraw": {"consent_uuid": consent.uuid},
        "people:household_detail": {"household_uuid": household.uuid},
        "people:household_edit": {"household_uuid": household.uuid},
    }


# The authorisation matrix (tests/test_authz_matrix.py; the format is in tests/authz.py).
# Cells per relation: admin coordinator facilitator evaluator, or one cell for all four;
# GET/POST when they differ. login: to the sign-in page; reauth: to re-authentication.
EXPECTED: dict[str, dict[str, str]] = {
    "people:consent_add": {
        "own": "403 200 404 403",
        "partner": "404",
        "adopter": "404",
        "other": "404",
        "anonymous": "login",
    },
    "people:consent_withdraw": {
        "own": "405/403 405/302 405/404 405/403",
        "partner": "405/404",
        "adopter": "405/404",
        "other": "405/404",
        "anonymous": "login",
    },
    "people:contact_edit": {
        "own": "403 200 404 403",
        "partner": "404",
        "adopter": "404",
        "other": "404",
        "anonymous": "login",
    },
    "people:create": {
        "own": "403 200 403 403",
        "partner": "403 200 403 403",
        "adopter": "403 200 403 403",
        "other": "403 200 403 403",
        "anonymous": "login",
    },
    "people:detail": {
        "own": "200 200 404 200",
        "partner": "404",
        "adopter": "404",
        "other": "404",
        "anonymous": "login",
    },
    "people:edit": {
        "own": "403 200 404 403",
        "partner": "404",
        "adopter": "404",
        "other": "404",
        "anonymous": "login",
    },
    "people:household_create": {
        "own": "403 200 403 403",
        "partner": "403 200 403 403",
        "adopter": "403 200 403 403",
        "other": "403 200 403 403",
        "anonymous": "login",
    },
    "people:household_detail": {
        "own": "200 200 404 200",
        "partner": "404",
        "adopter": "404",
        "other": "404",
        "anonymous": "login",
    },
    "people:household_edit": {
        "own": "403 200 404 403",
        "partner": "404",
        "adopter": "404",
        "other": "404",
        "anonymous": "login",
    },
    "people:list": {
        "own": "200",
        "partner": "200",
        "adopter": "200",
        "other": "200",
        "anonymous": "login",
    },
}
