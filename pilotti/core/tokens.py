"""Secret tokens in links and headers: personal links, invitations, calendar feeds, API tokens.

Only a token's hash is stored, so whoever reads the database cannot follow the links. The tokens
are long random strings (``secrets.token_urlsafe``), so a plain SHA-256 suffices: no salt and no
slow hash are needed against guessing, and a lookup by hash stays one indexed query.
"""

import hashlib


def hash_token(token: str) -> str:
    """The stored form of a token: its SHA-256, in hexadecimal."""
    return hashlib.sha256(token.encode()).hexdigest()
