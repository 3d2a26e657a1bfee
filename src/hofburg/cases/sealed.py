"""Classified free text sealed at rest, like the vault (decision 0063).

`SEALED` is the one list of the free-text fields the desk keeps sealed: every free-text field
that `engine.fields` puts at `restricted` or `strictly_confidential`. Each is stored in a text
column `<field>_sealed` holding `<key id>:<base64 of nonce and ciphertext>`, sealed with AES-GCM
under the vault's key of the field's level (`vault.Keyring`); an empty text is stored empty.
The associated data binds the record type, the record and the field: a ciphertext copied onto
another record or into another column does not open. A record with a natural id (an incident,
a protection case) is named by it and sealed before it is written; the others by their
primary key, so they are written first and sealed at once (`create`).

Values are opened in `disclosure` only, for callers whose clearance reaches the field's level
(`open_value`); the services open one to compare it (a referral recorded twice) and the key
rotation to seal it again (`reseal_all`), never to show it.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TypeVar

from django.apps import apps
from django.db import models, transaction

from hofburg.cases import vault

M = TypeVar("M", bound=models.Model)
R, S = "restricted", "strictly_confidential"
NONCE = vault.NONCE_BYTES


@dataclass(frozen=True)
class SealedFields:
    model: str  # the model's name in the cases app
    key: str  # the attribute that names a record in the associated data
    fields: dict[str, str]  # field → the vault key's purpose (its level)


SEALED: tuple[SealedFields, ...] = (
    # incident: screening_reason, other_bias, indicators restricted; the account and its
    # source strictly confidential.
    SealedFields("Incident", "incident_id", {
        "screening_reason": R, "other_bias": R, "indicators": R, "source_org": S,
        "description": S}),
    SealedFields("ConditionReport", "pk", {"text": R}),  # prisoner.conditions
    SealedFields("ProtectionCase", "case_id", {"summary": S, "closure_reason": S}),
    SealedFields("CaseMovement", "pk", {"description": S}),  # protection.movements
    SealedFields("RiskAssessment", "pk", {"note": S}),  # protection.risk_assessments
    SealedFields("Referral", "pk", {"organisation": S, "details": S}),  # protection.referrals
    SealedFields("Assistance", "pk", {"objectives": S}),  # protection.assistance
    SealedFields("IndicatorObservation", "pk", {"source": S, "note": R}),  # situation
    SealedFields("EscalationAssessment", "pk", {"reason": R}),  # situation.assessments
    # Never shown (decision 0076): a legal hold's text and an erasure request's grounds may
    # name the person, their relatives or the proceedings; only whether a hold keeps the
    # identity is said.
    SealedFields("Person", "surrogate_id", {"legal_hold": S}),
    SealedFields("ErasureRequest", "pk", {"grounds": S, "legal_hold": S}),
)
BY_MODEL = {spec.model: spec for spec in SEALED}


def column(field: str) -> str:
    return f"{field}_sealed"


def context(model: str, record_key: object, field: str) -> str:
    return f"sealed:{model.lower()}:{record_key}:{field}"


def seal_value(ring: vault.Keyring, purpose: str, text: str, ctx: str) -> str:
    """The stored form of `text` (empty for an empty text)."""
    if not text:
        return ""
    key_id, nonce, sealed = ring.seal(purpose, text.encode(), ctx)
    return f"{key_id}:{base64.b64encode(nonce + sealed).decode()}"


def open_token(ring: vault.Keyring, token: str, ctx: str) -> str:
    if not token:
        return ""
    key_id, _, encoded = token.partition(":")
    try:
        blob = base64.b64decode(encoded, validate=True)
    except ValueError as exc:
        raise vault.VaultKeyError("a sealed value is not in its stored form") from exc
    return ring.open(key_id, blob[:NONCE], blob[NONCE:], ctx).decode()


def key_of(token: str) -> str:
    return token.partition(":")[0]


def _spec(instance: models.Model) -> SealedFields:
    return BY_MODEL[type(instance).__name__]


def _record_key(instance: models.Model, spec: SealedFields) -> object:
    return getattr(instance, spec.key)


def put(ring: vault.Keyring, instance: models.Model, **values: str) -> list[str]:
    """Seal `values` onto the instance's columns (not saved); the columns' names."""
    spec = _spec(instance)
    key = _record_key(instance, spec)
    if key is None:
        raise ValueError(f"a {spec.model} is sealed once it has its {spec.key}")
    for field, text in values.items():
        setattr(instance, column(field), seal_value(
            ring, spec.fields[field], text, context(spec.model, key, field)))
    return [column(field) for field in values]


def create(ring: vault.Keyring | None, manager: models.Manager[M],
           sealed_values: dict[str, str], **columns: object) -> M:
    """`manager.create(**columns)` with `sealed_values` sealed (under the keys of `ring`, the
    key file's by default): before the write for records named by a natural id, at once
    after it (one update) for those named by their primary key."""
    model = manager.model
    spec = BY_MODEL[model.__name__]
    ring = ring or vault.load_keyring()
    if spec.key != "pk":
        instance = model(**columns)
        put(ring, instance, **sealed_values)
        instance.save(force_insert=True)
        return instance
    instance = manager.create(**columns)
    changed = put(ring, instance, **sealed_values)
    manager.filter(pk=instance.pk).update(**{c: getattr(instance, c) for c in changed})
    return instance


def open_value(ring: vault.Keyring, instance: models.Model, field: str) -> str:
    """The plaintext of one sealed field: for `disclosure`, after the caller's clearance was
    found to reach the field's level."""
    spec = _spec(instance)
    return open_token(ring, getattr(instance, column(field)),
                      context(spec.model, _record_key(instance, spec), field))


def open_values(ring: vault.Keyring, instance: models.Model,
                fields: list[str] | tuple[str, ...]) -> dict[str, str]:
    return {field: open_value(ring, instance, field) for field in fields}


def _models() -> Iterator[tuple[SealedFields, type[models.Model]]]:
    for spec in SEALED:
        yield spec, apps.get_model("cases", spec.model)


def key_ids() -> list[str]:
    """The key ids the sealed columns hold (for the backup manifest and the rotation)."""
    found: set[str] = set()
    for spec, model in _models():
        for field in spec.fields:
            name = column(field)
            tokens = model._default_manager.exclude(**{name: ""}).values_list(name, flat=True)
            found.update(key_of(token) for token in tokens.iterator(chunk_size=5000))
    return sorted(found)


BATCH = 2000


def reseal_all(ring: vault.Keyring) -> int:
    """Seal every sealed field not under its level's active key again under it; how many.
    In batches, each its own transaction: an interrupted run leaves every value opening under
    the key it names, and a second run does what is left (and nothing after a full run)."""
    count = 0
    active = {purpose: ring.active_id(purpose) for purpose in (R, S)}
    for spec, model in _models():
        names = [column(f) for f in spec.fields]
        last = 0
        while True:
            with transaction.atomic():
                batch = list(model._default_manager.filter(pk__gt=last).order_by("pk")
                             .select_for_update().only("pk", spec.key if spec.key != "pk"
                                                       else "pk", *names)[:BATCH])
                if not batch:
                    break
                changed = []
                for instance in batch:
                    stale = {f: open_value(ring, instance, f) for f, purpose in
                             spec.fields.items()
                             if getattr(instance, column(f))
                             and key_of(getattr(instance, column(f))) != active[purpose]}
                    if stale:
                        put(ring, instance, **stale)
                        changed.append(instance)
                        count += len(stale)
                if changed:
                    model._default_manager.bulk_update(changed, names)
                last = batch[-1].pk
    return count
