"""The monitoring desk's pages through the test client: what each reader sees and may do."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from hofburg.core.models import User
from hofburg.monitoring import report
from hofburg.monitoring.intake.submit import submit_observation
from hofburg.monitoring.models import Event, EventStatus, Observation, ObservationStatus
from tests.conftest import Cast

pytestmark = pytest.mark.django_db

# Two patrols that both see one explosion near the EXERCISE line of contact, so that their
# bearings cross and make one located event (also used by test_report and the browser tests).

# 12:00 Vienna time on 10 March 2026: in the period whose report is dated 10 March.
WHEN = datetime(2026, 3, 10, 11, 0, tzinfo=UTC)
REPORT_DATE = "2026-03-10"


def observation_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "observed_at": WHEN.isoformat(), "observer_id": "patrol-1", "observer_kind": "patrol",
        "observer_lon": -30.0, "observer_lat": 48.2, "method": "heard",
        "category": "explosion_undetermined", "count": 3, "bearing_deg": 90.0,
        "distance_km_min": 5.0, "distance_km_max": 9.0,
    }
    data.update(overrides)
    return data


def submit(user: User, client_id: str, *, is_exercise: bool = True, **overrides: Any
           ) -> Observation:
    record, _created = submit_observation(user, observation_data(**overrides),
                                                   client_id=client_id, is_exercise=is_exercise)
    return record


def crossing_pair(user: User) -> tuple[Observation, Observation]:
    """Two patrols' bearings on one explosion about 7 km east of the first."""
    first = submit(user, "11111111-1111-4111-8111-111111111111")
    second = submit(user, "22222222-2222-4222-8222-222222222222", observer_id="patrol-2",
                    observer_lat=48.25, observer_lon=-29.91, bearing_deg=150.0,
                    observed_at=(WHEN + timedelta(seconds=20)).isoformat())
    first.refresh_from_db()
    second.refresh_from_db()
    return first, second


def post_json(client: Client, url: str, payload: dict[str, object]) -> Any:
    return client.post(url, json.dumps(payload), content_type="application/json")


def publish(cast: Cast, event: Event) -> None:
    """Publish through the pages: verify the observations and the event, make it public,
    then release its period (decision 0035)."""
    mona = cast.client(cast.mona)
    for observation in event.observations.all():
        mona.post(f"/monitoring/observations/{observation.pk}/verify/")
    mona.post(f"/monitoring/events/{event.pk}/verify/")
    mona.post(f"/monitoring/events/{event.pk}/declassify/", {"reason": "cleared for the report"})
    released = mona.post(f"/monitoring/reports/{event.report_date.isoformat()}/release/")
    assert released.status_code == 302, released.content.decode()[:500]


# --- the observation form ----------------------------------------------------------------------

def test_the_form_is_for_monitors_and_sends_visitors_to_sign_in(cast: Cast) -> None:
    response = cast.client(None).get("/monitoring/observe/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert cast.client(cast.carol).get("/monitoring/observe/").status_code == 403

    page = cast.client(cast.mona).get("/monitoring/observe/").content.decode()
    assert "Enter an observation" in page
    assert 'data-submit-url="/monitoring/observations/submit/"' in page
    assert 'data-sw-url="/monitoring/sw.js"' in page
    assert "waiting to send" in page  # the script's texts come with the page, translatable


def test_a_resubmission_with_the_same_client_id_answers_the_same_record(cast: Cast) -> None:
    mona = cast.client(cast.mona)
    payload = {**observation_data(), "client_id": "33333333-3333-4333-8333-333333333333"}

    first = post_json(mona, "/monitoring/observations/submit/", payload)
    again = post_json(mona, "/monitoring/observations/submit/", payload)

    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["observation_id"] == again.json()["observation_id"]
    assert Observation.objects.count() == 1
    stored = Observation.objects.get()
    assert stored.submitted_by == cast.mona and stored.utc_offset_minutes == 0
    assert stored.observed_at == WHEN


def test_an_invalid_record_is_answered_with_the_reason(cast: Cast) -> None:
    mona = cast.client(cast.mona)
    payload = {**observation_data(bearing_deg=None), "client_id": "44444444-4444-4444-8444-4444"
                                                                  "44444444"}
    response = post_json(mona, "/monitoring/observations/submit/", payload)
    assert response.status_code == 400
    assert "compass point or a bearing" in response.json()["message"]
    assert not Observation.objects.exists()


def test_a_signed_out_queue_is_told_to_sign_in_again(cast: Cast) -> None:
    payload = {**observation_data(), "client_id": "55555555-5555-4555-8555-555555555555"}
    response = post_json(Client(), "/monitoring/observations/submit/", payload)
    assert response.status_code == 401
    assert not Observation.objects.exists()


def test_the_service_worker_is_served_from_the_desk(cast: Cast) -> None:
    response = Client().get("/monitoring/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert b"hofburg-monitoring-v1" in b"".join(response.streaming_content)  # type: ignore[attr-defined]


# --- restricted records: 404 for those who may not see them -----------------------------------

def test_visitors_and_unaffiliated_readers_find_no_records(cast: Cast) -> None:
    first, _second = crossing_pair(cast.mona)
    for client in (cast.client(None), cast.client(cast.nick)):
        assert client.get("/monitoring/observations/").status_code == 404
        assert client.get("/monitoring/events/").status_code == 404
        assert client.get(f"/monitoring/observations/{first.pk}/").status_code == 404
        assert client.get(f"/monitoring/events/{first.event_id}/").status_code == 404
        assert client.post(f"/monitoring/events/{first.event_id}/verify/").status_code == 404


def test_a_monitor_verifies_and_rejects_observations_from_the_list(cast: Cast) -> None:
    first, second = crossing_pair(cast.mona)
    mona = cast.client(cast.mona)
    page = mona.get("/monitoring/observations/").content.decode()
    assert first.observation_id in page and "Verify" in page and "Reject" in page

    mona.post(f"/monitoring/observations/{first.pk}/verify/",
              {"next": "/monitoring/observations/"})
    response = mona.post(f"/monitoring/observations/{second.pk}/reject/",
                         {"reason": "the patrol heard an echo",
                          "next": "/monitoring/observations/"}, follow=True)

    assert "Observation obs-2222" in response.content.decode()
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == ObservationStatus.VERIFIED
    assert second.status == ObservationStatus.REJECTED
    assert second.status_reason == "the patrol heard an echo"
    detail = mona.get(f"/monitoring/observations/{second.pk}/").content.decode()
    assert "the patrol heard an echo" in detail and "rejected" in detail


def test_an_analyst_of_another_affiliation_reads_but_gets_no_buttons(cast: Cast) -> None:
    first, _ = crossing_pair(cast.mona)
    carol = cast.client(cast.carol)
    page = carol.get("/monitoring/observations/").content.decode()
    assert first.observation_id in page
    assert f"/monitoring/observations/{first.pk}/verify/" not in page
    assert carol.post(f"/monitoring/observations/{first.pk}/verify/").status_code == 403
    first.refresh_from_db()
    assert first.status == ObservationStatus.SUBMITTED


def test_a_correction_keeps_the_earlier_version_in_the_history(cast: Cast) -> None:
    first, _ = crossing_pair(cast.mona)
    mona = cast.client(cast.mona)
    mona.post(f"/monitoring/observations/{first.pk}/correct/", {
        "category": "explosion_undetermined", "weapon_class": "", "count": 5,
        "reason": "the patrol's log says five"})

    first.refresh_from_db()
    assert first.count == 5 and first.revision == 2
    page = mona.get(f"/monitoring/observations/{first.pk}/").content.decode()
    assert "corrected" in page
    assert "<del>3</del> → <ins>5</ins>" in page
    assert "the patrol&#x27;s log says five" in page


def test_a_refused_correction_keeps_what_was_typed_and_changes_nothing(cast: Cast) -> None:
    first, _ = crossing_pair(cast.mona)
    response = cast.client(cast.mona).post(f"/monitoring/observations/{first.pk}/correct/", {
        "category": "explosion_undetermined", "weapon_class": "", "count": 0,
        "reason": "the patrol's log says none"})

    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="message message-error" role="alert"' in page
    assert "The correction was not saved" in page
    assert "the patrol&#x27;s log says none</textarea>" in page or \
        'value="the patrol&#x27;s log says none"' in page
    assert 'name="count" value="0"' in page
    first.refresh_from_db()
    assert first.count == 3 and first.revision == 1


def test_an_event_page_explains_the_merge_and_locates_the_event(cast: Cast) -> None:
    first, second = crossing_pair(cast.mona)
    page = cast.client(cast.carol).get(f"/monitoring/events/{first.event_id}/").content.decode()
    assert "Why these observations are one event" in page
    assert "least-squares fix of 2 bearings" in page
    assert first.observation_id in page and second.observation_id in page
    assert "Error ellipse" in page
    geometry = page.split('id="event-geometry" type="application/json">')[1].split("</script>")[0]
    data = json.loads(geometry)
    assert data["ellipse"]["semi_major_m"] > data["ellipse"]["semi_minor_m"] > 0
    assert len(data["observers"]) == 2


def test_an_event_goes_from_provisional_through_verified_to_published(cast: Cast) -> None:
    first, _ = crossing_pair(cast.mona)
    event = Event.objects.get(pk=first.event_id)
    mona = cast.client(cast.mona)
    assert "Verify" in mona.get("/monitoring/events/").content.decode()

    # Publishing a provisional event is refused with the reason; nothing changes.
    refused = mona.post(f"/monitoring/events/{event.pk}/publish/", follow=True)
    assert "only a verified event can be published" in refused.content.decode()
    event.refresh_from_db()
    assert event.status == EventStatus.PROVISIONAL

    mona.post(f"/monitoring/events/{event.pk}/verify/")
    event.refresh_from_db()
    assert event.status == EventStatus.VERIFIED
    page = mona.get(f"/monitoring/events/{event.pk}/").content.decode()
    assert "Make public" in page and ">Publish<" not in page

    # A restricted event is made public first, with the reason; then its period is released.
    refused = mona.post(f"/monitoring/events/{event.pk}/declassify/", follow=True)
    assert "Say why the event may be made public." in refused.content.decode()
    mona.post(f"/monitoring/events/{event.pk}/declassify/", {"reason": "cleared"})
    event.refresh_from_db()
    assert event.classification == "public"
    page = mona.get(f"/monitoring/events/{event.pk}/").content.decode()
    release_url = f"/monitoring/reports/{event.report_date.isoformat()}/release/"
    assert "Release its period" in page and release_url in page

    # Publishing alone asks first, and says why it cannot: observations unverified.
    confirm = mona.get(f"/monitoring/events/{event.pk}/publish/").content.decode()
    assert "cannot be published" in confirm and "not all verified" in confirm
    # The release is refused while an observation of a public event waits.
    asked = mona.get(release_url).content.decode()
    assert "cannot be released yet" in asked and "observations not verified" in asked
    refused = mona.post(release_url, follow=True).content.decode()
    assert "cannot be released yet" in refused
    event.refresh_from_db()
    assert event.status == EventStatus.VERIFIED
    for observation in event.observations.all():
        mona.post(f"/monitoring/observations/{observation.pk}/verify/")
    asked = mona.get(release_url).content.decode()
    assert "1 verified public event (3 violations at least) will be published" in asked
    mona.post(release_url)
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED
    page = mona.get(f"/monitoring/events/{event.pk}/").content.decode()
    assert "verified" in page and "published" in page
    assert "visible to the public" in page and "Withdraw from publication" in page
    listed = mona.get("/monitoring/events/").content.decode()
    row = listed.split(f'data-event="{event.event_key}"')[1].split("</tr>")[0]
    assert "status-published" in row and 'class="tag level-public"' in row
    public = cast.client(None).get(f"/monitoring/events/{event.pk}/").content.decode()
    assert 'class="tag level-public"' in public and "visible to the public" in public

    # Withdrawn from publication, with a reason: verified again, counts out of the public.
    refused = mona.post(f"/monitoring/events/{event.pk}/withdraw/", follow=True)
    assert "Say why the publication is withdrawn." in refused.content.decode()
    mona.post(f"/monitoring/events/{event.pk}/withdraw/", {"reason": "location in doubt"})
    event.refresh_from_db()
    assert event.status == EventStatus.VERIFIED
    assert report.build_daily_report(AnonymousUser(), event.report_date).total == 0
    # Published again into the released period, after the confirmation.
    assert ">Publish<" in mona.get(f"/monitoring/events/{event.pk}/publish/").content.decode()
    mona.post(f"/monitoring/events/{event.pk}/publish/")
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED
    assert report.build_daily_report(AnonymousUser(), event.report_date).total == 3


def test_workflow_buttons_need_a_post(cast: Cast) -> None:
    first, _ = crossing_pair(cast.mona)
    assert cast.client(cast.mona).get(f"/monitoring/events/{first.event_id}/verify/"
                                      ).status_code == 405


# --- public figures ---------------------------------------------------------------------------

def test_visitors_see_only_published_figures(cast: Cast) -> None:
    first, _ = crossing_pair(cast.mona)
    visitor = cast.client(None)
    assert "No figures have been published yet." in visitor.get("/monitoring/").content.decode()
    assert visitor.get("/monitoring/map/data.json?zoom=7").json()["cells"] == []
    assert "least-squares" not in visitor.get("/monitoring/").content.decode()

    publish(cast, Event.objects.get(pk=first.event_id))

    home = visitor.get("/monitoring/").content.decode()
    assert "Latest reporting period" in home and "Published figures only." in home
    data = visitor.get("/monitoring/map/data.json?zoom=14").json()
    assert data["mode"] == "cells"  # visitors never get single events or observer positions
    assert data["events"] == [] and data["observers"] == []
    assert sum(cell["violations"] for cell in data["cells"]) == 3
    assert len(data["cells"][0]["boundary"]) == 6


def test_the_entitled_see_events_and_observers_when_zoomed_in(cast: Cast) -> None:
    crossing_pair(cast.mona)
    data = cast.client(cast.carol).get("/monitoring/map/data.json?zoom=12").json()
    assert data["mode"] == "events"
    assert [event["count"] for event in data["events"]] == [3]
    assert {o["label"] for o in data["observers"]} == {"patrol-1", "patrol-2"}
    zoomed_out = cast.client(cast.carol).get("/monitoring/map/data.json?zoom=6").json()
    assert zoomed_out["mode"] == "cells" and zoomed_out["cells"][0]["violations"] == 3


def test_the_map_filters_by_category_and_day(cast: Cast) -> None:
    crossing_pair(cast.mona)
    carol = cast.client(cast.carol)
    assert carol.get("/monitoring/map/data.json?zoom=6&category=shot").json()["cells"] == []
    assert carol.get("/monitoring/map/data.json?zoom=6&day=2026-03-09").json()["cells"] == []
    assert carol.get(f"/monitoring/map/data.json?zoom=6&day={REPORT_DATE}").json()["cells"]
    assert carol.get("/monitoring/map/data.json?day=yesterday").status_code == 400


def test_the_map_layers_are_the_exercise_geometry(cast: Cast) -> None:
    layers = Client().get("/monitoring/map/layers.json").json()
    assert {f["properties"]["line_id"] for f in layers["lines"]["features"]} == {
        "line_of_contact", "memorandum_line_2014"}
    assert len(layers["areas"]["features"]) == 3
    distances = {f["properties"]["distance_km"] for f in layers["zones"]["features"]}
    assert distances == {15, 25, 35, 70}
    assert all(f["properties"]["label"].startswith("EXERCISE") for f in layers["zones"]["features"])
    page = Client().get("/monitoring/map/").content.decode()
    assert "EXERCISE DATA" in page and 'id="monitoring-map"' in page
    assert "{z}" not in page and "openstreetmap" not in page.lower()  # no tile server


def test_the_trends_page_charts_daily_counts_and_compares_periods(cast: Cast) -> None:
    crossing_pair(cast.mona)
    page = cast.client(cast.carol).get("/monitoring/trends/").content.decode()
    assert "Daily violations by category" in page and "Period comparison" in page
    chart = json.loads(page.split('id="trend-data" type="application/json">')[1]
                       .split("</script>")[0])
    assert chart["days"][-1] == REPORT_DATE
    assert chart["categories"] == [{"label": "explosion, undetermined",
                                    "data": [3]}]
    assert "+3" in page  # this fortnight against the one before
    assert "No figures have been published yet." in Client().get("/monitoring/trends/"
                                                                 ).content.decode()


def test_the_home_page_panel_shows_the_published_period(cast: Cast) -> None:
    first, _ = crossing_pair(cast.mona)
    assert "Field monitoring" not in Client().get("/").content.decode()
    publish(cast, Event.objects.get(pk=first.event_id))
    home = Client().get("/").content.decode()
    assert "Published ceasefire violations in the reporting period" in home
    assert f"/monitoring/reports/{REPORT_DATE}/" in home


def test_a_long_range_is_charted_per_week(cast: Cast) -> None:
    crossing_pair(cast.mona)
    page = cast.client(cast.carol).get(
        "/monitoring/trends/?start=2026-01-01&end=2026-03-31").content.decode()
    assert "Weekly violations by category" in page and "Daily violations" not in page
    chart = json.loads(page.split('id="trend-data" type="application/json">')[1]
                       .split("</script>")[0])
    # 1 January 2026 is a Thursday: the first point is the range's start, then each Monday.
    assert chart["days"][:3] == ["2026-01-01", "2026-01-05", "2026-01-12"]
    assert len(chart["days"]) == 14
    # The three explosions of 10 March fall in the week that starts on Monday 9 March.
    week = chart["days"].index("2026-03-09")
    assert chart["categories"][0]["data"][week] == 3
    assert sum(chart["categories"][0]["data"]) == 3


def test_the_map_layers_are_labelled_in_each_readers_language(cast: Cast) -> None:
    """The layers are built once per language: the first reader's language is not every
    reader's (decision 0052)."""
    russian = Client(HTTP_ACCEPT_LANGUAGE="ru").get("/monitoring/map/layers.json").json()
    english = Client().get("/monitoring/map/layers.json").json()
    labels = [f["properties"]["label"] for f in english["zones"]["features"]]
    assert all(label.startswith("EXERCISE: ") for label in labels)
    assert not any(f["properties"]["label"].startswith("EXERCISE: ")
                   for f in russian["zones"]["features"])
