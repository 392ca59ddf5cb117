"""Bearer-token authentication for the API: the only way in (no session, so no CSRF to forge).

Rate limits in the shared counter table (pilotti.core.ratelimit): calls per token per minute
(``API_RATE_PER_TOKEN``), and tokens that are not live tried from one IP address per ten minutes
(``API_FAILED_PER_IP``), which stops guessing. Over a limit the API answers 429 with Retry-After.
"""

from django.conf import settings
from django.http import HttpRequest
from ninja.security import HttpBearer

from pilotti.api import services
from pilotti.api.selectors import Caller, caller_for
from pilotti.core.client_address import client_address
from pilotti.core.ratelimit import Limit, consume
from pilotti.core.tokens import hash_token


class RateLimited(Exception):
    def __init__(self, wait: int) -> None:
        super().__init__(wait)
        self.wait = wait


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Caller | None:
        """The caller of a live token, or None (401): unknown, revoked, expired, or its holder's
        account or membership in the token's organisation is no longer active."""
        caller = caller_for(hash_token(token.strip()))
        if caller is None:
            failed = Limit("api-failed", settings.API_FAILED_PER_IP, 600)
            wait = consume(failed, client_address(request) or "unknown")
            if wait:
                raise RateLimited(wait)
            return None
        wait = consume(Limit("api-token", settings.API_RATE_PER_TOKEN, 60), str(caller.token.pk))
        if wait:
            raise RateLimited(wait)
        # The access log and the no-store middleware read request.user: the token's holder.
        request.user = caller.user
        services.token_used(token=caller.token)
        return caller
