"""One word per concept (docs/glossary.md): the variants the glossary drops stay out of the Finnish
and Swedish translations, and out of the staff pages rendered in those languages."""

import ast
import re
from pathlib import Path

import allauth
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.html import strip_tags

from conftest import World, signed_in
from pilotti.accounts.allauth_words import ALLAUTH_MSGIDS
from tests.test_isolation import OWN_ACCOUNT_ONLY, all_patterns, registered_kwargs

LOCALE = Path(__file__).resolve().parents[1] / "pilotti" / "locale"

# (pattern, the glossary's word instead). Patterns are searched case-insensitively; each was
# checked against words that are right elsewhere (the look-arounds keep those).
FORBIDDEN: dict[str, list[tuple[str, str]]] = {
    "fi": [
        (r"\byksik(kö|ö)", "unit: toteutus"),
        (r"\bohjelm", "programme: toimintamalli"),
        (r"\bkotitalou", "household: perhe"),
        (r"segmentt", "segment: kohderyhmä"),
        (r"ilmoittau", "staff enrol people: ottaa mukaan, osallistuminen"),
        (r"nimenhuu", "roll call: läsnäolot"),
        (r"ohjaustaho", "referral source: ohjautumisreitti"),
        (r"(?<!ei )\btavoitet", "contacted: yhteyttä otettu (tavoitettu means reached)"),
        (r"\bpäättäneet|\bpäättyneet|loppuun käyn", "completers: loppuun osallistuneet"),
        (r"asiakasraa", "client panel: nimetön palaute (asiakasraati is the client council)"),
        (r"\bannos\b", "dose: riittävä läsnäolo"),
        (r"toistomittau", "test–retest: toistoreliabiliteetti"),
        (r"tasatulo", "ties: sidokset"),
        (r"mieluummin", "instead: sen sijaan"),
        (r"\bpäättyen\b", "date filter: asti"),
        (r"\bvarakoo", "recovery codes: palautuskoodit"),
        (r"kaksivaihei\w* tunnistu(s|ksen|ksella|sta)\b", "two-factor authentication: kaksivaiheinen tunnistautuminen"),
        (r"\bperu(minen|mis|ttu|ttiin)\b.{0,40}suostum|suostum\w*.{0,40}\bperu(ttu|ttiin)\b", "consent: peruuttaa"),
        (r"\b(te|teidän|teille|teitä|teillä|teistä|teihin)\b", "address form: sinä"),
        (r"\w(aationne|istanne|istänne|ssanne|ssänne|ukonne)\b", "address form: sinä"),
    ],
    "sv": [
        (r"\benhet(en|er|erna|ens|s)?\b", "unit: genomförande"),
        (r"\bprogram(met|mets|men)?\b", "programme: verksamhetsmodell"),
        (r"\banmäl(a|d|da|de|t|s)?\b(?! förhinder)", "enrol: skriva in (anmält förhinder stays for excused)"),
        (r"\boanmäl", "enrol: skriva in"),
        (r"upprop", "roll call: närvaro"),
        (r"remitterande instans", "referral source: hänvisningsväg"),
        (r"\bsegment(et|en)?\b", "segment: målgrupp"),
        (r"\binstrument(et|en)?\b", "instrument: mätare"),
        (r"klientpanel", "client panel: anonym respons"),
        (r"åtkomstlogg|logg(en)? över användning|utlämningslogg", "access log: användningslogg; utlämnandelogg"),
        (r"\barbetar(e|na)", "workers: personal (arbetar, the verb, stays)"),
        (r"förfallo|\bförfaller\b", "due date: planerat datum"),
        (r"klientdatalag|klienthandling", "the law: lagen om behandling av kunduppgifter; kundhandlingar"),
        (r"reservkod", "recovery codes: återställningskoder"),
        (r"\bdet här verksamhetsmodell", "den här verksamhetsmodellen"),
        (r"\b(ni|er|ert|era|eder)\b", "address form: du"),
        (r"\bmöte(t|ts|n|na)?\b", "meeting: träff"),
    ],
}


def translations(po: Path) -> list[tuple[str, str]]:
    """(msgid, msgstr) of every translated entry, fuzzy ones left out as msgfmt leaves them out."""
    text = po.read_text(encoding="utf-8")
    entries = []
    for block in text.split("\n\n"):
        if "#, fuzzy" in block:
            continue
        fields: dict[str, str] = {}
        field = ""
        for line in block.splitlines():
            if line.startswith("#"):
                continue
            if line.startswith('"'):
                fields[field] += ast.literal_eval(line)
            else:
                field, _, value = line.partition(" ")
                fields[field] = ast.literal_eval(value)
        msgid = fields.get("msgid", "")
        for name, value in fields.items():
            if name.startswith("msgstr") and msgid:
                entries.append((msgid, value))
    return entries


# Words that pages also show as data rather than as Pilotti's own text: the test data name
# programmes in Finnish ("Alfan ohjelma"), and the library's instrument files carry an English
# description and licence ("Pilotti's own instrument"). The catalogues are still checked for them.
NOT_ON_PAGES = {r"\bohjelm", r"\binstrument(et|en)?\b"}


# Words wrong only for one concept: asiakasraati names the client council (pilotti/council), so it
# is refused only in the translations of texts about the client panel, and not looked for on pages,
# which show both.
ONLY_FOR: dict[str, str] = {r"asiakasraa": "client panel"}


def offences(language: str, text: str, *, page: bool = False, msgid: str | None = None) -> list[str]:
    return [
        f"{match.group(0)!r} ({instead})"
        for pattern, instead in FORBIDDEN[language]
        if not (page and pattern in NOT_ON_PAGES)
        if pattern not in ONLY_FOR or (not page and (msgid is None or ONLY_FOR[pattern] in msgid.lower()))
        for match in re.finditer(pattern, text, re.IGNORECASE)
    ]


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_it_uses_the_glossarys_words_in_every_translation(language: str) -> None:
    entries = translations(LOCALE / language / "LC_MESSAGES" / "django.po")
    assert len(entries) > 1000
    found = [
        f"{msgid[:60]!r}: {', '.join(hits)}"
        for msgid, msgstr in entries
        if (hits := offences(language, msgstr, msgid=msgid))
    ]
    assert not found, "\n".join(found)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("fi", "Tavoitettu"),
        ("fi", "Asiakasraadin arvio"),  # the client panel is not the client council
        ("fi", "Yksiköiden sivut"),
        ("fi", "Valitse jokin oman organisaationne toteutuksista."),
        ("sv", "Dina arbetare har fått veta"),
        ("sv", "Arbetarnas bedömningar"),
        ("sv", "Ni har redan en plats"),
        ("sv", "Oanmälda besökare"),
    ],
)
def test_it_catches_the_variants_the_review_found(language: str, text: str) -> None:
    assert offences(language, text)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("fi", "Ei tavoitettu"),
        ("fi", "Tarkenne"),
        ("sv", "Anmält förhinder"),
        ("sv", "De som arbetar med dig"),
        ("sv", "Inskrivna"),
    ],
)
def test_it_lets_the_right_words_through(language: str, text: str) -> None:
    assert not offences(language, text)


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_it_shows_the_glossarys_words_on_every_staff_page(world: World, language: str) -> None:
    """The URL walk of tests/test_isolation.py, as the organisation's admin, in one language."""
    registry = registered_kwargs(world)
    client = signed_in(world.owner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    found = []
    pages = 0
    for name, takes_arguments in all_patterns():
        # Signing out would turn every later page into a redirect to the sign-in page.
        if name in OWN_ACCOUNT_ONLY or name == "account_logout" or (takes_arguments and name not in registry):
            continue
        url = reverse(name, kwargs=registry[name]) if takes_arguments else reverse(name)
        response = client.get(url)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        pages += 1
        if hits := offences(language, strip_tags(response.content.decode()), page=True):
            found.append(f"{url} ({name}): {', '.join(sorted(set(hits)))}")
    assert pages > 50
    assert not found, "\n".join(found)


def test_it_rewords_only_texts_that_allauth_has() -> None:
    allauth_fi = Path(allauth.__file__).parent / "locale" / "fi" / "LC_MESSAGES" / "django.po"
    assert set(ALLAUTH_MSGIDS) <= {msgid for msgid, _ in translations(allauth_fi)}


def test_it_names_two_factor_authentication_on_allauths_pages_as_pilotti_does(world: World) -> None:
    client = signed_in(world.coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fi"
    page = client.get(reverse("mfa_index")).content.decode()
    assert "Kaksivaiheinen tunnistautuminen" in page
    assert "tunnistus" not in page
