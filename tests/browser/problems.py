"""What a page reports going wrong while a browser test looks at it.

`watch(page)` collects, from then on, console errors, uncaught script errors and every refusal
by the Content-Security-Policy (Chromium logs a refusal to the console as "Refused to ..."; the
`securitypolicyviolation` event is caught as well, for refusals that log nothing).
"""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import ConsoleMessage, Page

_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error("CSP violation: " + event.violatedDirective + " blocked " +
                (event.blockedURI || "inline") + " in " + event.sourceFile + ":" +
                event.lineNumber);
});
"""


def watch(page: Page, ignore: Callable[[ConsoleMessage], bool] = lambda message: False
          ) -> list[str]:
    """A list that fills with the page's problems as they happen, each as its message text
    (with the page's address); `ignore` leaves out messages a test provokes on purpose."""
    problems: list[str] = []

    def seen(message: ConsoleMessage) -> None:
        # A document that names no icon (an admin page, a PDF) makes the browser ask for
        # /favicon.ico, which Hofburg does not serve: not a problem of the page.
        if ignore(message) or message.location.get("url", "").endswith("/favicon.ico"):
            return
        if message.type == "error" or "Refused to" in message.text:
            problems.append(f"{page.url}: {message.text}")

    page.add_init_script(_VIOLATIONS)
    page.on("console", seen)
    page.on("pageerror", lambda error: problems.append(f"{page.url}: {error}"))
    return problems
