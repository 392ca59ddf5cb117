"""An organisation's translation pack on the answering pages (issue 23): its people answer in the
pack's language, the score is the version's, and another organisation's people never see it."""

from django.test import Client
from django.urls import reverse

from conftest import World
from pilotti.instruments import packs, services
from pilotti.instruments.models import InstrumentVersion, Response
from pilotti.organisations.models import Organisation
from pilotti.people.models import Participant
from tests.factories import WHO5_ANSWERS, library_version, link_for, make_participant


def _finnish_pack(organisation: Organisation, version: InstrumentVersion) -> None:
    options = {str(v): f"Vastaus {v}" for v in range(6)}
    wording: packs.Wording = {
        "title": "WHO-5 hyvinvointi-indeksi",
        "items": {f"q{n}": {"text": f"Kysymys {n}", "options": options} for n in range(1, 6)},
    }
    services.translation_pack_save(
        actor=None, organisation=organisation, version=version, language="fi", source="THL", licence="Free to use",
        wording=wording,
    )  # fmt: skip


def _page(token: str, **data: str) -> tuple[int, str]:
    url = reverse("surveys:answer", args=[token]) + "?lang=fi"
    response = Client().post(url, data) if data else Client().get(url)
    return response.status_code, response.content.decode()


def test_the_persons_organisation_answers_in_its_pack(world: World, person: Participant) -> None:
    version = library_version("who-5")
    _finnish_pack(world.org, version)
    _link, token = link_for(person)
    status, page = _page(token)
    assert status == 200
    assert "WHO-5 hyvinvointi-indeksi" in page
    assert "Kysymys 3" in page
    assert "Vastaus 5" in page
    status, _page_after = _page(token, **WHO5_ANSWERS, action="submit")
    assert status == 302
    stored = Response.objects.get(participant=person)
    assert (stored.language, stored.total) == ("fi", 60)  # the version's scoring


def test_another_organisations_person_is_not_shown_the_pack(world: World, person: Participant) -> None:
    _finnish_pack(world.org, library_version("who-5"))
    stranger = make_participant(world.other_org)
    _link, token = link_for(stranger)
    status, page = _page(token)
    assert status == 200
    assert "Kysymys 3" not in page
    assert "English" in page  # the "not in your language" page offers the version's own language
