"""Decision 0064: a person's protection level and vault changed through the API (the vault only
by a holder of a strictly-confidential grant, no value ever answered); the erasure workflow
through the API (request, legal hold, decision); and working copies of evidence, made from an
uploaded file or from the original and downloaded, on the evidence page and through the API,
by those who may open the original only: every making and opening a custody event on the
ledger, every opening a read in the access log, a retry storing nothing new."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from hofburg.cases import vault
from hofburg.cases.models import (
    AccessLog,
    CustodyEvent,
    ErasureRequest,
    Evidence,
    Grant,
    Person,
    VaultEntry,
    WorkingCopy,
)
from hofburg.cases.services import evidence, persons
from hofburg.core.models import AuditEntry, Role, User
from hofburg.core.services.ledger import verify_ledger
from tests.cases.calls import API, problem, same_as_missing
from tests.cases.conftest import SECRET, Scene, verified_client
from tests.cases.tokens import bearer
from tests.conftest import PASSWORD

ORIGINAL = b"%PDF-1.4 original-evidence-marker\n%%EOF\n"
REDACTED = b"%PDF-1.4 redacted-copy-marker\n%%EOF\n"
NEW_CONTACT = "new-contact-marker@example.org"


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def _send(method: str, headers: dict[str, str], path: str, body: Any,
          key: str | None = None) -> Any:
    extra = {**headers, **({"HTTP_IDEMPOTENCY_KEY": key} if key else {})}
    call = getattr(Client(), method)
    response = call(f"{API}{path}", json.dumps(body), content_type="application/json", **extra)
    text = response.content.decode(errors="replace") + str(response.items())
    for value in (*SECRET.values(), NEW_CONTACT):
        assert value not in text
    return response




def _vault(person: Person) -> dict[str, str]:
    return persons.read_vault(vault.load_keyring(), person, list(SECRET))


# -- a person changed ---------------------------------------------------------------------------


def test_a_person_s_level_and_vault_change_through_the_api(scene: Scene) -> None:
    s = scene
    path = f"/persons/{s.person.surrogate_id}"
    erin = bearer(s.erin)
    digest = s.person.identifier_digest
    changed = _send("patch", erin, path, {"protection_level": "standard",
                                          "contacts": NEW_CONTACT, "medical": ""}, key="c-1")
    assert changed.status_code == 200, changed.content
    assert changed.json() == {"surrogate_id": s.person.surrogate_id,
                              "protection_level": "standard",
                              "vault_fields": ["contacts", "identity_number", "name"]}
    s.person.refresh_from_db()
    assert s.person.protection_level == "standard"
    assert _vault(s.person) == {"name": SECRET["name"], "contacts": NEW_CONTACT,
                                "identity_number": SECRET["identity_number"]}
    assert s.person.identifier_digest == digest  # neither name nor number changed
    audit = AuditEntry.objects.filter(action="update", model_label="cases.Person").get()
    assert audit.after["vault_changed"] == ["contacts", "medical"]
    assert NEW_CONTACT not in json.dumps(audit.after) + json.dumps(audit.before)
    entries = VaultEntry.objects.count()
    again = _send("patch", erin, path, {"protection_level": "standard",
                                        "contacts": NEW_CONTACT, "medical": ""}, key="c-1")
    assert again.status_code == 200 and again.json() == changed.json()
    assert AuditEntry.objects.filter(action="update", model_label="cases.Person").count() == 1
    problem(_send("patch", erin, path, {"protection_level": "high"}, key="c-1"), 409)
    assert VaultEntry.objects.count() == entries

    renamed = _send("patch", erin, path, {"name": "Renamed Exercise", "birth_date": "1980-05-04"})
    assert renamed.status_code == 200
    s.person.refresh_from_db()
    assert s.person.identifier_digest != digest


def test_changes_to_a_person_that_are_refused(scene: Scene) -> None:
    s = scene
    path = f"/persons/{s.person.surrogate_id}"
    fred = User.objects.create_user("fred", password=PASSWORD, affiliation=s.cast.cpc,
                                    roles=[Role.READER, Role.EDITOR])
    persons.grant_access(s.erin, s.person, fred, Grant.Level.RESTRICTED)
    erin, fred_token = bearer(s.erin), bearer(fred)
    # An editor holding a restricted grant changes the level, never the vault.
    assert _send("patch", fred_token, path, {"protection_level": "standard"}).status_code == 200
    problem(_send("patch", fred_token, path, {"contacts": NEW_CONTACT}), 403)
    problem(_send("patch", bearer(s.gina), path, {"protection_level": "high"}), 403)
    for hidden_to in (s.cast.bob, s.cast.carol):
        headers = bearer(hidden_to)
        same_as_missing(_send("patch", headers, path, {"protection_level": "high"}),
                         _send("patch", headers, "/persons/P-000000000000",
                               {"protection_level": "high"}))
    assert _send("patch", {}, path, {"protection_level": "high"}).status_code == 401
    problem(_send("patch", erin, path, {"name": ""}), 422, "name")
    problem(_send("patch", erin, path, {}), 422, "protection_level")
    problem(_send("patch", erin, path, {"protection_level": "extreme"}), 422)
    problem(_send("patch", erin, path, {"contacts": "x" * 2001}), 422)
    s.person.restricted_at = s.person.created_at
    s.person.save(update_fields=["restricted_at"])
    problem(_send("patch", erin, path, {"contacts": NEW_CONTACT}), 409)
    assert _vault(s.person)["contacts"] == SECRET["contacts"]


# -- erasure -------------------------------------------------------------------------------------


def test_the_erasure_workflow_through_the_api(scene: Scene) -> None:
    s = scene
    base = f"/persons/{s.person.surrogate_id}"
    gina, erin = bearer(s.gina), bearer(s.erin)
    asked = _send("post", gina, f"{base}/erasure-requests", {"grounds": "the person asks"},
                  key="e-1")
    assert asked.status_code == 201, asked.content
    assert asked.json()["outcome"] == "pending" and asked.json()["legal_hold"] is False
    again = _send("post", gina, f"{base}/erasure-requests", {"grounds": "the person asks"},
                  key="e-1")
    assert again.json() == asked.json() and ErasureRequest.objects.count() == 1
    problem(_send("post", gina, f"{base}/erasure-requests", {"grounds": "again"}), 409)
    problem(_send("post", gina, f"{base}/erasure-requests", {"grounds": " "}), 422, "grounds")
    decision = f"{base}/erasure-requests/{asked.json()['request_id']}/decision"
    problem(_send("post", gina, decision, {"outcome": "denied", "reason": "no"}), 403)
    hold = _send("post", erin, f"{base}/legal-hold", {"reason": "proceedings pending"})
    assert hold.status_code == 200 and hold.json()["legal_hold"] is True
    problem(_send("post", erin, decision, {"outcome": "erased", "reason": "asked"}), 409)
    problem(_send("post", erin, decision, {"outcome": "denied", "reason": " "}), 422, "reason")
    problem(_send("post", erin, decision, {"outcome": "forgotten", "reason": "x"}), 422)
    assert _send("post", erin, f"{base}/legal-hold", {"reason": ""}).json()["legal_hold"] \
        is False
    decided = _send("post", erin, decision, {"outcome": "erased", "reason": "no hold left"})
    assert decided.status_code == 200, decided.content
    assert decided.json()["outcome"] == "erased" and decided.json()["decided_at"]
    assert not VaultEntry.objects.filter(person=s.person).exists()
    assert AccessLog.objects.filter(action="erase", channel="api", fields=["erased"]).exists()
    problem(_send("post", erin, decision, {"outcome": "denied", "reason": "late"}), 409)
    other = ErasureRequest.objects.create(person=s.other, requested_by=s.erin)
    missing = _send("post", erin, f"{base}/erasure-requests/999999/decision",
                    {"outcome": "denied", "reason": "x"})
    same_as_missing(_send("post", erin, f"{base}/erasure-requests/{other.pk}/decision",
                           {"outcome": "denied", "reason": "x"}), missing)
    carol = bearer(s.cast.carol)
    same_as_missing(_send("post", carol, f"{base}/erasure-requests", {"grounds": "x"}),
                     _send("post", carol, "/persons/P-000000000000/erasure-requests",
                           {"grounds": "x"}))


# -- working copies -----------------------------------------------------------------------------


def _piece(scene: Scene) -> Evidence:
    return evidence.ingest_evidence(scene.erin, ORIGINAL, title="court record",
                                    media_type="application/pdf", subject=scene.public_case)


def _copy_upload(headers: dict[str, str], evidence_id: str, data: bytes | None = REDACTED,
                 key: str | None = None, **fields: str) -> Any:
    form: dict[str, Any] = {"label": "redacted", **fields}
    if data is not None:
        form["file"] = SimpleUploadedFile("redacted.pdf", data, content_type="application/pdf")
    extra = {**headers, **({"HTTP_IDEMPOTENCY_KEY": key} if key else {})}
    return Client().post(f"{API}/evidence/{evidence_id}/copies", form, **extra)


def test_working_copies_through_the_api(scene: Scene, media: Path) -> None:
    s = scene
    piece = _piece(s)
    erin = bearer(s.erin)
    made = _copy_upload(erin, piece.evidence_id, key="w-1")
    assert made.status_code == 201, made.content
    assert made.json()["number"] == 1 and made.json()["sha256"] == \
        hashlib.sha256(REDACTED).hexdigest()
    assert made.json()["media_type"] == "application/pdf"
    again = _copy_upload(erin, piece.evidence_id, key="w-1")
    assert again.json() == made.json() and WorkingCopy.objects.count() == 1
    problem(_copy_upload(erin, piece.evidence_id, data=b"%PDF other", key="w-1"), 409)
    assert REDACTED not in b"".join(p.read_bytes() for p in media.rglob("*") if p.is_file())

    as_is = _copy_upload(erin, piece.evidence_id, data=None, label="for analysis")
    assert as_is.status_code == 201, as_is.content
    assert as_is.json()["sha256"] == piece.sha256 and as_is.json()["number"] == 2

    download = Client().get(f"{API}/evidence/{piece.evidence_id}/copies/1", **erin)
    assert download.status_code == 200 and download.content == REDACTED
    digest = base64.b64encode(hashlib.sha256(REDACTED).digest()).decode()
    assert download["Repr-Digest"] == f"sha-256=:{digest}:"
    assert download["Cache-Control"] == "private, no-store"
    events = list(CustodyEvent.objects.filter(evidence=piece).values_list("action", flat=True))
    assert events == ["ingest", "derive", "open", "derive", "open copy"]
    assert verify_ledger() == []
    reads = AccessLog.objects.filter(record_type="evidence", channel="api")
    assert sorted(e.fields[0] for e in reads) == ["original", "working_copy"]

    # Who may not: those who see the piece get a 403, those who do not a 404 like missing.
    for who in (s.gina, s.cast.carol):
        headers = bearer(who)
        problem(_copy_upload(headers, piece.evidence_id), 403)
        problem(Client().get(f"{API}/evidence/{piece.evidence_id}/copies/1", **headers), 403)
    nick = bearer(s.cast.nick)  # no affiliation: the piece is internal
    same_as_missing(Client().get(f"{API}/evidence/{piece.evidence_id}/copies/1", **nick),
                     Client().get(f"{API}/evidence/EV-000000000000/copies/1", **nick))
    same_as_missing(Client().get(f"{API}/evidence/{piece.evidence_id}/copies/9", **erin),
                     Client().get(f"{API}/evidence/EV-000000000000/copies/9", **erin))
    assert _copy_upload({}, piece.evidence_id).status_code == 401
    assert WorkingCopy.objects.count() == 2


def test_working_copies_on_the_evidence_page(scene: Scene, media: Path) -> None:
    s = scene
    piece = _piece(s)
    erin = verified_client(s.erin)
    listing = f"/cases/prisoners/{s.public_case.case_id}/evidence/"
    form = f"/cases/evidence/{piece.evidence_id}/copies/new/"
    assert f'href="{form}"' in erin.get(listing).content.decode()
    assert erin.get(form).status_code == 200

    refused = erin.post(form, {"label": "typed-label",
                               "file": SimpleUploadedFile("tool.exe", b"MZ")})
    assert refused.status_code == 422 and "typed-label" in refused.content.decode()
    assert not WorkingCopy.objects.exists()

    done = erin.post(form, {"label": "redacted",
                            "file": SimpleUploadedFile("redacted.pdf", REDACTED)})
    assert done.status_code == 302 and done["Location"] == listing
    copy = WorkingCopy.objects.get()
    assert (copy.number, copy.label, copy.media_type, copy.sha256) == (
        1, "redacted", "application/pdf", hashlib.sha256(REDACTED).hexdigest())
    assert erin.post(form, {"label": ""}).status_code == 302  # the original as it is
    assert WorkingCopy.objects.get(number=2).sha256 == piece.sha256
    page = erin.get(listing).content.decode()
    link = f"/cases/evidence/{piece.evidence_id}/copies/1/"
    assert f'href="{link}"' in page and copy.sha256 in page
    opened = erin.get(link)
    assert opened.status_code == 200 and opened.content == REDACTED
    assert opened["Content-Type"] == "application/pdf" and "attachment" in \
        opened["Content-Disposition"]
    assert list(CustodyEvent.objects.filter(evidence=piece).values_list("action", flat=True)) \
        == ["ingest", "derive", "open", "derive", "open copy"]
    assert AccessLog.objects.filter(record_type="evidence", channel="page",
                                    fields=["working_copy"]).count() == 1

    # gina sees the list (hash, no link); she may not make or open a copy.
    gina = verified_client(s.gina)
    assert link not in gina.get(listing).content.decode()
    assert form not in gina.get(listing).content.decode()
    assert gina.get(form).status_code == 403
    assert gina.post(form, {"label": "x"}).status_code == 403
    for other in (gina, verified_client(s.cast.bob), verified_client(None)):
        assert other.get(link).status_code == 404
    # An editor of the owner affiliation with a restricted grant only: the files are missing.
    fred = User.objects.create_user("fred", password=PASSWORD, affiliation=s.cast.cpc,
                                    roles=[Role.READER, Role.EDITOR])
    persons.grant_access(s.erin, s.person, fred, Grant.Level.RESTRICTED)
    fred_client = verified_client(fred)
    assert fred_client.get(link).status_code == 404
    assert fred_client.get(f"/cases/evidence/{piece.evidence_id}/original/").status_code == 404
    assert fred_client.get(form).status_code == 403
    assert form not in fred_client.get(listing).content.decode()
    hidden = evidence.ingest_evidence(s.erin, ORIGINAL, title="hidden",
                                      media_type="application/pdf",
                                      subject=s.confidential_case)
    assert verified_client(s.cast.bob).get(
        f"/cases/evidence/{hidden.evidence_id}/copies/new/").status_code == 404
    assert WorkingCopy.objects.count() == 2


def test_a_working_copy_above_the_bound_is_refused_on_the_page_not_copied_from_the_original(
        scene: Scene, media: Path, monkeypatch: Any) -> None:
    """The body is not received (it would reach the disk in the clear); the form says the
    bound beside the file, keeps the label, and no copy of the original is made instead."""
    piece = _piece(scene)
    monkeypatch.setattr(evidence, "MAX_BYTES", 1024)
    form = f"/cases/evidence/{piece.evidence_id}/copies/new/"
    refused = verified_client(scene.erin).post(form, {
        "label": "typed-label",
        "file": SimpleUploadedFile("redacted.pdf", REDACTED * (2**21 // len(REDACTED)))})
    body = refused.content.decode()
    assert refused.status_code == 422 and "typed-label" in body
    assert "PDF, JPEG" in body  # the bounds, beside the file field
    assert not WorkingCopy.objects.exists()
    assert list(CustodyEvent.objects.filter(evidence=piece).values_list("action", flat=True)) \
        == ["ingest"]
