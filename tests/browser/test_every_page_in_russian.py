"""The walk of every page (`test_every_page_on_a_phone`, decision 0046) in Russian: the
same pages, viewers and checks, with the interface in Russian (longer words, another script),
in a module of its own so that the two languages' walks run in two test processes."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tests.browser.test_content_security_policy import every_desk
from tests.browser.test_every_page_on_a_phone import ids, walk_every_page

__all__ = ["every_desk", "ids"]  # the fixtures, imported for pytest to find


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_every_page_fits_a_phone_and_passes_axe_in_russian(browser: Browser, live_server: object,
                                                           ids: dict[str, int]) -> None:
    walk_every_page(browser, str(live_server), ids, "ru")
