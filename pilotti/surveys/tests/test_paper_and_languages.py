"""Paper forms typed in by staff, and the participant's language: chosen, remembered, RTL."""

from django.test import Client
from django.urls import reverse

from conftest import World, signed_in
from pilotti.audit.models import AccessLog, Action
from pilotti.core import languages
from pilotti.instruments.models import Mode, Response
from pilotti.people.models import Participant
from tests.factories import library_version, link_for


def test_staff_type_in_a_paper_form_with_a_missing_item(world: World, person: Participant) -> None:
    version = library_version("who-5")
    client = signed_in(world.facilitator)
    paper = reverse("surveys:paper", args=[person.uuid])
    assert "WHO-5" in client.get(paper).content.decode()
    assert client.get(f"{paper}?version={version.uuid}").status_code == 200
    data = {"version": str(version.uuid), "language": "en", "answered_on": "2030-03-01"}
    response = client.post(paper, {**data, "q-q1": "5", "q-q2": "4", "q-q3": "3", "q-q4": "2"})
    assert response.status_code == 302
    stored = Response.objects.get(participant=person)
    assert stored.mode == Mode.PAPER
    assert stored.entered_by == world.facilitator
    assert stored.missing_items == ["q5"]
    assert stored.total is None  # WHO-5: no total with a missing item
    assert stored.submitted_at is not None
    assert stored.submitted_at.date().isoformat() == "2030-03-01"
    assert AccessLog.objects.filter(participant=person, action=Action.CHANGE, user=world.facilitator).exists()


def test_paper_entry_keeps_what_was_typed_when_a_value_is_wrong(world: World, person: Participant) -> None:
    version = library_version("pilotti-meeting-rating")
    client = signed_in(world.coordinator)
    data = {"version": str(version.uuid), "language": "fi", "answered_on": "2030-03-01"}
    response = client.post(reverse("surveys:paper", args=[person.uuid]), {**data, "q-rating": "12"})
    assert response.status_code == 400
    assert not Response.objects.filter(participant=person).exists()


def test_outsiders_and_evaluators_cannot_type_in_paper_forms(world: World, person: Participant) -> None:
    for user in (world.outsider, world.evaluator):
        assert signed_in(user).get(reverse("surveys:paper", args=[person.uuid])).status_code == 404


def test_it_remembers_the_language_chosen_on_the_page(person: Participant) -> None:
    _link, token = link_for(person, key="pilotti-final-survey")
    page = reverse("surveys:answer", kwargs={"token": token})
    client = Client()
    first = client.get(f"{page}?lang=ar")
    assert 'lang="ar" dir="rtl"' in first.content.decode()
    assert first["Content-Language"] == "ar"
    later = client.get(page, HTTP_ACCEPT_LANGUAGE="en")
    assert 'lang="ar" dir="rtl"' in later.content.decode()
    assert "الاستبيان الختامي" in later.content.decode()


def test_it_starts_in_the_persons_preferred_language_then_the_browsers(person: Participant) -> None:
    _link, token = link_for(person, key="pilotti-final-survey")
    page = reverse("surveys:answer", kwargs={"token": token})
    assert 'lang="uk"' in Client().get(page, HTTP_ACCEPT_LANGUAGE="uk-UA,uk;q=0.9").content.decode()
    Participant.objects.filter(pk=person.pk).update(preferred_language="Dari")
    response = Client().get(page, HTTP_ACCEPT_LANGUAGE="uk")
    assert 'lang="fa" dir="rtl"' in response.content.decode()


def test_it_lists_the_eight_languages_by_their_own_names(person: Participant) -> None:
    _link, token = link_for(person, key="pilotti-final-survey")
    page = Client().get(reverse("surveys:answer", kwargs={"token": token})).content.decode()
    for name in ("Suomi", "Svenska", "English", "العربيّة", "Soomaali", "فارسی", "Русский", "Українська"):
        assert name in page
    assert [c.code for c in languages.choices("so") if c.is_current] == ["so"]


def test_it_knows_the_spellings_of_preferred_languages() -> None:
    assert languages.from_free_text(" Arabia ") == "ar"
    assert languages.from_free_text("somali") == "so"
    assert languages.from_free_text("suomi") == "fi"
    assert languages.from_free_text("klingon") is None
