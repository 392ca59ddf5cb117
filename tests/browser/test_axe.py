"""The accessibility check runs on the page that arrives when a click's navigation replaces the
document while axe is running (CI once failed on it: "Cannot read properties of null")."""

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from tests.browser import axe


def test_it_checks_the_page_that_arrives_when_a_navigation_interrupts_it(
    desktop: Page, monkeypatch: pytest.MonkeyPatch
) -> None:
    desktop.goto(reverse("account_login"))
    runs: list[str] = []
    original = axe._run

    def interrupted_once(page: Page) -> list[dict[str, Any]]:
        # The first run is still at work when a navigation lands, as when a click returned
        # before its page had loaded. Its promise never settles on its own, so the navigation
        # always wins: a short axe run on a fast machine could otherwise finish before the
        # next page's response arrived, and the test would check nothing (CI saw that once).
        runs.append(page.url)
        if len(runs) == 1:
            page.evaluate("() => new Promise(() => { window.location.assign('/accounts/password/reset/'); })")
        return original(page)

    monkeypatch.setattr(axe, "_run", interrupted_once)
    violations = axe.axe_violations(desktop)
    assert len(runs) == 2
    assert desktop.url.endswith(reverse("account_reset_password"))
    assert [v for v in violations if v["impact"] in axe.FAILING_IMPACTS] == []
