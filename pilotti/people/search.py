"""Finding a person by any part of their name without decrypting anyone's contact details.

A name is normalised (case folded, diacritics dropped: "Äijälä" and "aijala" are the same word)
and cut into words; each word, and its beginnings of at least ``SHORTEST_TERM`` letters, are stored as
keyed tokens (HMAC under a key of their own, salted with the organisation, ``crypto``). A search
cuts its words the same way, and a person is found when every word of the search begins some
word of their name, in any order: "Testinen Liisa", "liisa" and "test li" all find
"Liisa Testinen". The middle of a word ("iisa") is not found.

What the tokens give away to someone with the database but not the key: how many words and
letters a name has (the number of tokens) and which people share a name's beginning. The
names themselves stay encrypted.
"""

import unicodedata

from django.db.models import Exists, OuterRef, Q

from pilotti.people import crypto
from pilotti.people.models import ContactDetails, NameToken

SHORTEST_TERM = 2
# A word's beginnings are stored up to this length; a longer search word is cut to it, so
# that it still finds the name (a 40-letter word is rare, and its first 24 letters tell it apart).
LONGEST_TERM = 24


def words(text: str) -> list[str]:
    """The searchable words of a name or a search: lower case, no diacritics, no punctuation."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    letters = "".join(c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    return letters.split()


def beginnings(name: str) -> set[str]:
    """Every beginning of every word of ``name`` that a search may use, and each whole word
    (a one-letter word, e.g. an initial, is found only by itself)."""
    parts = set()
    for word in words(name):
        parts.add(word[:LONGEST_TERM])
        parts.update(word[:length] for length in range(SHORTEST_TERM, min(len(word), LONGEST_TERM) + 1))
    return parts


def tokens_of(name: str, *, scope: str) -> list[str]:
    """The tokens stored for ``name`` in the organisation whose UUID is ``scope``."""
    return [crypto.search_token(scope, part) for part in sorted(beginnings(name))]


def name_tokens_save(contact: ContactDetails, *, scope: str) -> None:
    """Replaces the contact's tokens with those of its current name."""
    NameToken.objects.filter(contact=contact).delete()
    NameToken.objects.bulk_create([NameToken(contact=contact, token=t) for t in tokens_of(contact.name, scope=scope)])


def name_tokens_rebuild(
    contact_model: type[ContactDetails] = ContactDetails, token_model: type[NameToken] = NameToken
) -> int:
    """Recomputes every person's tokens (after a key rotation, or once for existing rows);
    the models are parameters so that a migration can pass its historical ones. Returns the
    number of contact details."""
    token_model.objects.all().delete()
    count = 0
    # Encrypted names cannot be compared in SQL, so empty ones are skipped here.
    rows = contact_model.objects.values_list("pk", "name", "participant__organisation__uuid")
    batch = []
    for pk, name, organisation_uuid in rows.iterator(chunk_size=500):
        if not name:
            continue
        batch += [token_model(contact_id=pk, token=t) for t in tokens_of(name, scope=str(organisation_uuid))]
        count += 1
        if len(batch) >= 5000:
            token_model.objects.bulk_create(batch)
            batch = []
    token_model.objects.bulk_create(batch)
    return count


def search_terms(query: str) -> list[str]:
    """The words of a search, cut to what the tokens hold."""
    return sorted({word[:LONGEST_TERM] for word in words(query)})


def name_matches(query: str, *, scope: str) -> Q | None:
    """A filter on participants whose name has a word beginning with each word of ``query``,
    or None when the query has no words."""
    terms = search_terms(query)
    if not terms:
        return None
    match = Q()
    for term in terms:
        tokens = crypto.search_token_candidates(scope, term)
        match &= Q(Exists(NameToken.objects.filter(contact__participant=OuterRef("pk"), token__in=tokens)))
    return match
