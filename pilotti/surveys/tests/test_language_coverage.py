"""Languages before they bite (issue 23): a questionnaire without wording in the person's or group's
language is named as such before the link or panel is made, and made only once the user confirms."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from conftest import World, signed_in
from pilotti.instruments import coverage
from pilotti.meetings.models import Meeting
from pilotti.people.models import Participant
from pilotti.programmes.models import DeliveryUnit
from pilotti.surveys.models import ClientPanel, PersonalLink
from tests.factories import library_version

NEW = "surveys:link_new"


def make_link(client: Client, person: Participant, key: str, **extra: str) -> tuple[int, str]:
    data = {"participant": str(person.uuid), "version": str(library_version(key).uuid), "days": "14", **extra}
    response = client.post(reverse(NEW), data)
    return response.status_code, response.content.decode()


# The three links the issue reports: made without a word, then the participant was told
# "not available in your language — English". The library has these in English only.
@pytest.mark.parametrize(
    ("key", "preferred", "said"),
    [
        ("phq-9", "suomi", "PHQ-9 (Patient Health Questionnaire, depression) has wording in English, not in Finnish"),
        ("who-5", "arabia", "WHO-5 Well-Being Index has wording in English, not in Arabic"),
        ("k10", "Somali", "has wording in English, not in Somali"),
    ],
)
def test_it_warns_before_making_a_link_the_person_cannot_read(
    world: World, person: Participant, key: str, preferred: str, said: str
) -> None:
    Participant.objects.filter(pk=person.pk).update(preferred_language=preferred)
    client = signed_in(world.facilitator)
    status, page = make_link(client, person, key)
    assert status == 400
    assert f"{said} (the language of {person.code})." in page
    assert "fill in a paper form with an interpreter" in page
    assert reverse("surveys:paper", args=[person.uuid]) in page
    assert 'type="checkbox" name="confirm"' in page
    assert 'name="days" value="14"' in page  # what was typed is kept
    assert not PersonalLink.objects.filter(participant=person).exists()

    status, page = make_link(client, person, key, confirm="on")
    assert status == 200
    assert "data:image/svg+xml" in page
    assert PersonalLink.objects.filter(participant=person, version__instrument__key=key).count() == 1


def test_it_makes_a_link_in_the_persons_language_without_a_word(world: World, person: Participant) -> None:
    Participant.objects.filter(pk=person.pk).update(preferred_language="arabia")
    status, page = make_link(signed_in(world.facilitator), person, "pilotti-final-survey")
    assert status == 200
    assert "not in Arabic" not in page


def test_it_says_in_finnish_which_languages_the_questionnaire_has(world: World, person: Participant) -> None:
    Participant.objects.filter(pk=person.pk).update(preferred_language="arabia")
    client = signed_in(world.facilitator)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fi"
    library_version("who-5")
    page = client.get(f"{reverse(NEW)}?participant={person.uuid}").content.decode()
    assert "Well-Being Index (englanti)" in page
    assert "(suomi, ruotsi, englanti, arabia, somali, persia, venäjä, ukraina)" in page
    _status, page = make_link(client, person, "who-5")
    assert "WHO-5 has wording" not in page
    assert "sanamuoto kielillä: englanti – ei kielellä arabia, jota " in page
    assert "Täyttäkää sen sijaan paperilomake tulkin kanssa" in page


def test_the_paper_choice_shows_the_languages_too(world: World, person: Participant) -> None:
    library_version("who-5")
    page = signed_in(world.facilitator).get(reverse("surveys:paper", args=[person.uuid])).content.decode()
    assert "WHO-5 Well-Being Index (English)" in page


def test_it_warns_before_opening_a_panel_the_group_cannot_read(
    world: World, group: tuple[DeliveryUnit, Meeting]
) -> None:
    unit, meeting = group
    DeliveryUnit.objects.filter(pk=unit.pk).update(languages="arabia, suomi")
    client = signed_in(world.facilitator)
    save = reverse("surveys:panel_save", args=[meeting.uuid])
    data = {"version": str(library_version("who-5").uuid), "is_open": "on"}
    response = client.post(save, data)
    assert response.status_code == 400
    assert (
        f"WHO-5 Well-Being Index has wording in English, not in Arabic, Finnish (the language of {unit.name})."
        in response.content.decode()
    )
    assert not ClientPanel.objects.filter(meeting=meeting).exists()
    assert client.post(save, {**data, "confirm": "on"}).status_code == 302
    assert ClientPanel.objects.get(meeting=meeting).version.instrument.key == "who-5"
    rating = {"version": str(library_version("pilotti-meeting-rating").uuid), "is_open": "on"}
    assert client.post(save, rating).status_code == 302  # the group's languages are covered: no question


def test_it_reads_the_languages_of_free_text() -> None:
    assert coverage.codes_in("arabia, suomi") == ["ar", "fi"]
    assert coverage.codes_in("Finnish and Somali / dari") == ["fi", "so", "fa"]
    assert coverage.codes_in("tigrinja") == []  # unknown: not checked rather than guessed
    with translation.override("sv"):
        assert coverage.language_names(["fi", "ar"]) == "finska, arabiska"
