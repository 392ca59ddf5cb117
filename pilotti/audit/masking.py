"""Secrets that travel in URL paths, masked before a path is written to any log.

A personal questionnaire link (/q/<token>/), a client panel (/p/<code>/), a calendar feed
(/calendar/<token>.ics), an invitation (/invitations/<token>/) and allauth's password-reset and
e-mail confirmation keys are bearer secrets: whoever reads the path can use it. Request logs
(Django's ``django.request``/``django.server``, gunicorn's access log) and Pilotti's own
security events keep the shape of the path and replace the secret with ``…``.
"""

import logging
import re

_SECRET_IN_PATH = re.compile(
    r"(?P<prefix>/(?:q|p|invitations|accounts/confirm-email|accounts/password/reset/key)/)[^/?#\s\"]+"
    r"|(?P<feed>/calendar/)[^/?#\s\"]+(?=\.ics)"
)


def mask_secrets(text: str) -> str:
    """The text with every path secret replaced by ``…``; other text is left as it is."""
    return _SECRET_IN_PATH.sub(lambda m: (m.group("prefix") or m.group("feed")) + "…", text)


class MaskSecretsFilter(logging.Filter):
    """A logging filter for the handlers: formats the record once and masks the result, so
    that a secret passed as an argument (``"Not Found: %s", path``) is masked too."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_secrets(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
