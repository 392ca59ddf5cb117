"""Translation packs (issue 23): an organisation's licensed wording of a validated version in one
language; never a change of structure or scoring, and only for that organisation."""

import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import World, signed_in
from pilotti.instruments import coverage, selectors, services
from pilotti.instruments.fileformat import FileFormatError
from pilotti.instruments.models import Instrument, InstrumentVersion, TranslationPack
from tests.factories import library_file

SOURCE = "Mielenterveystalo, the official Finnish translation"
LICENCE = "Free to reproduce and translate, as the PHQ screeners site says; checked 1.12.2026"


@pytest.fixture
def phq9(db: None) -> InstrumentVersion:
    """PHQ-9 as the library ships it: English wording only."""
    services.instrument_save(actor=None, organisation=None, spec=services.fileformat.parse(library_file("phq-9")))
    return selectors.current_version(Instrument.objects.get(organisation=None, key="phq-9"))


def _finnish(data: dict[str, Any]) -> dict[str, Any]:
    """The library file with Finnish wording added to every text (a stand-in for the official one)."""
    data["title"]["fi"] = "PHQ-9 suomeksi"
    for item in data["items"]:
        item["text"]["fi"] = "FI " + item["text"]["en"]
        for option in item.get("options", []):
            option["label"]["fi"] = "FI " + option["label"]["en"]
    return data


def _upload(client: Any, version: InstrumentVersion, data: dict[str, Any], language: str = "fi") -> Any:
    file = SimpleUploadedFile("phq-9-fi.json", json.dumps(data).encode(), content_type="application/json")
    url = reverse("instruments:packs", args=[version.instrument.uuid])
    return client.post(url, {"language": language, "source": SOURCE, "licence": LICENCE, "file": file})


def test_it_imports_a_translation_and_shows_its_source_and_licence(world: World, phq9: InstrumentVersion) -> None:
    client = signed_in(world.coordinator)
    response = _upload(client, phq9, _finnish(library_file("phq-9")))
    assert response.status_code == 302
    pack = TranslationPack.objects.get(organisation=world.org, version=phq9)
    assert pack.language == "fi"
    assert pack.wording["items"]["q1"]["text"].startswith("FI Little interest")
    assert pack.updated_by == world.coordinator
    page = client.get(reverse("instruments:detail", args=[phq9.instrument.uuid])).text
    assert SOURCE in page
    assert LICENCE in page


def test_it_refuses_a_changed_structure_and_names_the_difference(world: World, phq9: InstrumentVersion) -> None:
    data = _finnish(library_file("phq-9"))
    data["items"][2]["options"].pop()  # item 3 loses "nearly every day"
    data["scoring"]["bands"][4]["max"] = 26
    response = _upload(signed_in(world.coordinator), phq9, data)
    assert response.status_code == 400
    page = response.text
    assert "A translation cannot change the structure or the scoring; nothing was saved." in page
    assert "item 3 has 4 options in the version, 3 in the pack" in page
    assert "scoring: bands is 0–4, 5–9, 10–14, 15–19, 20–27 in the version, 0–4, 5–9, 10–14, 15–19, 20–26 in" in page
    assert not TranslationPack.objects.exists()


def test_it_names_a_changed_item_type_and_a_missing_item(phq9: InstrumentVersion, world: World) -> None:
    data = _finnish(library_file("phq-9"))
    data["items"][0]["reverse_scored"] = True
    data["items"].pop()
    with pytest.raises(FileFormatError) as caught:
        services.translation_pack_import(
            actor=None, organisation=world.org, version=phq9, language="fi", source=SOURCE, licence=LICENCE,
            content=json.dumps(data).encode(),
        )  # fmt: skip
    assert "the version has 9 items, the pack 8" in caught.value.errors
    assert "item 1: reverse scoring is no in the version, yes in the pack" in caught.value.errors


def test_it_refuses_a_pack_without_every_question_and_option(world: World, phq9: InstrumentVersion) -> None:
    data = _finnish(library_file("phq-9"))
    del data["items"][3]["text"]["fi"]
    del data["items"][8]["options"][0]["label"]["fi"]
    response = _upload(signed_in(world.coordinator), phq9, data)
    assert response.status_code == 400
    assert "item 4 has no text" in response.text
    assert "item 9: the option 0 has no label" in response.text


def test_it_refuses_a_pack_without_source_or_licence_or_in_a_language_the_version_has(
    world: World, phq9: InstrumentVersion
) -> None:
    with pytest.raises(FileFormatError) as caught:
        services.translation_pack_save(
            actor=None, organisation=world.org, version=phq9, language="en", source="", licence="",
            wording={},
        )  # fmt: skip
    assert "The version has its own wording in this language already." in caught.value.errors
    assert "Say where the translation comes from and what its licence allows." in caught.value.errors


def test_it_types_in_a_translation_beside_the_versions_wording(world: World, phq9: InstrumentVersion) -> None:
    client = signed_in(world.owner)
    url = reverse("instruments:pack_edit", args=[phq9.instrument.uuid, "sv"])
    page = client.get(url).text
    assert "Little interest or pleasure in doing things" in page  # the wording to translate from
    data: dict[str, str] = {"source": "The official Swedish translation", "licence": LICENCE, "w-title": "PHQ-9"}
    for n in range(1, 10):
        data[f"w-q{n}.text"] = f"Fråga {n}"
        for value in range(4):
            data[f"w-q{n}.options.{value}"] = f"Svar {value}"
    assert client.post(url, data).status_code == 302
    pack = TranslationPack.objects.get(organisation=world.org, language="sv")
    assert pack.wording["items"]["q9"]["options"]["3"] == "Svar 3"
    assert "Fråga 2</textarea>" in client.get(url).text  # opened again with its wording


def test_it_counts_a_pack_only_for_its_own_organisation(world: World, phq9: InstrumentVersion) -> None:
    wording = selectors.spec_of(selectors.version_with_structure(phq9))
    finnish = services.packs.wording_of(services.fileformat.parse(_finnish(library_file("phq-9"))).version, "fi")
    services.translation_pack_save(
        actor=None, organisation=world.org, version=phq9, language="fi", source=SOURCE, licence=LICENCE,
        wording=finnish,
    )  # fmt: skip
    assert coverage.uncovered(["fi"], phq9, world.org.pk) == []
    assert coverage.uncovered(["fi"], phq9, world.other_org.pk) == ["fi"]
    mine = selectors.spec_for_organisation(phq9, world.org.pk, "fi")
    theirs = selectors.spec_for_organisation(phq9, world.other_org.pk, "fi")
    assert mine.languages == ("en", "fi")
    assert mine.item("q1").text["fi"].startswith("FI ")
    assert theirs == wording
    outsider_page = signed_in(world.outsider).get(reverse("instruments:detail", args=[phq9.instrument.uuid])).text
    assert SOURCE not in outsider_page


def test_facilitators_and_evaluators_may_not_add_packs(world: World, phq9: InstrumentVersion) -> None:
    for user in (world.facilitator, world.evaluator):
        assert _upload(signed_in(user), phq9, _finnish(library_file("phq-9"))).status_code == 403
    assert not TranslationPack.objects.exists()


def test_the_pack_page_reads_in_a_fixed_number_of_queries(
    world: World,
    phq9: InstrumentVersion,
    django_assert_max_num_queries: Callable[[int], AbstractContextManager[object]],
) -> None:
    client = signed_in(world.coordinator)
    for language in ("fi", "sv", "ar"):
        _upload(client, phq9, _finnish(library_file("phq-9")) | {}, language)
    url = reverse("instruments:packs", args=[phq9.instrument.uuid])
    with django_assert_max_num_queries(20):
        assert client.get(url).status_code == 200
