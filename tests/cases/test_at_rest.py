"""A copy of the database or of the media folder alone reveals no name and no evidence: the
vault, the classified free text (`cases.sealed`) and the evidence files hold only AES-GCM
ciphertext, and a key rotation seals all of them again.

The database image is SQLite's own serialisation of the test database (the bytes a copy of
the file would hold). A value stored in the clear on purpose (a case's charges, a situation's
title, an internal field) is found in it, so the search would find a sealed value too if one
were there; the media folder's check is shown finding a file left in the clear.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from typer.testing import CliRunner

from hofburg.cases import disclosure, sealed, vault
from hofburg.cases.models import (
    CustodyEvent,
    EscalationAssessment,
    Evidence,
    Incident,
    IndicatorObservation,
    ProtectionCase,
    VaultEntry,
)
from hofburg.cases.services import evidence, hatecrime, protection
from hofburg.cli import app
from hofburg.core.services.ledger import verify_ledger
from tests.cases.conftest import (
    OTHER_NAME,
    PROTECTION_MARKERS,
    SECRET,
    SITUATION_MARKERS,
    Records,
    Scene,
)

runner = CliRunner()
EVIDENCE = b"evidence-plaintext-marker: a photograph of the cell"
# Every classified free-text field of the scene and of `_more`, by the value it holds.
TEXT_MARKERS = [
    "conditions-marker-beaten", "incident-source-marker", "incident-desc-marker",
    PROTECTION_MARKERS["summary"], PROTECTION_MARKERS["movement"], PROTECTION_MARKERS["risk"],
    PROTECTION_MARKERS["referral"], PROTECTION_MARKERS["assistance"],
    SITUATION_MARKERS["source"], SITUATION_MARKERS["note"], SITUATION_MARKERS["reason"],
    "other-bias-marker", "indicators-marker", "screening-reason-marker",
    "closure-reason-marker", "referral-details-marker",
]


def _database_image() -> bytes:
    if connection.vendor != "sqlite":
        pytest.skip("the image is SQLite's serialisation")
    connection.ensure_connection()
    return bytes(connection.connection.serialize())


def _found(image: bytes, values: Iterable[str]) -> list[str]:
    return [v for v in values if v.encode() in image or v.encode("utf-16-le") in image]


def _media_image(root: Path) -> bytes:
    return b"".join(p.read_bytes() for p in Path(root).rglob("*") if p.is_file())


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def _more(records: Records) -> Incident:
    """The free-text fields the shared scene leaves empty, filled."""
    erin = records.scene.erin
    incident = hatecrime.record_incident(erin, hatecrime.IncidentRecord(
        reporting_year=2024, country="XE", incident_type="arson",
        bias_motivations=["anti_muslim"], source_org="Exercise Watch", source_kind="cso",
        other_bias="other-bias-marker", indicators="indicators-marker"))
    hatecrime.screen_incident(erin, incident, "excluded_insufficient_information",
                              "screening-reason-marker")
    protection.add_referral(erin, records.trafficking, direction="incoming",
                            organisation="Exercise Hotline", on=date(2024, 3, 6),
                            reason="additional_services", details="referral-details-marker")
    protection.set_case_status(erin, records.gbv, "closed", "closure-reason-marker")
    return incident


def test_the_database_holds_no_vault_value(scene: Scene) -> None:
    image = _database_image()
    assert b"charges-marker" in image  # the control: clear text is found
    assert _found(image, [*SECRET.values(), OTHER_NAME]) == []
    assert VaultEntry.objects.count() == 5


def test_the_database_holds_no_classified_free_text(records: Records) -> None:
    _more(records)
    image = _database_image()
    # The controls: what is stored in the clear on purpose is found.
    assert _found(image, ["charges-marker", SITUATION_MARKERS["title"], "Exercise Watch"]) \
        == ["charges-marker", SITUATION_MARKERS["title"]]
    assert records.scene.person.surrogate_id.encode() in image
    assert _found(image, [*TEXT_MARKERS, *SECRET.values(), OTHER_NAME]) == []


def test_every_sealed_field_is_listed_once_and_holds_free_text() -> None:
    from django.apps import apps

    from hofburg.cases.engine.fields import FIELDS, Level

    for spec in sealed.SEALED:
        model = apps.get_model("cases", spec.model)
        for field, purpose in spec.fields.items():
            assert model._meta.get_field(sealed.column(field)).get_internal_type() == "TextField"
            with pytest.raises(Exception, match="has no field"):
                model._meta.get_field(field)  # no clear column beside it
            assert purpose in ("restricted", "strictly_confidential")
    # The levels follow engine.fields: an incident's account strictly confidential, the
    # screening facts' reasons restricted.
    incident = sealed.BY_MODEL["Incident"].fields
    assert {f: Level[p.upper()] for f, p in incident.items()} == {
        f: FIELDS["incident"][f] for f in incident}


def test_the_readers_get_the_text_the_writers_gave(records: Records) -> None:
    incident = _more(records)
    erin, gina = records.scene.erin, records.scene.gina
    rows = disclosure.incident_rows(erin, [incident], channel="page").rows
    assert (rows[0]["other_bias"], rows[0]["indicators"], rows[0]["screening_reason"],
            rows[0]["source_org"]) == ("other-bias-marker", "indicators-marker",
                                       "screening-reason-marker", "Exercise Watch")
    case = ProtectionCase.objects.get(pk=records.trafficking.pk)
    detail = disclosure.protection_rows(erin, [case], channel="page", detail=True).rows[0]
    assert detail["summary"] == PROTECTION_MARKERS["summary"]
    assert [r["details"] for r in detail["referrals"]] == ["", "referral-details-marker"]
    # gina holds a restricted grant: nothing the case says about the person is opened.
    assert "summary" not in disclosure.protection_rows(gina, [case], channel="page").rows[0]


def test_a_sealed_value_does_not_open_on_another_record_or_field(records: Records) -> None:
    ring = vault.load_keyring()
    first = EscalationAssessment.objects.order_by("pk")[0]
    second = EscalationAssessment.objects.order_by("pk")[1]
    second.reason_sealed = first.reason_sealed  # copied onto another record
    with pytest.raises(vault.VaultKeyError):
        sealed.open_value(ring, second, "reason")
    observation = IndicatorObservation.objects.get()
    observation.note_sealed = observation.source_sealed  # moved into another field
    with pytest.raises(vault.VaultKeyError):
        sealed.open_value(ring, observation, "note")
    assert sealed.open_value(ring, first, "reason") == "first look"


def test_the_media_folder_holds_no_evidence(scene: Scene, media: Path) -> None:
    piece = evidence.ingest_evidence(scene.erin, EVIDENCE, title="photo",
                                     media_type="image/jpeg", subject=scene.restricted_case)
    evidence.add_working_copy(scene.erin, piece, b"working-copy-marker", "redacted")
    stored = _media_image(media)
    assert stored and EVIDENCE not in stored and b"working-copy-marker" not in stored
    # The control: a file left in the clear in that folder is found by the same search.
    (media / "stray.txt").write_bytes(EVIDENCE)
    assert EVIDENCE in _media_image(media)


def _rotate(*options: str) -> list[str]:
    result = runner.invoke(app, ["cases", "rotate-keys", *options])
    assert result.exit_code == 0, result.output
    return result.output.splitlines()


def _all_key_ids() -> set[str]:
    return set(sealed.key_ids()) | set(evidence.evidence_key_ids()) | set(
        VaultEntry.objects.values_list("key_id", flat=True))


def test_a_rotation_seals_everything_again_and_names_the_keys(records: Records,
                                                              media: Path) -> None:
    _more(records)
    erin = records.scene.erin
    piece = evidence.ingest_evidence(erin, EVIDENCE, title="photo", media_type="image/jpeg",
                                     subject=records.scene.restricted_case)
    evidence.add_working_copy(erin, piece, b"working-copy-marker", "redacted")
    before_files = _media_image(media)
    old = _all_key_ids()
    output = _rotate()
    assert output[0].startswith("5 vault fields, 22 sealed texts and 2 evidence files sealed")
    assert output[1] == "old keys still sealing records: none"
    assert all(key in output[2] for key in old)
    ring = vault.load_keyring()
    assert _all_key_ids() == {ring.active_id("restricted"), ring.active_id("strictly_confidential")}
    assert _media_image(media) != before_files and EVIDENCE not in _media_image(media)
    assert not list(media.rglob("*.next"))
    # Every value still reads as it was written, the evidence still matches its hash.
    case = ProtectionCase.objects.get(pk=records.gbv.pk)
    assert disclosure.protection_rows(erin, [case], channel="page").rows[0][
        "closure_reason"] == "closure-reason-marker"
    piece.refresh_from_db()
    assert evidence.open_original(erin, piece) == EVIDENCE
    evidence.verify_evidence(piece)
    # Each resealed file is a custody event on the ledger, the hashes unchanged.
    resealed = CustodyEvent.objects.filter(evidence=piece, action="reseal")
    assert [(e.sha256_before, e.sha256_after) for e in resealed] == [
        (piece.sha256, piece.sha256), (piece.copies.get().sha256, piece.copies.get().sha256)]
    assert verify_ledger() == []
    image = _database_image()
    assert _found(image, [*TEXT_MARKERS, *SECRET.values()]) == []
    # Run again: nothing left to seal; then the old keys go, and everything still opens.
    assert _rotate("--reseal")[0].startswith("0 vault fields, 0 sealed texts and 0 evidence")
    dropped = _rotate("--reseal", "--drop-unreferenced")[2]
    assert dropped.startswith("old keys dropped") and all(key in dropped for key in old)
    assert not old & set(vault.load_keyring().keys)
    assert evidence.open_original(erin, piece) == EVIDENCE
    assert disclosure.situation_rows(erin, [records.situation], channel="page").rows[0][
        "sources"] == SITUATION_MARKERS["source"]


def test_a_rotation_keeps_the_old_key_a_record_still_needs(records: Records,
                                                           monkeypatch: Any) -> None:
    """Old keys are dropped only when nothing is sealed under them: a text left under the old
    key (a run that did not reach it) keeps that key, named, in the key file."""
    before = vault.load_keyring()
    old_restricted = before.active_id("restricted")
    old_strict = before.active_id("strictly_confidential")
    monkeypatch.setattr(sealed, "reseal_all", lambda ring: 0)  # the text not reached
    output = _rotate("--drop-unreferenced")
    assert output[0].startswith("5 vault fields, 0 sealed texts")
    needed = ", ".join(sorted([old_restricted, old_strict]))
    assert output[1] == f"old keys still sealing records: {needed}"
    assert {old_restricted, old_strict} <= set(vault.load_keyring().keys)
    case = ProtectionCase.objects.get(pk=records.trafficking.pk)
    erin = records.scene.erin
    assert disclosure.protection_rows(erin, [case], channel="page").rows[0][
        "summary"] == PROTECTION_MARKERS["summary"]
    monkeypatch.undo()
    # The next run reaches the text; then no record needs the old keys and they go.
    output = _rotate("--reseal", "--drop-unreferenced")
    assert output[0].startswith("0 vault fields, 15 sealed texts")
    assert output[1] == "old keys still sealing records: none"
    assert output[2].startswith("old keys dropped") and old_strict in output[2]
    assert not {old_restricted, old_strict} & set(vault.load_keyring().keys)
    case.refresh_from_db()
    assert disclosure.protection_rows(erin, [case], channel="page").rows[0][
        "summary"] == PROTECTION_MARKERS["summary"]


def test_an_interrupted_rotation_leaves_every_file_readable(scene: Scene, media: Path,
                                                            monkeypatch: Any) -> None:
    erin = scene.erin
    pieces = [evidence.ingest_evidence(erin, EVIDENCE + bytes([n]), title="photo",
                                       media_type="image/jpeg", subject=scene.restricted_case)
              for n in range(3)]
    move = evidence._move_into_place
    calls = {"n": 0}

    def stop_after_recording(path: Path) -> None:
        calls["n"] += 1
        if calls["n"] == 2:  # the second file: its new key recorded, the file not yet moved
            raise OSError("the machine stopped")
        move(path)

    monkeypatch.setattr(evidence, "_move_into_place", stop_after_recording)
    result = runner.invoke(app, ["cases", "rotate-keys"])
    assert result.exit_code != 0
    monkeypatch.setattr(evidence, "_move_into_place", move)
    assert len(list(media.rglob("original.next"))) == 1
    for n, piece in enumerate(pieces):  # moved, stopped half way, not reached
        piece.refresh_from_db()
        assert evidence.open_original(erin, piece) == EVIDENCE + bytes([n])
    ring = vault.load_keyring()
    assert [p.key_id == ring.active_id("strictly_confidential") for p in pieces] == [
        True, True, False]
    # The next run finishes: the pending file moved into place, the last one sealed again.
    assert "and 1 evidence files" in _rotate("--reseal")[0]
    assert not list(media.rglob("*.next"))
    for n, piece in enumerate(pieces):
        piece.refresh_from_db()
        evidence.verify_evidence(piece)
        assert evidence.open_original(erin, piece) == EVIDENCE + bytes([n])
    assert Evidence.objects.filter(key_id=ring.active_id("strictly_confidential")).count() == 3


def test_a_rotation_stopped_before_recording_leaves_the_old_file_in_use(
        scene: Scene, media: Path, monkeypatch: Any) -> None:
    piece = evidence.ingest_evidence(scene.erin, EVIDENCE, title="photo",
                                     media_type="image/jpeg", subject=scene.restricted_case)
    write = evidence._write_synced

    def stop_after_writing(path: Path, data: bytes) -> None:
        write(path, data)
        raise OSError("the machine stopped")

    monkeypatch.setattr(evidence, "_write_synced", stop_after_writing)
    assert runner.invoke(app, ["cases", "rotate-keys"]).exit_code != 0
    monkeypatch.setattr(evidence, "_write_synced", write)
    piece.refresh_from_db()
    assert evidence.open_original(scene.erin, piece) == EVIDENCE  # the old file, the old key
    assert "and 1 evidence files" in _rotate("--reseal")[0]
    piece.refresh_from_db()
    assert evidence.open_original(scene.erin, piece) == EVIDENCE
    assert not list(media.rglob("*.next"))


def test_the_keys_are_not_in_the_database(scene: Scene, _vault_keys: Path) -> None:
    image = _database_image()
    for line in _vault_keys.read_text().splitlines():
        assert line.split()[2].encode() not in image
    assert oct(_vault_keys.stat().st_mode & 0o777) == "0o600"


@pytest.mark.django_db(transaction=True)
def test_the_migration_seals_what_the_clear_columns_held(cast: Any) -> None:
    """Back to the clear columns, an incident and a protection step stored there, forward: the
    text is sealed under the key of its level, the clear columns gone."""
    from django.db.migrations.executor import MigrationExecutor

    before = [("cases", "0007_grant_revocation")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    old.get_model("cases", "Incident").objects.create(
        incident_id="HC-MIGRATED", reporting_year=2024, country="XE", incident_type="arson",
        target="property", source_org="migrated-source-marker", source_kind="cso",
        description="migrated-description-marker", classification="confidential",
        owner_affiliation_id=cast.cpc.pk)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes("cases"))  # the model is the latest
    incident = Incident.objects.get(incident_id="HC-MIGRATED")
    ring = vault.load_keyring()
    assert sealed.open_values(ring, incident, ("source_org", "description", "indicators")) == {
        "source_org": "migrated-source-marker", "description": "migrated-description-marker",
        "indicators": ""}
    assert sealed.key_of(incident.description_sealed) == ring.active_id("strictly_confidential")
    assert _found(_database_image(), ["migrated-source-marker",
                                      "migrated-description-marker"]) == []


GROUNDS_MARKER = "erasure-grounds-marker: asked by Exercise Relative"
HOLD_MARKER = "legal-hold-marker: proceedings naming Exercise Witness"


def test_the_database_holds_no_erasure_grounds_or_legal_hold(scene: Scene) -> None:
    from hofburg.cases.models import ErasureRequest
    from hofburg.cases.services import erasure

    asked = erasure.request_erasure(scene.gina, scene.person, GROUNDS_MARKER)
    erasure.set_legal_hold(scene.erin, scene.person, HOLD_MARKER)
    erasure.decide_erasure(scene.erin, asked, "denied", "decision-reason-clear-marker")
    erasure.request_erasure(scene.gina, scene.person, GROUNDS_MARKER)
    image = _database_image()
    # The control: the decision's reason, read by every holder, is stored in the clear.
    assert _found(image, ["decision-reason-clear-marker"]) == ["decision-reason-clear-marker"]
    assert _found(image, [GROUNDS_MARKER, HOLD_MARKER, "Exercise Witness"]) == []
    ring = vault.load_keyring()
    scene.person.refresh_from_db()
    assert scene.person.has_legal_hold
    assert sealed.open_value(ring, scene.person, "legal_hold") == HOLD_MARKER
    denied, pending = ErasureRequest.objects.order_by("pk")
    assert sealed.open_value(ring, pending, "grounds") == GROUNDS_MARKER
    assert denied.legal_hold_found and pending.legal_hold_found  # found when decided
    assert sealed.key_of(pending.grounds_sealed) == ring.active_id("strictly_confidential")


@pytest.mark.django_db(transaction=True)
def test_the_migration_seals_the_erasure_text_and_drops_erased_digests(cast: Any) -> None:
    """Back before 0010, a held person with a request and an erased person stored in the clear,
    forward: the grounds and the holds sealed, the erased person's digest gone, the other's
    kept."""
    from django.db.migrations.executor import MigrationExecutor

    from hofburg.cases.models import ErasureRequest, Person

    before = [("cases", "0009_incident_public_summary")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    persons = old.get_model("cases", "Person")
    held = persons.objects.create(surrogate_id="P-HELD", identifier_digest="a" * 64,
                                  legal_hold=HOLD_MARKER, owner_affiliation_id=cast.cpc.pk,
                                  classification="confidential")
    persons.objects.create(surrogate_id="P-ERASED", identifier_digest="b" * 64,
                           erased_at="2025-01-01T00:00:00Z", owner_affiliation_id=cast.cpc.pk,
                           classification="confidential")
    old.get_model("cases", "ErasureRequest").objects.create(
        person_id=held.pk, grounds=GROUNDS_MARKER, legal_hold=HOLD_MARKER)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes("cases"))
    ring = vault.load_keyring()
    person = Person.objects.get(surrogate_id="P-HELD")
    asked = ErasureRequest.objects.get()
    assert sealed.open_value(ring, person, "legal_hold") == HOLD_MARKER
    assert sealed.open_values(ring, asked, ("grounds", "legal_hold")) == {
        "grounds": GROUNDS_MARKER, "legal_hold": HOLD_MARKER}
    assert person.identifier_digest == "a" * 64
    assert Person.objects.get(surrogate_id="P-ERASED").identifier_digest == ""
    assert _found(_database_image(), [GROUNDS_MARKER, HOLD_MARKER]) == []
