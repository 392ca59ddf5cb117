"""URL arguments for the project-wide isolation test: allauth's pages for one's own passkeys."""

from allauth.mfa.models import Authenticator

from conftest import World


def url_kwargs(world: World) -> dict[str, dict[str, object]]:
    # Another user's authenticator: allauth must answer 404, as for any object not one's own.
    authenticator = Authenticator.objects.filter(user=world.owner).first()
    assert authenticator is not None
    return {
        "mfa_edit_webauthn": {"pk": authenticator.pk},
        "mfa_remove_webauthn": {"pk": authenticator.pk},
    }
