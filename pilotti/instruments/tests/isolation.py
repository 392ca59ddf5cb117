"""The isolation contract: an instrument of ``world.org`` and the kwargs of every URL that takes any."""

from typing import Any

from tests.factories import make_instrument


def url_kwargs(world: Any) -> dict[str, dict[str, object]]:
    instrument = make_instrument(world.org, name="Alfan oma mittari")
    by_uuid = {"instrument_uuid": instrument.uuid}
    validated = make_instrument(world.org, key="phq-9")  # English only: the other languages can have packs
    return {
        "instruments:detail": by_uuid,
        "instruments:edit": by_uuid,
        "instruments:export": by_uuid,
        "instruments:packs": {"instrument_uuid": validated.uuid},
        "instruments:pack_edit": {"instrument_uuid": validated.uuid, "language": "fi"},
    }


# The authorisation matrix (tests/test_authz_matrix.py; the format is in tests/authz.py).
# Cells per relation: admin coordinator facilitator evaluator, or one cell for all four;
# GET/POST when they differ. login: to the sign-in page; reauth: to re-authentication.
EXPECTED: dict[str, dict[str, str]] = {
    "instruments:create": {
        "own": "200/400 200/400 403 403",
        "partner": "200/400 200/400 403 403",
        "adopter": "200/400 200/400 403 403",
        "other": "200/400 200/400 403 403",
        "anonymous": "login",
    },
    "instruments:detail": {
        "own": "200",
        "partner": "404",
        "adopter": "404",
        "other": "404",
        "anonymous": "login",
    },
    "instruments:edit": {
        "own": "200/400 200/400 403 403",
        "partner": "404",
        "adopter": "404",
        "other": "404",
        "anonymous": "login",
    },
    "instruments:export": {
        "own": "200",
        "partner": "404",
        "adopter": "404",
        "other": "404",
        "anonymous": "login",
    },
    "instruments:import": {
        "own": "200 200 403 403",
        "partner": "200 200 403 403",
        "adopter": "200 200 403 403",
        "other": "200 200 403 403",
        "anonymous": "login",
    },
    "instruments:packs": {
        "own": "200/400 200/400 403 403",
        "partner": "404",
        "adopter": "404",
        "other": "404",
        "anonymous": "login",
    },
    "instruments:pack_edit": {
        "own": "200/400 200/400 403 403",
        "partner": "404",
        "adopter": "404",
        "other": "404",
        "anonymous": "login",
    },
    "instruments:list": {
        "own": "200",
        "partner": "200",
        "adopter": "200",
        "other": "200",
        "anonymous": "login",
    },
}
