"""The steps that make figures public — publishing an event, releasing a period, withdrawing
a release — and the Vienna Document exchange upload with its refusals, on a phone and a
desktop, in English and Russian (decision 0074): each page fits the screen and passes axe,
the services' refusals are said in the page's language with dates as it writes them, and a
Russian page holds no English interface word or month."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from hofburg.core.models import Affiliation, Role, User
from hofburg.monitoring.intake import release
from hofburg.monitoring.models import Event
from hofburg.registry.models import ParticipatingState
from tests.browser.english_words import english_left
from tests.browser.problems import watch
from tests.browser.screens import DESKTOP, PHONE, opened
from tests.browser.test_every_page_on_a_phone import _findings
from tests.browser.test_monitoring_offline import PASSPHRASE, monitor
from tests.browser.test_monitoring_release import _ready_event

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["monitor"]  # the fixture, used by name

WHEN = datetime(2026, 3, 10, 11, 0, tzinfo=UTC)
RELEASED, WAITING = WHEN.date(), WHEN.date() - timedelta(days=1)
DAYS = {"en": {RELEASED: "10 March 2026", WAITING: "9 March 2026"},
        "ru": {RELEASED: "10 марта 2026", WAITING: "9 марта 2026"}}
SAYS = {
    "en": {"not released": "This event cannot be published: its reporting period (9 March 2026) "
                           "is not released: release the whole period.",
           "published already": "only a verified event can be published, not a published one",
           "withdrawn": "The release of 10 March 2026 is withdrawn; 1 event is no longer public.",
           "gone": "the period of 10 March 2026 is not released",
           "released": "The period of 9 March 2026 is released",
           "circle": "units, row 2, subordinate_to: The subordination goes round in a circle: "
                     "1. Division → 3. Division → 2. Division → 1. Division."},
    "ru": {"not released": "Это событие нельзя опубликовать: его отчётный период "
                           "(9 марта 2026 г.) не обнародован: обнародуйте период целиком.",
           "published already": "опубликовать можно только проверенное событие; статус "
                                "этого: опубликовано",
           "withdrawn": "Обнародование периода за 10 марта 2026 г. отменено; 1 событие больше "
                        "не общедоступно.",
           "gone": "период за 10 марта 2026 г. не обнародован",
           "released": "Период за 9 марта 2026 г. обнародован",
           "circle": "units, строка 2, subordinate_to: Подчинённость замыкается в круг: "
                     "1. Division → 3. Division → 2. Division → 1. Division."},
}


@pytest.fixture(params=["en", "ru"])
def language(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def phone(browser: Browser, live_server: object, language: str) -> Iterator[Page]:
    screen = opened(browser, "ru-RU" if language == "ru" else "en-GB", PHONE,
                    is_mobile=True, has_touch=True)
    page = next(screen)
    page.context.add_cookies([{"name": "django_language", "value": language,
                               "url": str(live_server)}])
    yield page
    screen.close()


@pytest.fixture
def periods(monitor: User) -> dict[str, int]:
    """A released period with its published event, and the day before, ready to release."""
    _ready_event(monitor, "11111111-1111-4111-8111-111111111111", WHEN, 3)
    _ready_event(monitor, "22222222-2222-4222-8222-222222222222", WHEN - timedelta(days=1), 7)
    release.release_period(monitor, RELEASED)
    return {"published": Event.objects.get(report_date=RELEASED).pk,
            "waiting": Event.objects.get(report_date=WAITING).pk}


def _sign_in(page: Page, base: str, username: str) -> None:
    page.goto(base + "/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSPHRASE)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(base + "/")


def _looks_right(page: Page, language: str) -> None:
    """The page as it stands fits a phone and a desktop, passes axe, and in Russian holds no
    English: every finding named at once."""
    path = page.url.split("/", 3)[-1]
    found = _findings(page, path, f"{language}/phone", phone=True, language=language)
    page.set_viewport_size(DESKTOP)
    found += _findings(page, path, f"{language}/desktop", phone=False, language=language)
    page.set_viewport_size(PHONE)
    assert found == [], "\n".join(found)


def _main(page: Page) -> str:
    return " ".join(page.locator("main").inner_text().split())


def test_publishing_and_releasing_say_why_not_in_the_reader_s_language(
        phone: Page, language: str, live_server: object, periods: dict[str, int],
        monitor: User) -> None:
    base, says = str(live_server), SAYS[language]
    problems = watch(phone)
    _sign_in(phone, base, "mona")

    # Publishing alone asks first, and says why not: the period is not released yet ...
    phone.goto(f"{base}/monitoring/events/{periods['waiting']}/publish/")
    expect(phone.locator("main .error")).to_have_text(says["not released"])
    _looks_right(phone, language)
    # ... or the event is published already.
    phone.goto(f"{base}/monitoring/events/{periods['published']}/publish/")
    expect(phone.locator("main .error")).to_contain_text(says["published already"])
    _looks_right(phone, language)

    # The released period offers its withdrawal; someone else withdraws it first, and the
    # page says the period is not released, in the reader's words and date.
    phone.goto(f"{base}/monitoring/reports/{RELEASED.isoformat()}/release/")
    assert DAYS[language][RELEASED] in _main(phone)
    _looks_right(phone, language)
    release.withdraw_release(monitor, RELEASED, "a second look at the period")
    phone.locator("#withdraw-reason").fill("figures to be checked")
    phone.locator("form.withdraw button[type=submit]").click()
    expect(phone.locator(".messages")).to_contain_text(says["gone"])
    _looks_right(phone, language)

    # Released again and withdrawn through the page: the answer names the day as the
    # language writes it.
    release.release_period(monitor, RELEASED)
    phone.goto(f"{base}/monitoring/reports/{RELEASED.isoformat()}/release/")
    phone.locator("#withdraw-reason").fill("figures to be checked")
    phone.locator("form.withdraw button[type=submit]").click()
    expect(phone.locator("body")).to_contain_text(says["withdrawn"])
    _looks_right(phone, language)

    # The day before is ready: its release page says what it publishes, and releases it.
    phone.goto(f"{base}/monitoring/reports/{WAITING.isoformat()}/release/")
    assert DAYS[language][WAITING] in _main(phone)
    _looks_right(phone, language)
    phone.locator("main form button[type=submit]").click()
    expect(phone.locator("body")).to_contain_text(says["released"])
    assert release.is_released(WAITING)
    assert problems == [], "\n".join(problems)


@pytest.fixture
def delegate(transactional_db: None) -> User:
    """An editor of the Delegation of Austria (the upload is a delegation's form)."""
    ParticipatingState.objects.create(iso2="AT", iso3="AUT", numeric="040",
                                      joined=date(1973, 6, 25), source="test",
                                      names={"en": "Austria", "ru": "Австрия"})
    austria = Affiliation.objects.create(code="delegation-at", name="Delegation of Austria",
                                         kind=Affiliation.Kind.DELEGATION, state_iso2="AT")
    return User.objects.create_user("alice", password=PASSPHRASE, affiliation=austria,
                                    roles=[Role.READER, Role.EDITOR])


CIRCLE = ("designation,level,subordinate_to\n1. Division,formation,3. Division\n"
          "2. Division,formation,1. Division\n3. Division,formation,2. Division\n")


def test_the_exchange_upload_and_its_refusal_in_the_reader_s_language(
        phone: Page, language: str, live_server: object, delegate: User) -> None:
    base = str(live_server)
    # The refused upload is answered 422 on purpose; the browser logs that status.
    problems = watch(phone, ignore=lambda message: "status of 422" in message.text)
    _sign_in(phone, base, "alice")
    phone.goto(f"{base}/csbm/exchanges/")
    upload = phone.locator("#upload")
    expect(upload).to_be_visible()
    _looks_right(phone, language)

    upload.locator("[name=year]").fill("2027")
    upload.locator("[name=submitted_on]").fill("2026-12-10")
    upload.locator("[name=units_csv]").set_input_files(files=[{
        "name": "units.csv", "mimeType": "text/csv", "buffer": CIRCLE.encode()}])
    upload.locator("button[type=submit]").click()
    refusal = phone.locator("#upload .errors")
    expect(refusal).to_contain_text(SAYS[language]["circle"])
    _looks_right(phone, language)
    if language == "ru":
        assert english_left(phone, "ru") == []
    assert problems == [], "\n".join(problems)
