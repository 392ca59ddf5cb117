"""Participants read their own language as it is spoken (docs/answering.md, Languages)."""

import pytest
from django.utils import translation

WAIT = (
    "Many requests came from this network just now. You can try again in %(minutes)s minute.",
    "Many requests came from this network just now. You can try again in %(minutes)s minutes.",
)


@pytest.mark.parametrize(
    ("minutes", "words"),
    [(1, "بعد دقيقة واحدة"), (2, "بعد دقيقتين"), (3, "بعد 3 دقائق"), (10, "بعد 10 دقائق"), (11, "بعد 11 دقيقة")],
)
def test_it_counts_the_minutes_to_wait_as_arabic_does(minutes: int, words: str) -> None:
    with translation.override("ar"):
        text = translation.ngettext(*WAIT, minutes) % {"minutes": minutes}
    assert words in text


def test_it_calls_an_anonymous_answer_nameless_not_secret_in_somali() -> None:
    with translation.override("so"):
        text = translation.gettext("Your answer is anonymous.")
    assert "magac la'aan" in text
    assert "qarsoodi" not in text
