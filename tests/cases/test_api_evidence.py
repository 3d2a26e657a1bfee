"""Evidence through the API: a multipart upload hashed at ingest, sealed on disk and logged on
the ledger; a download of the original, decrypted and checked, for the owner's editors holding
a strictly-confidential grant for the person concerned, each one a custody event and a read in
the access log; a hidden piece answered as a missing one; a retry of an upload under its key
(with another multipart boundary) storing nothing new."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.client import encode_multipart

from hofburg.cases.models import AccessLog, CustodyEvent, Evidence, Grant
from hofburg.cases.services import evidence, persons
from hofburg.core.models import Classification, Role, User
from hofburg.core.services.ledger import verify_ledger
from tests.cases.calls import API, same_as_missing
from tests.cases.conftest import SECRET, Scene, verified_client
from tests.cases.tokens import bearer
from tests.conftest import PASSWORD

PLAINTEXT = b"api-evidence-plaintext-marker: a photograph of the cell"


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def _media_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _upload(headers: dict[str, str], path: str, *, data: bytes = PLAINTEXT,
            key: str | None = None, boundary: str | None = None, **fields: str) -> Any:
    form: dict[str, Any] = {"title": "photo of the cell", **fields,
                            "file": SimpleUploadedFile("cell.jpg", data,
                                                       content_type="image/jpeg")}
    extra = {**headers, **({"HTTP_IDEMPOTENCY_KEY": key} if key else {})}
    if boundary is None:
        return Client().post(f"{API}{path}", form, **extra)
    return Client().post(f"{API}{path}", encode_multipart(boundary, form),
                         content_type=f"multipart/form-data; boundary={boundary}", **extra)


def _clean(response: Any) -> None:
    text = response.content.decode(errors="replace") + str(response.items())
    assert PLAINTEXT.decode() not in text
    for value in SECRET.values():
        assert value not in text



def test_an_upload_is_hashed_sealed_and_on_the_ledger(scene: Scene, media: Path) -> None:
    erin = bearer(scene.erin)
    answer = _upload(erin, f"/prisoners/{scene.restricted_case.case_id}/evidence",
                     source_url="https://example.org/exercise", capture_tool="camera")
    assert answer.status_code == 201
    body = answer.json()
    assert body["sha256"] == hashlib.sha256(PLAINTEXT).hexdigest()
    assert (body["size"], body["media_type"], body["case_id"], body["alert_id"]) == (
        len(PLAINTEXT), "image/jpeg", scene.restricted_case.case_id, None)
    _clean(answer)
    piece = Evidence.objects.get(evidence_id=body["evidence_id"])
    assert (piece.classification, piece.owner_affiliation, piece.capture_tool) == (
        Classification.CONFIDENTIAL, scene.cast.cpc, "camera")
    original = evidence.evidence_dir(piece.evidence_id) / "original"
    stored = original.read_bytes()
    assert stored != PLAINTEXT and PLAINTEXT not in stored
    assert all(PLAINTEXT not in p.read_bytes() for p in _media_files(media))
    assert [e.action for e in CustodyEvent.objects.filter(evidence=piece)] == ["ingest"]
    assert verify_ledger() == []
    on_alert = _upload(erin, f"/alerts/{scene.public_alert.alert_id}/evidence",
                       classification="restricted", media_type="text/plain")
    assert on_alert.status_code == 201
    assert (on_alert.json()["alert_id"], on_alert.json()["media_type"]) == (
        scene.public_alert.alert_id, "text/plain")


def test_the_original_opens_for_the_owners_editor_holding_the_strict_grant_and_is_logged(
        scene: Scene, media: Path) -> None:
    erin = bearer(scene.erin)
    evidence_id = _upload(erin, f"/prisoners/{scene.restricted_case.case_id}/evidence"
                          ).json()["evidence_id"]
    download = Client().get(f"{API}/evidence/{evidence_id}/original", **erin)
    assert download.status_code == 200
    assert download.content == PLAINTEXT
    assert download["Content-Type"] == "image/jpeg"
    assert download["Content-Disposition"] == f'attachment; filename="{evidence_id}"'
    assert download["Cache-Control"] == "private, no-store"
    expected = base64.b64encode(hashlib.sha256(PLAINTEXT).digest()).decode()
    assert download["Repr-Digest"] == f"sha-256=:{expected}:"
    piece = Evidence.objects.get(evidence_id=evidence_id)
    assert [e.action for e in CustodyEvent.objects.filter(evidence=piece)] == ["ingest", "open"]
    assert CustodyEvent.objects.get(action="open").actor_label == "erin"
    logged = AccessLog.objects.get(record_type="evidence")
    assert (logged.user, logged.action, logged.fields, logged.count, logged.channel) == (
        scene.erin, "read", ["original"], 1, "api")
    assert verify_ledger() == []
    # The same through a session past the second factor (a download is a read).
    assert verified_client(scene.erin).get(
        f"{API}/evidence/{evidence_id}/original").content == PLAINTEXT
    assert CustodyEvent.objects.filter(evidence=piece, action="open").count() == 2
    meta = Client().get(f"{API}/evidence/{evidence_id}", **erin)
    assert meta.json()["sha256"] == piece.sha256
    _clean(meta)


def test_who_may_not_open_an_original(scene: Scene, media: Path) -> None:
    erin = bearer(scene.erin)
    evidence_id = _upload(erin, f"/prisoners/{scene.restricted_case.case_id}/evidence"
                          ).json()["evidence_id"]
    original, meta = f"{API}/evidence/{evidence_id}/original", f"{API}/evidence/{evidence_id}"
    fred = User.objects.create_user("fred", password=PASSWORD, affiliation=scene.cast.cpc,
                                    roles=[Role.READER, Role.EDITOR])
    # Seen (the owner affiliation) but not opened: an analyst with a grant, an analyst
    # without, an editor without a grant and with one that stops at the name.
    for user in (scene.gina, scene.cast.carol, fred):
        headers = bearer(user)
        assert Client().get(meta, **headers).status_code == 200
        refused = Client().get(original, **headers)
        assert refused.status_code == 403 and refused["Content-Type"] == \
            "application/problem+json"
        _clean(refused)
    person = scene.restricted_case.person
    persons.grant_access(scene.erin, person, fred, Grant.Level.RESTRICTED)
    assert Client().get(original, **bearer(fred)).status_code == 403
    # Hidden from another affiliation and from anonymous visitors: as a missing piece.
    for headers in (bearer(scene.cast.bob), {}):
        for path in (meta, original):
            same_as_missing(Client().get(path, **headers),
                             Client().get(path.replace(evidence_id, "EV-000000000000"),
                                          **headers))
    assert not CustodyEvent.objects.filter(action="open").exists()
    assert not AccessLog.objects.filter(record_type="evidence").exists()
    persons.grant_access(scene.erin, person, fred, Grant.Level.STRICTLY_CONFIDENTIAL)
    assert Client().get(original, **bearer(fred)).content == PLAINTEXT
    # A public piece is seen by anonymous visitors; its original asks for a token.
    public_id = _upload(erin, f"/prisoners/{scene.public_case.case_id}/evidence",
                        classification="public").json()["evidence_id"]
    assert Client().get(f"{API}/evidence/{public_id}").status_code == 200
    anonymous = Client().get(f"{API}/evidence/{public_id}/original")
    assert anonymous.status_code == 401
    _clean(anonymous)
    assert CustodyEvent.objects.filter(action="open").count() == 1


def test_refused_uploads_store_nothing(scene: Scene, media: Path) -> None:
    erin = bearer(scene.erin)
    path = f"/prisoners/{scene.restricted_case.case_id}/evidence"
    empty = _upload(erin, path, data=b"")
    assert empty.status_code == 422 and empty.json()["field"] == "file"
    untitled = Client().post(f"{API}{path}", {"file": SimpleUploadedFile("a.jpg", PLAINTEXT)},
                             **erin)
    assert untitled.status_code == 422 and untitled.json()["field"] == "title"
    no_file = Client().post(f"{API}{path}", {"title": "photo"}, **erin)
    assert no_file.status_code == 422
    bob = bearer(scene.cast.bob)
    public_path = f"/prisoners/{scene.public_case.case_id}/evidence"
    assert _upload(bob, public_path).status_code == 403  # sees the case, does not own it
    same_as_missing(_upload(bob, f"/prisoners/{scene.confidential_case.case_id}/evidence"),
                     _upload(bob, "/prisoners/PC-000000000000/evidence"))
    assert _upload(bearer(scene.gina), path).status_code == 403
    unenrolled = User.objects.create_user("fred", password=PASSWORD,
                                          affiliation=scene.cast.cpc, roles=[Role.EDITOR])
    assert _upload(bearer(unenrolled, enrolled=False), path).status_code == 401
    assert _upload({}, path).status_code == 401
    assert _upload(erin, path, classification="secret").status_code == 422
    assert not Evidence.objects.exists() and not CustodyEvent.objects.exists()
    assert _media_files(media) == []


def test_a_retry_of_an_upload_under_its_key_stores_nothing_new(scene: Scene,
                                                               media: Path) -> None:
    erin = bearer(scene.erin)
    path = f"/prisoners/{scene.restricted_case.case_id}/evidence"
    first = _upload(erin, path, key="ev-1", boundary="first-boundary-1")
    again = _upload(erin, path, key="ev-1", boundary="another-boundary-2")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert Evidence.objects.count() == CustodyEvent.objects.count() == 1
    assert len(_media_files(media)) == 1
    other = _upload(erin, path, key="ev-1", data=b"another photograph")
    assert other.status_code == 409 and "file differ" in other.json()["detail"]
    retitled = _upload(erin, path, key="ev-1", title="another title")
    assert retitled.status_code == 409 and "title differ" in retitled.json()["detail"]
    assert Evidence.objects.count() == 1 and len(_media_files(media)) == 1


# -- no plaintext on disk before sealing ----------------------------------------------------------

# Above Django's FILE_UPLOAD_MAX_MEMORY_SIZE (5 MB here): its default handlers would write it to
# a temporary file in the clear as it arrives.
LARGE = PLAINTEXT * (6 * 2**20 // len(PLAINTEXT) + 1)


def _spy_on_the_temp_dir(monkeypatch: Any, settings: Any, tmp_path: Path) -> list[bool]:
    """While each upload is ingested (the request's temporary files still exist), whether a
    file in FILE_UPLOAD_TEMP_DIR holds the plaintext; one entry per ingest or copy."""
    temp = tmp_path / "upload-temp"
    temp.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(temp)
    seen: list[bool] = []

    def spying(real: Any) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            seen.append(any(PLAINTEXT in p.read_bytes() for p in temp.rglob("*") if p.is_file()))
            return real(*args, **kwargs)
        return call

    monkeypatch.setattr(evidence, "ingest_evidence", spying(evidence.ingest_evidence))
    monkeypatch.setattr(evidence, "add_working_copy", spying(evidence.add_working_copy))
    return seen


def test_a_large_upload_never_reaches_the_disk_in_the_clear(
        scene: Scene, media: Path, monkeypatch: Any, settings: Any, tmp_path: Path) -> None:
    seen = _spy_on_the_temp_dir(monkeypatch, settings, tmp_path)
    erin = bearer(scene.erin)
    path = f"/prisoners/{scene.restricted_case.case_id}/evidence"
    first = _upload(erin, path, data=LARGE)
    # Under an idempotency key the form is read (and its file hashed) before the endpoint.
    keyed = _upload(erin, f"/alerts/{scene.public_alert.alert_id}/evidence", data=LARGE,
                    key="large-1")
    assert (first.status_code, keyed.status_code) == (201, 201)
    assert first.json()["size"] == len(LARGE)
    copy = Client().post(f"{API}/evidence/{first.json()['evidence_id']}/copies",
                         {"label": "redacted", "file": SimpleUploadedFile(
                             "copy.jpg", LARGE, content_type="image/jpeg")}, **erin)
    assert copy.status_code == 201 and copy.json()["size"] == len(LARGE)
    assert seen == [False, False, False]
    piece = Evidence.objects.get(evidence_id=first.json()["evidence_id"])
    assert evidence.open_original(scene.erin, piece) == LARGE
    # The control: with Django's default handlers (the desk's middleware left out) the same
    # upload sits in a temporary file in the clear while it is ingested.
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.endswith("SealedApiUploads")]
    assert _upload(erin, path, data=LARGE).status_code == 201
    assert seen[-1] is True


def test_an_upload_above_the_bound_is_refused_before_it_is_read(
        scene: Scene, media: Path, monkeypatch: Any, settings: Any, tmp_path: Path) -> None:
    """Nothing is received, nothing stored; a working copy is not made from the original in
    place of the file that was too large."""
    seen = _spy_on_the_temp_dir(monkeypatch, settings, tmp_path)
    monkeypatch.setattr(evidence, "MAX_BYTES", 2**20)
    erin = bearer(scene.erin)
    refused = _upload(erin, f"/prisoners/{scene.restricted_case.case_id}/evidence", data=LARGE)
    body = refused.json()
    assert (refused.status_code, body["field"], body["detail"]) == (
        413, "file", "A file is at most 1 MB.")
    assert refused["Content-Type"] == "application/problem+json"
    # Answered before any record is looked up: a hidden case as a missing one.
    bob = bearer(scene.cast.bob)
    hidden = _upload(bob, f"/prisoners/{scene.confidential_case.case_id}/evidence", data=LARGE)
    missing = _upload(bob, "/prisoners/PC-000000000000/evidence", data=LARGE)
    assert hidden.status_code == missing.status_code == 413
    assert {**hidden.json(), "instance": ""} == {**missing.json(), "instance": ""}
    piece = _upload(erin, f"/prisoners/{scene.restricted_case.case_id}/evidence").json()
    copy = Client().post(f"{API}/evidence/{piece['evidence_id']}/copies",
                         {"label": "redacted", "file": SimpleUploadedFile("copy.jpg", LARGE)},
                         **erin)
    assert copy.status_code == 413
    assert Evidence.objects.count() == 1 and not Evidence.objects.get().copies.exists()
    assert seen == [False] and not list((tmp_path / "upload-temp").iterdir())
