"""The authorisation matrix of the audit app's pages (tests/authz.py)."""

from conftest import World


def url_kwargs(world: World) -> dict[str, dict[str, object]]:
    return {}


# The security events are install-wide and shown to superusers only: every member gets 404.
# The organisation's own access log and its members' security events are its admins' only.
EXPECTED: dict[str, dict[str, str]] = {
    "audit:security_events": {
        "own": "404/405",
        "partner": "404/405",
        "adopter": "404/405",
        "other": "404/405",
        "anonymous": "404/405",
    },
    "audit:organisation_access_log": {
        "own": "200/405 404/405 404/405 404/405",
        "partner": "200/405 404/405 404/405 404/405",
        "adopter": "200/405 404/405 404/405 404/405",
        "other": "200/405 404/405 404/405 404/405",
        "anonymous": "login",
    },
    "audit:organisation_access_log_csv": {
        "own": "200/405 404/405 404/405 404/405",
        "partner": "200/405 404/405 404/405 404/405",
        "adopter": "200/405 404/405 404/405 404/405",
        "other": "200/405 404/405 404/405 404/405",
        "anonymous": "login",
    },
    "audit:organisation_security_events": {
        "own": "200/405 404/405 404/405 404/405",
        "partner": "200/405 404/405 404/405 404/405",
        "adopter": "200/405 404/405 404/405 404/405",
        "other": "200/405 404/405 404/405 404/405",
        "anonymous": "login",
    },
}
