"""The desk's write path on the database: vault, grants, duplicates, cases, custody counts."""

from __future__ import annotations

from datetime import date

import pytest

from hofburg.cases import queries, vault
from hofburg.cases.models import AccessLog, Grant, VaultEntry
from hofburg.cases.services import persons, prisoners
from hofburg.core.access import AccessDenied
from hofburg.core.errors import Conflict, Invalid
from hofburg.core.models import AuditEntry
from tests.cases.conftest import SECRET, Scene


def test_the_vault_seals_each_field_under_the_key_of_its_level(scene: Scene) -> None:
    ring = vault.load_keyring()
    entries = {e.field: e for e in VaultEntry.objects.filter(person=scene.person)}
    assert set(entries) == set(SECRET)
    assert entries["name"].key_id == ring.active_id("restricted")
    assert entries["medical"].key_id == ring.active_id("strictly_confidential")
    assert persons.read_vault(ring, scene.person, list(SECRET)) == SECRET


def test_a_sealed_value_moved_to_another_person_does_not_open(scene: Scene) -> None:
    ring = vault.load_keyring()
    stolen = VaultEntry.objects.get(person=scene.person, field="name")
    VaultEntry.objects.filter(person=scene.other, field="name").update(
        nonce=stolen.nonce, ciphertext=stolen.ciphertext, key_id=stolen.key_id)
    with pytest.raises(vault.VaultKeyError, match="does not open"):
        persons.read_vault(ring, scene.other, ["name"])


def test_the_audit_trail_holds_no_vault_value(scene: Scene) -> None:
    text = " ".join(str(e.after) + str(e.before) for e in AuditEntry.objects.all())
    assert "Person" in " ".join(AuditEntry.objects.values_list("model_label", flat=True)) or text
    for value in SECRET.values():
        assert value not in text


def test_a_duplicate_is_found_by_its_digest_not_its_spelling(scene: Scene) -> None:
    _, duplicates = persons.create_person(
        scene.erin, owner=scene.cast.cpc, birth_date="1980-05-04",
        vault_values={"name": "QUIXOTIC-SECRETNAME,  zebulon",
                      "identity_number": "qx 998877 secret"})
    assert duplicates == [scene.person.surrogate_id]
    _, none = persons.create_person(scene.erin, owner=scene.cast.cpc,
                                    vault_values={"name": "Someone Else"})
    assert none == []


def test_only_an_editor_of_the_owner_records_a_person(scene: Scene) -> None:
    with pytest.raises(AccessDenied):
        persons.create_person(scene.cast.bob, owner=scene.cast.cpc, vault_values={"name": "X"})
    with pytest.raises(Invalid) as refused:
        persons.create_person(scene.erin, owner=scene.cast.cpc, vault_values={"nickname": "X"})
    assert refused.value.field == "nickname"
    with pytest.raises(Invalid):
        persons.create_person(scene.erin, owner=scene.cast.cpc, vault_values={"contacts": "x"})


def test_a_grant_needs_a_granter_holding_one_and_a_grantee_who_may_see(scene: Scene) -> None:
    with pytest.raises(AccessDenied):
        persons.grant_access(scene.gina, scene.person, scene.cast.carol)  # not an editor
    with pytest.raises(Invalid):
        persons.grant_access(scene.erin, scene.person, scene.cast.bob)  # cannot see it
    persons.grant_access(scene.erin, scene.person, scene.cast.carol)
    assert Grant.objects.filter(person=scene.person, user=scene.cast.carol).exists()


def test_overlapping_episodes_are_refused(scene: Scene) -> None:
    with pytest.raises(Conflict):
        prisoners.add_detention_episode(scene.erin, scene.restricted_case, kind="sentence",
                                        start=date(2025, 1, 1))
    with pytest.raises(AccessDenied):
        prisoners.add_detention_episode(scene.cast.bob, scene.public_case, kind="sentence",
                                        start=date(2030, 1, 1))


def test_the_point_in_time_count_follows_the_episodes_and_what_the_viewer_sees(
        scene: Scene) -> None:
    carol, bob = scene.cast.carol, scene.cast.bob
    assert len(queries.in_custody(carol, date(2024, 5, 1))) == 4
    assert len(queries.in_custody(carol, date(2024, 12, 1))) == 3  # one released on 1 June
    assert len(queries.in_custody(bob, date(2024, 12, 1))) == 2  # the confidential one hidden
    assert len(queries.in_custody(carol, date(2024, 2, 9))) == 1
    assert [c.case_id for c in queries.in_custody(carol, date(2024, 12, 1),
                                                  recognised_only=True)] == [
        scene.public_case.case_id]
    episode = scene.restricted_case.episodes.get()
    prisoners.end_detention(scene.erin, episode, date(2024, 11, 30))
    assert len(queries.in_custody(carol, date(2024, 12, 1))) == 2


def test_a_recognition_names_pace_criteria_and_can_be_withdrawn(scene: Scene) -> None:
    with pytest.raises(Invalid):
        prisoners.add_recognition(scene.erin, scene.restricted_case, organisations=["X"],
                                  criteria=["z"], recognised_on=date(2024, 1, 1))
    recognition = scene.public_case.recognitions.get()
    prisoners.withdraw_recognition(scene.erin, recognition, date(2024, 9, 1))
    assert queries.in_custody(scene.cast.carol, date(2024, 12, 1), recognised_only=True) == []


def test_rotation_reseals_every_field_and_keeps_old_keys(scene: Scene) -> None:
    before = vault.load_keyring()
    ring = vault.add_keys(("restricted", "strictly_confidential"))
    assert persons.reseal_all(ring) == 5
    assert ring.active_id("restricted") != before.active_id("restricted")
    assert set(VaultEntry.objects.values_list("key_id", flat=True)) == {
        ring.active_id("restricted"), ring.active_id("strictly_confidential")}
    assert persons.read_vault(ring, scene.person, list(SECRET)) == SECRET
    assert set(before.keys) <= set(ring.keys)


def test_keys_from_the_environment_are_not_rotated_in_place(scene: Scene, settings) -> None:
    settings.CASES_KEYS = ";".join(vault.new_key_line(p) for p in vault.PURPOSES)
    with pytest.raises(vault.VaultKeyError, match="HOFBURG_CASES_KEYS"):
        vault.add_keys(("restricted",))
    settings.CASES_KEYS = "restricted k1 not-base64"
    with pytest.raises(vault.VaultKeyError, match="line 1"):
        vault.load_keyring()


def test_erasing_the_vault_keeps_the_pseudonymised_cases(scene: Scene) -> None:
    removed = persons.erase_vault(scene.erin, scene.person, "request of the person")
    assert removed == 4
    assert not VaultEntry.objects.filter(person=scene.person).exists()
    assert scene.person.prisoner_cases.count() == 2
    assert AccessLog.objects.count() == 0  # nothing was read
