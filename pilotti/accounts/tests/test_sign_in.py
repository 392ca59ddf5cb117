import time

import pyotp
import pytest
from django.test import Client

from conftest import PASSWORD, World, make_user, sign_in_for_real, signed_in
from pilotti.accounts.signals import SIGNED_IN_AT


def test_it_requires_the_second_factor_after_the_password(world: World) -> None:
    client = Client()
    response = client.post("/accounts/login/", {"login": world.coordinator.email, "password": PASSWORD})
    assert response["Location"] == "/accounts/2fa/authenticate/"
    # Password alone is not a sign-in.
    assert client.get("/")["Location"].startswith("/accounts/login/")
    wrong = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert wrong.status_code == 200
    assert client.get("/")["Location"].startswith("/accounts/login/")


def test_it_signs_in_with_password_and_totp(world: World) -> None:
    client = Client()
    sign_in_for_real(client, world.coordinator)
    home = client.get("/")
    assert home.status_code == 200
    assert world.org.name in home.text


def test_it_sends_an_account_without_mfa_to_set_it_up(db: None) -> None:
    user = make_user("nomfa@alfa.example", with_mfa=False)
    client = Client()
    assert client.post("/accounts/login/", {"login": user.email, "password": PASSWORD}).status_code == 302
    # Straight to the set-up, without a second password prompt: the password was just typed.
    assert client.get("/")["Location"] == "/accounts/2fa/totp/activate/"
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = page.context["form"].secret
    response = client.post("/accounts/2fa/totp/activate/", {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_it_lets_demo_accounts_skip_mfa_and_shows_the_banner(db: None) -> None:
    user = make_user("demo@alfa.example", with_mfa=False, is_demo=True)
    response = signed_in(user).get("/")
    assert response.status_code == 200
    assert "demo-banner" in response.text


def test_it_shows_no_demo_banner_to_real_accounts(world: World) -> None:
    assert "demo-banner" not in signed_in(world.owner).get("/").text


def test_it_has_no_public_sign_up(db: None) -> None:
    response = Client().post(
        "/accounts/signup/", {"email": "stranger@example.org", "password1": "x" * 20, "password2": "x" * 20}
    )
    assert response.status_code == 200
    assert "closed" in response.text.lower()
    from pilotti.accounts.models import User

    assert not User.objects.filter(email="stranger@example.org").exists()


def test_it_locks_an_account_after_five_wrong_passwords(world: World) -> None:
    client = Client()
    for _ in range(5):
        client.post("/accounts/login/", {"login": world.owner.email, "password": "wrong password"})
    response = client.post("/accounts/login/", {"login": world.owner.email, "password": PASSWORD})
    # Even the right password is refused while the lockout lasts.
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.text


def test_it_ends_a_session_after_the_absolute_timeout(world: World, settings: pytest.FixtureRequest) -> None:
    client = signed_in(world.owner)
    assert client.get("/").status_code == 200
    session = client.session
    session[SIGNED_IN_AT] = int(time.time()) - settings.SESSION_ABSOLUTE_TIMEOUT - 1  # type: ignore[attr-defined]
    session.save()
    response = client.get("/")
    assert response["Location"].startswith("/accounts/login/")
    assert client.get("/")["Location"].startswith("/accounts/login/")


def test_its_session_ends_with_the_browser_and_is_not_kept_past_the_absolute_timeout(
    world: World, settings: pytest.FixtureRequest
) -> None:
    """The idle timeout itself is the middleware's (test_idle_timeout.py): it knows the last activity."""
    client = Client()
    sign_in_for_real(client, world.owner)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]  # type: ignore[attr-defined]
    assert cookie["max-age"] == ""  # a browser-session cookie
    assert client.session.get_expiry_age() <= settings.SESSION_ABSOLUTE_TIMEOUT  # type: ignore[attr-defined]


def test_it_lists_the_users_sessions(world: World) -> None:
    client = Client()
    sign_in_for_real(client, world.owner)
    page = client.get("/accounts/sessions/")
    assert page.status_code == 200
    assert "Sign Out" in page.text or "sign out" in page.text.lower()


def test_it_asks_for_the_password_again_before_turning_off_totp(world: World) -> None:
    client = Client()
    sign_in_for_real(client, world.owner)
    response = client.post("/accounts/2fa/totp/deactivate/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")
    assert world.owner.authenticator_set.exists()


def test_it_asks_for_the_current_password_before_changing_it(world: World) -> None:
    client = Client()
    sign_in_for_real(client, world.owner)
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": "not it", "password1": "uusi pitkä salasana 7", "password2": "uusi pitkä salasana 7"},
    )
    assert response.status_code == 200
    world.owner.refresh_from_db()
    assert world.owner.check_password(PASSWORD)
