"""Accessibility checks with axe-core, run in the page under test."""

from functools import cache
from pathlib import Path
from typing import Any

from playwright.sync_api import Error, Page

AXE_JS = Path(__file__).resolve().parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
FAILING_IMPACTS = ("serious", "critical")
# Set on the document being checked, to tell it from one that replaces it.
_MARK = "pilottiAxeChecking"


@cache
def _axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Runs axe on the page as it is now and returns its violations, all impacts."""
    # Pilotti sends a strict Content-Security-Policy (script-src 'self' and a nonce), so a
    # <script> tag added to the page (page.add_script_tag) is blocked like any injected script.
    # page.evaluate() runs the source through the DevTools protocol, which CSP does not apply
    # to, so the page keeps its real policy while axe runs. (bypass_csp=True on the context
    # would also work, but would hide from every test the CSP violations that the page
    # fixtures report.)
    try:
        page.evaluate(f"() => {{ window.{_MARK} = true; }}")
        return _run(page)
    except Error as interrupted:
        # A click returns before the page it leads to has loaded: when that navigation replaces
        # the document while axe runs, axe fails ("Execution context was destroyed", or no
        # document), and the check belongs to the page that arrives. Playwright can report the
        # failure before it has seen the new document, so waiting for "load" may return at once
        # on the old one; the new document is the one without the mark set above, and it is
        # checked once it has loaded. No new document within the wait: the failure was real.
        try:
            page.wait_for_function(
                f"() => window.{_MARK} === undefined && document.readyState === 'complete'", timeout=15_000
            )
        except Error:
            raise interrupted from None
        return _run(page)


def _run(page: Page) -> list[dict[str, Any]]:
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    result: dict[str, Any] = page.evaluate("async () => await window.axe.run(document, {resultTypes: ['violations']})")
    return list(result["violations"])


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- [{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"][:5]:
            target = " ".join(str(part) for part in node["target"])
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    {target}\n      {node['html'][:200]}\n      {summary}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    … and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    """Fails with a readable list when axe finds serious or critical problems on the page."""
    violations = [v for v in axe_violations(page) if v["impact"] in FAILING_IMPACTS]
    assert not violations, f"axe found accessibility problems on {page.url}:\n{describe(violations)}"
