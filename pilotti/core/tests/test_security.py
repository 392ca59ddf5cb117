import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, override_settings

from conftest import World, signed_in

ROOT = Path(__file__).resolve().parents[3]


def test_it_sends_a_strict_content_security_policy(db: None) -> None:
    policy = Client().get("/accounts/login/")["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    for directive in ("default-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in policy


def test_it_denies_framing_and_sniffing(db: None) -> None:
    response = Client().get("/accounts/login/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_it_keeps_signed_in_pages_out_of_caches(world: World) -> None:
    response = signed_in(world.owner).get("/")
    assert "no-store" in response["Cache-Control"]


@override_settings(LANGUAGE_CODE="fi")
def test_it_speaks_finnish_by_default(db: None) -> None:
    response = Client().get("/accounts/login/")
    assert '<html lang="fi"' in response.text


@pytest.mark.parametrize("language", ["sv", "en"])
def test_it_switches_language(db: None, language: str) -> None:
    client = Client()
    client.post("/i18n/setlang/", {"language": language, "next": "/accounts/login/"})
    assert f'<html lang="{language}"' in client.get("/accounts/login/").text


def test_it_passes_the_deployment_checks_with_production_settings(tmp_path: Path) -> None:
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "pilotti.settings",
        "SECRET_KEY": "x" * 60 + "production-like-secret-key-for-the-check",
        "ALLOWED_HOSTS": "pilotti.example.fi",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "PILOTTI_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_it_names_production_cookies_with_the_host_prefix(tmp_path: Path) -> None:
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "pilotti.settings",
        "PILOTTI_VAR_DIR": str(tmp_path),
    }
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS)"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == ["__Host-pilotti-session", "__Host-pilotti-csrf", "True", "31536000"]


@pytest.mark.parametrize(
    ("language", "expected"), [("fi", "30.10.2019 · 1,5"), ("sv", "30.10.2019 · 1,5"), ("en", "30 Oct 2019 · 1.5")]
)
def test_it_writes_dates_and_decimals_as_the_language_does_in_finland(language: str, expected: str) -> None:
    from datetime import date

    from django.template import Context, Template
    from django.utils import translation

    template = Template('{{ day|date:"SHORT_DATE_FORMAT" }} · {{ hours }}')
    with translation.override(language):
        rendered = template.render(Context({"day": date(2019, 10, 30), "hours": 1.5}))
    assert rendered == expected
