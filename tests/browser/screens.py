"""The screens the browser tests read pages on: a phone 360 px wide and a desk, in English or
Russian (a second script and longer words), each in a browser context of its own."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 900}
VIEWS = {"en-phone": ("en-GB", PHONE), "en-desktop": ("en-GB", DESKTOP),
         "ru-phone": ("ru-RU", PHONE), "ru-desktop": ("ru-RU", DESKTOP)}


def opened(browser: Browser, locale: str = "en-GB", viewport: dict[str, int] = DESKTOP,
           **options: Any) -> Iterator[Page]:
    """A page in a new context, closed after the test (a fixture yields from it)."""
    context = browser.new_context(locale=locale, viewport=viewport, **options)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        yield page
    finally:
        context.close()


def screens(*names: str) -> Callable[..., Iterator[Page]]:
    """A fixture giving the test a page on each of the named `VIEWS` in turn:
    `reader = screens("en-phone", "ru-desktop")` in a test module."""

    @pytest.fixture(params=[VIEWS[name] for name in names], ids=list(names))
    def screen(request: pytest.FixtureRequest, browser: Browser) -> Iterator[Page]:
        yield from opened(browser, *request.param)

    return screen
