"""URL arguments for the project-wide isolation test (tests/test_isolation.py).

Every URL of this app that takes arguments must appear here, pointing at world.org's objects.
"""

from conftest import World
from pilotti.organisations.models import Invitation


def url_kwargs(world: World) -> dict[str, dict[str, object]]:
    invitation = Invitation.objects.create(
        organisation=world.org,
        email="invited@alfa.example",
        role="coordinator",
        token_hash="0" * 64,
        invited_by=world.owner,
    )
    return {
        "organisations:member_update": {"membership_uuid": world.membership(world.facilitator).uuid},
        "organisations:member_deactivate": {"membership_uuid": world.membership(world.facilitator).uuid},
        "organisations:member_reactivate": {"membership_uuid": world.membership(world.facilitator).uuid},
        "organisations:invitation_revoke": {"invitation_uuid": invitation.uuid},
        # A bearer link: without the real token an outsider must learn nothing.
        "organisations:invitation_accept": {"token": "guessed-token"},
    }


# The authorisation matrix (tests/test_authz_matrix.py; the format is in tests/authz.py).
# Cells per relation: admin coordinator facilitator evaluator, or one cell for all four;
# GET/POST when they differ. login: to the sign-in page; reauth: to re-authentication.
EXPECTED: dict[str, dict[str, str]] = {
    "organisations:invitation_accept": {
        "own": "404",
        "partner": "404",
        "adopter": "404",
        "other": "404",
        "anonymous": "404",
    },
    "organisations:invitation_revoke": {
        "own": "405/302 405/404 405/404 405/404",
        "partner": "405/404",
        "adopter": "405/404",
        "other": "405/404",
        "anonymous": "login",
    },
    "organisations:member_deactivate": {
        "own": "405/302 405/404 405/404 405/404",
        "partner": "405/404",
        "adopter": "405/404",
        "other": "405/404",
        "anonymous": "login",
    },
    "organisations:member_invite": {
        "own": "405/400 405/404 405/404 405/404",
        "partner": "405/400 405/404 405/404 405/404",
        "adopter": "405/400 405/404 405/404 405/404",
        "other": "405/400 405/404 405/404 405/404",
        "anonymous": "login",
    },
    "organisations:member_reactivate": {
        "own": "405/302 405/404 405/404 405/404",
        "partner": "405/404",
        "adopter": "405/404",
        "other": "405/404",
        "anonymous": "login",
    },
    "organisations:member_update": {
        "own": "405/302 405/404 405/404 405/404",
        "partner": "405/404",
        "adopter": "405/404",
        "other": "405/404",
        "anonymous": "login",
    },
    "organisations:members": {
        "own": "200 404 404 404",
        "partner": "200 404 404 404",
        "adopter": "200 404 404 404",
        "other": "200 404 404 404",
        "anonymous": "login",
    },
    "organisations:switch": {
        "own": "405/404",
        "partner": "405/404",
        "adopter": "405/404",
        "other": "405/404",
        "anonymous": "login",
    },
}
