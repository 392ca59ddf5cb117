"""One-time keys: a resent answer form stores nothing twice and gets the same thank-you (core/once.py)."""

import re

from django.test import Client
from django.urls import reverse

from conftest import World, signed_in
from pilotti.core.models import OnceKey
from pilotti.instruments.models import Response
from pilotti.meetings.models import Meeting
from pilotti.people.models import Participant
from pilotti.programmes.models import DeliveryUnit
from tests.factories import WHO5_ANSWERS, library_version, link_for, panel_for

Group = tuple[DeliveryUnit, Meeting]


def key_in(page: bytes) -> str:
    found = re.search(r'name="once" value="([A-Za-z0-9_-]+)"', page.decode())
    assert found, "the form carries no one-time key"
    return found.group(1)


def test_a_kiosk_resend_after_a_lost_response_stores_one_answer(group: Group) -> None:
    panel = panel_for(group[1], kiosk=True)
    path = reverse("surveys:panel_answer", kwargs={"code": panel.code})
    tablet = Client()
    form = {"q-rating": "9", "once": key_in(tablet.get(f"{path}?lang=fi").content)}
    first = tablet.post(path, form)
    # The connection was reset before this answer arrived; the tablet sends the same form again.
    again = tablet.post(path, form)
    assert first.status_code == again.status_code == 302
    assert again["Location"] == first["Location"] == f"{path}?thanks=1"
    assert Response.objects.filter(meeting=group[1]).count() == 1
    # The next person's form has a new key and is stored.
    tablet.post(path, {"q-rating": "7", "once": key_in(tablet.get(first["Location"]).content)})
    assert Response.objects.filter(meeting=group[1]).count() == 2


def test_a_form_shown_again_with_errors_keeps_its_key_and_is_stored_once_fixed(group: Group) -> None:
    panel = panel_for(group[1], kiosk=True)
    path = reverse("surveys:panel_answer", kwargs={"code": panel.code})
    client = Client()
    key = key_in(client.get(f"{path}?lang=fi").content)
    wrong = client.post(path, {"q-rating": "12", "once": key})
    assert wrong.status_code == 400
    assert key_in(wrong.content) == key
    assert client.post(path, {"q-rating": "8", "once": key}).status_code == 302
    assert Response.objects.get(meeting=group[1]).total == 8


def test_a_personal_link_resent_gets_the_thank_you_not_a_conflict(person: Participant) -> None:
    _link, token = link_for(person)
    path = reverse("surveys:answer", kwargs={"token": token})
    client = Client()
    form = {**WHO5_ANSWERS, "action": "submit", "once": key_in(client.get(f"{path}?lang=en").content)}
    assert client.post(path, form).status_code == 302
    again = client.post(path, form)
    assert again.status_code == 302
    assert client.get(again["Location"]).status_code == 200
    assert Response.objects.filter(participant=person).count() == 1
    # Another form (another tab opened before the answer) still hears that the link was answered.
    assert client.post(path, {**form, "once": "another-key-another-key"}).status_code == 409


def test_a_paper_form_resent_is_stored_once(world: World, person: Participant) -> None:
    version = library_version("who-5")
    client = signed_in(world.facilitator)
    paper = reverse("surveys:paper", args=[person.uuid])
    key = key_in(client.get(f"{paper}?version={version.uuid}").content)
    data = {"version": str(version.uuid), "language": "en", "answered_on": "2030-03-01", **WHO5_ANSWERS}
    assert client.post(paper, {**data, "once": key}).status_code == 302
    assert client.post(paper, {**data, "once": key}).status_code == 302
    assert Response.objects.filter(participant=person).count() == 1


def test_the_key_is_stored_hashed(group: Group) -> None:
    panel = panel_for(group[1], kiosk=True)
    path = reverse("surveys:panel_answer", kwargs={"code": panel.code})
    client = Client()
    key = key_in(client.get(f"{path}?lang=fi").content)
    client.post(path, {"q-rating": "9", "once": key})
    stored = OnceKey.objects.get()
    assert key not in stored.key
    assert len(stored.key) == 64
