"""The documents API at /api/v1/documents: answers, problems (RFC 9457) and what is stored."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from hofburg.core.api import TOKEN_USE_RESOLUTION
from hofburg.core.models import ApiToken, AuditEntry
from hofburg.core.services.users import issue_api_token, revoke_api_token
from hofburg.documents.models import Document, DocumentFile
from tests.conftest import Cast
from tests.core.conftest import bearer
from tests.documents.library import Library

pytestmark = pytest.mark.django_db

LIST = "/api/v1/documents"


def _detail(document: Document) -> str:
    return f"/api/v1/documents/{document.pk}"


def _payload(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "symbol": "PC.DEL/40/26",
        "title": "Statement on the ceasefire",
        "date": "2026-03-04",
        "originator": "Delegation of Austria",
        "original_language": "en",
        "distribution": "restricted",
    }
    data.update(overrides)
    return data


def _post_json(client: Client, path: str, data: dict[str, Any], key: str | None = None) -> Any:
    headers = bearer(key) if key else {}
    return client.post(path, json.dumps(data), content_type="application/json", **headers)


def _assert_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["title"] and body["detail"]
    return body


def _counts() -> tuple[int, int, int]:
    return Document.objects.count(), DocumentFile.objects.count(), AuditEntry.objects.count()


# Reading


def test_the_list_gives_each_document_s_metadata(library: Library) -> None:
    response = Client().get(LIST)

    assert response.status_code == 200
    assert response.json() == {"count": 1, "items": [{
        "id": library.public.pk, "symbol": "PC.DEL/1/26",
        "title": "Statement on the public ceasefire report", "date": "2026-01-01",
        "distribution": "public", "originator": "Delegation of Austria",
        "original_language": "en", "languages": ["en"], "is_exercise": False,
    }]}


def test_the_list_is_paginated_by_limit_and_offset(cast: Cast, library: Library,
                                                   tokens: dict[str, str]) -> None:
    client = Client()
    first = client.get(LIST, {"limit": 3}, **bearer(tokens["alice"])).json()
    rest = client.get(LIST, {"limit": 3, "offset": 3}, **bearer(tokens["alice"])).json()

    assert first["count"] == rest["count"] == 4
    assert [d["symbol"] for d in first["items"]] == ["PC.DEL/4/26", "PC.DEL/3/26", "PC.DEL/2/26"]
    assert [d["symbol"] for d in rest["items"]] == ["PC.DEL/1/26"]


def test_the_list_filters_and_searches(library: Library, tokens: dict[str, str]) -> None:
    def symbols(**query: Any) -> list[str]:
        response = Client().get(LIST, query, **bearer(tokens["alice"]))
        assert response.status_code == 200
        return [d["symbol"] for d in response.json()["items"]]

    assert symbols(q="deployments") == ["PC.DEL/2/26"]
    assert symbols(distribution="confidential") == ["PC.DEL/4/26", "PC.DEL/3/26"]
    assert symbols(year=2025) == []
    assert len(symbols(originator="Delegation of Austria")) == 4
    assert symbols(q='"foo AND (') == []


def test_a_filter_that_is_not_valid_is_a_problem(library: Library) -> None:
    body = _assert_problem(Client().get(LIST, {"distribution": "secret"}), 422)
    assert body["errors"][0]["field"] == "distribution"


def test_the_detail_lists_the_files_with_digest_and_download_url(
    library: Library, tokens: dict[str, str]
) -> None:
    stored = library.restricted.files.get()

    response = Client().get(_detail(library.restricted), **bearer(tokens["bob"]))

    assert response.status_code == 200
    [file] = response.json()["files"]
    assert file == {
        "language": "en", "filename": "document.txt", "size": stored.size,
        "sha256": stored.sha256,
        "url": f"http://testserver/api/v1/documents/{library.restricted.pk}/files/en",
    }


def test_the_download_url_streams_the_file_to_a_token_holder(
    library: Library, tokens: dict[str, str]
) -> None:
    stored = library.restricted.files.get()
    url = f"/api/v1/documents/{library.restricted.pk}/files/en"

    response = Client().get(url, **bearer(tokens["bob"]))

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="document.txt"'
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert hashlib.sha256(body).hexdigest() == stored.sha256


def test_a_signed_in_browser_reads_with_its_session(cast: Cast, library: Library) -> None:
    response = cast.client(cast.bob).get(_detail(library.restricted))
    assert response.status_code == 200


# Tokens


def test_an_unknown_token_is_a_401_problem(library: Library) -> None:
    response = Client().get(LIST, **bearer("hfb_not-a-real-token"))
    body = _assert_problem(response, 401)
    assert response["WWW-Authenticate"] == "Bearer"
    assert "unknown or revoked" in body["detail"]


def test_a_revoked_token_is_a_401_problem(cast: Cast, library: Library) -> None:
    token, key = issue_api_token(cast.bob, "old script")
    revoke_api_token(cast.bob, token.pk)

    _assert_problem(Client().get(_detail(library.public), **bearer(key)), 401)
    _assert_problem(_post_json(Client(), LIST, _payload(), key), 401)


def test_a_token_s_last_use_is_kept_to_the_minute(cast: Cast, library: Library,
                                                 settings: Any) -> None:
    """Each use within a minute of the last recorded one writes nothing (a polling client does
    not take the write lock on every read); a later use is recorded."""
    # The recorded use is moved back in the database below, as a minute passing would do; the
    # process's few seconds of trust in a verified token would hide that.
    settings.TRUST_SECONDS = 0
    token, key = issue_api_token(cast.bob, "poller")
    assert token.last_used_at is None
    assert Client().get(LIST, **bearer(key)).status_code == 200
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    assert Client().get(LIST, **bearer(key)).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at == first
    earlier = first - TOKEN_USE_RESOLUTION - timedelta(seconds=1)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=earlier)
    assert Client().get(LIST, **bearer(key)).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at > first


def test_a_malformed_authorization_header_is_a_401_problem(library: Library) -> None:
    response = Client().get(LIST, HTTP_AUTHORIZATION="Basic YWxpY2U6c2VjcmV0")
    _assert_problem(response, 401)


# Registering


def test_an_editor_registers_a_document_with_a_token(cast: Cast, tokens: dict[str, str]) -> None:
    response = _post_json(Client(), LIST, _payload(symbol="PC.DEL/40/26 OSCE+"), tokens["alice"])

    assert response.status_code == 201
    body = response.json()
    document = Document.objects.get()
    assert body["id"] == document.pk
    assert (body["symbol"], body["distribution"], body["files"]) == ("PC.DEL/40/26", "restricted",
                                                                     [])
    assert document.owner_affiliation == cast.austria
    assert AuditEntry.objects.filter(action="create", actor=cast.alice,
                                     model_label="documents.Document").count() == 1


def test_a_confidential_document_is_shared_by_affiliation_code(cast: Cast,
                                                               tokens: dict[str, str]) -> None:
    response = _post_json(Client(), LIST, _payload(distribution="confidential",
                                                   shared_with=["cpc"]), tokens["alice"])

    assert response.status_code == 201
    assert list(Document.objects.get().shared_with.all()) == [cast.cpc]


@pytest.mark.parametrize(("overrides", "field"), [
    ({"symbol": "nonsense"}, "symbol"),
    ({"title": " "}, "title"),
    ({"date": "2999-12-31"}, "date"),
    ({"original_language": "pt"}, "original_language"),
    ({"shared_with": ["cpc"]}, "shared_with"),
    ({"distribution": "confidential", "shared_with": ["no-such-unit"]}, "shared_with"),
    ({"distribution": "secret"}, "distribution"),
    ({"date": "not a date"}, "date"),
])
def test_bad_metadata_is_a_422_problem_naming_the_field_and_nothing_is_stored(
    overrides: dict[str, Any], field: str, library: Library, tokens: dict[str, str]
) -> None:
    before = _counts()

    response = _post_json(Client(), LIST, _payload(**overrides), tokens["alice"])

    body = _assert_problem(response, 422)
    assert field in [e["field"] for e in body["errors"]]
    assert _counts() == before


def test_a_taken_symbol_is_a_422_problem(library: Library, tokens: dict[str, str]) -> None:
    body = _assert_problem(
        _post_json(Client(), LIST, _payload(symbol="PC.DEL/3/26"), tokens["alice"]), 422)
    assert body["field"] == "symbol"
    assert "already registered" in body["detail"]


def test_registering_without_a_token_is_a_401_problem(cast: Cast, library: Library) -> None:
    before = _counts()
    _assert_problem(_post_json(Client(), LIST, _payload()), 401)
    # A browser session does not authorise writes: no cross-site request can register.
    _assert_problem(_post_json(cast.client(cast.alice), LIST, _payload()), 401)
    assert _counts() == before


@pytest.mark.parametrize("who", ["carol", "nick", "dora"])
def test_registering_is_forbidden_to_those_who_are_not_editors(
    who: str, library: Library, tokens: dict[str, str]
) -> None:
    before = _counts()
    _assert_problem(_post_json(Client(), LIST, _payload(), tokens[who]), 403)
    assert _counts() == before


# Uploading language versions


def _upload(document: Document, key: str | None, language: str = "fr",
            content: bytes = "Déclaration sur le cessez-le-feu.".encode()) -> Any:
    headers = bearer(key) if key else {}
    return Client().post(
        f"/api/v1/documents/{document.pk}/files",
        {"language": language, "file": SimpleUploadedFile("fr.txt", content,
                                                          content_type="text/plain")},
        **headers,
    )


def test_the_owner_uploads_a_language_version(library: Library, tokens: dict[str, str]) -> None:
    content = "Déclaration sur le cessez-le-feu.".encode()

    response = _upload(library.confidential, tokens["alice"], content=content)

    assert response.status_code == 201
    files = {f["language"]: f for f in response.json()["files"]}
    assert set(files) == {"en", "fr"}
    assert files["fr"]["sha256"] == hashlib.sha256(content).hexdigest()
    assert library.confidential.languages == ["en", "fr"]


def test_a_bad_upload_is_a_422_problem_and_nothing_is_stored(
    library: Library, tokens: dict[str, str], settings: Any
) -> None:
    before = _counts()
    body = _assert_problem(_upload(library.public, tokens["alice"], language="en"), 422)
    assert body["field"] == "language"
    body = _assert_problem(_upload(library.public, tokens["alice"], language="pt"), 422)
    assert body["field"] == "language"
    settings.DOCUMENT_MAX_BYTES = 5
    body = _assert_problem(_upload(library.public, tokens["alice"]), 422)
    assert body["field"] == "file"
    assert _counts() == before


def test_an_upload_without_a_file_is_a_422_problem(library: Library,
                                                   tokens: dict[str, str]) -> None:
    response = Client().post(f"/api/v1/documents/{library.public.pk}/files", {"language": "fr"},
                             **bearer(tokens["alice"]))
    _assert_problem(response, 422)


def test_uploading_to_a_visible_document_without_a_token_is_a_401_problem(
    library: Library
) -> None:
    _assert_problem(_upload(library.public, None), 401)


@pytest.mark.parametrize("who", ["bob", "carol", "nick"])
def test_uploading_to_a_visible_document_one_may_not_change_is_a_403_problem(
    who: str, library: Library, tokens: dict[str, str]
) -> None:
    _assert_problem(_upload(library.public, tokens[who]), 403)
    assert library.public.languages == ["en"]


def test_an_unknown_document_is_a_404_problem(tokens: dict[str, str]) -> None:
    _assert_problem(Client().get("/api/v1/documents/999999", **bearer(tokens["alice"])), 404)


def test_the_openapi_document_describes_the_documents_routes() -> None:
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/documents", "/api/v1/documents/{document_id}",
            "/api/v1/documents/{document_id}/files",
            "/api/v1/documents/{document_id}/files/{language}"} <= set(paths)
