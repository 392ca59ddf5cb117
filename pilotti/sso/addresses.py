"""Which addresses Pilotti's server may fetch an organisation's sign-in service from.

An organisation admin types the issuer URL, and an anonymous visitor's sign-in then makes the
server fetch it: without a check, any admin could make Pilotti read its own network (cloud
metadata at 169.254.169.254, an internal admin page, a database port) (issue 19, finding 6).
The host is resolved and every address it resolves to must be public. Plain HTTP, and loopback,
only when ``SSO_ALLOW_LOOPBACK_HTTP`` is on (the tests' provider on 127.0.0.1).

The addresses are checked when the settings are saved and again before every request to the
provider; a name that resolves differently between the check and the connection (DNS
rebinding) is not covered: that needs a resolving proxy in front of the server.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _


class RefusedAddress(ValueError):
    pass


def _resolve(host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise RefusedAddress(_("Pilotti could not find %(host)s.") % {"host": host}) from error
    return [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]


def check_provider_url(url: str) -> None:
    """Raises ``RefusedAddress`` (with a message for the admin) unless the URL may be fetched."""
    parts = urlsplit(url)
    loopback_allowed: bool = settings.SSO_ALLOW_LOOPBACK_HTTP
    if parts.scheme != "https" and not (parts.scheme == "http" and loopback_allowed):
        raise RefusedAddress(_("The issuer URL must start with https://."))
    if not parts.hostname:
        raise RefusedAddress(_("The issuer URL has no host name."))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise RefusedAddress(_("The issuer URL has an invalid port.")) from error
    addresses = _resolve(parts.hostname, port)
    if parts.scheme == "http" and not all(address.is_loopback for address in addresses):
        raise RefusedAddress(_("The issuer URL must start with https://."))
    for address in addresses:
        if address.is_loopback and loopback_allowed:
            continue
        if not address.is_global or address.is_multicast:
            raise RefusedAddress(
                _("%(host)s is an address inside a private network; Pilotti fetches only public addresses.")
                % {"host": parts.hostname}
            )
