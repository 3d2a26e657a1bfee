"""A delegation's "My State" on the home page (decision 0072): its Vienna Document deadlines
from the desk's deadline engine, the alerts the desks raise and the new documents concerning
its State — each card saying when its records last changed, and nothing its member may not
see counted, listed or timed."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from time_machine import TimeMachineFixture

from hofburg.core import dates
from hofburg.core.models import Affiliation, Classification
from hofburg.csbm import queries, services
from hofburg.csbm.services import ExchangeSubmission
from hofburg.documents.models import Document
from hofburg.registry.my_state import delegation_state
from tests.conftest import Cast
from tests.registry.factories import Osce, create_osce, freeze_today

TWENTIETH = date(2026, 12, 20)
FIRST_OF_NOVEMBER = date(2026, 11, 1)
NOTHING = "Last updated: no record visible to you"


@pytest.fixture
def osce(db: None) -> Osce:
    return create_osce()


def home(client: Client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def card(page: str, name: str) -> str:
    """The HTML of My State's card `name` (deadlines, alerts, documents)."""
    start = page.index(f'aria-labelledby="my-state-{name}-heading"')
    return page[start:page.index("</section>", start)]


def moment(at: datetime) -> str:
    return f'Last updated: <time datetime="{timezone.localtime(at).isoformat()}">' \
           f"{dates.moment(at)}</time>"


# -- deadlines ---------------------------------------------------------------------------------


def test_on_20_december_a_state_with_nothing_on_file_sees_its_four_overdue_submissions(
        osce: Osce, cast: Cast, time_machine: TimeMachineFixture) -> None:
    freeze_today(time_machine, TWENTIETH)
    overdue = [(item.obligation.value, item.subject)
               for item in queries.due_and_overdue("AT", timezone.now(), cast.alice)
               if item.overdue]
    assert overdue == [("annual_calendar", "2026"), ("annual_exchange", "2026"),
                       ("annual_calendar", "2027"), ("annual_exchange", "2027")]

    page = home(cast.client(cast.alice))
    deadlines = card(page, "deadlines")
    for text in ("annual calendar of notifiable activities for 2026",
                 "annual exchange of military information valid from 1 January 2026",
                 "annual calendar of notifiable activities for 2027",
                 "annual exchange of military information valid from 1 January 2027"):
        assert f'<span class="status-missing">{text}</span>' in deadlines
    assert "overdue since 15 December 2026" in deadlines
    assert "overdue since 15 November 2025" in deadlines
    # Each with the paragraph it rests on, and the provision one click away.
    assert "Vienna Document 2011 on Confidence- and Security-Building Measures, " \
           "paragraph (10)" in deadlines
    assert "paragraph (61)" in deadlines
    assert "<code>annual_exchange.deadline</code>" in deadlines
    assert "Nothing is overdue" not in page and "Nothing is due" not in page
    assert NOTHING in deadlines  # nothing on file: no record to date the card by


def test_a_state_with_nothing_on_file_sees_what_falls_due_in_the_next_60_days(
        osce: Osce, cast: Cast, time_machine: TimeMachineFixture) -> None:
    freeze_today(time_machine, FIRST_OF_NOVEMBER)
    deadlines = card(home(cast.client(cast.alice)), "deadlines")
    overdue, upcoming = deadlines.split("Due in the next 60 days")
    assert "annual calendar of notifiable activities for 2026" in overdue
    assert "annual exchange of military information valid from 1 January 2026" in overdue
    assert "annual calendar of notifiable activities for 2027</span> " \
           '<span class="small">— <time datetime="2026-11-15">due by 15 November 2026' \
           in upcoming
    assert "due by 15 December 2026" in upcoming  # the 2027 exchange, 44 days ahead
    assert "status-missing" not in upcoming


def test_an_activity_to_notify_comes_with_its_paragraph(
        osce: Osce, cast: Cast, time_machine: TimeMachineFixture) -> None:
    freeze_today(time_machine, TWENTIETH)
    services.record_activity(None, services.ActivityRecord(
        state="AT", reference="alpine-step-2027", name="Alpine Step 2027",
        start=date(2027, 2, 15), end=date(2027, 2, 20), details={"troops": 9500}))
    upcoming = card(home(cast.client(cast.alice)), "deadlines").split("Due in the next")[1]
    assert "notify the activity: alpine-step-2027" in upcoming
    assert "due by 4 January 2027" in upcoming  # 42 days before its start (38)
    assert "paragraph (38)" in upcoming


def _send_everything() -> None:
    for year in (2026, 2027):
        services.submit_exchange(None, ExchangeSubmission(
            state="AT", year=year, submitted_on=date(year - 1, 12, 1), is_nil=True))
        services.submit_calendar(None, state="AT", year=year, submitted_on=date(year - 1, 11, 1))


def test_nothing_is_due_only_when_truly_nothing_is(
        osce: Osce, cast: Cast, time_machine: TimeMachineFixture) -> None:
    freeze_today(time_machine, FIRST_OF_NOVEMBER)
    _send_everything()
    deadlines = card(home(cast.client(cast.alice)), "deadlines")
    assert "Nothing is overdue, and nothing falls due in the next 60 days, in your State's " \
           "records visible to you." in deadlines
    assert moment(timezone.now()) in deadlines


def test_a_submission_hidden_from_the_member_is_not_counted_and_not_timed(
        osce: Osce, cast: Cast, time_machine: TimeMachineFixture) -> None:
    seen_at = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    time_machine.move_to(seen_at, tick=False)
    services.submit_exchange(None, ExchangeSubmission(
        state="AT", year=2026, submitted_on=date(2025, 12, 1), is_nil=True))
    time_machine.move_to(datetime(2026, 12, 14, 9, 0, tzinfo=UTC), tick=False)
    services.submit_exchange(None, ExchangeSubmission(  # owned by no one: seen by no one
        state="AT", year=2027, submitted_on=date(2026, 12, 14), is_nil=True,
        classification=Classification.CONFIDENTIAL))
    freeze_today(time_machine, TWENTIETH)
    deadlines = card(home(cast.client(cast.alice)), "deadlines")
    assert "valid from 1 January 2027" in deadlines  # overdue as far as she may see
    assert "valid from 1 January 2026" not in deadlines
    assert moment(seen_at) in deadlines
    assert "14 December 2026" not in deadlines


# -- who has the card ----------------------------------------------------------------------------


def test_only_a_participating_states_delegation_has_the_card(osce: Osce, cast: Cast) -> None:
    assert delegation_state(cast.alice) == osce.austria
    for user in (cast.carol, cast.mona, cast.nick):
        assert delegation_state(user) is None
        assert "my-state" not in home(cast.client(user))
    assert "my-state" not in home(Client())
    page = home(cast.client(cast.alice))
    assert page.index("My State: Austria") < page.index("The OSCE at a glance")
    # Deadlines, then alerts, then documents, each a card of its own.
    assert page.index("my-state-deadlines-heading") < page.index("my-state-alerts-heading") \
        < page.index("my-state-documents-heading")


# -- new documents -------------------------------------------------------------------------------


def _document(symbol: str, *, classification: str = Classification.RESTRICTED,
              originator: str = "Chair", owner: Affiliation | None = None,
              shared: Affiliation | None = None) -> Document:
    document = Document.objects.create(
        symbol=symbol, title=f"Title of {symbol}", date=timezone.localdate(),
        originator=originator, original_language="en", classification=classification,
        owner_affiliation=owner)
    if shared is not None:
        document.shared_with.add(shared)
    return document


def test_new_documents_are_those_of_the_last_14_days_that_concern_the_state(
        osce: Osce, cast: Cast, time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(datetime(2026, 11, 20, 9, tzinfo=UTC), tick=False)
    _document("PC.DEL/1/26", shared=cast.austria)  # older than 14 days on the 20th
    time_machine.move_to(datetime(2026, 12, 10, 9, tzinfo=UTC), tick=False)
    _document("FSC.DEL/7/26", owner=cast.finland, shared=cast.austria,
              classification=Classification.CONFIDENTIAL)  # distributed to the delegation
    _document("PC.DEL/8/26", originator="Austria", classification=Classification.PUBLIC)
    _document("PC.DEL/9/26", owner=cast.austria)  # the delegation's own
    _document("PC.DEL/10/26")  # nothing to do with Austria
    newest_seen = datetime(2026, 12, 12, 9, tzinfo=UTC)
    time_machine.move_to(newest_seen, tick=False)
    _document("CIO.GAL/3/26", originator="Delegation of Austria")
    time_machine.move_to(datetime(2026, 12, 15, 9, tzinfo=UTC), tick=False)
    _document("FSC.DEL/11/26", owner=cast.finland, originator="Austria",  # not shared: hidden
              classification=Classification.CONFIDENTIAL)
    freeze_today(time_machine, TWENTIETH)

    documents = card(home(cast.client(cast.alice)), "documents")
    for symbol in ("FSC.DEL/7/26", "PC.DEL/8/26", "PC.DEL/9/26", "CIO.GAL/3/26"):
        assert f">{symbol}</a>" in documents
    for symbol in ("PC.DEL/1/26", "PC.DEL/10/26", "FSC.DEL/11/26"):
        assert symbol not in documents
    assert "4 documents registered in the last 14 days" in documents
    assert moment(newest_seen) in documents
    assert "15 December 2026" not in documents

    # The Secretariat sees the documents, but has no State's card.
    assert "my-state-documents" not in home(cast.client(cast.carol))


def test_no_new_document_is_said_so(osce: Osce, cast: Cast) -> None:
    documents = card(home(cast.client(cast.alice)), "documents")
    assert "No document concerning your State or distributed to its delegation has been " \
           "registered in the last 14 days." in documents
    assert NOTHING in documents


def test_my_state_reads_a_fixed_number_of_queries(osce: Osce, cast: Cast) -> None:
    for number in range(6):  # more than the card lists: it counts them
        _document(f"PC.DEL/{number}/26", shared=cast.austria)
    client = cast.client(cast.alice)
    home(client)
    with CaptureQueriesContext(connection) as few:
        home(client)
    for number in range(6, 12):
        _document(f"PC.DEL/{number}/26", shared=cast.austria)
    with CaptureQueriesContext(connection) as many:
        page = home(client)
    assert "12 documents registered" in page
    assert len(many) == len(few)


def test_the_window_is_14_days_back_from_now(osce: Osce, cast: Cast,
                                             time_machine: TimeMachineFixture) -> None:
    start = datetime(2026, 12, 1, 9, tzinfo=UTC)
    time_machine.move_to(start, tick=False)
    _document("PC.DEL/1/26", shared=cast.austria)
    time_machine.move_to(start + timedelta(days=14) - timedelta(minutes=1), tick=False)
    assert "PC.DEL/1/26" in card(home(cast.client(cast.alice)), "documents")
    time_machine.move_to(start + timedelta(days=14, minutes=1), tick=False)
    assert "PC.DEL/1/26" not in card(home(cast.client(cast.alice)), "documents")
