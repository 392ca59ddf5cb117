"""The API's documentation page works under Pilotti's Content-Security-Policy: its scripts are
django-ninja's own static files (no CDN, no inline script), checked in Debian's Chromium."""

import os
from pathlib import Path

import pytest
from django.test import Client
from playwright.sync_api import Playwright
from pytest_django.live_server_helper import LiveServer

# As in tests/browser/conftest.py: Playwright's sync API runs an event loop in the test's thread.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def test_the_schema_is_served_at_its_contract_address(db: None) -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/meetings/{meeting_uuid}/attendance" in schema["paths"]
    assert schema["components"]["securitySchemes"]["TokenAuth"] == {"type": "http", "scheme": "bearer"}


def test_the_docs_page_loads_only_its_own_scripts(db: None) -> None:
    response = Client().get("/api/v1/docs")
    html = response.content.decode()
    assert response.status_code == 200
    assert "https://" not in html
    assert "script-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.browser
@pytest.mark.skipif(
    not CHROMIUM.exists() and os.environ.get("CI", "").lower() != "true", reason="needs /usr/bin/chromium"
)
def test_the_docs_page_shows_every_operation_without_a_csp_violation(
    live_server: LiveServer, playwright: Playwright
) -> None:
    # pytest-playwright's session-wide Playwright, which the browser tests use too: a second
    # sync_playwright() in the same worker refuses to start while theirs runs an event loop.
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
    try:
        page = browser.new_page()
        problems: list[str] = []
        page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.goto(f"{live_server.url}/api/v1/docs")
        page.wait_for_selector(".opblock", timeout=30_000)
        operations = page.locator(".opblock").count()
    finally:
        browser.close()
    schema = Client().get("/api/v1/openapi.json").json()
    assert operations == sum(len(methods) for methods in schema["paths"].values())
    assert not problems, problems
