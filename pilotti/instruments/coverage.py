"""Which languages a questionnaire can be answered in, said before a link, plan entry or panel is made.

A validated instrument has wording only in its official translations (``InstrumentVersion.languages``);
a participant whose language is not among them would otherwise be told on the answering page that
the questionnaire is "not available in your language" and be shown English (issue 23). An
organisation's translation packs (``packs.py``) add their languages for that organisation only:
pass its id, or mark the versions once with ``with_packs``.
"""

import re
from collections.abc import Iterable

from django.utils import translation
from django.utils.translation import gettext

from pilotti.core.languages import from_free_text
from pilotti.instruments import selectors
from pilotti.instruments.models import InstrumentVersion

_PACKS = "_pilotti_pack_languages"  # (organisation id, languages) set by ``with_packs``


def language_name(code: str) -> str:
    """A language's name in the language of the page being made ("arabia" on a Finnish page)."""
    try:
        return str(translation.get_language_info(code)["name_translated"])
    except KeyError:  # a code Django does not know: shown as it is
        return code


def language_names(codes: Iterable[str]) -> str:
    return ", ".join(language_name(code) for code in codes)


def with_packs(versions: list[InstrumentVersion], organisation_id: int | None) -> list[InstrumentVersion]:
    """Marks each version with the languages the organisation's packs add, in one query."""
    found = selectors.pack_languages(organisation_id, versions)
    for version in versions:
        setattr(version, _PACKS, (organisation_id, found.get(version.pk, [])))
    return versions


def covered(version: InstrumentVersion, organisation_id: int | None = None) -> list[str]:
    """The languages a version can be answered in: its own wording, and the packs of the
    organisation (``organisation_id``, or the one ``with_packs`` marked it for)."""
    marked = getattr(version, _PACKS, None)
    if marked is None and organisation_id is not None:
        with_packs([version], organisation_id)
        marked = getattr(version, _PACKS)
    extra = marked[1] if marked is not None and organisation_id in (None, marked[0]) else []
    return [*version.languages, *(code for code in extra if code not in version.languages)]


def version_label(version: InstrumentVersion) -> str:
    """The picker's label: "WHO-5 (englanti)"; a version without wording is answered on paper only."""
    name = version.instrument.local_name
    languages = covered(version)
    spoken = language_names(languages) if languages else gettext("paper only")
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


def uncovered(spoken: Iterable[str], version: InstrumentVersion, organisation_id: int | None = None) -> list[str]:
    """The languages in ``spoken`` that ``version`` has no wording in, for the organisation."""
    missing = [code for code in spoken if code not in version.languages]
    if not missing:  # no query when the version's own wording covers them
        return []
    languages = covered(version, organisation_id)
    return [code for code in missing if code not in languages]
