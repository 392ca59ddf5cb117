"""Sending text messages through a pluggable backend, like Django's e-mail backends.

``settings.SMS_BACKEND`` names a class with ``send(to, body)``. Pilotti ships two: the console
backend (the default: prints the message, for development and for installs without an SMS
gateway) and the locmem backend (keeps messages in ``outbox``, for tests). A gateway's backend
is a small class of the same shape in the deployment's own code.
"""

import logging
import sys
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("pilotti.sms")


@dataclass(frozen=True)
class TextMessage:
    to: str
    body: str


class SMSBackend(Protocol):
    def send(self, to: str, body: str) -> None: ...


class ConsoleBackend:
    """Prints the message to standard output and logs that one was "sent"."""

    def send(self, to: str, body: str) -> None:
        sys.stdout.write(f"SMS to {to}:\n{body}\n{'-' * 40}\n")
        sys.stdout.flush()
        logger.info("Text message printed to the console (SMS_BACKEND is the console backend).")


outbox: list[TextMessage] = []


class LocmemBackend:
    """Keeps messages in ``pilotti.meetings.sms.outbox``; tests read and clear it."""

    def send(self, to: str, body: str) -> None:
        outbox.append(TextMessage(to=to, body=body))


def get_backend() -> SMSBackend:
    backend: SMSBackend = import_string(settings.SMS_BACKEND)()
    return backend


def send_sms(to: str, body: str) -> None:
    get_backend().send(to, body)
