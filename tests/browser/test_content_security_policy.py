"""Every desk's main pages work under the Content-Security-Policy (decision 0019).

The pages are visited with their scripts at work (maps drawn, charts drawn, the checker
answering through htmx, the offline form cached); any console error, script error or refusal
by the policy fails the test, and the policy itself must allow no inline script and no eval.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import APIResponse, Page, Response, expect

from hofburg.core.models import Affiliation, Classification, Role, User
from hofburg.csbm import services as csbm
from hofburg.csbm.services import HoldingIn, UnitIn
from hofburg.documents.services import register_document
from hofburg.monitoring.models import Event
from tests.browser import problems
from tests.csbm.test_pages import create_desk
from tests.monitoring.rows import release
from tests.monitoring.test_pages import REPORT_DATE, crossing_pair

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSPHRASE = "a-long-enough-passphrase"


@pytest.fixture
def every_desk(transactional_db: None) -> dict[str, int]:
    """States, activities and an exchange, a document, and a published event; the ids the
    pages need."""
    create_desk()
    csbm.submit_exchange(None, csbm.ExchangeSubmission(
        state="FI", year=2026, submitted_on=date(2025, 12, 10),
        units=[UnitIn("Karelia Brigade", level="formation", personnel=3000),
               UnitIn("Jaeger Battalion", parent="Karelia Brigade")],
        holdings=[HoldingIn("mortars", 30, unit="Karelia Brigade")], declared_evaluation_quota=1,
        classification=Classification.PUBLIC))
    mission = Affiliation.objects.create(code="mission", name="Exercise Monitoring Mission",
                                         kind=Affiliation.Kind.FIELD_OPERATION, is_exercise=True)
    mona = User.objects.create_user("mona", password=PASSPHRASE, affiliation=mission,
                                    roles=[Role.READER, Role.EDITOR, Role.ADMINISTRATOR])
    crossing_pair(mona)
    event = Event.objects.get()
    release(mona, event)
    document = register_document(
        mona, symbol="SEC.GAL/1/26", title="Daily report summary", date=event.report_date,
        originator="Exercise Monitoring Mission", original_language="en",
        classification=Classification.PUBLIC, is_exercise=True)
    return {"event": event.pk, "document": document.pk}


def policy_of(response: Response | APIResponse | None) -> dict[str, list[str]]:
    assert response is not None
    header = response.headers.get("content-security-policy")
    assert header, f"{response.url} has no Content-Security-Policy"
    directives: dict[str, list[str]] = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def assert_strict(response: Response | APIResponse | None) -> None:
    policy = policy_of(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert not {"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'"} & {
        source for sources in policy.values() for source in sources}


def sign_in(page: Page, base: str, username: str, path: str = "/accounts/login/") -> None:
    page.goto(base + path)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSPHRASE)
    page.get_by_role("button", name=re.compile("Sign in|Log in")).click()
    page.wait_for_load_state()


# Each page, and what shows that its scripts have done their work.
PAGES = [
    ("/", None),
    ("/registry/map/", ("#osce-map", "data-ready", "true")),
    ("/registry/states/", None),
    ("/registry/states/AT/", None),
    ("/registry/chairmanships/", None),
    ("/registry/field-operations/", None),
    ("/registry/conflicts/", None),
    ("/documents/", None),
    ("/documents/new/", None),
    ("/documents/{document}/", None),
    ("/csbm/", None),
    ("/csbm/what-if/", None),
    ("/csbm/calendar/", None),
    ("/csbm/quotas/", None),
    ("/csbm/scorecard/", None),
    ("/csbm/exchanges/", None),
    ("/csbm/exchanges/FI/2026/", None),
    ("/csbm/activities/AT/alpine-shield-2026/", None),
    ("/monitoring/", None),
    ("/monitoring/map/", ("#monitoring-map", "data-ready", "true")),
    ("/monitoring/trends/", ("#chart-categories", "data-ready", "true")),
    ("/monitoring/events/", None),
    ("/monitoring/events/{event}/", ("#event-map", "data-ready", "true")),
    ("/monitoring/observations/", None),
    ("/monitoring/observe/", ("#observation-form", "data-cached", "true")),
    ("/monitoring/reports/", None),
    (f"/monitoring/reports/{REPORT_DATE}/", None),
    # WeasyPrint's PDF, shown inline: Chromium's viewer works under object-src 'none'.
    (f"/monitoring/reports/{REPORT_DATE}/pdf/", None),
    ("/accounts/tokens/", None),
    ("/api/v1/docs", ("#swagger-ui .information-container", None, None)),
    ("/audit/", None),
]


def test_every_desks_pages_run_under_the_policy_without_a_refusal(
    page: Page, live_server: object, every_desk: dict[str, int]
) -> None:
    base = str(live_server)
    seen = problems.watch(page)
    sign_in(page, base, "mona")
    for path, ready in PAGES:
        url = base + path.format(**every_desk)
        response = page.goto(url)
        assert response is not None and response.ok, path
        # A PDF opens in Chromium's viewer, whose navigation reports the viewer's own headers:
        # the file's are read by asking for it again.
        assert_strict(page.request.get(url) if path.endswith("/pdf/") else response)
        if ready:
            # The API's documentation builds the whole OpenAPI document first: seconds when the
            # machine is busy. The wait is for the page to be drawn, not a measure of speed.
            selector, attribute, value = ready
            if attribute:
                expect(page.locator(selector)).to_have_attribute(attribute, value,
                                                                 timeout=30_000)
            else:
                expect(page.locator(selector)).to_be_visible(timeout=30_000)
        page.wait_for_load_state("networkidle")
        assert seen == [], path


def test_the_scripted_parts_work_under_the_policy(
    page: Page, live_server: object, every_desk: dict[str, int]
) -> None:
    base = str(live_server)
    seen = problems.watch(page)

    # htmx answers the checker in place.
    page.goto(base + "/csbm/checker/")
    page.get_by_label("Troops", exact=True).fill("9500")
    expect(page.locator("#notification-verdict")).to_have_text("Subject to prior notification")

    # The calendar's bars are placed by its script, not by style= attributes.
    page.goto(base + "/csbm/calendar/?year=2026")
    bar = page.locator(".tl-bar", has_text="").first
    expect(bar).to_have_class(re.compile(r"\bplaced\b"))
    expect(bar).to_be_visible()
    offset = float(bar.get_attribute("data-offset") or 0)
    track = page.locator(".tl-track").nth(1).bounding_box()
    box = bar.bounding_box()
    assert track and box
    assert box["x"] - track["x"] == pytest.approx(track["width"] * offset / 100, abs=2)

    # The registry's joining chart and the language switcher: choosing changes nothing until
    # the button is pressed (decision 0046).
    page.goto(base + "/registry/states/")
    page.locator("#language-switcher").select_option("ru")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.locator("form.language").get_by_role("button").click()
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    assert seen == []


def test_the_admin_runs_under_the_policy(page: Page, live_server: object,
                                         transactional_db: None) -> None:
    User.objects.create_superuser("root", password=PASSPHRASE)
    base = str(live_server)
    seen = problems.watch(page)
    sign_in(page, base, "root", "/admin/login/?next=/admin/")
    for path in ["/admin/", "/admin/core/user/", "/admin/core/user/add/",
                 "/admin/core/affiliation/add/"]:
        response = page.goto(base + path)
        assert response is not None and response.ok, path
        assert_strict(response)
        page.wait_for_load_state("networkidle")
        assert seen == [], path
