"""Instruments carry their name and description per language (issue 21): pickers, headings and
files show the name in the page's language; validated instruments keep their published name."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from conftest import World, signed_in
from pilotti.instruments import fileformat, selectors, services
from pilotti.instruments.models import Instrument


def test_it_lists_the_librarys_own_forms_in_the_pages_language(world: World) -> None:
    services.library_load()
    client = signed_in(world.coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fi"
    page = client.get(reverse("instruments:list")).content.decode()
    assert "Tapaamisen hyödyllisyys 1–5 (työntekijät)" in page
    assert "Usefulness of the meeting" not in page
    assert "PHQ-9 (Patient Health Questionnaire, depression)" in page  # English only: its published name
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    assert "Träffens nytta 1–5 (personalen)" in client.get(reverse("instruments:list")).content.decode()


def test_it_keeps_every_language_of_the_participants_forms(db: None) -> None:
    services.library_load()
    rating = Instrument.objects.get(key="pilotti-meeting-rating", organisation=None)
    assert set(rating.names) == set(settings.PARTICIPANT_LANGUAGES)
    with translation.override("uk"):
        assert str(rating) == "Оцінка зустрічі 1–10 (анонімний відгук)"
    with translation.override("fi"):
        assert rating.local_description.startswith("Yksi kysymys tapaamisen jälkeen")


def test_it_exports_and_imports_the_names_by_language(db: None) -> None:
    services.library_load()
    instrument = Instrument.objects.get(key="pilotti-final-survey", organisation=None)
    spec = selectors.instrument_spec(instrument, selectors.current_version(instrument))
    data = fileformat.dump(spec)
    assert data["names"]["sv"] == "Slutenkät"
    assert fileformat.parse(data).names == spec.names
