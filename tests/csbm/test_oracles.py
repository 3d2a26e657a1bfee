"""Hidden is as absent on the Vienna Document desk: version flags, version numbers and
activity references.

Finland published version 1 of its 2027 exchange; version 2, a confidential correction of
Finland's delegation, is hidden from Austria and from the public. To them every answer about
the exchange must be what it was before version 2 existed.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from time_machine import TimeMachineFixture

from hofburg.core.idempotency import is_replay
from hofburg.core.models import ApiToken, Classification, User
from hofburg.csbm import services
from hofburg.csbm.models import AnnualExchange
from hofburg.csbm.services import UnitIn
from tests.conftest import Cast
from tests.registry.factories import freeze_today

API = "/api/v1/csbm"


def _token_client(user: User) -> Client:
    key = ApiToken.new_key()
    ApiToken.objects.create(user=user, name="test", key_digest=ApiToken.digest(key))
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def _text(response: Any) -> str:
    """The answer without its CSRF token, which is masked afresh on every answer."""
    return re.sub(r'(X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]+', r"\1",
                  response.content.decode())


def _page(response: Any) -> str:
    assert response.status_code == 200
    return _text(response)


def _answers(cast: Cast) -> dict[str, Any]:
    """What the public and Austria learn about Finland's exchange, through API and pages."""
    found: dict[str, Any] = {}
    for name, client in (("public", Client()), ("austria", _token_client(cast.alice)),
                         ("austria-page", cast.client(cast.alice))):
        if name == "austria-page":
            found[name] = _page(client.get(reverse("csbm:exchange", args=["FI", 2027])))
            continue
        found[f"{name}-list"] = client.get(f"{API}/exchanges", {"year": 2027}).json()
        found[f"{name}-detail"] = client.get(f"{API}/exchanges/FI/2027").json()
        found[f"{name}-page"] = _page(client.get(reverse("csbm:exchange", args=["FI", 2027])))
    found["public-index"] = _page(Client().get(reverse("csbm:exchanges"), {"year": 2027}))
    return found


@pytest.fixture
def finland(cast: Cast, states: Any, time_machine: TimeMachineFixture) -> Cast:
    freeze_today(time_machine, date(2027, 3, 1))
    services.submit_exchange(None, services.ExchangeSubmission(
        state="FI", year=2027, submitted_on=date(2026, 12, 10), units=[UnitIn("Karelia Brigade")],
        declared_evaluation_quota=1, classification=Classification.PUBLIC))
    return cast


def _hidden_correction(cast: Cast) -> None:
    services.submit_exchange(cast.bob, services.ExchangeSubmission(
        state="FI", year=2027, submitted_on=date(2027, 1, 20),
        units=[UnitIn("Karelia Brigade"), UnitIn("Kainuu Brigade")], declared_evaluation_quota=1,
        classification=Classification.CONFIDENTIAL))


def test_a_hidden_newer_version_does_not_mark_the_visible_one_superseded(finland: Cast) -> None:
    before = _answers(finland)
    _hidden_correction(finland)
    after = _answers(finland)
    assert after == before
    detail = after["public-detail"]
    assert (detail["version"], detail["is_current"]) == (1, True)
    assert "superseded" not in after["public-page"]


def test_the_owner_still_sees_the_correction_as_current(finland: Cast) -> None:
    _hidden_correction(finland)
    client = _token_client(finland.bob)
    assert client.get(f"{API}/exchanges/FI/2027").json()["version"] == 2
    first = client.get(f"{API}/exchanges/FI/2027", {"version": 1}).json()
    assert first["is_current"] is False
    listed = client.get(f"{API}/exchanges", {"year": 2027, "all_versions": True}).json()
    assert {(e["version"], e["is_current"]) for e in listed["items"]} == {(1, False), (2, True)}


def _record(client: Client, reference: str, state: str = "FI") -> Any:
    body = {"state": state, "reference": reference, "name": "Northern Shield",
            "start": "2027-05-01", "end": "2027-05-03", "troops": 100}
    return client.post(f"{API}/activities", json.dumps(body), content_type="application/json")


def _austrian_secret(cast: Cast, reference: str = "alpine-secret") -> None:
    services.record_activity(cast.alice, services.ActivityRecord(
        state="AT", reference=reference, name="Alpine Secret", start=date(2027, 4, 1),
        end=date(2027, 4, 2), classification=Classification.CONFIDENTIAL))


def _without(body: Any, *texts: str) -> str:
    """The answer as text, with the names that differ by design (the reference asked for,
    the request's own path) blanked out."""
    found = json.dumps(body, sort_keys=True)
    for text in texts:
        found = found.replace(text, "…")
    return found


def test_a_reference_held_by_another_states_hidden_activity_is_recorded_as_a_free_one(
        cast: Cast, states: Any) -> None:
    _austrian_secret(cast)
    client = _token_client(cast.bob)
    taken, free = _record(client, "alpine-secret"), _record(client, "alpine-free")
    assert taken.status_code == free.status_code == 201
    assert _without(taken.json(), "alpine-secret") == _without(free.json(), "alpine-free")
    assert taken.json()["state"] == "FI"


def test_two_states_may_use_the_same_reference_and_each_address_names_its_own(
        cast: Cast, states: Any) -> None:
    for actor, state in ((cast.alice, "AT"), (cast.bob, "FI")):
        services.record_activity(actor, services.ActivityRecord(
            state=state, reference="spring-2027", name=f"Spring {state}", start=date(2027, 4, 1),
            end=date(2027, 4, 2)))
    for user in (cast.alice, cast.bob):
        api, web = _token_client(user), cast.client(user)
        for state in ("AT", "FI"):
            found = api.get(f"{API}/activities/{state}/spring-2027").json()
            assert (found["state"], found["name"]) == (state, f"Spring {state}")
            page = web.get(reverse("csbm:activity", args=[state, "spring-2027"]))
            assert f"Spring {state}" in _page(page)
    assert cast.client(cast.alice).get("/csbm/activities/spring-2027/").status_code == 404
    assert _token_client(cast.alice).get(f"{API}/activities/spring-2027").status_code == 404


def test_the_what_if_page_shows_each_states_activity_under_a_shared_reference(
        cast: Cast, states: Any) -> None:
    for actor, state, name in ((cast.alice, "AT", "Alpine Spring"),
                               (cast.bob, "FI", "Nordic Spring")):
        services.record_activity(actor, services.ActivityRecord(
            state=state, reference="spring-2027", name=name, start=date(2027, 4, 1),
            end=date(2027, 4, 2), details={"troops": 9500}))
    page = _page(cast.client(cast.carol).get(reverse("csbm:what_if")))
    assert page.count("Alpine Spring") == page.count("Nordic Spring") == 1


def test_a_hidden_activity_answers_as_an_absent_one_at_every_address(
        cast: Cast, states: Any) -> None:
    _austrian_secret(cast)
    api, web = _token_client(cast.bob), cast.client(cast.bob)

    def answers(reference: str) -> list[Any]:
        path = f"{API}/activities/AT/{reference}"
        found = [api.get(path), api.patch(path, json.dumps({"troops": 1}),
                                          content_type="application/json"),
                 api.post(f"{path}/notifications", json.dumps({"sent_on": "2027-03-01"}),
                          content_type="application/json"),
                 web.get(reverse("csbm:activity", args=["AT", reference]))]
        return [(r.status_code, _text(r).replace(reference, "…")) for r in found]

    hidden, absent = answers("alpine-secret"), answers("alpine-absent")
    assert hidden == absent
    assert {status for status, _body in hidden} == {404}


def test_a_calendar_and_the_notification_list_read_references_within_the_state(
        cast: Cast, states: Any) -> None:
    _austrian_secret(cast, "spring-2027")
    finnish = services.record_activity(cast.bob, services.ActivityRecord(
        state="FI", reference="spring-2027", name="Spring FI", start=date(2027, 4, 1),
        end=date(2027, 4, 2), details={"troops": 14000}))
    services.notify_activity(cast.bob, finnish, sent_on=date(2027, 2, 1))
    client = _token_client(cast.bob)
    calendar = client.post(f"{API}/calendars", json.dumps({
        "state": "FI", "year": 2027, "submitted_on": "2026-11-10",
        "activities": ["spring-2027"]}), content_type="application/json")
    assert calendar.status_code == 201
    assert list(finnish.calendars.all()) != []
    listed = client.get(f"{API}/notifications", {"state": "FI", "activity": "spring-2027"})
    assert [(n["state"], n["activity"]) for n in listed.json()["items"]] == [
        ("FI", "spring-2027")]
    assert client.get(f"{API}/notifications", {"state": "AT"}).json()["items"] == []


def test_a_clash_within_the_state_answers_alike_whether_the_holder_is_seen_or_not(
        cast: Cast, states: Any) -> None:
    # A confidential activity the system recorded for Austria is seen by no delegation; its
    # reference is still Austria's (decision 0020), and the refusal names nothing.
    for reference, level in (("alpine-secret", Classification.CONFIDENTIAL),
                             ("alpine-open", Classification.RESTRICTED)):
        services.record_activity(None, services.ActivityRecord(
            state="AT", reference=reference, name=reference, start=date(2027, 4, 1),
            end=date(2027, 4, 2), classification=level))
    client = _token_client(cast.alice)
    hidden, visible = (_record(client, ref, "AT") for ref in ("alpine-secret", "alpine-open"))
    assert hidden.status_code == visible.status_code == 422
    for body in (hidden.json(), visible.json()):
        body.pop("instance", None)
    assert hidden.json() | {"instance": ""} == visible.json() | {"instance": ""}
    assert "exists" not in hidden.json()["detail"]
    assert "alpine" not in hidden.json()["detail"]


def test_a_hidden_newer_calendar_does_not_hide_the_published_one(finland: Cast) -> None:
    services.submit_calendar(None, state="FI", year=2027, submitted_on=date(2026, 11, 10),
                             classification=Classification.PUBLIC)

    def public_calendars() -> Any:
        return Client().get(f"{API}/calendars", {"year": 2027}).json()

    before = public_calendars()
    services.submit_calendar(finland.bob, state="FI", year=2027,
                             submitted_on=date(2027, 1, 10),
                             classification=Classification.CONFIDENTIAL)
    assert public_calendars() == before
    assert [c["version"] for c in before["items"]] == [1]


def test_a_hidden_correction_does_not_mark_the_published_notification_superseded(
        finland: Cast) -> None:
    activity = services.record_activity(finland.bob, services.ActivityRecord(
        state="FI", reference="northern-shield", name="Northern Shield", start=date(2027, 5, 1),
        end=date(2027, 5, 3), classification=Classification.PUBLIC, details={"troops": 14000}))
    services.notify_activity(finland.bob, activity, sent_on=date(2027, 3, 1),
                             classification=Classification.PUBLIC)

    def public_notifications() -> Any:
        return Client().get(f"{API}/notifications",
                            {"activity": "northern-shield", "current_only": True}).json()

    before = public_notifications()
    services.notify_activity(finland.bob, activity, sent_on=date(2027, 3, 2),
                             classification=Classification.CONFIDENTIAL,
                             correction_reason="Figures corrected.")
    assert public_notifications() == before
    assert [(n["version"], n["is_current"]) for n in before["items"]] == [(1, True)]


# -- version numbers: a hidden version leaves no gap ---------------------------------------


def _publish_correction(cast: Cast) -> None:
    services.submit_exchange(cast.bob, services.ExchangeSubmission(
        state="FI", year=2027, submitted_on=date(2027, 2, 1),
        units=[UnitIn("Karelia Brigade"), UnitIn("Pori Brigade")], declared_evaluation_quota=1,
        classification=Classification.PUBLIC))


def _version_answers(cast: Cast) -> dict[str, Any]:
    """Everything the public and Austria learn of the versions of Finland's exchange."""
    found = _answers(cast)
    for name, client in (("public", Client()), ("austria", _token_client(cast.alice))):
        found[f"{name}-all"] = client.get(f"{API}/exchanges", {
            "year": 2027, "all_versions": True}).json()
        for version in (1, 2, 3):
            found[f"{name}-v{version}"] = client.get(f"{API}/exchanges/FI/2027",
                                                     {"version": version}).json()
            export = client.get(f"{API}/exchanges/FI/2027/export",
                                {"part": "units", "version": version})
            found[f"{name}-v{version}-csv"] = (export.status_code, export.content.decode())
        page = client.get(reverse("csbm:exchange", args=["FI", 2027]), {"version": 2})
        found[f"{name}-v2-page"] = _text(page)
        download = client.get(reverse("csbm:exchange", args=["FI", 2027]),
                              {"version": 2, "part": "units", "format": "csv"})
        found[f"{name}-v2-download"] = (download.get("Content-Disposition"),
                                        download.content.decode())
    found["state-panel"] = _page(Client().get(reverse("registry:state", args=["FI"])))
    return found


def _delete_exchanges() -> None:
    for exchange in AnnualExchange.objects.order_by("-version"):
        exchange.delete()


def test_a_hidden_version_between_two_published_ones_leaves_no_gap_in_the_numbers(
        finland: Cast) -> None:
    _publish_correction(finland)
    without_hidden = _version_answers(finland)
    _delete_exchanges()
    services.submit_exchange(None, services.ExchangeSubmission(
        state="FI", year=2027, submitted_on=date(2026, 12, 10), units=[UnitIn("Karelia Brigade")],
        declared_evaluation_quota=1, classification=Classification.PUBLIC))
    _hidden_correction(finland)
    _publish_correction(finland)
    with_hidden = _version_answers(finland)
    assert with_hidden == without_hidden
    listed = with_hidden["public-all"]["items"]
    assert [(e["version"], e["is_current"]) for e in listed] == [(2, True), (1, False)]
    assert with_hidden["public-v3"]["status"] == 404
    assert "v2-units" in with_hidden["public-v2-download"][0]


def test_the_owner_sees_the_stored_numbers_and_a_writer_is_answered_in_its_own(
        finland: Cast) -> None:
    _hidden_correction(finland)
    _publish_correction(finland)
    owner = _token_client(finland.bob)
    listed = owner.get(f"{API}/exchanges", {"year": 2027, "all_versions": True}).json()
    assert [e["version"] for e in listed["items"]] == [3, 2, 1]
    assert owner.get(f"{API}/exchanges/FI/2027", {"version": 2}).json()["units_reported"] == 2


def test_a_writer_who_cannot_see_the_version_it_corrects_is_answered_as_if_it_were_absent(
        cast: Cast, states: Any) -> None:
    # A confidential exchange the system recorded for Finland is seen by no delegation.
    services.submit_exchange(None, services.ExchangeSubmission(
        state="FI", year=2027, submitted_on=date(2026, 12, 10), units=[UnitIn("Karelia Brigade")],
        classification=Classification.CONFIDENTIAL))
    body = {"state": "FI", "year": 2027, "submitted_on": "2027-01-20",
            "units": [{"designation": "Pori Brigade"}]}
    written = _token_client(cast.bob).post(f"{API}/exchanges", json.dumps(body),
                                           content_type="application/json")
    assert written.status_code == 201
    found = written.json()
    assert (found["version"], found["supersedes_version"], found["is_current"]) == (
        1, None, True)


def test_a_hidden_correction_between_published_notifications_leaves_no_gap(
        finland: Cast) -> None:
    activity = services.record_activity(finland.bob, services.ActivityRecord(
        state="FI", reference="northern-shield", name="Northern Shield", start=date(2027, 5, 1),
        end=date(2027, 5, 3), classification=Classification.PUBLIC, details={"troops": 14000}))
    for day, level in ((1, Classification.PUBLIC), (2, Classification.CONFIDENTIAL),
                       (3, Classification.PUBLIC)):
        services.notify_activity(finland.bob, activity, sent_on=date(2027, 3, day),
                                 classification=level,
                                 correction_reason="" if day == 1 else "Figures corrected.")
    listed = Client().get(f"{API}/notifications", {"state": "FI",
                                                   "activity": "northern-shield"}).json()
    assert sorted((n["version"], n["sent_on"], n["is_current"]) for n in listed["items"]) == [
        (1, "2027-03-01", False), (2, "2027-03-03", True)]
    page = _page(Client().get(reverse("csbm:activity", args=["FI", "northern-shield"])))
    assert "version 2, sent" in page
    assert "version 3" not in page
    owner = _token_client(finland.bob).get(f"{API}/notifications",
                                           {"activity": "northern-shield"}).json()
    assert sorted(n["version"] for n in owner["items"]) == [1, 2, 3]


def test_a_hidden_calendar_version_between_published_ones_leaves_no_gap(
        finland: Cast) -> None:
    for day, level in ((10, Classification.PUBLIC), (11, Classification.CONFIDENTIAL),
                       (12, Classification.PUBLIC)):
        services.submit_calendar(finland.bob, state="FI", year=2027,
                                 submitted_on=date(2026, 11, day), classification=level)
    listed = Client().get(f"{API}/calendars", {"year": 2027}).json()
    assert [(c["version"], c["submitted_on"]) for c in listed["items"]] == [
        (2, "2026-11-12")]


def test_a_resubmission_identical_to_a_hidden_version_is_answered_as_if_it_were_absent(
        cast: Cast, states: Any, time_machine: TimeMachineFixture) -> None:
    freeze_today(time_machine, date(2027, 3, 1))
    content: dict[str, Any] = {
        "state": "FI", "year": 2027, "units": [UnitIn("Karelia Brigade")],
        "declared_evaluation_quota": 1, "classification": Classification.CONFIDENTIAL}
    hidden = services.submit_exchange(None, services.ExchangeSubmission(
        submitted_on=date(2026, 12, 10), **content))
    answer = services.submit_exchange(cast.bob, services.ExchangeSubmission(
        submitted_on=date(2027, 1, 20), **content))
    assert answer.pk != hidden.pk
    assert not is_replay(answer)
    assert AnnualExchange.objects.filter(state="FI", year=2027).count() == 2
