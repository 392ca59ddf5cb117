"""The shipped library, versioning, and responses with their stored scores."""

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from conftest import World
from pilotti.instruments import fileformat, selectors, services
from pilotti.instruments.models import Answer, Instrument, InstrumentVersion, Item, Mode, Response
from pilotti.instruments.scoring import Problem
from pilotti.people.models import Participant
from tests.factories import library_file, make_instrument


def library_instrument(key: str) -> Instrument:
    return Instrument.objects.get(organisation=None, key=key)


def test_it_loads_the_library_once_and_then_changes_nothing(db: None) -> None:
    out = StringIO()
    call_command("load_instruments", stdout=out)
    assert "who-5" in out.getvalue()
    assert Instrument.objects.filter(organisation=None).count() == 14
    counts = (InstrumentVersion.objects.count(), Item.objects.count())
    results = services.library_load()
    assert {outcome for _key, outcome in results} == {"unchanged"}
    assert (InstrumentVersion.objects.count(), Item.objects.count()) == counts


def test_it_reads_back_from_the_database_what_the_file_says(db: None) -> None:
    services.library_load()
    for key in ("who-5", "core-10", "3x10d", "swemwbs", "pilotti-final-survey"):
        instrument = library_instrument(key)
        version = selectors.version_with_structure(selectors.current_version(instrument))
        assert selectors.instrument_spec(instrument, version) == fileformat.parse(library_file(key))


def answer_who5(version: InstrumentVersion, values: tuple[int, ...], **extra: object) -> Response:
    return services.response_record(
        version=version,
        organisation=extra.pop("organisation"),  # type: ignore[arg-type]
        answers={f"q{n}": v for n, v in enumerate(values, start=1)},
        mode=extra.pop("mode", Mode.PERSONAL_LINK),  # type: ignore[arg-type]
        language="en",
        **extra,  # type: ignore[arg-type]
    )


def test_it_stores_the_answers_and_the_scores_of_a_response(world: World) -> None:
    services.library_load()
    version = selectors.current_version(library_instrument("who-5"))
    participant = Participant.objects.create(organisation=world.org, code="VA-23456")
    response = answer_who5(version, (3, 3, 2, 2, 2), organisation=world.org, participant=participant)
    assert (response.total, response.band and response.band.key, response.safety_flagged) == (48, "poor", False)
    assert response.submitted_at is not None
    assert sorted(Answer.objects.filter(response=response).values_list("value", flat=True)) == [2, 2, 2, 3, 3]
    assert services.response_rescore(response).total == 48


def test_it_flags_a_safety_item_on_the_response(world: World) -> None:
    services.library_load()
    version = selectors.current_version(library_instrument("phq-9"))
    answers = {f"q{n}": 0 for n in range(1, 10)} | {"q9": 1}
    response = services.response_record(
        version=version, organisation=world.org, answers=answers, mode=Mode.PERSONAL_LINK, language="en"
    )
    assert response.safety_flagged
    assert response.total == 1


def test_it_refuses_missing_and_out_of_range_answers_and_stores_nothing(world: World) -> None:
    services.library_load()
    version = selectors.current_version(library_instrument("who-5"))
    with pytest.raises(ValidationError) as caught:
        answer_who5(version, (3, 9, 2, 2), organisation=world.org)
    assert {key: [e.code for e in errors] for key, errors in caught.value.error_dict.items()} == {
        "q2": [Problem.NOT_AN_OPTION],
        "q5": [Problem.REQUIRED],
    }
    assert not Response.objects.exists()


def test_it_lets_a_paper_form_skip_an_item_and_then_gives_no_total(world: World) -> None:
    services.library_load()
    version = selectors.current_version(library_instrument("who-5"))
    response = answer_who5(version, (3, 3, 2, 2), organisation=world.org, mode=Mode.PAPER, actor=world.coordinator)
    assert response.total is None
    assert response.missing_items == ["q5"]


def test_it_stores_chosen_options_and_text(world: World) -> None:
    services.library_load()
    version = selectors.current_version(library_instrument("pilotti-final-survey"))
    response = services.response_record(
        version=version,
        organisation=world.org,
        answers={"benefit": 5, "drew_in": [1, 2], "comments": "Kiitos!"},
        mode=Mode.PERSONAL_LINK,
        language="fi",
    )
    assert services.answers_of(response) == {"benefit": 5.0, "drew_in": [1, 2], "comments": "Kiitos!"}
    assert response.total is None


def test_it_keeps_client_panel_answers_anonymous(world: World) -> None:
    services.library_load()
    version = selectors.current_version(library_instrument("pilotti-meeting-rating"))
    participant = Participant.objects.create(organisation=world.org, code="VA-23457")
    with pytest.raises(ValidationError):
        services.response_record(
            version=version,
            organisation=world.org,
            answers={"rating": 9},
            mode=Mode.CLIENT_PANEL,
            language="fi",
            participant=participant,
        )


def test_it_refuses_another_organisations_instrument_or_participant(world: World) -> None:
    instrument = make_instrument(world.other_org)
    with pytest.raises(ValidationError):
        services.response_record(
            version=selectors.current_version(instrument),
            organisation=world.org,
            answers={"usefulness": 5},
            mode=Mode.STAFF,
            language="fi",
        )


def test_it_rewrites_an_unused_version_in_place(world: World) -> None:
    instrument = make_instrument(world.org)
    data = library_file("pilotti-usefulness")
    data["items"][0]["max"] = 7
    saved = services.instrument_save(actor=world.coordinator, organisation=world.org, spec=fileformat.parse(data))
    assert (saved.outcome, saved.version.number, instrument.versions.count()) == ("updated", 1, 1)
    assert saved.version.items.get().max_value == 7


def test_it_makes_a_new_version_when_answers_were_given_on_the_old_one(world: World) -> None:
    instrument = make_instrument(world.org)
    first = selectors.current_version(instrument)
    response = services.response_record(
        version=first, organisation=world.org, answers={"usefulness": 5}, mode=Mode.STAFF, language="fi"
    )
    data = library_file("pilotti-usefulness")
    data["items"][0]["max"] = 7
    saved = services.instrument_save(actor=world.coordinator, organisation=world.org, spec=fileformat.parse(data))
    assert (saved.outcome, saved.version.number) == ("new_version", 2)
    assert first.items.get().max_value == 5  # the answered version is untouched
    response.refresh_from_db()
    assert response.version == first
    again = services.instrument_save(actor=world.coordinator, organisation=world.org, spec=fileformat.parse(data))
    assert (again.outcome, again.version.number) == ("unchanged", 2)


def test_it_imports_a_library_file_with_wording_for_an_organisation_with_permission(world: World) -> None:
    data = library_file("epds")
    data["shows_wording"] = True
    data["languages"] = ["en"]
    for item in data["items"]:
        item["text"]["en"] = f"Licensed wording of {item['key']}"
        for option in item["options"]:
            option["label"]["en"] = f"Licensed answer {option['value']}"
    saved = services.instrument_import(
        actor=world.owner, organisation=world.org, content=fileformat.dumps(fileformat.parse(data)).encode()
    )
    assert saved.instrument.organisation == world.org
    assert saved.instrument.key == "epds"
    assert saved.version.languages == ["en"]
