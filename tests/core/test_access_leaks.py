"""The proof of the access model: every route to a document shows it only to those entitled.

The library (tests/core/conftest.py) holds four documents owned by alice's delegation, all
mentioning "ceasefire": one public, one restricted, one confidential and one confidential
document shared with carol's unit. Each viewer below must find exactly the documents listed
for them through every route, and a 404, indistinguishable from a missing document, for the
others.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from hofburg.core.models import Affiliation, Classification, Role, User
from hofburg.core.services.users import issue_api_token, revoke_api_token
from hofburg.documents.models import Document
from hofburg.documents.panels import new_for_state
from hofburg.monitoring.intake import release, workflow
from hofburg.monitoring.intake.photos import attach_photo
from hofburg.monitoring.intake.submit import submit_observation
from hofburg.monitoring.models import Observation
from hofburg.registry.models import ParticipatingState
from tests.conftest import Cast
from tests.core.conftest import bearer
from tests.documents.library import SEARCH_WORD, Library

pytestmark = pytest.mark.django_db

ALL = {"public", "restricted", "confidential", "shared"}

# Who may see which of the library's documents, and why.
SEES = {
    "anonymous": {"public"},                      # not signed in
    "nick": {"public"},                           # signed in, no affiliation
    "bob": {"public", "restricted"},              # another delegation
    "mona": {"public", "restricted"},             # a field operation
    "carol": {"public", "restricted", "shared"},  # the unit the shared document names
    "dora": {"public", "restricted", "shared"},   # same unit; administrator rights change nothing
    "alice": ALL,                                 # the owner delegation
}


@dataclass
class Viewer:
    name: str
    web: Client
    api_headers: dict[str, Any]
    library: Library

    @property
    def sees(self) -> set[str]:
        return SEES[self.name]

    @property
    def is_owner(self) -> bool:
        return self.name == "alice"

    def api(self, method: str, path: str, data: Any = None) -> Any:
        client = Client()
        return getattr(client, method)(path, data, **self.api_headers)

    def visible_symbols(self) -> set[str]:
        return {self.library.by_name(name).symbol for name in self.sees}

    def hidden(self) -> list[Document]:
        return [self.library.by_name(name) for name in sorted(ALL - self.sees)]


@pytest.fixture(params=list(SEES))
def viewer(request: pytest.FixtureRequest, cast: Cast, library: Library) -> Viewer:
    name = request.param
    if name == "anonymous":
        return Viewer(name, Client(), {}, library)
    user = getattr(cast, name)
    _token, key = issue_api_token(user, "leak tests")
    return Viewer(name, cast.client(user), bearer(key), library)


def _assert_nothing_hidden_in(html: str, viewer: Viewer) -> None:
    for document in viewer.hidden():
        assert document.symbol not in html
        assert document.title not in html


def _csv_symbols(response: Any) -> set[str]:
    return {row["symbol"] for row in csv.DictReader(io.StringIO(response.content.decode()))}


def _is_not_found(response: Any) -> bool:
    return bool(response.status_code == 404)


# The web pages


def test_the_list_page(viewer: Viewer) -> None:
    response = viewer.web.get(reverse("documents:documents"))

    assert {d.symbol for d in response.context["documents"]} == viewer.visible_symbols()
    _assert_nothing_hidden_in(response.content.decode(), viewer)


def test_the_list_as_csv(viewer: Viewer) -> None:
    response = viewer.web.get(reverse("documents:documents"), {"format": "csv"})

    assert _csv_symbols(response) == viewer.visible_symbols()
    _assert_nothing_hidden_in(response.content.decode(), viewer)


def test_the_list_searched_and_filtered_as_csv(viewer: Viewer) -> None:
    response = viewer.web.get(reverse("documents:documents"),
                              {"format": "csv", "q": SEARCH_WORD, "distribution": "confidential"})

    assert _csv_symbols(response) == {
        viewer.library.by_name(n).symbol for n in viewer.sees & {"confidential", "shared"}}


def test_full_text_search(viewer: Viewer) -> None:
    response = viewer.web.get(reverse("documents:documents"), {"q": SEARCH_WORD})

    assert {d.symbol for d in response.context["documents"]} == viewer.visible_symbols()
    _assert_nothing_hidden_in(response.content.decode(), viewer)


def test_searching_for_words_only_hidden_documents_contain(viewer: Viewer) -> None:
    for document in viewer.hidden():
        response = viewer.web.get(reverse("documents:documents"), {"q": document.title})
        assert {d.symbol for d in response.context["documents"]} <= viewer.visible_symbols()
        assert document.symbol not in response.content.decode()


def test_the_search_across_the_desks(viewer: Viewer) -> None:
    """The one search box: the documents' section lists and counts only what the viewer may
    see; a word only hidden documents contain finds nothing, not even an empty section."""
    response = viewer.web.get("/search/", {"q": SEARCH_WORD})
    [documents] = [s for s in response.context["sections"] if s.name == "documents"]
    assert documents.found.total == len(viewer.sees)
    assert {h.title.split(" — ")[0] for h in documents.found.hits} == viewer.visible_symbols()
    _assert_nothing_hidden_in(response.content.decode(), viewer)
    for document in viewer.hidden():
        hidden = viewer.web.get("/search/", {"q": document.title})
        assert document.symbol not in hidden.content.decode()
        assert all(s.name != "documents" or s.found.total <= len(viewer.sees)
                   for s in hidden.context["sections"])


def test_the_detail_page(viewer: Viewer) -> None:
    for name in sorted(ALL):
        document = viewer.library.by_name(name)
        response = viewer.web.get(reverse("documents:document", args=[document.pk]))
        assert response.status_code == (200 if name in viewer.sees else 404), name


def _main(response: Any) -> str:
    """The page's own content, without the per-request parts of the frame (token, own path)."""
    html = response.content.decode()
    return html[html.index("<main"):html.index("</main>")]


def test_a_hidden_document_looks_exactly_like_a_missing_one(viewer: Viewer) -> None:
    missing = viewer.web.get(reverse("documents:document", args=[999999]))
    for document in viewer.hidden():
        hidden = viewer.web.get(reverse("documents:document", args=[document.pk]))
        assert (hidden.status_code, _main(hidden)) == (missing.status_code, _main(missing))


def test_the_download(viewer: Viewer) -> None:
    for name in sorted(ALL):
        document = viewer.library.by_name(name)
        response = viewer.web.get(reverse("documents:document_download", args=[document.pk, "en"]))
        assert response.status_code == (200 if name in viewer.sees else 404), name


def test_the_edit_page(viewer: Viewer) -> None:
    for name in sorted(ALL):
        document = viewer.library.by_name(name)
        response = viewer.web.get(reverse("documents:document_edit", args=[document.pk]))
        if name not in viewer.sees:
            expected = 404
        elif viewer.is_owner:
            expected = 200
        elif viewer.name == "anonymous":
            expected = 302  # to the sign-in page, for the public document only
        else:
            expected = 403
        assert response.status_code == expected, name


def test_posting_an_edit(viewer: Viewer) -> None:
    for document in viewer.hidden():
        response = viewer.web.post(reverse("documents:document_edit", args=[document.pk]),
                                   {"title": "Taken over"})
        assert _is_not_found(response)
        document.refresh_from_db()
        assert document.title != "Taken over"


def test_the_home_page_recent_documents(viewer: Viewer) -> None:
    response = viewer.web.get(reverse("core:home"))

    assert {d.symbol for d in response.context["recent_documents"]} == viewer.visible_symbols()
    _assert_nothing_hidden_in(response.content.decode(), viewer)


def test_my_states_new_documents(viewer: Viewer) -> None:
    """The library's documents all concern Austria (its delegation's own): "My State" lists
    and counts, for any reader, exactly those the reader may see (decision 0072)."""
    austria = ParticipatingState.objects.create(
        iso2="AT", iso3="AUT", numeric="040", joined=date(1973, 6, 25), source="test",
        names={"en": "Austria"})
    user = viewer.web.get("/").wsgi_request.user
    found = new_for_state(user, austria)
    assert {d.symbol for d in found} == viewer.visible_symbols()
    assert found.count() == len(viewer.sees)
    if viewer.is_owner:
        page = viewer.web.get("/").content.decode()
        assert f"{len(viewer.sees)} documents registered in the last 14 days" in page
        _assert_nothing_hidden_in(page, viewer)


# The API


def test_the_api_list(viewer: Viewer) -> None:
    body = viewer.api("get", "/api/v1/documents").json()

    assert body["count"] == len(viewer.sees)
    assert {d["symbol"] for d in body["items"]} == viewer.visible_symbols()


def test_the_api_list_searched(viewer: Viewer) -> None:
    body = viewer.api("get", "/api/v1/documents", {"q": SEARCH_WORD}).json()

    assert {d["symbol"] for d in body["items"]} == viewer.visible_symbols()
    for document in viewer.hidden():
        hidden_search = viewer.api("get", "/api/v1/documents", {"q": document.title}).json()
        assert document.symbol not in {d["symbol"] for d in hidden_search["items"]}


def test_the_api_detail(viewer: Viewer) -> None:
    for name in sorted(ALL):
        document = viewer.library.by_name(name)
        response = viewer.api("get", f"/api/v1/documents/{document.pk}")
        if name in viewer.sees:
            assert response.status_code == 200, name
        else:
            assert response.status_code == 404, name
            assert response["Content-Type"] == "application/problem+json"
            assert document.title not in response.content.decode()


def test_the_api_download(viewer: Viewer) -> None:
    for name in sorted(ALL):
        document = viewer.library.by_name(name)
        response = viewer.api("get", f"/api/v1/documents/{document.pk}/files/en")
        assert response.status_code == (200 if name in viewer.sees else 404), name


def test_the_api_file_upload(viewer: Viewer) -> None:
    for name in sorted(ALL):
        document = viewer.library.by_name(name)
        upload = SimpleUploadedFile("fr.txt", b"Cessez-le-feu.", content_type="text/plain")
        response = viewer.api("post", f"/api/v1/documents/{document.pk}/files",
                              {"language": "fr", "file": upload})
        if name not in viewer.sees:
            expected = 404
        elif viewer.is_owner:
            expected = 201
        elif viewer.name == "anonymous":
            expected = 401
        else:
            expected = 403
        assert response.status_code == expected, name
        assert response["Content-Type"] == (
            "application/json; charset=utf-8" if expected == 201 else "application/problem+json")
        assert document.files.filter(language="fr").exists() == viewer.is_owner


# Tokens that no longer work see nothing at all


def test_a_revoked_token_is_refused_not_treated_as_anonymous(cast: Cast, library: Library) -> None:
    token, key = issue_api_token(cast.alice, "retired")
    revoke_api_token(cast.alice, token.pk)

    for path in ("/api/v1/documents", f"/api/v1/documents/{library.public.pk}"):
        response = Client().get(path, **bearer(key))
        assert response.status_code == 401
        assert response["Content-Type"] == "application/problem+json"


def test_a_user_who_lost_their_affiliation_loses_what_it_let_them_see(
    cast: Cast, library: Library
) -> None:
    cast.bob.affiliation = None
    cast.bob.save(update_fields=["affiliation"])
    _token, key = issue_api_token(cast.bob, "after leaving")

    body = Client().get("/api/v1/documents", **bearer(key)).json()

    assert {d["symbol"] for d in body["items"]} == {library.public.symbol}


def test_the_audit_trail_withholds_confidential_details_from_an_administrator_outside_them(
    cast: Cast,
) -> None:
    from hofburg.documents.services import register_document

    secret = register_document(
        cast.alice, symbol="PC.DEL/777/26", title="Sealed instructions", date=date(2026, 1, 5),
        originator="Delegation of Austria", original_language="en",
        classification=Classification.CONFIDENTIAL, files=[])
    public = register_document(
        cast.alice, symbol="PC.DEL/778/26", title="Open statement", date=date(2026, 1, 6),
        originator="Delegation of Austria", original_language="en",
        classification=Classification.PUBLIC, files=[])
    page = cast.client(cast.dora).get(reverse("core:audit")).content.decode()
    assert "Open statement" in page and str(public.pk) in page
    assert "Sealed instructions" not in page
    assert "details withheld" in page
    secret.delete()  # even once the record is gone, its last snapshot decides
    page = cast.client(cast.dora).get(reverse("core:audit")).content.decode()
    assert "Sealed instructions" not in page


# Field monitoring: records of every classification mixed together.
#
# Two missions watch one line. On one day mona's mission publishes a public event (5 rounds),
# milo's mission reports a restricted one (3 rounds), and mona's secret patrol sees the same
# explosion as milo's patrol (7 rounds, confidential); two days later the secret patrol alone
# sees 2 more. Merges and sums are where classifications meet: every figure, explanation and
# report date a viewer gets must come from what that viewer may see.

WATCH_DAY = date(2026, 3, 10)
SECRET_DAY = date(2026, 3, 12)
SECRET_OBSERVER = "secret-patrol-7"
WATCH_RANGE = {"start": "2026-03-01", "end": "2026-03-31"}
# The violations each viewer may count on WATCH_DAY and over the month.
WATCH_TOTALS = {
    "anonymous": (5, 5), "nick": (5, 5),
    "bob": (8, 8), "carol": (8, 8), "dora": (8, 8), "alice": (8, 8),
    "mona": (15, 17),
}


@dataclass
class Watch:
    viewer: str
    web: Client
    api_headers: dict[str, Any]
    restricted_event: int
    secret_events: list[int]

    @property
    def day_total(self) -> int:
        return WATCH_TOTALS[self.viewer][0]

    @property
    def month_total(self) -> int:
        return WATCH_TOTALS[self.viewer][1]

    @property
    def sees_secrets(self) -> bool:
        return self.viewer == "mona"

    def api(self, path: str, data: Any = None) -> Any:
        return Client().get(f"/api/v1/monitoring{path}", data, **self.api_headers)


@pytest.fixture(params=list(WATCH_TOTALS))
def watch(request: pytest.FixtureRequest, cast: Cast) -> Watch:
    when = datetime(2026, 3, 10, 11, 0, tzinfo=UTC)
    base = {"observed_at": when.isoformat(), "observer_id": "patrol-1", "observer_kind": "patrol",
            "observer_lon": -30.0, "observer_lat": 48.2, "method": "heard",
            "category": "explosion_undetermined", "count": 3, "bearing_deg": 90.0,
            "distance_km_min": 5.0, "distance_km_max": 9.0}

    def submit(user: User, client_id: str, level: str, **changes: Any) -> Any:
        record, _ = submit_observation(user, {**base, **changes}, client_id=client_id,
                                                classification=level, is_exercise=True)
        record.refresh_from_db()
        return record

    other = Affiliation.objects.create(code="mission-2", name="Second Monitoring Mission",
                                       kind=Affiliation.Kind.FIELD_OPERATION)
    milo = User.objects.create_user(username="milo", password="x", affiliation=other,
                                    roles=[Role.READER, Role.EDITOR])
    public = submit(cast.mona, "p-1", Classification.PUBLIC, count=5, observer_id="open-post",
                    observed_at=(when - timedelta(hours=3)).isoformat())
    workflow.verify_observation(cast.mona, public)
    event = workflow.verify_event(cast.mona, public.event)
    release.release_period(cast.mona, event.report_date)  # publishes it (decision 0035)
    restricted = submit(milo, "r-1", Classification.RESTRICTED)
    secret = submit(cast.mona, "c-1", Classification.CONFIDENTIAL, observer_id=SECRET_OBSERVER,
                    observer_lat=48.25, observer_lon=-29.91, bearing_deg=150.0, count=7,
                    observed_at=(when + timedelta(seconds=20)).isoformat())
    later = submit(cast.mona, "c-2", Classification.CONFIDENTIAL, observer_id=SECRET_OBSERVER,
                   count=2, observed_at=(when + timedelta(days=2)).isoformat())
    name = request.param
    headers: dict[str, Any] = {}
    web = Client()
    if name != "anonymous":
        user = getattr(cast, name)
        _token, key = issue_api_token(user, "leak tests")
        headers = bearer(key)
        web = cast.client(user)
    return Watch(name, web, headers, restricted.event_id, [secret.event_id, later.event_id])


def _violations_in(text: str) -> int:
    found = re.search(r"recorded (\d+) ceasefire violation", " ".join(text.split()))
    return int(found.group(1)) if found else 0


def test_the_monitoring_figures_count_only_what_the_viewer_may_see(watch: Watch) -> None:
    features = watch.api("/map", WATCH_RANGE).json()["features"]
    assert sum(f["properties"]["violations_at_least"] for f in features) == watch.month_total
    series = watch.api("/trends", WATCH_RANGE).json()["series"]
    assert sum(p["violations_at_least"] for p in series) == watch.month_total
    periods = watch.api("/periods", WATCH_RANGE).json()["periods"]
    assert sum(p["violations_at_least"] for p in periods) == watch.month_total
    daily = b"".join(watch.api("/exports/daily-counts.csv", WATCH_RANGE).streaming_content)
    rows = list(csv.DictReader(io.StringIO(daily.decode())))[1:]
    assert sum(int(r["violations_at_least"]) for r in rows) == watch.month_total
    cells = watch.web.get("/monitoring/map/data.json", {"zoom": 7}).json()["cells"]
    assert sum(c["violations"] for c in cells) == watch.month_total
    trends = b"".join(watch.web.get("/monitoring/trends.csv", WATCH_RANGE).streaming_content)
    rows = list(csv.DictReader(io.StringIO(trends.decode())))[1:]
    assert sum(int(r["violations_at_least"]) for r in rows) == watch.month_total


def test_the_daily_report_and_its_dates_count_only_what_the_viewer_may_see(
        watch: Watch) -> None:
    listed = watch.web.get("/monitoring/reports/").content.decode()
    assert (SECRET_DAY.isoformat() in listed) == watch.sees_secrets
    assert WATCH_DAY.isoformat() in listed
    page = watch.web.get(f"/monitoring/reports/{WATCH_DAY}/").content.decode()
    assert _violations_in(page) == watch.day_total
    assert SECRET_OBSERVER not in page
    # The desk's home page shows the latest period the viewer has figures for.
    home = watch.web.get("/monitoring/").content.decode()
    latest = SECRET_DAY if watch.sees_secrets else WATCH_DAY
    assert f"/monitoring/reports/{latest.isoformat()}/" in home


def test_a_period_release_shows_its_public_events_to_the_entitled_only(watch: Watch) -> None:
    asked = watch.api(f"/periods/{WATCH_DAY}/release")
    page = watch.web.get(f"/monitoring/reports/{WATCH_DAY}/release/")
    if watch.viewer in ("anonymous", "nick"):
        assert asked.status_code == 404
        assert page.status_code in (302, 404)
        return
    # What a release counts is the period's public events: never a restricted or secret one.
    assert (asked.json()["released"], asked.json()["published"], asked.json()["ready"]) == (
        True, 1, 0)
    if page.status_code == 200:
        assert SECRET_OBSERVER not in page.content.decode()


def test_the_daily_report_pdf_counts_only_what_the_viewer_may_see(watch: Watch) -> None:
    pdf = watch.web.get(f"/monitoring/reports/{WATCH_DAY}/pdf/").content
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert _violations_in(text) == watch.day_total
    assert SECRET_OBSERVER not in text


def test_the_daily_report_s_map_and_chart_draw_only_what_the_viewer_may_see(
        watch: Watch) -> None:
    page = watch.web.get(f"/monitoring/reports/{WATCH_DAY}/").content.decode()
    assert re.findall(r'data-violations="(\d+)"', page) == [str(watch.day_total)] * 2
    pdf = watch.web.get(f"/monitoring/reports/{WATCH_DAY}/pdf/").content
    text = " ".join(" ".join(sheet.extract_text().split())
                    for sheet in PdfReader(io.BytesIO(pdf)).pages)
    assert f"Total: {watch.day_total}" in text


def test_an_event_and_its_merge_explanation_show_nothing_the_viewer_may_not_see(
        watch: Watch) -> None:
    detail = watch.api(f"/events/{watch.restricted_event}")
    if watch.viewer in ("anonymous", "nick"):
        assert detail.status_code == 404
    else:
        body = detail.json()
        assert SECRET_OBSERVER not in repr(body) and "c-1" not in repr(body)
        assert (body["classification"], body["number_of_sources"], body["count_at_least"]) == (
            "restricted", 1, 3)
    for pk in watch.secret_events:
        assert (watch.api(f"/events/{pk}").status_code == 200) == watch.sees_secrets
        page = watch.web.get(f"/monitoring/events/{pk}/")
        assert (page.status_code == 200) == watch.sees_secrets
    listed = watch.api("/events", {"limit": 100}).content.decode()
    exported = b"".join(watch.api("/exports/events.csv").streaming_content).decode()
    geojson = b"".join(watch.api("/exports/events.geojson").streaming_content).decode()
    for text in (listed, exported, geojson):
        assert ("obs-c-1" in text) == watch.sees_secrets


def _tiny_jpeg(shade: int) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (shade, 0, 0)).save(out, "JPEG")
    return out.getvalue()


def test_an_observation_s_photos_are_seen_by_exactly_those_who_see_the_observation(
        watch: Watch, cast: Cast) -> None:
    milo = User.objects.get(username="milo")
    photos = {client_id: attach_photo(owner, client_id, f"{client_id}.jpg", _tiny_jpeg(shade))[0]
              for client_id, owner, shade in (("p-1", cast.mona, 10), ("r-1", milo, 90),
                                              ("c-1", cast.mona, 200))}
    may_see = {"p-1": True, "r-1": watch.viewer not in ("anonymous", "nick"),
               "c-1": watch.sees_secrets}
    for client_id, photo in photos.items():
        address = f"/monitoring/observations/{photo.observation_id}/photos/{photo.pk}/"
        assert (watch.web.get(address).status_code == 200) == may_see[client_id], address
        observation = Observation.objects.get(pk=photo.observation_id)
        event_page = watch.web.get(f"/monitoring/events/{observation.event_id}/")
        assert (address in event_page.content.decode()) == may_see[client_id]
    # The public event's page names no photo of the others' observations.
    public = Observation.objects.get(client_id="p-1")
    page = watch.web.get(f"/monitoring/events/{public.event_id}/").content.decode()
    assert photos["r-1"].sha256 not in page and photos["c-1"].sha256 not in page


def test_the_review_queue_lists_only_the_viewer_s_own_mission_s_records(watch: Watch) -> None:
    page = watch.web.get("/monitoring/review/")
    if watch.viewer in ("anonymous", "nick"):
        assert page.status_code == 404
        return
    text = page.content.decode()
    assert ("obs-c-1" in text and SECRET_OBSERVER in text) == watch.sees_secrets
    assert "obs-r-1" not in text  # milo's mission's: verified by its own editors only
    if not watch.sees_secrets:
        assert "obs-c-" not in text and SECRET_OBSERVER not in text


def test_the_daily_report_pdf_is_marked_as_classified_as_what_it_sums(watch: Watch) -> None:
    pdf = watch.web.get(f"/monitoring/reports/{WATCH_DAY}/pdf/").content
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    expected = {"anonymous": "PUBLIC", "nick": "PUBLIC", "mona": "CONFIDENTIAL"}.get(
        watch.viewer, "RESTRICTED")
    assert pages and all(f"{expected} ·" in text for text in pages)
