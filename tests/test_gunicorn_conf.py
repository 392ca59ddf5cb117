"""deploy/gunicorn.conf.py is the one place for gunicorn's settings, and its access log masks
the bearer tokens of the participants' pages (issue 19, finding 5)."""

import re
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from gunicorn.app.base import Application

ROOT = Path(__file__).resolve().parent.parent
CONFIG = "deploy/gunicorn.conf.py"


class FromFile(Application):
    """gunicorn's settings as the config file alone makes them."""

    def load_config(self) -> None:
        self.load_config_from_file(str(ROOT / CONFIG))

    def load(self) -> Any:
        raise NotImplementedError


def test_the_configured_access_log_masks_a_personal_links_token(capsys: pytest.CaptureFixture[str]) -> None:
    config = FromFile().cfg
    assert config.accesslog == "-"
    logger = config.logger_class(config)
    token = "z" * 43
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/q/{token}/?lang=fi",
        "PATH_INFO": f"/q/{token}/",
        "QUERY_STRING": "lang=fi",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "192.0.2.1",
    }
    response = SimpleNamespace(status="200 OK", headers=[], sent=1024, status_code=200)
    request = SimpleNamespace(headers=[("REFERER", f"https://pilotti.example/q/{token}/")])
    logger.access(response, request, environ, timedelta(seconds=1))
    line = capsys.readouterr().out
    assert "GET /q/…/?lang=fi HTTP/1.1" in line
    assert token not in line


def test_make_run_and_the_systemd_unit_start_gunicorn_with_the_config_file() -> None:
    makefile = (ROOT / "Makefile").read_text()
    [run] = re.findall(r"^\t\$\(VENV\)/bin/gunicorn .*$", makefile, flags=re.MULTILINE)
    unit = (ROOT / "docs" / "deployment.md").read_text()
    [exec_start] = re.findall(r"^ExecStart=\S+/gunicorn .*\n.*$", unit, flags=re.MULTILINE)
    for command in (run, exec_start):
        assert f"--config {CONFIG}" in command
        # The logger is set in the file only: a command line's own would silently replace it.
        assert "--logger-class" not in command
        assert "--access-logformat" not in command
