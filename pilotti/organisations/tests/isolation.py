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
