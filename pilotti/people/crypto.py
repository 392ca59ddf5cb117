"""Field encryption for contact details: MultiFernet with keys that are not in the database.

Keys come from ``FIELD_ENCRYPTION_KEYS`` (comma-separated Fernet keys; the first encrypts,
every one decrypts, so a new key is put first and the old ones kept until
``manage.py reencrypt_contact_details`` has rewritten every row). Without the variable a key
is created once in ``var/field_encryption_key`` with mode 0600, like the secret key.
``SECRET_KEY`` is never used: rotating it must not make contact details unreadable.

Lookups by value (a duplicate identity code) use a blind index: an HMAC-SHA256 of the
normalised value under a key derived (HKDF) from the same key material for that purpose
only, salted with the organisation, so equal values in two organisations do not match.
Searching by part of a name uses tokens of the same kind under a second derived key
(``people.search``).
"""

import base64
import hashlib
import hmac
import os
from functools import cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class DecryptionError(Exception):
    """A stored value none of the configured keys can open: a key was removed too early."""


def _key_from_file(path: Path) -> str:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            # Exclusive create with 0600: the key is never world-readable, even briefly.
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process created it a moment ago
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(Fernet.generate_key().decode())
    return path.read_text().strip()


@cache
def keys() -> tuple[bytes, ...]:
    configured = list(settings.FIELD_ENCRYPTION_KEYS) or [_key_from_file(Path(settings.FIELD_ENCRYPTION_KEY_FILE))]
    try:
        for key in configured:
            Fernet(key)
    except ValueError as error:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS must be Fernet keys (32 url-safe base64-encoded bytes), comma-separated."
        ) from error
    return tuple(key.encode() for key in configured)


@cache
def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys()])


def encrypt(plaintext: str) -> str:
    return _fernet().encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise DecryptionError("No configured field encryption key opens this value.") from error


def rotate(token: str) -> str:
    """The same value encrypted with the first key."""
    return _fernet().rotate(token.encode()).decode()


def _derived_keys(purpose: bytes) -> tuple[bytes, ...]:
    derived = []
    for key in keys():
        hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose)
        derived.append(hkdf.derive(base64.urlsafe_b64decode(key)))
    return tuple(derived)


@cache
def _index_keys() -> tuple[bytes, ...]:
    return _derived_keys(b"pilotti blind index v1")


@cache
def _search_keys() -> tuple[bytes, ...]:
    # A key of its own for the name-search tokens: they are many per person (every prefix), so
    # they must not be comparable with the duplicate check's whole-name index.
    return _derived_keys(b"pilotti name search v1")


def _index(key: bytes, kind: str, scope: str, value: str) -> str:
    message = f"{kind}\x1f{scope}\x1f{value}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def blind_index(kind: str, scope: str, value: str) -> str:
    """The index stored beside the ciphertext: under the first key's derived index key."""
    return _index(_index_keys()[0], kind, scope, value) if value else ""


def blind_index_candidates(kind: str, scope: str, value: str) -> list[str]:
    """Indexes under every key, so lookups keep working while a rotation is under way."""
    return [_index(key, kind, scope, value) for key in _index_keys()] if value else []


def search_token(scope: str, value: str) -> str:
    """A name-search token as stored: under the first key's derived search key."""
    return _index(_search_keys()[0], "name token", scope, value)


def search_token_candidates(scope: str, value: str) -> list[str]:
    """A search term's tokens under every key, so that searching works during a rotation."""
    return [_index(key, "name token", scope, value) for key in _search_keys()]


def reset_caches() -> None:
    """For tests that change the keys."""
    for function in (keys, _fernet, _index_keys, _search_keys):
        function.cache_clear()
