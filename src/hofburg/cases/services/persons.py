"""Persons and their identity vault."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from hofburg.cases import vault
from hofburg.cases.engine import fields as field_rules
from hofburg.cases.engine import identifiers, surrogates
from hofburg.cases.models import (
    Grant,
    Person,
    RevokedAccess,
    VaultEntry,
)
from hofburg.core import access
from hofburg.core.access import AccessDenied, AnyUser
from hofburg.core.errors import Conflict, Invalid
from hofburg.core.models import Affiliation, Classification, User
from hofburg.core.services.audit import record_change, snapshot

MAX_VAULT_TEXT = 2000
# Which key seals which vault field: the field's own level (engine.fields).
_PURPOSE = {field_rules.Level.RESTRICTED: "restricted",
            field_rules.Level.STRICTLY_CONFIDENTIAL: "strictly_confidential"}


def _context(person: Person, field: str) -> str:
    return f"person:{person.surrogate_id}:{field}"


def _check_vault(values: dict[str, str]) -> dict[str, str]:
    clean = {}
    for name, value in values.items():
        if name not in field_rules.VAULT_FIELDS:
            raise Invalid(f"not a vault field; one of {', '.join(field_rules.VAULT_FIELDS)}",
                          field=name)
        text = (value or "").strip()
        if len(text) > MAX_VAULT_TEXT:
            raise Invalid(f"at most {MAX_VAULT_TEXT} characters", field=name)
        if "\x00" in text:
            raise Invalid("holds a NUL character", field=name)
        if text:
            clean[name] = text
    return clean


def _seal_into(ring: vault.Keyring, person: Person, values: dict[str, str]) -> None:
    for name, text in values.items():
        purpose = _PURPOSE[field_rules.level_of("person", name)]
        key_id, nonce, sealed = ring.seal(purpose, text.encode(), _context(person, name))
        VaultEntry.objects.update_or_create(person=person, field=name, defaults={
            "key_id": key_id, "nonce": nonce, "ciphertext": sealed})


def _safe_snapshot(person: Person) -> dict[str, Any]:
    """The person for the audit trail: which vault fields it holds and whether a legal hold is
    set, never the identifiers' digest (it would outlive an erasure) nor a sealed text."""
    data = snapshot(person)
    data.pop("identifier_digest", None)
    data.pop("legal_hold_sealed", None)
    data["legal_hold"] = person.has_legal_hold
    data["vault_fields"] = sorted(person.vault.values_list("field", flat=True))
    return data


def create_person(actor: User, *, owner: Affiliation, vault_values: dict[str, str],
                  birth_date: str = "", classification: str = Classification.CONFIDENTIAL,
                  protection_level: str = Person.Protection.HIGH,
                  is_exercise: bool = False) -> tuple[Person, list[str]]:
    """A new person, its vault sealed, the creator granted strictly-confidential need-to-know.

    Returns the person and the surrogate ids of possible duplicates (same keyed digest of
    name, identity number and birth date) among the persons the creator already may see.
    """
    if not access.can_contribute(actor) or actor.affiliation_id != owner.pk:
        raise AccessDenied("Only editors of the owner affiliation may record a person.")
    values = _check_vault(vault_values)
    if "name" not in values:
        raise Invalid("a person needs a name in the vault", field="name")
    if classification not in Classification.values:
        raise Invalid("unknown classification", field="classification")
    if protection_level not in Person.Protection.values:
        raise Invalid("standard or high", field="protection_level")
    ring = vault.load_keyring()
    digest_input = {"name": values["name"], "identity_number": values.get("identity_number", ""),
                    "birth_date": birth_date}
    try:
        digest = identifiers.identifier_digest(ring.digest_key(), digest_input)
    except identifiers.IdentifierError as exc:
        raise Invalid(str(exc), field="birth_date" if "birth" in str(exc) else "name") from exc
    with transaction.atomic():
        person = Person.objects.create(
            surrogate_id=surrogates.new_surrogate_id("P"), owner_affiliation=owner,
            classification=classification, protection_level=protection_level,
            identifier_digest=digest, is_exercise=is_exercise)
        _seal_into(ring, person, values)
        Grant.objects.create(person=person, user=actor, granted_by=actor,
                             level=Grant.Level.STRICTLY_CONFIDENTIAL)
        record_change(actor, "create", person, None, _safe_snapshot(person))
    duplicates = list(access.visible(Person.objects.filter(identifier_digest=digest), actor)
                      .filter(grants__user_id=actor.pk).exclude(pk=person.pk)
                      .values_list("surrogate_id", flat=True))
    return person, duplicates


def grant_access(actor: AnyUser, person: Person, user: User,
                 level: str = Grant.Level.RESTRICTED) -> Grant:
    """Give `user` need-to-know for `person` (the granter must hold a grant and own it)."""
    from hofburg.cases import permissions

    if not permissions.may_grant(actor, person):
        raise AccessDenied("Only an editor of the owner affiliation holding a grant may grant.")
    if level not in Grant.Level.values:
        raise Invalid("restricted or strictly_confidential", field="level")
    if not access.can_view(user, person):
        raise Invalid("this user may not see the record at its classification", field="user")
    with transaction.atomic():
        grant, _created = Grant.objects.update_or_create(
            person=person, user=user, defaults={"level": level, "granted_by": actor})
        record_change(actor, "grant", person, None,
                      {"grantee": user.username, "level": level})
    return grant


def revoke_access(actor: AnyUser, person: Person, user: User, reason: str, *,
                  channel: str = "page") -> RevokedAccess:
    """Withdraw `user`'s need-to-know for `person` (decision 0064). Those who may grant may
    revoke, never their own grant (another holder does: a person always keeps one). The grant
    moves into the history with who revoked it, when and why; from the next request on the
    user is answered as one who never held it. An audit entry and an access-log entry say so."""
    from hofburg.cases.services import grants

    return grants.withdraw_grant(actor, person, user, reason, channel=channel)


def _checked_change(actor: User, person: Person, protection_level: str | None,
                    given: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """(the values to seal, the fields to remove) of a change, or the refusal."""
    from hofburg.cases import permissions

    if given and permissions.grant_level(actor, person.pk) != Grant.Level.STRICTLY_CONFIDENTIAL:
        raise AccessDenied("Only a holder of a strictly-confidential grant changes the vault.")
    if protection_level is not None and protection_level not in Person.Protection.values:
        raise Invalid("standard or high", field="protection_level")
    values = _check_vault(given)
    removed = sorted(name for name in given if name not in values)
    if "name" in removed:
        raise Invalid("a person keeps a name in the vault", field="name")
    if given and person.erased_at is not None:
        raise Conflict("the identity of this person was erased")
    if given and person.restricted_at is not None:
        raise Conflict("processing of this person's identity is restricted")
    if protection_level is None and not given:
        raise Invalid("nothing to change", field="protection_level")
    return values, removed


def _renewed_digest(ring: vault.Keyring, person: Person, values: dict[str, str],
                    removed: list[str], birth_date: str) -> str:
    current = read_vault(ring, person, ["name", "identity_number"])
    current.update({k: v for k, v in values.items() if k in ("name", "identity_number")})
    for name in removed:
        current.pop(name, None)
    try:
        return identifiers.identifier_digest(ring.digest_key(), {
            "name": current["name"], "identity_number": current.get("identity_number", ""),
            "birth_date": birth_date})
    except identifiers.IdentifierError as exc:
        raise Invalid(str(exc), field="birth_date" if "birth" in str(exc) else "name") from exc


def change_person(actor: AnyUser, person: Person, *, protection_level: str | None = None,
                  vault_values: dict[str, str] | None = None,
                  birth_date: str = "") -> Person:
    """Change a person's protection level (an editor of the owner affiliation holding a grant)
    or their vault fields (one holding a strictly-confidential grant): a value given replaces
    the sealed one, an empty one removes it (never the name). Not once the identity is erased
    or its processing restricted. A changed name or identity number renews the duplicate
    check's keyed digest, from the birth date given with the change as at recording. The
    audit trail names the fields changed, never their values."""
    from hofburg.cases import permissions

    if not isinstance(actor, User) or not permissions.may_grant(actor, person):
        raise AccessDenied("Only an editor of the owner affiliation holding a grant changes a "
                           "person.")
    given = dict(vault_values or {})
    values, removed = _checked_change(actor, person, protection_level, given)
    ring = vault.load_keyring()
    with transaction.atomic():
        before = _safe_snapshot(person)
        if protection_level is not None:
            person.protection_level = protection_level
        if "name" in given or "identity_number" in given:
            person.identifier_digest = _renewed_digest(ring, person, values, removed,
                                                       birth_date)
        person.save(update_fields=["protection_level", "identifier_digest"])
        _seal_into(ring, person, values)
        VaultEntry.objects.filter(person=person, field__in=removed).delete()
        record_change(actor, "update", person, before,
                      {**_safe_snapshot(person), "vault_changed": sorted(given)})
    return person


def read_vault(ring: vault.Keyring, person: Person, wanted: list[str],
               entries: list[VaultEntry] | None = None) -> dict[str, str]:
    """The plaintext of the `wanted` vault fields the person has (erased ones are absent)."""
    if entries is None:
        entries = list(person.vault.filter(field__in=wanted))
    return {e.field: ring.open(e.key_id, e.nonce, e.ciphertext, _context(person, e.field))
            .decode() for e in entries if e.field in wanted}


def erase_vault(actor: AnyUser, person: Person, reason: str) -> int:
    """Destroy every sealed field of `person` and the keyed digest of its identifiers (which
    would still match the same name, identity number and birth date): the pseudonymised cases
    stay. Returns how many vault fields went. Called by the erasure workflow only."""
    with transaction.atomic():
        before = _safe_snapshot(person)
        removed, _ = VaultEntry.objects.filter(person=person).delete()
        person.erased_at, person.identifier_digest = timezone.now(), ""
        person.save(update_fields=["erased_at", "identifier_digest"])
        record_change(actor, "erase", person, before,
                      {**_safe_snapshot(person), "reason": reason})
    return removed


def vault_key_ids() -> list[str]:
    return list(VaultEntry.objects.values_list("key_id", flat=True).distinct())


def reseal_all(ring: vault.Keyring) -> int:
    """Seal every vault field not under its level's active key again under it (after a
    rotation); how many. A second run finds none."""
    count = 0
    with transaction.atomic():
        for entry in VaultEntry.objects.select_related("person").select_for_update():
            purpose = _PURPOSE[field_rules.level_of("person", entry.field)]
            if entry.key_id == ring.active_id(purpose):
                continue
            context = _context(entry.person, entry.field)
            plain = ring.open(entry.key_id, entry.nonce, entry.ciphertext, context)
            entry.key_id, entry.nonce, entry.ciphertext = ring.seal(purpose, plain, context)
            entry.save(update_fields=["key_id", "nonce", "ciphertext"])
            count += 1
    return count

