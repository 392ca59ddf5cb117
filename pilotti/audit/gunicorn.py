"""gunicorn's access log without bearer secrets (``logger_class`` in deploy/gunicorn.conf.py).

gunicorn writes the request line, the path and the Referer header of every request; on the
participants' pages those carry a personal link's token (docs/security.md). This logger masks
them in every field before formatting, whatever ``--access-logformat`` says.
"""

from typing import Any

from gunicorn.glogging import Logger

from pilotti.audit.masking import mask_secrets


class MaskingLogger(Logger):
    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> dict[str, Any]:
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        return {key: mask_secrets(value) if isinstance(value, str) else value for key, value in atoms.items()}
