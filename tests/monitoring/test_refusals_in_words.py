"""The services' refusals are notes (decision 0074): English with ISO dates for the API and the
command line, the reader's language with CLDR dates on a page; a status inside one is its
label, translated like the rest."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from hofburg.core.notes import explain, refusal
from hofburg.core.services.users import issue_api_token
from hofburg.monitoring import errors
from hofburg.monitoring.intake import release, workflow
from hofburg.monitoring.models import Event, EventStatus
from hofburg.notes import Note
from tests.conftest import Cast
from tests.monitoring.test_pages import crossing_pair

pytestmark = pytest.mark.django_db
DAY = date(2026, 3, 10)


def _verified_public_event(cast: Cast) -> Event:
    first, _ = crossing_pair(cast.mona)
    event = Event.objects.get(pk=first.event_id)
    for observation in event.observations.all():
        workflow.verify_observation(cast.mona, observation)
    workflow.verify_event(cast.mona, event)
    return workflow.declassify_event(cast.mona, event, "cleared")


def test_a_refusal_is_english_for_the_api_and_in_words_for_a_page(cast: Cast) -> None:
    event = _verified_public_event(cast)
    with pytest.raises(errors.WorkflowError) as refused:
        release.check_publishable(event)
    message = refused.value.message
    assert isinstance(message, Note) and message.params == {"day": DAY}
    assert str(refused.value) == ("its reporting period (2026-03-10) is not released: release "
                                  "the whole period")
    with translation.override("en"):
        assert refusal(refused.value) == ("its reporting period (10 March 2026) is not "
                                          "released: release the whole period")

    # The page asks first and says why not, with the date as the page's language writes it.
    page = cast.client(cast.mona).get(f"/monitoring/events/{event.pk}/publish/")
    assert ("This event cannot be published: its reporting period (10 March 2026) is not "
            "released: release the whole period.") in page.content.decode()
    # The API answers the English, as it did.
    _token, key = issue_api_token(cast.mona, "test")
    answer = cast.client(None).post(f"/api/v1/monitoring/events/{event.pk}/publish",
                                    HTTP_AUTHORIZATION=f"Bearer {key}")
    assert answer.status_code == 409
    assert answer.json()["detail"] == ("its reporting period (2026-03-10) is not released: "
                                       "release the whole period")


def test_a_status_inside_a_refusal_is_its_translated_label(cast: Cast) -> None:
    event = _verified_public_event(cast)
    release.release_period(cast.mona, DAY)
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED
    with pytest.raises(errors.WorkflowError) as refused:
        release.check_publishable(event)
    assert str(refused.value) == "only a verified event can be published, not a published one"
    status = refused.value.message.params["status"]
    with translation.override("ru"):
        assert explain(status) == "опубликовано"
    with translation.override("de"):
        assert explain(status) == "veröffentlicht"


def test_the_release_s_answers_name_the_day_in_words(cast: Cast) -> None:
    _verified_public_event(cast)
    mona = cast.client(cast.mona)
    url = f"/monitoring/reports/{DAY.isoformat()}/release/"
    released = mona.post(url, follow=True).content.decode()
    assert "The period of 10 March 2026 is released: its figures are now public." in released
    again = mona.post(url, follow=True).content.decode()  # the page was open twice
    assert "the period of 10 March 2026 is released already" in again
    withdrawn = mona.post(f"/monitoring/reports/{DAY.isoformat()}/withdraw/",
                          {"reason": "figures to be checked"}, follow=True).content.decode()
    assert "The release of 10 March 2026 is withdrawn; 1 event is no longer public." in withdrawn
    assert "2026-03-10" not in withdrawn.split('<div class="messages">')[1].split("</div>")[0]

