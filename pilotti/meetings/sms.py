"""Sending text messages through a pluggable backend, like Django's e-mail backends.

``settings.SMS_BACKEND`` names a class with ``send(to, body)``. Pilotti ships two: the console
backend (prints the message, for development only) and the locmem backend (keeps messages in
``outbox``, for tests). A gateway's backend is a small class of the same shape in the
deployment's own code. Without one (``SMS_BACKEND`` empty, the default when DEBUG is off) no
page offers text messages and nothing is sent by them.

The console backend prints phone numbers and personal links into the process's output, which a
production server keeps in its journal; the page would still say "sent". So it works only with
DEBUG on: a system check stops a DEBUG-off start naming it, and it refuses to print if named anyway.
"""

import logging
import sys
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.core.checks import CheckMessage, Error, register
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

logger = logging.getLogger("pilotti.sms")


@dataclass(frozen=True)
class TextMessage:
    to: str
    body: str


class SMSBackend(Protocol):
    def send(self, to: str, body: str) -> None: ...


CONSOLE_BACKEND = "pilotti.meetings.sms.ConsoleBackend"


class ConsoleBackend:
    """Prints the message to standard output and logs that one was "sent" (DEBUG only)."""

    def send(self, to: str, body: str) -> None:
        if not settings.DEBUG:
            raise ImproperlyConfigured("The console text-message backend works only with DEBUG on.")
        sys.stdout.write(f"SMS to {to}:\n{body}\n{'-' * 40}\n")
        sys.stdout.flush()
        logger.info("Text message printed to the console (SMS_BACKEND is the console backend).")


outbox: list[TextMessage] = []


class LocmemBackend:
    """Keeps messages in ``pilotti.meetings.sms.outbox``; tests read and clear it."""

    def send(self, to: str, body: str) -> None:
        outbox.append(TextMessage(to=to, body=body))


def sms_available() -> bool:
    """Whether text messages can be sent: pages offer them only then."""
    return bool(settings.SMS_BACKEND)


@register("security")
def check_sms_backend(**kwargs: object) -> list[CheckMessage]:
    if settings.SMS_BACKEND == CONSOLE_BACKEND and not settings.DEBUG:
        return [
            Error(
                "SMS_BACKEND is the console backend with DEBUG off: it would print phone numbers and "
                "personal links into the server's log.",
                hint="Set SMS_BACKEND to your SMS gateway's backend, or leave it empty for no text messages.",
                id="pilotti.E120",
            )
        ]
    return []


def get_backend() -> SMSBackend:
    if not sms_available():
        raise ImproperlyConfigured("No text-message backend: SMS_BACKEND is empty.")
    backend: SMSBackend = import_string(settings.SMS_BACKEND)()
    return backend


def send_sms(to: str, body: str) -> None:
    get_backend().send(to, body)
