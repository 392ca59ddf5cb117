"""The staff pages: list, detail, editor, import and export, and who may do what."""

import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import World, signed_in
from pilotti.instruments import fileformat, selectors, services
from pilotti.instruments.models import Instrument, Mode
from tests.factories import library_file, make_instrument, queries_for


def test_it_lists_the_library_and_my_organisations_instruments(world: World) -> None:
    services.library_load()
    make_instrument(world.org, name="Alfan palaute")
    make_instrument(world.other_org, name="Beetan palaute")
    page = signed_in(world.facilitator).get(reverse("instruments:list")).content.decode()
    assert "WHO-5 Well-Being Index" in page
    assert "Alfan palaute" in page
    assert "Beetan palaute" not in page
    assert reverse("instruments:create") not in page  # facilitators read only


def test_it_lists_in_a_constant_number_of_queries(world: World) -> None:
    services.library_load()
    client = signed_in(world.evaluator)
    few = queries_for(client, reverse("instruments:list"))
    for n in range(10):
        services.instrument_save(
            actor=None, organisation=world.org, spec=fileformat.parse(library_file("who-5") | {"key": f"w{n}"})
        )
    assert queries_for(client, reverse("instruments:list")) == few


def test_it_shows_items_options_scoring_bands_and_licence(world: World) -> None:
    services.library_load()
    phq9 = Instrument.objects.get(key="phq-9", organisation=None)
    page = signed_in(world.evaluator).get(reverse("instruments:detail", args=[phq9.uuid]) + "?language=en")
    text = page.content.decode()
    for expected in ("Little interest or pleasure", "Nearly every day", "moderately severe", "phqscreeners.com", "10"):
        assert expected in text
    assert "safety item" in text or "turvallisuus" in text


def test_it_shows_neutral_labels_for_instruments_that_need_permission(world: World) -> None:
    services.library_load()
    epds = Instrument.objects.get(key="epds", organisation=None)
    text = (
        signed_in(world.evaluator)
        .get(reverse("instruments:detail", args=[epds.uuid]) + "?language=en")
        .content.decode()
    )
    assert "Item 10" in text
    assert "Royal College of Psychiatrists" in text


def test_it_hides_another_organisations_instrument(world: World) -> None:
    instrument = make_instrument(world.org)
    client = signed_in(world.outsider)
    for name in ("instruments:detail", "instruments:edit", "instruments:export"):
        assert client.get(reverse(name, args=[instrument.uuid])).status_code == 404


def test_it_lets_only_admins_and_coordinators_change_instruments(world: World) -> None:
    services.library_load()
    instrument = make_instrument(world.org)
    library = Instrument.objects.get(key="who-5", organisation=None)
    for user in (world.facilitator, world.evaluator):
        client = signed_in(user)
        assert client.get(reverse("instruments:create")).status_code == 403
        assert client.get(reverse("instruments:import")).status_code == 403
        assert client.get(reverse("instruments:edit", args=[instrument.uuid])).status_code == 403
        assert client.get(reverse("instruments:detail", args=[instrument.uuid])).status_code == 200
    assert signed_in(world.coordinator).get(reverse("instruments:edit", args=[library.uuid])).status_code == 403
    assert signed_in(world.coordinator).get(reverse("instruments:edit", args=[instrument.uuid])).status_code == 200


def editor_post(**changes: str) -> dict[str, str]:
    data = {
        "language": "fi",
        "name": "Vanhempien palaute",
        "shows_wording": "on",
        "languages": "fi",
        "title": "Palaute",
        "scoring-method": "mean",
        "scoring-missing_rule": "all_required",
        "scoring-direction": "higher_is_better",
        "scoring-bands": "1-2.99 = heikko\n3-5 = hyvä",
        "items-TOTAL_FORMS": "3",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "200",
        "items-0-type": "single_choice",
        "items-0-text": "Oliko tapaaminen hyödyllinen?",
        "items-0-options": "1 = Ei\n3 = Jonkin verran\n5 = Kyllä",
        "items-0-required": "on",
        "items-0-scored": "on",
        "items-0-ORDER": "1",
        "items-1-type": "scale",
        "items-1-text": "Kuinka jaksat nyt?",
        "items-1-min_value": "1",
        "items-1-max_value": "5",
        "items-1-required": "on",
        "items-1-scored": "on",
        "items-1-ORDER": "2",
        "items-2-type": "scale",
        "items-2-required": "on",
        "items-2-scored": "on",
    }
    return data | changes


def test_it_creates_an_instrument_in_the_browser_editor(world: World) -> None:
    response = signed_in(world.coordinator).post(reverse("instruments:create"), editor_post())
    assert response.status_code == 302, response.content.decode()
    instrument = Instrument.objects.get(organisation=world.org)
    assert instrument.key == "vanhempien-palaute"
    spec = selectors.spec_of(selectors.current_version(instrument))
    assert [item.key for item in spec.items] == ["q1", "q2"]
    assert [option.label["fi"] for option in spec.items[0].options] == ["Ei", "Jonkin verran", "Kyllä"]
    assert [band.key for band in spec.scoring.bands] == ["heikko", "hyva"]
    assert spec.scoring.method == "mean"


def test_it_keeps_what_was_typed_and_says_what_to_fix(world: World) -> None:
    data = editor_post(**{"items-0-options": "1 = Ei\nkyllä", "languages": "sv"})
    response = signed_in(world.coordinator).post(reverse("instruments:create"), data)
    assert response.status_code == 400
    text = response.content.decode()
    assert "error-summary" in text
    assert "Oliko tapaaminen hyödyllinen?" in text
    assert "Kuinka jaksat nyt?" in text
    assert not Instrument.objects.exists()


def test_it_refuses_a_language_marked_complete_without_its_wording(world: World) -> None:
    response = signed_in(world.coordinator).post(reverse("instruments:create"), editor_post(languages="sv"))
    assert response.status_code == 400
    assert "has no sv wording" in response.content.decode()


def test_it_edits_one_language_and_keeps_the_others(world: World) -> None:
    instrument = make_instrument(world.org)
    client = signed_in(world.coordinator)
    url = reverse("instruments:edit", args=[instrument.uuid])
    form = client.get(url + "?language=sv")
    assert "Hur nyttig var den här träffen för deltagarna?" in form.content.decode()
    data = editor_post(
        **{
            "language": "sv",
            "name": instrument.name,
            "languages": ["fi", "sv", "en", "ar", "so", "fa", "ru", "uk"],  # type: ignore[dict-item]
            "scoring-method": "sum",
            "scoring-bands": "",
            "items-TOTAL_FORMS": "1",
            "items-0-key": "usefulness",
            "items-0-type": "scale",
            "items-0-text": "Hur nyttig var träffen?",
            "items-0-options": "",
            "items-0-min_value": "1",
            "items-0-max_value": "5",
            "items-0-min_label": "Inte alls nyttig",
            "items-0-max_label": "Mycket nyttig",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()
    item = selectors.spec_of(selectors.current_version(instrument)).items[0]
    assert item.text["sv"] == "Hur nyttig var träffen?"
    assert item.text["fi"] == "Kuinka hyödyllinen tämä tapaaminen oli osallistujille?"
    assert instrument.versions.count() == 1


def test_it_saves_an_edit_of_a_used_instrument_as_a_new_version(world: World) -> None:
    instrument = make_instrument(world.org)
    first = selectors.current_version(instrument)
    services.response_record(
        version=first, organisation=world.org, answers={"usefulness": 4}, mode=Mode.STAFF, language="fi"
    )
    client = signed_in(world.owner)
    url = reverse("instruments:edit", args=[instrument.uuid])
    response = client.post(url, editor_post(name=instrument.name))
    assert response.status_code == 302
    assert [v.number for v in selectors.versions_of(instrument)] == [2, 1]
    detail = client.get(response["Location"], follow=False).content.decode()
    assert "Version 2" in detail or "Versio 2" in detail
    old = client.get(reverse("instruments:detail", args=[instrument.uuid]) + "?version=1&language=fi").content.decode()
    assert "Kuinka hyödyllinen tämä tapaaminen oli osallistujille?" in old


def test_it_exports_and_imports_the_same_instrument(world: World) -> None:
    services.library_load()
    core10 = Instrument.objects.get(key="core-10", organisation=None)
    client = signed_in(world.coordinator)
    exported = client.get(reverse("instruments:export", args=[core10.uuid]))
    assert exported["Content-Disposition"] == 'attachment; filename="core-10-v1.json"'
    upload = SimpleUploadedFile("core-10.json", exported.content, content_type="application/json")
    response = client.post(reverse("instruments:import"), {"file": upload})
    assert response.status_code == 302
    mine = Instrument.objects.get(organisation=world.org, key="core-10")
    again = client.get(reverse("instruments:export", args=[mine.uuid]))
    assert json.loads(again.content) == json.loads(exported.content)


def test_it_shows_every_problem_of_a_bad_file_and_imports_nothing(world: World) -> None:
    data = library_file("phq-9")
    data["items"][3]["options"][1]["value"] = "one"
    data["scoring"]["method"] = "median"
    upload = SimpleUploadedFile("bad.json", json.dumps(data).encode(), content_type="application/json")
    response = signed_in(world.coordinator).post(reverse("instruments:import"), {"file": upload})
    assert response.status_code == 400
    text = response.content.decode()
    assert "items[3].options[1].value" in text
    assert "scoring.method" in text
    assert not Instrument.objects.exists()


def test_it_shows_every_library_instrument_in_the_staff_languages(world: World) -> None:
    services.library_load()
    client = signed_in(world.evaluator)
    for instrument in Instrument.objects.filter(organisation=None):
        for language in ("fi", "sv", "en", "ar"):
            url = reverse("instruments:detail", args=[instrument.uuid]) + f"?language={language}"
            assert client.get(url).status_code == 200, (instrument.key, language)
