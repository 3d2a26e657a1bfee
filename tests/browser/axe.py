"""Accessibility checks with axe-core, injected into the page under test.

`serious_violations(page)` runs axe on the page as it stands and returns the violations of
impact "serious" or "critical", each as one line naming the rule and the first offending
elements, so that a failing assertion says what to fix.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Page

AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
BLOCKING = ("serious", "critical")


def violations(page: Page) -> list[dict[str, Any]]:
    """All of axe's violations on the page (WCAG 2.x A and AA rules and best practices)."""
    # Evaluated through the browser's debugging protocol, not added as a <script> element,
    # which the page's Content-Security-Policy (no inline script) would refuse.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result: dict[str, Any] = page.evaluate("async () => await axe.run(document)")
    found: list[dict[str, Any]] = result["violations"]
    return found


def serious_violations(page: Page) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:3])
        for v in violations(page) if v.get("impact") in BLOCKING
    ]


def fits_and_passes_axe(page: Page) -> None:
    """The page as it stands scrolls no wider than the screen and has no serious or critical
    axe finding; a failure names the first elements that stick out."""
    page.wait_for_load_state()
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    wide = page.evaluate("""() => [...document.querySelectorAll('main *')].filter(
        e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
        .slice(0, 5).map(e => e.tagName + '.' + e.className + '#' + e.id)""")
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the screen: {wide}"
    found = serious_violations(page)
    assert found == [], f"{page.url}: {found}"
