from typing import Any

import pytest
from django.core import mail
from django.test import Client

from conftest import PASSWORD, World, reauthenticated, sign_in_for_real, signed_in
from pilotti.organisations.models import Invitation, Membership, Role


def test_it_lists_members_for_the_admin(world: World, owner_client: Client) -> None:
    response = owner_client.get("/organisation/members/")
    assert response.status_code == 200
    for user in (world.owner, world.coordinator, world.facilitator, world.evaluator):
        assert user.email in response.text
    assert world.outsider.email not in response.text


@pytest.mark.parametrize("role", ["coordinator", "facilitator", "evaluator"])
def test_it_hides_the_member_list_from_other_roles(world: World, role: str) -> None:
    response = signed_in(getattr(world, role)).get("/organisation/members/")
    assert response.status_code == 404


def test_it_sends_an_invitation_email_with_a_working_link(
    world: World, owner_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(
            "/organisation/members/invite/",
            {"email": "New.Worker@Alfa.example", "role": "facilitator", "title": "vertaisohjaaja"},
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.worker@alfa.example"]
    link = next(word for word in message.body.split() if "/invitations/" in word)
    path = link.split("testserver", 1)[1]

    visitor = Client()
    page = visitor.get(path)
    assert page.status_code == 200
    assert "new.worker@alfa.example" in page.text
    created = visitor.post(
        path,
        {"full_name": "Uusi Työntekijä", "password1": "kiva pitkä salasana 42", "password2": "kiva pitkä salasana 42"},
    )
    assert created.status_code == 302
    membership = Membership.objects.get(user__email="new.worker@alfa.example")
    assert (membership.organisation, membership.role, membership.title) == (
        world.org,
        Role.FACILITATOR,
        "vertaisohjaaja",
    )
    # Signed in, but nothing but the MFA set-up until a second factor exists.
    assert visitor.get("/")["Location"] == "/accounts/2fa/totp/activate/"
    # The link is single-use.
    assert Client().get(path).status_code == 404


def test_it_keeps_what_was_typed_when_the_invitation_is_invalid(world: World, owner_client: Client) -> None:
    response = owner_client.post(
        "/organisation/members/invite/", {"email": "not-an-address", "role": "coordinator", "title": "Suunnittelija"}
    )
    assert response.status_code == 400
    assert 'value="not-an-address"' in response.text
    assert 'value="Suunnittelija"' in response.text
    assert "error-summary" in response.text
    assert not Invitation.objects.exists()


def test_it_refuses_to_invite_an_existing_member(world: World, owner_client: Client) -> None:
    response = owner_client.post(
        "/organisation/members/invite/", {"email": world.coordinator.email, "role": "evaluator"}
    )
    assert response.status_code == 400
    assert not mail.outbox


def test_it_rejects_a_weak_password_when_accepting(
    world: World, owner_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post("/organisation/members/invite/", {"email": "weak@alfa.example", "role": "evaluator"})
    path = next(w for w in mail.outbox[0].body.split() if "/invitations/" in w).split("testserver", 1)[1]
    response = Client().post(path, {"full_name": "Heikko", "password1": "password", "password2": "password"})
    assert response.status_code == 200
    assert 'value="Heikko"' in response.text
    assert not Membership.objects.filter(user__email="weak@alfa.example").exists()


def test_it_asks_for_reauthentication_before_changing_a_role(world: World, owner_client: Client) -> None:
    membership = world.membership(world.facilitator)
    response = owner_client.post(f"/organisation/members/{membership.uuid}/", {"role": "coordinator"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")
    membership.refresh_from_db()
    assert membership.role == Role.FACILITATOR


def test_it_changes_a_role_once_the_password_is_given_again(world: World) -> None:
    client = Client()
    sign_in_for_real(client, world.owner)
    membership = world.membership(world.facilitator)
    url = f"/organisation/members/{membership.uuid}/"
    prompt = client.post(url, {"role": "coordinator", "title": "suunnittelija"})
    assert prompt["Location"] == f"/accounts/reauthenticate/?next={url.replace('/', '%2F')}"
    # After the password, the suspended change is carried out as it was submitted.
    response = client.post(prompt["Location"], {"password": PASSWORD})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.COORDINATOR
    latest = membership.history.first()
    assert latest.history_user == world.owner
    assert latest.history_change_reason == "role changed"


def test_it_deactivates_a_member_who_then_sees_nothing_of_the_organisation(world: World) -> None:
    client = reauthenticated(world.owner)
    membership = world.membership(world.coordinator)
    client.post(f"/organisation/members/{membership.uuid}/deactivate/")
    membership.refresh_from_db()
    assert membership.is_active is False
    assert membership.history.count() == 2
    home = signed_in(world.coordinator).get("/")
    assert world.org.name not in home.text


def test_it_keeps_the_last_admin(world: World) -> None:
    client = reauthenticated(world.owner)
    membership = world.membership(world.owner)
    response = client.post(f"/organisation/members/{membership.uuid}/deactivate/", follow=True)
    assert "at least one active organisation admin" in response.text
    membership.refresh_from_db()
    assert membership.is_active


def test_it_checks_ownership_of_memberships(world: World, outsider_client: Client) -> None:
    membership = world.membership(world.facilitator)
    assert outsider_client.post(f"/organisation/members/{membership.uuid}/reactivate/").status_code == 404


def test_it_switches_only_to_the_users_own_organisations(world: World, owner_client: Client) -> None:
    response = owner_client.post("/organisation/switch/", {"organisation": str(world.other_org.uuid), "next": "/"})
    assert response.status_code == 404
    response = owner_client.post(
        "/organisation/switch/", {"organisation": str(world.org.uuid), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_it_refuses_a_second_invitation_to_the_same_address_in_other_letter_case(
    world: World, owner_client: Client
) -> None:
    assert 'value="facilitator" selected' in owner_client.get("/organisation/members/").text
    owner_client.post("/organisation/members/invite/", {"email": "uusi@alfa.example", "role": "facilitator"})
    response = owner_client.post("/organisation/members/invite/", {"email": "Uusi@Alfa.example", "role": "evaluator"})
    assert response.status_code == 400
    assert "already has an invitation waiting" in response.text
    assert Invitation.objects.get().role == "facilitator"
