""""Last updated" on the cards of the home page and the desks' overviews, with its zone."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from time_machine import TimeMachineFixture

from hofburg.core import dates, updated
from hofburg.core.models import Classification
from hofburg.documents.models import Document
from hofburg.monitoring.models import Event, PeriodRelease
from tests.conftest import Cast
from tests.csbm.test_pages import Desk, desk, text  # noqa: F401 (the fixture)
from tests.monitoring.test_pages import crossing_pair, publish

NOON_IN_VIENNA = datetime(2026, 6, 1, 10, tzinfo=UTC)  # the desk fixture's frozen clock


def card(page: str, heading: str) -> str:
    """The HTML of the card whose heading starts with `heading`."""
    start = page.index(heading)
    return page[start:page.index("</section>", start)]


def test_latest_takes_the_latest_known_moment() -> None:
    early, late = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC)
    assert updated.latest(None, late, early) == late
    assert updated.latest(None, None) is None


def test_the_vienna_document_cards_say_when_their_records_last_changed(
        desk: Desk, cast: Cast) -> None:  # noqa: F811 (the fixture)
    page = text(cast.client(cast.bob).get(reverse("csbm:home")))
    stamp = ('Last updated: <time datetime="2026-06-01T12:00:00+02:00">'
             "1 June 2026, 12:00 CEST</time>")
    assert stamp in card(page, "Notifiable activities in the next")
    assert stamp in card(page, "Quota board 2026")


def test_the_cards_say_it_in_the_readers_language(desk: Desk) -> None:  # noqa: F811
    page = text(Client(HTTP_ACCEPT_LANGUAGE="ru").get(reverse("csbm:home")))
    with translation.override("ru"):
        moment = " ".join(dates.moment(NOON_IN_VIENNA).split())  # as `text` spaces it
    assert moment.startswith("1 июня 2026")
    assert f'<time datetime="2026-06-01T12:00:00+02:00">{moment}</time>' in card(
        page, "<h2>")


@pytest.mark.django_db
def test_the_documents_card_says_when_a_visible_document_last_changed(
        time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(datetime(2026, 3, 6, 18, 30, tzinfo=UTC), tick=False)
    Document.objects.create(symbol="PC.DEC/1", title="A public decision", date="2026-03-06",
                            originator="Chair", original_language="en",
                            classification=Classification.PUBLIC)
    time_machine.move_to(datetime(2026, 3, 9, 8, 0, tzinfo=UTC), tick=False)
    Document.objects.create(symbol="PC.DEL/9", title="A restricted note", date="2026-03-09",
                            originator="A delegation", original_language="en",
                            classification=Classification.RESTRICTED)
    page = text(Client().get(reverse("core:home")))
    # The public card's time is the public document's: the later restricted one is not seen.
    assert "6 March 2026, 19:30 CET" in card(page, "Recent documents")
    assert "9 March 2026" not in card(page, "Recent documents")


@pytest.mark.django_db
def test_the_monitoring_cards_give_the_release_time_in_the_missions_zone(cast: Cast) -> None:
    first, _ = crossing_pair(cast.mona)
    publish(cast, Event.objects.get(pk=first.event_id))
    release = PeriodRelease.objects.get()
    expected = dates.moment(release.released_at, settings.MONITORING_TIME_ZONE)
    home = text(Client().get(reverse("core:home")))
    assert "Last updated: <time datetime=" in card(home, "Field monitoring")
    assert expected in card(home, "Field monitoring")
    desk_page = text(Client().get(reverse("monitoring:home")))
    assert expected in card(desk_page, "Latest reporting period")
