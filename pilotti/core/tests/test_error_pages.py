"""403, 404 and a failed CSRF check: styled pages in the person's language with the way back
(core/faults.py), instead of Django's bare English "Not Found" and "Forbidden"."""

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import World, signed_in
from tests.factories import panel_for, unit_with_meetings


def test_it_answers_a_staff_404_in_finnish_inside_the_menu_with_the_way_back(world: World) -> None:
    client = signed_in(world.coordinator)
    client.cookies["pilotti-language"] = "fi"
    response = client.get("/programmes/no-such-programme/")
    page = response.content.decode()
    assert response.status_code == 404
    assert response["Content-Language"] == "fi"
    assert "<h1>Sivua ei löydy</h1>" in page
    assert 'href="/">Siirry etusivulle</a>' in page
    assert "Kirjaudu ulos" in page  # the usual header, so every way onwards is there
    assert "Not Found" not in page


def test_it_answers_an_outsiders_404_on_someone_elses_object_with_the_same_page(world: World) -> None:
    from tests.factories import make_participant

    participant = make_participant(world.org)
    client = signed_in(world.outsider)
    client.cookies["pilotti-language"] = "sv"
    response = client.get(reverse("people:detail", args=[participant.uuid]))
    assert response.status_code == 404
    assert "<h1>Sidan hittades inte</h1>" in response.content.decode()


def test_it_answers_a_refusal_with_a_translated_403(world: World) -> None:
    client = signed_in(world.facilitator)
    client.cookies["pilotti-language"] = "fi"
    response = client.get("/participants/import/")
    page = response.content.decode()
    assert response.status_code == 403
    assert "<h1>Ei sallittu</h1>" in page
    assert "Siirry etusivulle" in page
    assert "Forbidden" not in page


def test_it_answers_a_failed_csrf_check_in_the_staff_language_and_offers_to_send_again(world: World) -> None:
    client = signed_in(world.coordinator)
    client.handler.enforce_csrf_checks = True
    client.cookies["pilotti-language"] = "en"
    client.get(reverse("programmes:list"))  # the page sets the CSRF cookie
    response = client.post(reverse("organisations:switch"), {"organisation": "x", "csrfmiddlewaretoken": "stale"})
    page = response.content.decode()
    assert response.status_code == 403
    assert "<h1>The form was not sent</h1>" in page
    assert "security check had expired" in page
    assert '<input type="hidden" name="organisation" value="x">' in page
    assert 'value="stale"' not in page  # a fresh token is in the form instead
    assert "CSRF verification failed" not in page


def test_it_says_a_browser_without_cookies_cannot_send_forms(world: World) -> None:
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="fi")
    response = client.post("/accounts/login/", {"login": world.owner.email, "password": "secret words"})
    page = response.content.decode()
    assert response.status_code == 403
    assert "Salli evästeet" in page
    assert "secret words" not in page  # a password is never echoed back


def test_it_answers_a_participant_in_their_language(world: World) -> None:
    _unit, [meeting] = unit_with_meetings(world.org, facilitator=world.facilitator, at=[timezone.now()])
    panel = panel_for(meeting, kiosk=True)
    path = reverse("surveys:panel_answer", kwargs={"code": panel.code})
    client = Client(enforce_csrf_checks=True)
    client.get(f"{path}?lang=uk")
    response = client.post(path, {"q-rating": "7", "csrfmiddlewaretoken": "stale"})
    assert response.status_code == 403
    assert response["Content-Language"] == "uk"
    assert '<input type="hidden" name="q-rating" value="7">' in response.content.decode()
    missing = client.get("/q/unknown/extra/path/")
    assert missing.status_code == 404
    assert missing["Content-Language"] == "uk"
