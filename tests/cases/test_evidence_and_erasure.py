"""Evidence with its chain of custody, the media folder holding no plaintext, and erasure as a
workflow."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from hofburg.cases import disclosure, vault
from hofburg.cases.models import AccessLog, CustodyEvent, ErasureRequest, Person, VaultEntry
from hofburg.cases.services import erasure, evidence, persons
from hofburg.cli import app
from hofburg.core.access import AccessDenied
from hofburg.core.errors import Conflict, Invalid
from hofburg.core.models import AuditEntry
from hofburg.core.services.ledger import verify_ledger
from tests.cases.conftest import SECRET, Scene, verified_client
from tests.cases.tokens import enrol

PLAINTEXT = b"evidence-plaintext-marker: a photograph of the cell"


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _media_bytes(root: Path) -> bytes:
    return b"".join(p.read_bytes() for p in root.rglob("*") if p.is_file())


def test_ingest_hashes_seals_and_logs_custody_on_the_ledger(scene: Scene, media: Path) -> None:
    piece = evidence.ingest_evidence(scene.erin, PLAINTEXT, title="photo",
                                     media_type="image/jpeg", subject=scene.restricted_case)
    copy = evidence.add_working_copy(scene.erin, piece, b"redacted-copy-marker", "redacted")
    assert piece.sha256 == hashlib.sha256(PLAINTEXT).hexdigest()
    stored = _media_bytes(media)
    assert stored and PLAINTEXT not in stored and b"redacted-copy-marker" not in stored
    original = evidence.evidence_dir(piece.evidence_id) / "original"
    assert oct(original.stat().st_mode & 0o777) == "0o400"
    assert evidence.open_original(scene.erin, piece) == PLAINTEXT
    assert [e.action for e in CustodyEvent.objects.filter(evidence=piece)] == [
        "ingest", "derive", "open"]
    assert CustodyEvent.objects.get(action="derive").sha256_after == copy.sha256
    assert verify_ledger() == []
    CustodyEvent.objects.filter(action="open").update(actor_label="someone else")
    assert len(verify_ledger()) == 1  # an altered custody record is named


def test_a_tampered_original_is_detected(scene: Scene, media: Path) -> None:
    piece = evidence.ingest_evidence(scene.erin, PLAINTEXT, title="photo",
                                     media_type="image/jpeg", subject=scene.restricted_case)
    path = evidence.evidence_dir(piece.evidence_id) / "original"
    os.chmod(path, 0o600)
    data = bytearray(path.read_bytes())
    data[-1] ^= 1
    path.write_bytes(bytes(data))
    with pytest.raises(evidence.EvidenceAltered):
        evidence.verify_evidence(piece)
    result = CliRunner().invoke(app, ["cases", "evidence-verify"])
    assert result.exit_code == 1 and piece.evidence_id in result.output


def test_only_the_owner_adds_or_opens_evidence(scene: Scene, media: Path) -> None:
    with pytest.raises(AccessDenied):
        evidence.ingest_evidence(scene.cast.bob, PLAINTEXT, title="x", media_type="x",
                                 subject=scene.public_case)
    with pytest.raises(Invalid):
        evidence.ingest_evidence(scene.erin, b"", title="x", media_type="x",
                                 subject=scene.public_case)
    piece = evidence.ingest_evidence(scene.erin, PLAINTEXT, title="photo", media_type="x",
                                     subject=scene.public_alert)
    with pytest.raises(AccessDenied):
        evidence.open_original(scene.cast.bob, piece)


def test_the_cli_ingests_for_a_visible_case_only(scene: Scene, media: Path,
                                                 tmp_path: Path) -> None:
    source = tmp_path / "photo.jpg"
    source.write_bytes(PLAINTEXT)
    enrol(scene.erin, scene.cast.bob)
    runner = CliRunner()
    ok = runner.invoke(app, ["cases", "evidence-add", str(source), "--as-user", "erin",
                             "--title", "photo", "--case", scene.restricted_case.case_id])
    assert ok.exit_code == 0 and "sha256" in ok.output
    hidden = runner.invoke(app, ["cases", "evidence-add", str(source), "--as-user", "bob",
                                 "--title", "photo", "--case",
                                 scene.confidential_case.case_id])
    assert hidden.exit_code == 2 and "no case or alert" in hidden.output
    assert runner.invoke(app, ["cases", "evidence-verify"]).output.startswith("1 pieces")


def test_erasure_crypto_shreds_the_vault_and_keeps_the_case(scene: Scene) -> None:
    request = erasure.request_erasure(scene.gina, scene.person, "the person asks")
    with pytest.raises(Conflict):
        erasure.request_erasure(scene.gina, scene.person, "again")
    with pytest.raises(AccessDenied):
        erasure.decide_erasure(scene.gina, request, "erased", "granted")  # not an editor
    with pytest.raises(Invalid):
        erasure.decide_erasure(scene.erin, request, "erased", " ")
    erasure.decide_erasure(scene.erin, request, "erased", "no legal hold; the request stands")
    assert not VaultEntry.objects.filter(person=scene.person).exists()
    assert scene.person.prisoner_cases.count() == 2
    rows = disclosure.prisoner_rows(scene.erin, [scene.restricted_case],
                                    day=scene.restricted_case.episodes.get().start,
                                    channel="page")
    assert rows.rows[0]["name"] == ""
    assert AccessLog.objects.filter(action="erase").count() == 1
    trail = " ".join(str(e.after) for e in AuditEntry.objects.all())
    for value in SECRET.values():
        assert value not in trail


def test_a_legal_hold_refuses_erasure_but_allows_restriction(scene: Scene) -> None:
    erasure.set_legal_hold(scene.erin, scene.person, "proceedings pending before the court")
    request = erasure.request_erasure(scene.erin, scene.person, "the person asks")
    assert request.legal_hold_found
    with pytest.raises(Conflict, match="legal hold"):
        erasure.decide_erasure(scene.erin, request, "erased", "asked")
    erasure.decide_erasure(scene.erin, request, "restricted", "hold: restrict instead")
    scene.person.refresh_from_db()
    assert scene.person.restricted_at is not None
    assert VaultEntry.objects.filter(person=scene.person).count() == 4  # kept, not opened
    rows = disclosure.person_rows(scene.erin, [scene.person], channel="page")
    assert "name" not in rows.rows[0]
    assert ErasureRequest.objects.get().outcome == "restricted"


def test_a_denial_is_kept_with_its_reason_and_changes_nothing(scene: Scene) -> None:
    request = erasure.request_erasure(scene.erin, scene.person, "the person asks")
    erasure.decide_erasure(scene.erin, request, "denied", "the identity is needed to "
                           "press for release")
    assert VaultEntry.objects.filter(person=scene.person).count() == 4
    assert ErasureRequest.objects.get().decision_reason.startswith("the identity")


def test_the_erasure_page_walks_the_workflow(scene: Scene) -> None:
    url = f"/cases/persons/{scene.person.surrogate_id}/erasure/"
    assert verified_client(scene.cast.carol).get(url).status_code == 404  # no grant
    gina = verified_client(scene.gina)
    assert gina.post(url, {"ask-grounds": "the person asks", "ask": "1"}).status_code == 302
    assert "Decide" not in gina.get(url).content.decode()
    erin = verified_client(scene.erin)
    page = erin.get(url)
    assert "Decide" in page.content.decode()
    done = erin.post(url, {"decide-outcome": "erased", "decide-reason": "no hold",
                           "decide": "1"})
    assert done.status_code == 302
    assert not VaultEntry.objects.filter(person=scene.person).exists()
    assert vault.load_keyring()  # the keys stay: other persons' vaults still open


def test_erasure_clears_the_identifier_digest(scene: Scene) -> None:
    """The keyed digest of name, identity number and birth date goes with the vault: an erased
    person is no longer found as a duplicate, and no new audit entry holds the digest."""
    digest = scene.person.identifier_digest
    assert digest
    again, duplicates = persons.create_person(scene.erin, owner=scene.cast.cpc,
                                              vault_values=SECRET, birth_date="1980-05-04")
    assert duplicates == [scene.person.surrogate_id]  # the control: the digest matches
    asked = erasure.request_erasure(scene.erin, scene.person, "the person asks")
    erasure.decide_erasure(scene.erin, asked, "erased", "no legal hold; the request stands")
    scene.person.refresh_from_db()
    assert scene.person.identifier_digest == ""
    assert not Person.objects.filter(identifier_digest=digest).exclude(pk=again.pk).exists()
    _third, duplicates = persons.create_person(scene.erin, owner=scene.cast.cpc,
                                               vault_values=SECRET, birth_date="1980-05-04")
    assert duplicates == [again.surrogate_id]
    erased = AuditEntry.objects.get(action="erase")
    assert digest not in f"{erased.before} {erased.after}"


def test_the_erasure_page_says_whether_a_hold_keeps_the_identity_never_its_text(
        scene: Scene) -> None:
    """As the API answers (decision 0064): the holders of a grant learn that a legal hold
    keeps the identity, never the hold's text, which may name people."""
    url = f"/cases/persons/{scene.person.surrogate_id}/erasure/"
    hold = "hold-text-marker: proceedings against a named official"
    erasure.set_legal_hold(scene.erin, scene.person, hold)
    for user in (scene.gina, scene.erin):
        page = verified_client(user).get(url).content.decode()
        assert hold not in page and "hold-text-marker" not in page
        assert "A legal hold keeps this identity" in page
    erasure.set_legal_hold(scene.erin, scene.person, "")
    assert "A legal hold" not in verified_client(scene.gina).get(url).content.decode()
    trail = " ".join(f"{e.before} {e.after}" for e in AuditEntry.objects.filter(action="hold"))
    assert "hold-text-marker" not in trail
