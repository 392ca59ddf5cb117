"""Which languages a questionnaire can be answered in, said before a link, plan entry or panel is made.

A validated instrument has wording only in its official translations (``InstrumentVersion.languages``);
a participant whose language is not among them would otherwise be told on the answering page that
the questionnaire is "not available in your language" and be shown English (issue 23).
"""

import re
from collections.abc import Iterable

from django.utils import translation
from django.utils.translation import gettext

from pilotti.core.languages import from_free_text
from pilotti.instruments.models import InstrumentVersion


def language_name(code: str) -> str:
    """A language's name in the language of the page being made ("arabia" on a Finnish page)."""
    try:
        return str(translation.get_language_info(code)["name_translated"])
    except KeyError:  # a code Django does not know: shown as it is
        return code


def language_names(codes: Iterable[str]) -> str:
    return ", ".join(language_name(code) for code in codes)


def version_label(version: InstrumentVersion) -> str:
    """The picker's label: "WHO-5 (englanti)"; a version without wording is answered on paper only."""
    name = version.instrument.local_name
    spoken = language_names(version.languages) if version.languages else gettext("paper only")
    return f"{name} ({spoken})"


def codes_in(text: str) -> list[str]:
    """The participant languages named in free text ("arabia, suomi", "Finnish/Somali"), in order.

    Unknown words are left out: a unit or person whose language Pilotti does not recognise cannot
    be checked, and a warning about a misspelling would only teach staff to tick past warnings."""
    codes: list[str] = []
    for word in re.split(r"[,;/+&]|\s+(?:ja|och|and)\s+", text):
        code = from_free_text(word)
        if code is not None and code not in codes:
            codes.append(code)
    return codes


def uncovered(spoken: Iterable[str], version: InstrumentVersion) -> list[str]:
    """The languages in ``spoken`` that ``version`` has no wording in."""
    return [code for code in spoken if code not in version.languages]
