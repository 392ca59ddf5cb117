"""URL arguments and expected answers of the core pages (tests/test_isolation.py, tests/test_authz_matrix.py)."""

from typing import Any


def url_kwargs(world: Any) -> dict[str, dict[str, object]]:
    return {}


# The authorisation matrix (tests/test_authz_matrix.py; the format is in tests/authz.py).
# Cells per relation: admin coordinator facilitator evaluator, or one cell for all four;
# GET/POST when they differ. login: to the sign-in page; reauth: to re-authentication.
EXPECTED: dict[str, dict[str, str]] = {
    "core:home": {
        "own": "200",
        "partner": "200",
        "adopter": "200",
        "other": "200",
        "anonymous": "login",
    },
}
