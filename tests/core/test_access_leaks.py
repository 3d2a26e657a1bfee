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
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from hofburg.core.models import Classification, Document
from hofburg.core.services.users import issue_api_token, revoke_api_token
from tests.conftest import Cast
from tests.core.conftest import SEARCH_WORD, Library, bearer

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
    response = viewer.web.get(reverse("core:documents"))

    assert {d.symbol for d in response.context["documents"]} == viewer.visible_symbols()
    _assert_nothing_hidden_in(response.content.decode(), viewer)


def test_the_list_as_csv(viewer: Viewer) -> None:
    response = viewer.web.get(reverse("core:documents"), {"format": "csv"})

    assert _csv_symbols(response) == viewer.visible_symbols()
    _assert_nothing_hidden_in(response.content.decode(), viewer)


def test_the_list_searched_and_filtered_as_csv(viewer: Viewer) -> None:
    response = viewer.web.get(reverse("core:documents"),
                              {"format": "csv", "q": SEARCH_WORD, "distribution": "confidential"})

    assert _csv_symbols(response) == {
        viewer.library.by_name(n).symbol for n in viewer.sees & {"confidential", "shared"}}


def test_full_text_search(viewer: Viewer) -> None:
    response = viewer.web.get(reverse("core:documents"), {"q": SEARCH_WORD})

    assert {d.symbol for d in response.context["documents"]} == viewer.visible_symbols()
    _assert_nothing_hidden_in(response.content.decode(), viewer)


def test_searching_for_words_only_hidden_documents_contain(viewer: Viewer) -> None:
    for document in viewer.hidden():
        response = viewer.web.get(reverse("core:documents"), {"q": document.title})
        assert {d.symbol for d in response.context["documents"]} <= viewer.visible_symbols()
        assert document.symbol not in response.content.decode()


def test_the_detail_page(viewer: Viewer) -> None:
    for name in sorted(ALL):
        document = viewer.library.by_name(name)
        response = viewer.web.get(reverse("core:document", args=[document.pk]))
        assert response.status_code == (200 if name in viewer.sees else 404), name


def _main(response: Any) -> str:
    """The page's own content, without the per-request parts of the frame (token, own path)."""
    html = response.content.decode()
    return html[html.index("<main"):html.index("</main>")]


def test_a_hidden_document_looks_exactly_like_a_missing_one(viewer: Viewer) -> None:
    missing = viewer.web.get(reverse("core:document", args=[999999]))
    for document in viewer.hidden():
        hidden = viewer.web.get(reverse("core:document", args=[document.pk]))
        assert (hidden.status_code, _main(hidden)) == (missing.status_code, _main(missing))


def test_the_download(viewer: Viewer) -> None:
    for name in sorted(ALL):
        document = viewer.library.by_name(name)
        response = viewer.web.get(reverse("core:document_download", args=[document.pk, "en"]))
        assert response.status_code == (200 if name in viewer.sees else 404), name


def test_the_edit_page(viewer: Viewer) -> None:
    for name in sorted(ALL):
        document = viewer.library.by_name(name)
        response = viewer.web.get(reverse("core:document_edit", args=[document.pk]))
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
        response = viewer.web.post(reverse("core:document_edit", args=[document.pk]),
                                   {"title": "Taken over"})
        assert _is_not_found(response)
        document.refresh_from_db()
        assert document.title != "Taken over"


def test_the_home_page_recent_documents(viewer: Viewer) -> None:
    response = viewer.web.get(reverse("core:home"))

    assert {d.symbol for d in response.context["recent_documents"]} == viewer.visible_symbols()
    _assert_nothing_hidden_in(response.content.decode(), viewer)


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
    from hofburg.core.services.documents import register_document

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
