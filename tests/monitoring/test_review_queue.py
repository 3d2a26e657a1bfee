"""The analysts' review queue: the submitted observations an editor of the mission may
verify, oldest first, verified one by one or together — all of them or, if one cannot be,
none; a page that does not exist for those who may not read the desk's records."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from hofburg.core.models import AuditEntry
from hofburg.monitoring.intake import workflow
from hofburg.monitoring.models import Observation, ObservationStatus
from tests.conftest import Cast
from tests.monitoring.test_pages import WHEN, submit

pytestmark = pytest.mark.django_db
URL = "/monitoring/review/"


def three(cast: Cast) -> list[Observation]:
    return [submit(cast.mona, f"{n}{n}{n}{n}{n}{n}{n}{n}-{n}{n}{n}{n}-4{n}{n}{n}-8{n}{n}{n}-"
                   f"{n}{n}{n}{n}{n}{n}{n}{n}{n}{n}{n}{n}", observer_id=f"patrol-{n}",
                   observed_at=(WHEN + timedelta(minutes=10 - n)).isoformat())
            for n in (1, 2, 3)]


def test_the_queue_lists_what_the_editor_may_verify_oldest_first(cast: Cast) -> None:
    first, second, third = three(cast)
    workflow.verify_observation(cast.mona, second)
    page = cast.client(cast.mona).get(URL).content.decode()
    assert page.index(third.observation_id) < page.index(first.observation_id)
    assert second.observation_id not in page
    assert "2 submitted observations wait for verification" in page


def test_verifying_the_chosen_ones_verifies_those_only(cast: Cast) -> None:
    first, second, third = three(cast)
    response = cast.client(cast.mona).post(URL, {"scope": "selected",
                                                 "observation": [first.pk, third.pk]},
                                           follow=True)
    assert "2 observations verified." in response.content.decode()
    statuses = dict(Observation.objects.values_list("pk", "status"))
    assert statuses == {first.pk: ObservationStatus.VERIFIED,
                        second.pk: ObservationStatus.SUBMITTED,
                        third.pk: ObservationStatus.VERIFIED}
    assert AuditEntry.objects.filter(action="verify").count() == 2


def test_verify_all_on_the_page(cast: Cast) -> None:
    records = three(cast)
    cast.client(cast.mona).post(URL, {"scope": "page", "listed": [r.pk for r in records]})
    assert set(Observation.objects.values_list("status", flat=True)) == {
        ObservationStatus.VERIFIED}


def test_one_that_is_not_waiting_any_more_verifies_none(cast: Cast) -> None:
    first, second, _third = three(cast)
    client = cast.client(cast.mona)
    workflow.verify_observation(cast.mona, second)  # verified meanwhile, in another tab
    response = client.post(URL, {"scope": "selected", "observation": [first.pk, second.pk]},
                           follow=True)
    assert "Nothing was verified: 1 of the chosen observations" in response.content.decode()
    first.refresh_from_db()
    assert first.status == ObservationStatus.SUBMITTED
    assert client.post(URL, {"scope": "selected"}, follow=True).content.decode().count(
        "Choose at least one observation to verify.") == 1
    assert client.post(URL, {"scope": "selected", "observation": ["x"]}).status_code == 302


def test_the_service_is_all_or_nothing(cast: Cast) -> None:
    first, second, _third = three(cast)
    workflow.verify_observation(cast.mona, second)
    with pytest.raises(workflow.WorkflowError, match="nothing was verified"):
        workflow.verify_observations(cast.mona, [first, second])
    first.refresh_from_db()
    assert first.status == ObservationStatus.SUBMITTED


def test_who_may_see_and_use_the_queue(cast: Cast) -> None:
    first, _second, _third = three(cast)
    assert Client().get(URL).status_code == 404
    assert cast.client(cast.nick).get(URL).status_code == 404
    assert Client().post(URL, {"observation": [first.pk]}).status_code == 404
    # An analyst reads the desk but verifies nothing: the page says so, a POST is refused.
    analyst = cast.client(cast.carol)
    page = analyst.get(URL).content.decode()
    assert "Only editors of the mission verify observations." in page
    assert first.observation_id not in page
    assert analyst.post(URL, {"scope": "selected", "observation": [first.pk]}
                        ).status_code == 403
    # An editor of another affiliation has an empty queue and cannot verify the mission's.
    alice = cast.client(cast.alice)
    assert first.observation_id not in alice.get(URL).content.decode()
    alice.post(URL, {"scope": "selected", "observation": [first.pk]})
    first.refresh_from_db()
    assert first.status == ObservationStatus.SUBMITTED
