"""The authorisation matrix of the audit app's pages (tests/authz.py)."""

from conftest import World


def url_kwargs(world: World) -> dict[str, dict[str, object]]:
    return {}


# The security events are install-wide and shown to superusers only: every member gets 404.
EXPECTED: dict[str, dict[str, str]] = {
    "audit:security_events": {
        "own": "404/405",
        "partner": "404/405",
        "adopter": "404/405",
        "other": "404/405",
        "anonymous": "404/405",
    },
}
