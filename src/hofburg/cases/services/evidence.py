"""Evidence and its chain of custody.

At ingest the SHA-256 of the original is taken, the original is sealed with AES-GCM under the
strictly-confidential key and written once to `MEDIA_ROOT/cases/evidence/<id>/original` (read
only, never rewritten): the media folder alone holds no plaintext. Working copies are sealed
beside it with their own hashes. Every event (ingest, open, derive, verify) is a
`CustodyEvent` and an entry of the hash-chained ledger, which `hofburg ledger verify` checks
against the events as stored (`cases.ledger`).

A key rotation (`reseal_evidence`) seals each file again under the active key: the new sealed
file is written beside the old one as `<name>.next`, the record then names the new key and
nonce (with a `reseal` custody event), and only then does the new file replace the old one.
Interrupted anywhere, every file still opens: before the record changed, the old file under
the old key; after it, `<name>.next` under the new one (read when the old file no longer
opens), which the next run moves into place.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from hofburg.cases import permissions, vault
from hofburg.cases.engine import surrogates
from hofburg.cases.models import (
    AccessLog,
    Alert,
    CustodyEvent,
    Evidence,
    PrisonerCase,
    WorkingCopy,
)
from hofburg.cases.services.reads import log_access
from hofburg.core import access
from hofburg.core.access import AccessDenied
from hofburg.core.errors import Conflict, Invalid
from hofburg.core.models import Classification, User
from hofburg.core.services import ledger
from hofburg.core.services.audit import record_change

LEDGER_KIND = "cases.custody"
MAX_BYTES = 200 * 2**20


class EvidenceAltered(Conflict):
    """A sealed file does not open or does not hash to what was recorded."""


def evidence_dir(evidence_id: str) -> Path:
    return Path(settings.MEDIA_ROOT) / "cases" / "evidence" / evidence_id


def custody_payload(event: CustodyEvent) -> Mapping[str, Any]:
    """The canonical record of an event, as the ledger vouches for it."""
    return {"evidence": event.evidence.evidence_id, "action": event.action,
            "actor": event.actor_label, "at": event.at.isoformat(),
            "sha256_before": event.sha256_before, "sha256_after": event.sha256_after}


def _event(actor: User | None, evidence: Evidence, action: str, before: str,
           after: str) -> CustodyEvent:
    event = CustodyEvent(evidence=evidence, at=timezone.now(),
                         actor_label=actor.username if actor else "system", action=action,
                         sha256_before=before, sha256_after=after)
    entry = ledger.append_entry(LEDGER_KIND, custody_payload(event), event.actor_label,
                                reference=evidence.evidence_id)
    event.ledger_sequence = entry.sequence
    event.save()
    return event


def _write_once(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o400)
    with os.fdopen(descriptor, "wb") as stream:
        stream.write(data)


@dataclass(frozen=True)
class Capture:
    """Where and how the evidence was captured (as Preserve and eyeWitness record it)."""

    source_url: str = ""
    tool: str = ""


def ingest_evidence(actor: User, data: bytes, *, title: str, media_type: str,
                    subject: PrisonerCase | Alert, capture: Capture = Capture(),
                    classification: str = Classification.CONFIDENTIAL,
                    is_exercise: bool = False) -> Evidence:
    """Seal and store an original for a case or an alert, its hash taken first."""
    if not access.can_edit(actor, subject):
        raise AccessDenied("Only editors of the owner affiliation add evidence.")
    case = subject if isinstance(subject, PrisonerCase) else None
    alert = subject if isinstance(subject, Alert) else None
    if not data or len(data) > MAX_BYTES:
        raise Invalid(f"1 byte to {MAX_BYTES // 2**20} MB", field="file")
    if not title.strip() or len(title) > 300:
        raise Invalid("1 to 300 characters", field="title")
    digest = hashlib.sha256(data).hexdigest()
    ring = vault.load_keyring()
    evidence_id = surrogates.new_surrogate_id("EV")
    key_id, nonce, sealed = ring.seal("strictly_confidential", data,
                                      f"evidence:{evidence_id}:original")
    path = evidence_dir(evidence_id) / "original"
    with transaction.atomic():
        evidence = Evidence.objects.create(
            evidence_id=evidence_id, case=case, alert=alert, title=title.strip(),
            media_type=media_type[:100], size=len(data), sha256=digest, key_id=key_id,
            nonce=nonce, source_url=capture.source_url, capture_tool=capture.tool[:200],
            captured_at=timezone.now(), classification=classification,
            owner_affiliation_id=actor.affiliation_id, is_exercise=is_exercise)
        _event(actor, evidence, "ingest", "", digest)
        record_change(actor, "create", evidence, None,
                      {"evidence_id": evidence_id, "sha256": digest, "size": len(data)})
        _write_once(path, sealed)  # last: a failed write undoes the rows
    return evidence


def _may_open(actor: User, evidence: Evidence) -> None:
    if not access.can_edit(actor, evidence):
        raise AccessDenied("Only editors of the owner affiliation open an original.")
    if not permissions.may_open_original(actor, evidence):
        raise AccessDenied("Only holders of a strictly-confidential grant for the person open "
                           "an original.")


def open_original(actor: User, evidence: Evidence, *, channel: str = "cli") -> bytes:
    """The original's bytes, checked against the hash taken at ingest. Opened by the owner's
    editors only and, when the case or alert names a person, only by those holding a
    strictly-confidential grant for them (the original is sealed under that level's key). The
    opening is a custody event on the ledger and a read in the access log."""
    _may_open(actor, evidence)
    data = _open(evidence, evidence_dir(evidence.evidence_id) / "original", evidence.key_id,
                 bytes(evidence.nonce), f"evidence:{evidence.evidence_id}:original",
                 evidence.sha256)
    with transaction.atomic():
        _event(actor, evidence, "open", evidence.sha256, evidence.sha256)
        log_access(actor, AccessLog.Action.READ, "evidence", ["original"], 1, channel)
    return data


def _pending(path: Path) -> Path:
    return path.with_name(path.name + ".next")


def _open_sealed(ring: vault.Keyring, path: Path, key_id: str, nonce: bytes,
                 context: str) -> bytes:
    """The file opened under the key its record names; the file a rotation left beside it
    when the rotation stopped between recording the new key and moving the file."""
    try:
        return ring.open(key_id, nonce, path.read_bytes(), context)
    except (OSError, vault.VaultKeyError):
        pending = _pending(path)
        if not pending.exists():
            raise
        return ring.open(key_id, nonce, pending.read_bytes(), context)


def _open(evidence: Evidence, path: Path, key_id: str, nonce: bytes, context: str,
          expected: str, ring: vault.Keyring | None = None) -> bytes:
    try:
        data = _open_sealed(ring or vault.load_keyring(), path, key_id, nonce, context)
    except (OSError, vault.VaultKeyError) as exc:
        raise EvidenceAltered(f"{evidence.evidence_id}: the sealed file is missing or altered") \
            from exc
    if hashlib.sha256(data).hexdigest() != expected:
        raise EvidenceAltered(f"{evidence.evidence_id}: the file does not match its hash")
    return data


def add_working_copy(actor: User, evidence: Evidence, data: bytes, label: str, *,
                     media_type: str = "") -> WorkingCopy:
    """A copy derived from the original (a redaction, a conversion, a transcript), sealed
    beside it with its own hash; made by those who may open the original. The derivation is a
    custody event on the ledger, from the original's hash to the copy's."""
    _may_open(actor, evidence)
    if not data or len(data) > MAX_BYTES:
        raise Invalid(f"1 byte to {MAX_BYTES // 2**20} MB", field="file")
    if len(label) > 200 or "\x00" in label:
        raise Invalid("at most 200 characters", field="label")
    digest = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        # The copies of one piece are numbered in turn: the lock keeps two makers apart.
        Evidence.objects.select_for_update().filter(pk=evidence.pk).first()
        number = evidence.copies.count() + 1
        key_id, nonce, sealed = vault.load_keyring().seal(
            "strictly_confidential", data, f"evidence:{evidence.evidence_id}:copy:{number}")
        copy = WorkingCopy.objects.create(evidence=evidence, number=number,
                                          label=label.strip() or f"copy {number}",
                                          media_type=media_type[:100], sha256=digest,
                                          size=len(data), key_id=key_id, nonce=nonce)
        _event(actor, evidence, "derive", evidence.sha256, digest)
        record_change(actor, "derive", evidence, None,
                      {"copy": number, "sha256": digest, "size": len(data)})
        _write_once(evidence_dir(evidence.evidence_id) / f"copy-{number}", sealed)
    return copy


def copy_original(actor: User, evidence: Evidence, label: str, *,
                  channel: str = "cli") -> WorkingCopy:
    """A working copy of the original as it is, to work on without touching it: the original
    opened (an opening, logged) and copied (a derivation with the same hash)."""
    data = open_original(actor, evidence, channel=channel)
    return add_working_copy(actor, evidence, data, label, media_type=evidence.media_type)


def open_working_copy(actor: User, evidence: Evidence, copy: WorkingCopy, *,
                      channel: str = "cli") -> bytes:
    """A working copy's bytes, checked against its hash, for those who may open the original;
    the opening is a custody event on the ledger and a read in the access log."""
    _may_open(actor, evidence)
    data = _open(evidence, evidence_dir(evidence.evidence_id) / f"copy-{copy.number}",
                 copy.key_id, bytes(copy.nonce),
                 f"evidence:{evidence.evidence_id}:copy:{copy.number}", copy.sha256)
    with transaction.atomic():
        _event(actor, evidence, "open copy", copy.sha256, copy.sha256)
        log_access(actor, AccessLog.Action.READ, "evidence", ["working_copy"], 1, channel)
    return data


def verify_evidence(evidence: Evidence) -> None:
    """Check the original and every copy open and match their hashes (EvidenceAltered if not),
    and log the check as an event."""
    _open(evidence, evidence_dir(evidence.evidence_id) / "original", evidence.key_id,
          bytes(evidence.nonce), f"evidence:{evidence.evidence_id}:original", evidence.sha256)
    for copy in evidence.copies.all():
        _open(evidence, evidence_dir(evidence.evidence_id) / f"copy-{copy.number}",
              copy.key_id, bytes(copy.nonce),
              f"evidence:{evidence.evidence_id}:copy:{copy.number}", copy.sha256)
    with transaction.atomic():
        _event(None, evidence, "verify", evidence.sha256, evidence.sha256)


def _write_synced(path: Path, data: bytes) -> None:
    path.unlink(missing_ok=True)  # a run that stopped before recording it left it
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o400)
    with os.fdopen(descriptor, "wb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())


def _move_into_place(path: Path) -> None:
    os.replace(_pending(path), path)
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def _reseal_file(ring: vault.Keyring, evidence: Evidence, record: Evidence | WorkingCopy,
                 name: str, context: str, expected: str) -> bool:
    """Seal one file again under the active key; False when it is under it already (a file
    a stopped run left beside it is moved into place)."""
    path = evidence_dir(evidence.evidence_id) / name
    active = ring.active_id("strictly_confidential")
    if record.key_id == active:
        if _pending(path).exists():
            _open(evidence, _pending(path), record.key_id, bytes(record.nonce), context,
                  expected, ring)
            _move_into_place(path)
        return False
    data = _open(evidence, path, record.key_id, bytes(record.nonce), context, expected, ring)
    key_id, nonce, sealed = ring.seal("strictly_confidential", data, context)
    _write_synced(_pending(path), sealed)
    with transaction.atomic():
        record.key_id, record.nonce = key_id, nonce
        record.save(update_fields=["key_id", "nonce"])
        _event(None, evidence, "reseal", expected, expected)
    _move_into_place(path)
    return True


def reseal_evidence(ring: vault.Keyring) -> int:
    """Seal every original and working copy not under the active strictly-confidential key
    again under it, each checked against its hash first; how many files."""
    count = 0
    for evidence in Evidence.objects.prefetch_related("copies").order_by("pk"):
        count += _reseal_file(ring, evidence, evidence, "original",
                              f"evidence:{evidence.evidence_id}:original", evidence.sha256)
        for copy in evidence.copies.all():
            count += _reseal_file(ring, evidence, copy, f"copy-{copy.number}",
                                  f"evidence:{evidence.evidence_id}:copy:{copy.number}",
                                  copy.sha256)
    return count


def evidence_key_ids() -> list[str]:
    return sorted(set(Evidence.objects.values_list("key_id", flat=True))
                  | set(WorkingCopy.objects.values_list("key_id", flat=True)))
