"""URL arguments for the project-wide isolation test: allauth's sign-in through an organisation's provider."""

from conftest import World
from pilotti.sso.models import SingleSignOn


def url_kwargs(world: World) -> dict[str, dict[str, object]]:
    sso = SingleSignOn.objects.create(
        organisation=world.org,
        is_enabled=True,
        server_url="http://127.0.0.1:9",
        client_id="alfa",
        client_secret="secret",
        email_domains=["alfa.example"],
    )
    # Signed-in visitors, members or not, get 404 from these: nobody reaches a provider from inside.
    return {
        "openid_connect_login": {"provider_id": sso.provider_id},
        "openid_connect_callback": {"provider_id": sso.provider_id},
    }


# The authorisation matrix (tests/authz.py). Only a signed-out visitor starts a sign-in: the
# provider at 127.0.0.1:9 does not answer, so the start is a 502 page and a callback without
# a started sign-in is refused with 400.
EXPECTED: dict[str, dict[str, str]] = {
    "openid_connect_login": {"own": "404", "partner": "404", "adopter": "404", "other": "404", "anonymous": "200/502"},
    "openid_connect_callback": {"own": "404", "partner": "404", "adopter": "404", "other": "404", "anonymous": "400"},
    # Each admin configures their own organisation's sign-in.
    "sso:settings": {
        "own": "200 404 404 404",
        "partner": "200 404 404 404",
        "adopter": "200 404 404 404",
        "other": "200 404 404 404",
        "anonymous": "login",
    },
    "sso:start": {"own": "302", "partner": "302", "adopter": "302", "other": "302", "anonymous": "200"},
    # Only a session a provider made is limited; every other session is sent home.
    "sso:other_organisations": {
        "own": "302",
        "partner": "302",
        "adopter": "302",
        "other": "302",
        "anonymous": "login",
    },
    # allauth's pages of the sign-in through a provider; sign-up through one is closed.
    "socialaccount_connections": {
        "own": "200",
        "partner": "200",
        "adopter": "200",
        "other": "200",
        "anonymous": "login",
    },
    "socialaccount_login_cancelled": {
        "own": "200/405",
        "partner": "200/405",
        "adopter": "200/405",
        "other": "200/405",
        "anonymous": "200/405",
    },
    "socialaccount_login_error": {
        "own": "401/405",
        "partner": "401/405",
        "adopter": "401/405",
        "other": "401/405",
        "anonymous": "401/405",
    },
    "socialaccount_signup": {
        "own": "login",
        "partner": "login",
        "adopter": "login",
        "other": "login",
        "anonymous": "login",
    },
}
