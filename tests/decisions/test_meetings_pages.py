"""The meetings' pages: the list, a meeting with the Chair's forms, convening a meeting."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from hofburg.core.models import Classification
from hofburg.decisions.models import Meeting
from hofburg.decisions.services.meetings import add_agenda_item, create_meeting
from tests.conftest import Cast
from tests.decisions.samples_meetings import MEETING_DAY, Chairs, make_chairs

pytestmark = pytest.mark.django_db


@pytest.fixture
def chairs(cast: Cast) -> Chairs:
    return make_chairs(cast)


def test_the_list_filters_by_body_and_year_and_hides_what_a_reader_may_not_see(
        cast: Cast, chairs: Chairs) -> None:
    create_meeting(chairs.secretary, body="PC", date=MEETING_DAY)
    create_meeting(chairs.secretary, body="FSC", date=MEETING_DAY)
    create_meeting(chairs.secretary, body="PC", date=date(2025, 12, 4))
    create_meeting(chairs.secretary, body="PC", date=MEETING_DAY,
                   classification=Classification.CONFIDENTIAL)
    anonymous = cast.client(None).get("/decisions/meetings/").content.decode()
    assert "PC.JOUR/1" in anonymous and "PC.JOUR/2" in anonymous and "FSC.JOUR/1" in anonymous
    assert "PC.JOUR/3" not in anonymous
    assert "3 meetings" in anonymous
    own = cast.client(chairs.secretary).get("/decisions/meetings/?body=PC&year=2026")
    text = own.content.decode()
    assert "PC.JOUR/1" in text and "PC.JOUR/3" in text
    assert "PC.JOUR/2" not in text and "FSC.JOUR" not in text
    assert "Convene a meeting" in text
    assert "Convene a meeting" not in anonymous


def test_the_chair_adds_agenda_items_and_issues_the_journal_through_the_page(
        cast: Cast, chairs: Chairs) -> None:
    meeting = create_meeting(cast.alice, body="PC", date=MEETING_DAY)
    client = cast.client(cast.alice)
    page = client.get(f"/decisions/meetings/{meeting.pk}/").content.decode()
    assert "Add the agenda item" in page and "Issue PC.JOUR/1" in page
    assert f'href="/decisions/journals/{meeting.journal_symbol}/"' in page
    response = client.post(f"/decisions/meetings/{meeting.pk}/agenda/",
                           {"title": "Review of current issues"})
    assert response.status_code == 302
    assert list(meeting.agenda_items.values_list("number", "title")) == [
        (1, "Review of current issues")]
    assert client.post(f"/decisions/meetings/{meeting.pk}/issue/").status_code == 302
    meeting.refresh_from_db()
    assert meeting.journal_issued_at is not None
    page = client.get(f"/decisions/meetings/{meeting.pk}/").content.decode()
    assert "Add the agenda item" not in page and "Review of current issues" in page
    again = client.post(f"/decisions/meetings/{meeting.pk}/issue/", follow=True)
    assert "has already been issued" in again.content.decode()
    late = client.post(f"/decisions/meetings/{meeting.pk}/agenda/", {"title": "Late"})
    assert late.status_code == 422 and "has been issued" in late.content.decode()
    assert meeting.agenda_items.count() == 1


def test_others_see_the_meeting_without_forms_and_may_not_post(cast: Cast,
                                                                chairs: Chairs) -> None:
    meeting = create_meeting(cast.alice, body="PC", date=MEETING_DAY)
    client = cast.client(cast.bob)
    page = client.get(f"/decisions/meetings/{meeting.pk}/").content.decode()
    assert "Add the agenda item" not in page
    assert client.post(f"/decisions/meetings/{meeting.pk}/agenda/",
                       {"title": "Bob's"}).status_code == 403
    assert client.post(f"/decisions/meetings/{meeting.pk}/issue/").status_code == 403
    assert not meeting.agenda_items.exists()


def test_a_hidden_meeting_is_a_404_like_a_missing_one(cast: Cast, chairs: Chairs) -> None:
    hidden = create_meeting(chairs.secretary, body="PC", date=MEETING_DAY,
                            classification=Classification.RESTRICTED)
    client = cast.client(None)
    for url in (f"/decisions/meetings/{hidden.pk}/", "/decisions/meetings/999999/"):
        assert client.get(url).status_code == 404
    assert client.post(f"/decisions/meetings/{hidden.pk}/agenda/",
                       {"title": "x"}).status_code == 404


def test_convening_through_the_form(cast: Cast, chairs: Chairs) -> None:
    client = cast.client(cast.alice)
    assert client.get("/decisions/meetings/new/").status_code == 200
    response = client.post("/decisions/meetings/new/", {
        "body": "PC", "date": "2026-03-12", "kind": "reinforced", "opens_at": "11:30",
        "chairperson": "Ambassador A. Example", "classification": "public"})
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/decisions/meetings/{meeting.pk}/"
    assert meeting.kind == "reinforced"
    assert meeting.starts_at == datetime(2026, 3, 12, 10, 30, tzinfo=UTC)
    page = client.get(response["Location"]).content.decode()
    assert "11:30 CET" in page


def test_the_form_shows_a_refusal_next_to_its_field(cast: Cast, chairs: Chairs) -> None:
    response = cast.client(chairs.secretary).post("/decisions/meetings/new/", {
        "body": "SUMMIT", "date": "2026-03-12", "kind": "regular", "classification": "public"})
    assert response.status_code == 200
    assert "SUMMIT has no JOUR series" in response.content.decode()
    assert not Meeting.objects.exists()


def test_only_a_chair_may_open_the_form(cast: Cast, chairs: Chairs) -> None:
    assert cast.client(cast.bob).get("/decisions/meetings/new/").status_code == 403
    anonymous = cast.client(None).get("/decisions/meetings/new/")
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]


def test_the_agenda_is_shown_in_order(cast: Cast, chairs: Chairs) -> None:
    meeting = create_meeting(chairs.secretary, body="PC", date=MEETING_DAY)
    for title in ("Opening", "Review of current issues", "Any other business"):
        add_agenda_item(chairs.secretary, meeting, title)
    page = cast.client(None).get(f"/decisions/meetings/{meeting.pk}/").content.decode()
    assert page.index("Opening") < page.index("Review of current") < page.index("Any other")
