"""Reactivating a membership reopens the organisation to that account, through its single
sign-on too (issue 19, finding 1): the person is told."""

from typing import Any

from django.core import mail

from conftest import World, reauthenticated
from pilotti.organisations.services import membership_set_active


def test_it_tells_the_person_when_their_membership_is_active_again(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    membership = world.membership(world.coordinator)
    membership_set_active(actor=world.owner, membership=membership, active=False)
    mail.outbox.clear()
    client = reauthenticated(world.owner)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/organisation/members/{membership.uuid}/reactivate/").status_code == 302
    [message] = mail.outbox
    assert message.to == [world.coordinator.email]
    assert "Alfa hyvinvointialue" in message.subject
    assert "someone else may be trying to use your account" in message.body


def test_it_does_not_mail_when_nothing_changes(world: World, django_capture_on_commit_callbacks: Any) -> None:
    membership = world.membership(world.coordinator)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        membership_set_active(actor=world.owner, membership=membership, active=True)
        membership_set_active(actor=world.owner, membership=membership, active=False)
    assert mail.outbox == []
