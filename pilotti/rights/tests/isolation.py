"""URL kwargs of the rights pages, pointing at objects of ``world.org``."""

from typing import Any

from tests.factories import make_household, make_participant


def url_kwargs(world: Any) -> dict[str, dict[str, object]]:
    participant = make_participant(world.org, name="Oikeuksien Osallistuja")
    household = make_household(make_participant(world.org, name="Oikeuksien Vanhempi"))
    by_participant = {"participant_uuid": participant.uuid}
    names = ("export_json", "export_pdf", "log", "log_pdf", "log_json", "disclosure_add", "erase")
    return {f"rights:{name}": by_participant for name in names} | {
        "rights:household_erase": {"household_uuid": household.uuid}
    }


# The authorisation matrix (tests/test_authz_matrix.py; the format is in tests/authz.py).
# Cells per relation: admin coordinator facilitator evaluator, or one cell for all four;
# GET/POST when they differ. login: to the sign-in page; reauth: to re-authentication.
EXPECTED: dict[str, dict[str, str]] = {
    "rights:disclosure_add": {
        "own": "405/404 405/400 405/404 405/404",
        "partner": "405/404",
        "adopter": "405/404",
        "other": "405/404",
        "anonymous": "login",
    },
    "rights:erase": {
        "own": "404 200/302 404 404",
        "partner": "404",
        "adopter": "404",
        "other": "404",
        "anonymous": "login",
    },
    "rights:household_erase": {
        "own": "404 200/302 404 404",
        "partner": "404",
        "adopter": "404",
        "other": "404",
        "anonymous": "login",
    },
    "rights:export_json": {
        "own": "404 405/200 404 404",
        "partner": "404",
        "adopter": "404",
        "other": "404",
        "anonymous": "login",
    },
    "rights:export_pdf": {
        "own": "404 405/200 404 404",
        "partner": "404",
        "adopter": "404",
        "other": "404",
        "anonymous": "login",
    },
    "rights:log": {
        "own": "404 200 404 404",
        "partner": "404",
        "adopter": "404",
        "other": "404",
        "anonymous": "login",
    },
    "rights:log_json": {
        "own": "404 405/200 404 404",
        "partner": "404",
        "adopter": "404",
        "other": "404",
        "anonymous": "login",
    },
    "rights:log_pdf": {
        "own": "404 405/200 404 404",
        "partner": "404",
        "adopter": "404",
        "other": "404",
        "anonymous": "login",
    },
    "rights:policy": {
        "own": "200 404 404 404",
        "partner": "200 404 404 404",
        "adopter": "200 404 404 404",
        "other": "200 404 404 404",
        "anonymous": "login",
    },
}
