"""Where a participant gets help now, in their language: shown after an answer that raised a
safety alert (docs/measurement.md, "The participant").

The lines are data so that a test can hold each language to what it promises. Numbers and hours
come from the services' own announcements (sources and dates in docs/measurement.md); a line
whose hours change is described by its days only.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ALL_LANGUAGES = frozenset({"fi", "sv", "en", "ar", "so", "fa", "ru", "uk"})


@dataclass(frozen=True)
class HelpLine:
    number: str  # as a person dials it in Finland
    international: str  # for the tel: link
    text: Promise
    languages: frozenset[str]


HELP_LINES: Sequence[HelpLine] = (
    HelpLine(
        "112", "112", _("Emergency number, if you or someone else is in danger now. Open day and night."), ALL_LANGUAGES
    ),
    HelpLine(
        "09 2525 0111",
        "+358925250111",
        _("MIELI Crisis Helpline, in Finnish. Open day and night, every day."),
        ALL_LANGUAGES,
    ),
    HelpLine(
        "09 2525 0112",
        "+358925250112",
        _("MIELI Crisis Helpline in Swedish. Open on weekdays, at set hours."),
        frozenset({"sv"}),
    ),
    HelpLine(
        "09 2525 0113",
        "+358925250113",
        _("MIELI Crisis Helpline in Arabic and English. Open on weekdays, at set hours."),
        ALL_LANGUAGES - {"fi", "sv"},
    ),
    HelpLine(
        "116 117",
        "116117",
        _("Medical Helpline: where to get care now. Open day and night."),
        ALL_LANGUAGES,
    ),
)


def help_lines(language: str) -> list[HelpLine]:
    """The lines a person reading ``language`` can use, in the order to try them."""
    return [line for line in HELP_LINES if language in line.languages]
