"""Every staff page speaks one language (issue 21): walked in Finnish and in Swedish, no page shows
a text of Pilotti's catalogue left in English, and no date is shown in the ISO form (2026-12-06)
instead of the locale's (6.12.2026).

The walk is tests/test_isolation.py's: every URL of the project, with the arguments each app
registers in its isolation module, as the organisation's admin and as a facilitator (whose
pages differ). The detector is the catalogue itself: an English msgid whose translation differs
is a text that should have been translated; found verbatim in a page's text it leaked.
"""

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from conftest import World, signed_in
from pilotti.accounts.models import User
from pilotti.instruments.models import Instrument
from tests.test_glossary import translations
from tests.test_isolation import OWN_ACCOUNT_ONLY, all_patterns, registered_kwargs

LOCALE = Path(__file__).resolve().parents[1] / "pilotti" / "locale"
ISO_DATE = re.compile(r"(?<![\d-])\d{4}-\d{2}-\d{2}(?![\d-])")
# Attributes a person reads or hears (screen readers) besides the text itself.
READ_ATTRIBUTES = {"title", "aria-label", "placeholder", "alt"}
# msgids that are also the same word in the page's language, a code or a proper name (a leak of
# these cannot be told from the right text).
NOT_DETECTORS = {"OK", "Pilotti", "Status", "Data", "Demo", "Min", "Max", "ID"}
# English words that are also words of the page's language ("uuden version", "din organisations").
ALSO_WORDS = {"fi": {"version"}, "sv": {"organisations", "partner", "version"}}


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class PageText(HTMLParser):
    """The page's text nodes and read attributes, each on its own (no match across elements).
    Left out: scripts, and elements marked as another language (``<option lang="en">English``
    in the language choice is right on a Finnish page)."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._skipping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if self._skipping or tag in {"script", "style", "template"} or ("lang" in attributes and tag != "html"):
            if tag not in VOID:
                self._skipping.append(tag)
            return
        self.texts.extend(value for name, value in attrs if name in READ_ATTRIBUTES and value)

    def handle_endtag(self, tag: str) -> None:
        if self._skipping and self._skipping[-1] == tag:
            self._skipping.pop()

    def handle_data(self, data: str) -> None:
        if not self._skipping and data.strip():
            self.texts.append(" ".join(data.split()))


def page_texts(html: str) -> list[str]:
    parser = PageText()
    parser.feed(html)
    return parser.texts


def english_texts(language: str) -> re.Pattern[str]:
    """One pattern of every catalogue msgid that the language translates to something else."""
    words = set()
    for msgid, msgstr in translations(LOCALE / language / "LC_MESSAGES" / "django.po"):
        text = " ".join(msgid.split())
        if not msgstr or msgstr == msgid or "%" in text or "{" in text or text in NOT_DETECTORS | ALSO_WORDS[language]:
            continue
        if not re.fullmatch(r"[A-Za-z][A-Za-z ,.'’\-–:;?!()/]*", text) or len(text) < 4:
            continue
        words.add(text.rstrip(".:"))
    alternatives = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")


def proper_names(language: str) -> list[str]:
    """Texts shown as they were published: a validated instrument's name where it has no wording
    in the language (PHQ-9's name stays English on a Finnish page), and the instruments' sources
    and licences (citations). People's and organisations' names in the test data are data."""
    instruments = list(Instrument.objects.all())
    texts = [instrument.name for instrument in instruments if language not in instrument.names]
    texts += [text for instrument in instruments for text in (instrument.source, instrument.licence) if text]
    texts += [user.full_name for user in User.objects.all()] + [user.email for user in User.objects.all()]
    return sorted(texts, key=len, reverse=True)


def leaks(texts: list[str], english: re.Pattern[str], known: list[str] | None = None) -> Iterator[str]:
    for text in texts:
        for name in known or []:
            text = text.replace(name, " ")
        for match in english.finditer(text):
            yield f"English {match.group(0)!r} in {text[:80]!r}"
        for match in ISO_DATE.finditer(text):
            yield f"ISO date {match.group(0)!r} in {text[:80]!r}"


def test_it_detects_english_and_iso_dates() -> None:
    english = english_texts("fi")
    page = '<p title="Sign out">Tallenna</p><p>Save</p><td>2026-12-06</td><input value="2026-12-06"><p>6.12.2026</p>'
    assert sorted(leaks(page_texts(page), english)) == [
        "English 'Save' in 'Save'",
        "English 'Sign out' in 'Sign out'",
        "ISO date '2026-12-06' in '2026-12-06'",
    ]


@pytest.mark.parametrize("language", ["fi", "sv"])
@pytest.mark.parametrize("role", ["owner", "facilitator"])
def test_it_shows_every_staff_page_in_one_language(world: World, language: str, role: str) -> None:
    registry = registered_kwargs(world)
    english = english_texts(language)
    client = signed_in(getattr(world, role))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    known = proper_names(language)
    found = []
    pages = 0
    for name, takes_arguments in all_patterns():
        # Signing out would turn every later page into a redirect to the sign-in page.
        if name in OWN_ACCOUNT_ONLY or name == "account_logout" or (takes_arguments and name not in registry):
            continue
        url = reverse(name, kwargs=registry[name]) if takes_arguments else reverse(name)
        response = client.get(url)
        if response.streaming:  # a download: read to the end, so that its file is closed
            b"".join(response.streaming_content)  # type: ignore[attr-defined]
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        pages += 1
        if hits := sorted(set(leaks(page_texts(response.content.decode()), english, known))):
            found.append(f"{url} ({name}):\n  " + "\n  ".join(hits))
    assert pages > 35
    assert not found, f"{len(found)} pages:\n" + "\n".join(found)
