"""Browser tests: Debian's Chromium, driven by pytest-playwright, against pytest-django's live server.

Every test in this folder is marked ``browser``. Without /usr/bin/chromium they are skipped on a
developer's machine and fail under CI=true, so that CI never passes by skipping them. Never run
``playwright install``: the machine has no network for its browser download.
"""

import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, ConsoleMessage, Page
from pytest_django.live_server_helper import LiveServer

# Playwright's sync API runs an asyncio event loop in the test's thread, and Django refuses ORM
# calls from a thread with a running loop (SynchronousOnlyOperation). The tests never share a
# connection with async code, so telling Django the thread is safe is correct here. Set before
# any test runs: Django reads it at each ORM call.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
BROWSER_TESTS = Path(__file__).resolve().parent
IN_CI = os.environ.get("CI", "").lower() == "true"

# What this machine needs for a headless Chromium run as root with no network: no sandbox (root),
# no GPU, and none of the background connections that a closed network refuses at every start.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


# tryfirst: the marker must be on the items before pytest's own hook deselects by `-m browser`.
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # A conftest's hook sees every collected item, not only this folder's.
    for item in items:
        if not item.path.is_relative_to(BROWSER_TESTS):
            continue
        item.add_marker(pytest.mark.browser)
        if not CHROMIUM.exists() and not IN_CI:
            item.add_marker(pytest.mark.skip(reason=f"{CHROMIUM} is missing (apt-get install chromium)"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """pytest-playwright's launch options (--headed, --slowmo) with Debian's Chromium."""
    if not CHROMIUM.exists():
        # Only reached under CI=true: elsewhere the tests were skipped at collection.
        pytest.fail(f"CI=true and {CHROMIUM} is missing: browser tests must run in CI (apt-get install chromium)")
    headless = browser_type_launch_args.get("headless", True)
    return {
        **browser_type_launch_args,
        "headless": headless,
        "executable_path": str(CHROMIUM),
        "args": CHROMIUM_ARGS if headless else [arg for arg in CHROMIUM_ARGS if arg != "--headless"],
    }


@pytest.fixture(scope="session")
def base_url(live_server: LiveServer) -> str:
    """Relative URLs in page.goto() go to the live server (pytest-playwright reads this fixture)."""
    return str(live_server.url)


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    # Finnish first, as most of Pilotti's users have it: LocaleMiddleware reads Accept-Language.
    return {**browser_context_args, "locale": "fi-FI", "timezone_id": "Europe/Helsinki"}


def _watch_errors(page: Page) -> list[str]:
    """Collects JavaScript errors and CSP violations, which Chromium reports on the console."""
    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        # An HTTP error status is logged as "Failed to load resource"; tests check the
        # statuses that matter themselves (the lockout page answers 429 on purpose).
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            where = message.location.get("url")
            errors.append(f"{message.text} ({where})" if where else message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def _page_in(context: BrowserContext) -> Iterator[Page]:
    page = context.new_page()
    errors = _watch_errors(page)
    yield page
    # A strict Content-Security-Policy fails silently for the user: a blocked script or style
    # shows only on the console. Any such error fails the test.
    assert not errors, "errors on the browser console:\n" + "\n".join(errors)


@pytest.fixture
def desktop_context(new_context: Any) -> BrowserContext:
    context: BrowserContext = new_context(viewport=DESKTOP)
    return context


@pytest.fixture
def phone_context(new_context: Any) -> BrowserContext:
    context: BrowserContext = new_context(viewport=PHONE, screen=PHONE, is_mobile=True, has_touch=True)
    return context


@pytest.fixture
def desktop(desktop_context: BrowserContext) -> Iterator[Page]:
    """A page 1280 px wide."""
    yield from _page_in(desktop_context)


@pytest.fixture
def phone(phone_context: BrowserContext) -> Iterator[Page]:
    """A page 390 px wide, as on a phone."""
    yield from _page_in(phone_context)


@pytest.fixture(autouse=True)
def _requests_end_before_the_database_is_emptied(transactional_db: None) -> Iterator[None]:
    """Waits, after each test, for the live server to finish the requests the browser left behind.

    A page can still be loading (an htmx panel, a redirect) when the test's last assertion passes.
    The live server answers it in a thread that shares the test's SQLite connection; when that
    request outlived the test it met the database being emptied, and a worker crashed in CI.
    Autouse and asking for the database: set up before the test's pages, so torn down after they
    and their browser contexts closed, and before the database is emptied.
    """
    yield
    for thread in threading.enumerate():
        if thread.name.endswith("(process_request_thread)"):
            thread.join(timeout=10)
