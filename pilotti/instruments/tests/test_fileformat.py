"""The instrument file: every library file reads back to itself, and bad files say what to fix."""

import json
from pathlib import Path

import pytest

from pilotti.instruments.fileformat import FileFormatError, dumps, loads, parse
from tests.factories import library_file

LIBRARY = Path(__file__).resolve().parents[1] / "library"


@pytest.mark.parametrize("path", sorted(LIBRARY.glob("*.json")), ids=lambda p: p.stem)
def test_it_reads_every_library_file_and_writes_it_back_unchanged(path: Path) -> None:
    assert dumps(loads(path.read_bytes())) == path.read_text(encoding="utf-8")


def errors_of(data: object) -> list[str]:
    with pytest.raises(FileFormatError) as caught:
        parse(data)
    return caught.value.errors


def test_it_names_the_path_of_a_bad_option_value() -> None:
    data = library_file("phq-9")
    data["items"][3]["options"][1]["value"] = "one"
    assert errors_of(data) == ["items[3].options[1].value: must be a whole number"]


def test_it_lists_every_problem_at_once() -> None:
    data = library_file("gad-7")
    data["items"][0]["type"] = "slider"
    data["items"][2]["key"] = "q2"
    data["scoring"]["bands"][1]["min"] = 3
    del data["name"]
    errors = errors_of(data)
    assert "name: is missing" in errors
    assert any(e.startswith("items[0].type: must be one of: scale, single_choice") for e in errors)
    assert "items[2].key: is used by another item; give each item its own key" in errors
    assert "scoring.bands[1]: overlaps the band minimal; bands must not share scores" in errors


def test_it_refuses_a_language_listed_without_its_wording() -> None:
    data = library_file("pilotti-meeting-rating")
    del data["items"][0]["text"]["so"]
    assert errors_of(data) == ["items[0].text: has no so wording, but so is listed in languages"]


def test_it_refuses_unknown_fields_and_languages() -> None:
    data = library_file("who-5")
    data["items"][0]["reverse"] = True
    data["title"]["de"] = "WHO-5"
    assert set(errors_of(data)) == {
        "title.de: unknown language; use one of fi, sv, en, ar, so, fa, ru, uk",
        "items[0].reverse: unknown field; check the spelling",
    }


def test_it_refuses_a_scale_without_its_ends_and_a_reverse_without_a_range() -> None:
    data = library_file("pilotti-usefulness")
    del data["items"][0]["max"]
    data["items"].append({"key": "note", "type": "free_text", "reverse_scored": True})
    errors = errors_of(data)
    assert "items[0]: a scale needs min and max, e.g. 1 and 10" in errors
    assert "items[1].reverse_scored: needs a scale, or options, to reverse within" in errors


def test_it_says_when_the_file_is_not_json() -> None:
    with pytest.raises(FileFormatError) as caught:
        loads(b"{not json")
    assert caught.value.errors[0].startswith("The file is not valid JSON")


def test_it_refuses_a_file_that_is_not_an_instrument() -> None:
    assert errors_of([1, 2]) == ["must be an object ({…})"]
    assert 'format: must be "pilotti-instrument"' in errors_of(json.loads('{"key": "x", "name": "x"}'))


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_it_refuses_numbers_that_json_does_not_have(number: str) -> None:
    # A band ending at NaN compares false with every score: nobody would ever fall in it.
    text = json.dumps(library_file("gad-7")).replace('"max": 21', f'"max": {number}', 1)
    assert number in text
    with pytest.raises(FileFormatError) as caught:
        loads(text.encode())
    assert caught.value.errors[0].startswith("The file is not valid JSON")
