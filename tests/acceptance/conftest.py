"""The five seed pilots end to end: the browser set-up of tests/browser, shared, not copied.

Every test here is marked ``acceptance`` and ``browser`` (each file says so in ``pytestmark``;
the hook below makes sure of it), so ``pytest -m acceptance`` runs exactly these five and the
browser gating applies as in tests/browser: skipped without /usr/bin/chromium on a developer's
machine, failed under CI=true.
"""

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page

# pytest-playwright's option fixtures, overridden for Debian's Chromium and the live server;
# imported so that they apply in this folder too (a conftest's fixtures reach only its own folder).
from tests.browser.conftest import (  # noqa: F401
    CHROMIUM,
    DESKTOP,
    IN_CI,
    PHONE,
    _requests_end_before_the_database_is_emptied,
    _watch_errors,
    base_url,
    browser_context_args,
    browser_type_launch_args,
)

ACCEPTANCE_TESTS = Path(__file__).resolve().parent


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # tryfirst: the markers must be on the items before `-m acceptance` / `-m browser` deselects.
    for item in items:
        if not item.path.is_relative_to(ACCEPTANCE_TESTS):
            continue
        item.add_marker(pytest.mark.browser)
        item.add_marker(pytest.mark.acceptance)
        if not CHROMIUM.exists() and not IN_CI:
            item.add_marker(pytest.mark.skip(reason=f"{CHROMIUM} is missing (apt-get install chromium)"))


OpenPage = Callable[[str], Page]


@pytest.fixture
def open_page(new_context: Any, transactional_db: None) -> Iterator[OpenPage]:
    """Opens a page in a browser of its own, as one person's device: ``"desktop"`` (1280 px) or
    ``"phone"`` (390 px). Each has its own cookies, so several people can take part in one test.

    The database is the live server's, emptied after the test (``transactional_db``), and starts
    with nothing in it. As in tests/browser, any JavaScript error or CSP violation on any of them fails the test."""
    watched: list[tuple[Page, list[str]]] = []

    def open_(kind: str) -> Page:
        if kind == "phone":
            context: BrowserContext = new_context(viewport=PHONE, screen=PHONE, is_mobile=True, has_touch=True)
        else:
            context = new_context(viewport=DESKTOP)
        page = context.new_page()
        page.set_default_timeout(10_000)  # a step that waits longer is broken; fail while it is clear why
        watched.append((page, _watch_errors(page)))
        return page

    yield open_
    errors = [f"{page.url}: {error}" for page, page_errors in watched for error in page_errors]
    assert not errors, "errors on the browser console:\n" + "\n".join(errors)
