"""The staff pages for API tokens: make one (after re-authenticating), see it once, revoke it."""

from conftest import World, reauthenticated, signed_in
from pilotti.api.models import ApiToken
from tests.factories import ApiClient, make_token


def test_it_makes_a_token_and_shows_it_once(world: World) -> None:
    client = reauthenticated(world.coordinator)
    form = {"name": "Maakunnan raportointi", "organisation": str(world.org.uuid), "access": "read"}
    response = client.post("/api-tokens/new/", form)
    assert response.status_code == 200
    token = ApiToken.objects.get(user=world.coordinator)
    secret = response.context["secret"]
    assert secret.startswith(token.prefix)
    assert secret in response.content.decode()
    assert ApiClient(secret).get("/programmes").status_code == 200
    listing = client.get("/api-tokens/").content.decode()
    assert token.prefix in listing
    assert secret not in listing


def test_it_asks_for_the_password_before_making_a_token(world: World) -> None:
    form = {"name": "BI", "organisation": str(world.org.uuid), "access": "write"}
    response = signed_in(world.coordinator).post("/api-tokens/new/", form)
    assert response.status_code == 302
    assert "/accounts/reauthenticate/" in response["Location"]
    assert not ApiToken.objects.exists()


def test_it_keeps_what_was_typed_and_names_the_problem(world: World) -> None:
    client = reauthenticated(world.coordinator)
    form = {"name": "BI", "organisation": str(world.org.uuid), "access": "read", "expires_on": "2001-01-01"}
    response = client.post("/api-tokens/new/", form)
    assert response.status_code == 400
    assert response.context["form"].errors["expires_on"]
    assert 'value="BI"' in response.content.decode()
    assert not ApiToken.objects.exists()


def test_the_holder_revokes_their_token(world: World) -> None:
    secret = make_token(world.coordinator, world.org)
    token = ApiToken.objects.get()
    response = signed_in(world.coordinator).post(f"/api-tokens/{token.uuid}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_by == world.coordinator
    assert ApiClient(secret).get("/programmes").status_code == 401


def test_an_admin_sees_and_revokes_the_members_tokens(world: World) -> None:
    make_token(world.coordinator, world.org)
    token = ApiToken.objects.get()
    admin = signed_in(world.owner)
    assert token.prefix in admin.get("/api-tokens/organisation/").content.decode()
    assert admin.post(f"/api-tokens/{token.uuid}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_by == world.owner


def test_others_see_no_organisation_tokens_and_revoke_nothing(world: World) -> None:
    make_token(world.owner, world.org)
    token = ApiToken.objects.get()
    assert signed_in(world.coordinator).get("/api-tokens/organisation/").status_code == 404
    assert signed_in(world.coordinator).post(f"/api-tokens/{token.uuid}/revoke/").status_code == 404
    assert signed_in(world.outsider).post(f"/api-tokens/{token.uuid}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
