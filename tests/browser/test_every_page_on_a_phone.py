"""Every page of the platform on a phone and on a desktop (decision 0046).

Each page is visited at 360×800 and at 1280×900, by a visitor and by a signed-in monitor
entitled to the desks' records, in English and in Russian; the home page also by a member of
a State's delegation, whose "My State" cards are all filled (decision 0072). Each must:

- not scroll sideways (a wide table scrolls inside its own labelled box instead),
- keep the site header within about a quarter of the phone's first screen,
- have no serious or critical axe-core finding,
- in a language other than English, hold no English interface word or month in its visible
  text (`english_words`, decision 0074).

The walk collects every finding before failing, so that one run names all of them. The
pages come from the URL configuration: `test_the_walk_covers_every_page_route` fails when a
route is added that the walk neither visits nor sets aside with a reason.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from playwright.sync_api import Browser, BrowserContext, Page, expect

from hofburg.monitoring.models import Observation
from tests.browser.axe import serious_violations
from tests.browser.english_words import english_left
from tests.browser.my_state import CARDS, DELEGATE, fill_my_state
from tests.browser.test_content_security_policy import PAGES as CSP_PAGES
from tests.browser.test_content_security_policy import PASSPHRASE, every_desk
from tests.monitoring.test_pages import REPORT_DATE

__all__ = ["every_desk"]  # the fixture, imported for pytest to find

PHONE = {"width": 360, "height": 800}
DESKTOP = {"width": 1280, "height": 900}
# "About a quarter" of the phone's first screen: the header leaves the rest to the page.
HEADER_SHARE = 0.25

# The content security test's pages (the PDF aside: Chromium's viewer is not our markup),
# and the pages it does not visit.
# The API's Swagger UI page is the library's own markup, without the site's header or language.
PAGES = [path for path, _ready in CSP_PAGES
         if not path.endswith("/pdf/") and not path.startswith("/api/")] + [
    "/accounts/login/",
    "/registry/partners/",
    "/registry/institutions/",
    "/csbm/checker/",
    "/csbm/exchanges/FI/2026/map/",
    "/csbm/exchanges/FI/2026/changes/",
    "/documents/{document}/edit/",
    "/monitoring/observations/{observation}/",
    "/decisions/",
    "/decisions/meetings/",
    "/decisions/statements/",
    "/decisions/rounds/",
    "/decisions/mechanisms/",
    "/decisions/invocations/",
    "/decisions/positions/",
    "/projects/",
    "/projects/map/",
    "/projects/budget/",
    "/projects/personnel/",
    "/elections/",
    "/search/?q=Austria",
    "/monitoring/review/",
    "/glossary/",
    # The confirmation steps of what makes figures public: the fixture's event is published
    # already, so its page says why it cannot be published again; its period is released, so
    # the release page offers the withdrawal.
    "/monitoring/events/{event}/publish/",
    f"/monitoring/reports/{REPORT_DATE}/release/",
]

# The delegation member's walk: the home page with My State, and the State's own page.
DELEGATE_PAGES = ["/", "/registry/states/AT/"]

# What shows that a page's script has drawn its map or chart (the others are ready on "load").
READY = {path: (ready[0], str(ready[1]), str(ready[2]))
         for path, ready in CSP_PAGES if ready and ready[1]}
READY["/projects/map/"] = ("#projects-map", "data-ready", "true")

# Routes the walk does not visit, each with its reason. Routes with parameters of the newer
# desks (decisions, projects, elections) are walked by their own phone tests.
NOT_WALKED = {
    "healthz": "plain text for probes", "metrics": "Prometheus text",
    "set_language": "POST only", "admin": "Django's admin, tested for its policy",
    "admin_login": "Django's admin", "api": "JSON, and Swagger UI's own page",
    "core:logout": "POST only", "csbm:checker_answer": "htmx fragment of the checker",
    "csbm:exchange_upload": "POST only: the form on /csbm/exchanges/ of a delegation officer, "
                            "with its refusals, walked by test_release_and_upload_pages.py",
    "documents:document_download": "a file",
    "monitoring:service_worker": "a script", "monitoring:submit": "POST only",
    "monitoring:verify_observation": "POST only", "monitoring:reject_observation": "POST only",
    "monitoring:correct_observation": "POST only", "monitoring:verify_event": "POST only",
    "monitoring:withdraw_publication": "POST only (a form on the event's page)",
    "monitoring:declassify_event": "POST only",
    "monitoring:map_layers": "JSON", "monitoring:map_data": "JSON",
    "monitoring:submit_photo": "POST only (the offline form sends photos there)",
    "monitoring:observation_photo": "an image file",
    "monitoring:report_pdf": "PDF",
    "monitoring:withdraw_release": "POST only (a form on the release page)",
    "registry:map_areas": "JSON",
    "csbm:calendar_ics": "an iCalendar file", "csbm:calendar_csv": "a CSV file",
    "monitoring:trends_csv": "a CSV file",
    "openrosa": "OpenRosa XML for ODK Collect",
    "decisions": "routes with a record, walked by tests/browser/test_decisions_*.py",
    "projects": "routes with a record, walked by tests/browser/test_projects_pages.py",
    "elections": "routes with a record, walked by tests/browser/test_elections_pages.py, "
                 "test_elections_boards.py, test_elections_organisation.py (areas, teams, "
                 "the phase) and test_elections_enketo.py / test_elections_clerk_entry.py",
    "cases": "the protected desk behind two-factor sign-in, walked by "
             "tests/browser/test_cases_pages.py, test_cases_records_pages.py and "
             "test_cases_forms.py (the pages that record)",
}


def _routes(patterns: list[URLPattern | URLResolver], prefix: str = "",
             namespace: str = "") -> Iterator[tuple[str, str]]:
    """(route, name) for every page route of the URL configuration."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            label = (entry.namespace or str(entry.pattern).strip("/^")) or namespace
            yield from (
                (route, name or label)
                for route, name in _routes(entry.url_patterns, prefix + str(entry.pattern), inner))
        else:
            name = f"{namespace}{entry.name}" if entry.name else ""
            yield prefix + str(entry.pattern), name


def _set_aside(route: str, name: str) -> bool:
    return any(name == key or name.startswith(key + ":") or route.startswith(key + "/")
               for key in NOT_WALKED)


def test_the_walk_covers_every_page_route() -> None:
    walked = {resolve(re.sub(r"\{\w+\}", "1", path).replace(REPORT_DATE, "2026-01-01")
                      .split("?")[0])
              .view_name for path in PAGES}
    missing = [f"{route} ({name})" for route, name in _routes(get_resolver().url_patterns)
               if name not in walked and not _set_aside(route, name)]
    assert missing == [], "pages neither walked nor set aside: " + ", ".join(missing)


def _findings(page: Page, path: str, label: str, *, phone: bool, axe: bool = False,
              language: str = "en") -> list[str]:
    found = []
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    if overflow > 0:
        wide = page.evaluate("""() => [...document.querySelectorAll('main *')].filter(
            e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1
                 && !e.closest('.table-scroll'))
            .slice(0, 3)
            .map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''))""")
        found.append(f"{label} {path}: {overflow}px sideways ({', '.join(wide)})")
    if phone:
        header = page.evaluate(
            "() => document.querySelector('.site-header').getBoundingClientRect().height")
        if header > PHONE["height"] * HEADER_SHARE:
            found.append(f"{label} {path}: header {header:.0f}px tall")
    if phone or axe:
        # axe once per page, on the phone: its rules (contrast, names, landmarks, ARIA) read
        # the same markup at either width, and it is the walk's slowest step. The delegate's
        # few pages are checked at both widths (`axe`): My State's cards sit side by side on
        # the desktop and one above the other on the phone.
        found.extend(f"{label} {path}: {line}" for line in serious_violations(page))
        if language != "en":
            found.extend(f"{label} {path}: English left: {piece}"
                         for piece in english_left(page, language))
    for line in found:
        print(line)  # as they come: a slow walk tells what it finds before its end
    return found


def _my_state_shown(page: Page) -> None:
    """Every card of My State is there, each with its "last updated" line, and the provisions
    behind the deadlines are opened, so that the checks read them too."""
    for heading in CARDS:
        expect(page.locator(heading)).to_be_visible()
    expect(page.locator(".my-state .card .updated")).to_have_count(len(CARDS))
    expect(page.locator(".my-state-deadlines .status-missing").first).to_be_visible()
    page.evaluate("() => document.querySelectorAll('.my-state details')"
                  ".forEach(d => { d.open = true; })")


def _walk(context: BrowserContext, base: str, ids: dict[str, int], who: str,
          language: str, paths: list[str] = PAGES) -> list[str]:
    page = context.new_page()
    page.set_default_timeout(20_000)
    if who != "visitor":  # by the fields' names: their labels are in the page's language
        page.goto(base + "/accounts/login/")
        page.locator("input[name=username]").fill(who)
        page.locator("input[name=password]").fill(PASSPHRASE)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(base + "/")
    found: list[str] = []
    for path in paths:
        url = base + path.format(**ids)
        # Each page opens on the phone, as its reader would, and is then widened.
        page.set_viewport_size(PHONE)
        response = page.goto(url)
        assert response is not None and response.status < 500, url
        if who == "visitor" and "/accounts/login/" in page.url and path != "/accounts/login/":
            continue  # signed-in only: the sign-in page, walked on its own
        if response.ok and path in READY:  # a map or chart its script draws after "load"
            selector, attribute, value = READY[path]
            expect(page.locator(selector)).to_have_attribute(attribute, value)
        assert page.locator("html").get_attribute("lang") == language, url
        if who == DELEGATE and path == "/":
            _my_state_shown(page)
        started = time.monotonic()
        for label, size in (("phone", PHONE), ("desktop", DESKTOP)):
            page.set_viewport_size(size)
            found += _findings(page, path, f"{who}/{language}/{label}",
                               phone=label == "phone", axe=who == DELEGATE,
                               language=language)
        print(f"{who}/{language} {path}: {time.monotonic() - started:.1f}s")
    page.close()
    return found


@pytest.fixture
def ids(every_desk: dict[str, int]) -> dict[str, int]:
    observation = Observation.objects.order_by("pk").first()
    assert observation is not None
    fill_my_state(PASSPHRASE)
    return {**every_desk, "observation": observation.pk}


def walk_every_page(browser: Browser, base: str, ids: dict[str, int], language: str) -> None:
    """The walk in one language, by the visitor, the monitor and a delegation's member;
    fails naming every finding. English here; Russian in `test_every_page_in_russian.py`, a
    module of its own so that two test processes share the walks (`--dist loadfile` keeps a
    module in one)."""
    found: list[str] = []
    for who, paths in (("visitor", PAGES), ("mona", PAGES), (DELEGATE, DELEGATE_PAGES)):
        context = browser.new_context(locale="en-GB", viewport=PHONE)
        context.add_cookies([{"name": "django_language", "value": language, "url": base}])
        found += _walk(context, base, ids, who, language, paths)
        context.close()
    print(f"\n{len(found)} findings in {language}")
    assert found == [], f"{len(found)} findings:\n" + "\n".join(found)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_every_page_fits_a_phone_and_passes_axe(browser: Browser, live_server: object,
                                                ids: dict[str, int]) -> None:
    walk_every_page(browser, str(live_server), ids, "en")


# -- the glossary on its own (decision 0052): the walk's checks, and its filter ---------------

GLOSSARY_PAGES = ["/glossary/", "/glossary/?q=quota", "/glossary/?q=no-such-term"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_glossary_fits_a_phone_passes_axe_and_filters_as_one_types(
        browser: Browser, live_server: object, language: str) -> None:
    base = str(live_server)
    context = browser.new_context(locale="en-GB", viewport=PHONE)
    context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    page = context.new_page()
    page.set_default_timeout(20_000)
    found: list[str] = []
    for path in GLOSSARY_PAGES:
        page.set_viewport_size(PHONE)
        response = page.goto(base + path)
        assert response is not None and response.ok, path
        assert page.locator("html").get_attribute("lang") == language
        for label, size in (("phone", PHONE), ("desktop", DESKTOP)):
            page.set_viewport_size(size)
            found += _findings(page, path, f"visitor/{language}/{label}", phone=label == "phone",
                               language=language)
    assert found == [], f"{len(found)} findings:\n" + "\n".join(found)

    # Typing filters the list in place: an abbreviation, then a word without its accents.
    page.set_viewport_size(PHONE)
    page.goto(base + "/glossary/")
    entries = page.locator(".glossary-entry")
    total = entries.count()
    assert total >= 25
    page.locator("input[data-glossary-filter]").fill("AIAM" if language == "en" else "ЕСОВ")
    expect(page.locator(".glossary-entry:visible")).to_have_count(1)
    expect(page.locator("#term-aiam")).to_be_visible()
    expect(page.locator("[data-glossary-count]")).to_contain_text("1")
    page.locator("input[data-glossary-filter]").fill("participating state" if language == "en"
                                                     else "государство-участник")
    assert page.locator(".glossary-entry:visible").count() >= 1
    page.locator("input[data-glossary-filter]").fill("zzzz-no-such-term")
    expect(page.locator(".glossary-entry:visible")).to_have_count(0)
    expect(page.locator("[data-glossary-none]")).to_be_visible()
    page.locator("input[data-glossary-filter]").fill("")
    expect(page.locator(".glossary-entry:visible")).to_have_count(total)
    # The footer of every page leads to it.
    page.goto(base + "/")
    page.locator("footer a[href='/glossary/']").click()
    page.wait_for_url(base + "/glossary/")
    context.close()
