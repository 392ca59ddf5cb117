"""Bearer-token authentication for the API: the only way in (no session, so no CSRF to forge)."""

from django.http import HttpRequest
from ninja.security import HttpBearer

from pilotti.api import services
from pilotti.api.selectors import Caller, caller_for


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Caller | None:
        """The caller of a live token, or None (401): unknown, revoked, expired, or its holder's
        account or membership in the token's organisation is no longer active."""
        caller = caller_for(services.hash_token(token.strip()))
        if caller is None:
            return None
        # The access log and the no-store middleware read request.user: the token's holder.
        request.user = caller.user
        services.token_used(token=caller.token)
        return caller
