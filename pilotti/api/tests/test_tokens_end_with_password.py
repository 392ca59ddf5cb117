"""A new password ends the person's API tokens (issue 19, finding 12). The attack: someone who
learnt a password makes a token; the owner changes or resets the password, and before this
the token kept working."""

import re
from typing import Any

from django.core import mail
from django.test import Client

from conftest import PASSWORD, World, sign_in_for_real, signed_in
from tests.factories import ApiClient, make_token

NEW = "uusi pitkä salasana 7"


def test_changing_the_password_ends_the_tokens(world: World) -> None:
    token = ApiClient(make_token(world.coordinator, world.org))
    assert token.get("/programmes").status_code == 200
    client = Client()
    sign_in_for_real(client, world.coordinator)
    changed = client.post(
        "/accounts/password/change/", {"oldpassword": PASSWORD, "password1": NEW, "password2": NEW}, follow=True
    )
    assert "Your API token ended with your old password" in changed.text
    assert token.get("/programmes").status_code == 401


def test_resetting_the_password_ends_the_tokens(world: World, django_capture_on_commit_callbacks: Any) -> None:
    token = ApiClient(make_token(world.coordinator, world.org))
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": world.coordinator.email})
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+)", mail.outbox[-1].body)
    assert link is not None
    form = client.get(link.group(1), follow=True)
    assert client.post(form.wsgi_request.path, {"password1": NEW, "password2": NEW}).status_code == 302
    assert token.get("/programmes").status_code == 401


def test_the_token_page_says_so(world: World) -> None:
    assert (
        "Your tokens end when your password is changed or reset."
        in signed_in(world.coordinator).get("/api-tokens/").text
    )
