"""The client's address: the one answer for the sign-in lockout (django-axes), allauth's limits,
Pilotti's rate limits and the logs (access log, security events).

Behind ``PROXY_COUNT`` reverse proxies the connection comes from the nearest proxy, and the
client's address is the ``PROXY_COUNT``-th entry of ``X-Forwarded-For`` counted from the right:
nginx appends the address it saw (``$proxy_add_x_forwarded_for``), a load balancer in front of
it appended the client's before that. Entries further left were written by the client and are
not believed. django-ipware counts only the proxies whose own addresses are in the header (all
but the nearest), hence ``PROXY_COUNT - 1``; not strict, so that a client's forged entries on
the left do not hide its real address. Without the header (a request that did not come through
the proxies, e.g. a health check on the app server itself) the connection's address is the
client.
"""

import importlib
from types import ModuleType

from django.conf import settings
from django.core.checks import CheckMessage, Error, register
from django.http import HttpRequest


def _ipware() -> ModuleType | None:
    try:
        return importlib.import_module("ipware")
    except ImportError:  # the system check below names the missing package
        return None


IPWARE = _ipware()

CALLABLE = "pilotti.core.client_address.client_address"


def client_address(request: HttpRequest) -> str | None:
    proxies: int = settings.PROXY_COUNT
    if proxies and IPWARE is not None and request.META.get("HTTP_X_FORWARDED_FOR"):
        address, _routable = IPWARE.get_client_ip(
            request,
            proxy_order="left-most",
            proxy_count=proxies - 1,
            request_header_order=["HTTP_X_FORWARDED_FOR"],
            strict=False,
        )
        if address:
            return str(address)
    return request.META.get("REMOTE_ADDR") or None


@register("security", deploy=False)
def check_client_address(**kwargs: object) -> list[CheckMessage]:
    """``PROXY_COUNT`` without a working resolver makes every client the proxy: the lockout and
    the rate limits would then stop everyone at once (issue 19, finding 2)."""
    proxies = settings.PROXY_COUNT
    errors: list[CheckMessage] = []
    if not isinstance(proxies, int) or proxies < 0:
        errors.append(Error("PROXY_COUNT must be 0 or a positive whole number.", id="pilotti.E101"))
    elif proxies and IPWARE is None:
        errors.append(
            Error(
                "PROXY_COUNT is set but django-ipware is not installed: every client would share the proxy's address.",
                hint="Install the pinned dependencies (django-axes[ipware]).",
                id="pilotti.E102",
            )
        )
    if getattr(settings, "AXES_CLIENT_IP_CALLABLE", None) != CALLABLE:
        errors.append(
            Error(
                "django-axes does not resolve client addresses with Pilotti's resolver.",
                hint=f"AXES_CLIENT_IP_CALLABLE = {CALLABLE!r}",
                id="pilotti.E103",
            )
        )
    return errors
