"""A copy of the database alone reveals no name: the vault holds only AES-GCM ciphertext.

The database image is SQLite's own serialisation of the test database (the bytes a copy of
the file would hold). A value stored in the clear on purpose (a case's charges, an internal
field) is found in it, so the search would find a vault value too if one were there.
"""

from __future__ import annotations

import pytest
from django.db import connection

from hofburg.cases.models import VaultEntry
from tests.cases.conftest import (
    OTHER_NAME,
    PROTECTION_MARKERS,
    SECRET,
    SITUATION_MARKERS,
    Records,
    Scene,
)


def _database_image() -> bytes:
    if connection.vendor != "sqlite":
        pytest.skip("the image is SQLite's serialisation")
    connection.ensure_connection()
    return bytes(connection.connection.serialize())


def test_the_database_holds_no_vault_value(scene: Scene) -> None:
    image = _database_image()
    assert b"charges-marker" in image  # the control: clear text is found
    for value in [*SECRET.values(), OTHER_NAME]:
        assert value.encode() not in image
        assert value.encode("utf-16-le") not in image
    assert VaultEntry.objects.count() == 5


def test_the_database_holds_no_vault_value_after_a_rotation(scene: Scene) -> None:
    from hofburg.cases import vault
    from hofburg.cases.services.persons import reseal_all

    reseal_all(vault.add_keys(("restricted", "strictly_confidential")))
    image = _database_image()
    for value in SECRET.values():
        assert value.encode() not in image


def test_the_keys_are_not_in_the_database(scene: Scene, _vault_keys) -> None:
    image = _database_image()
    for line in _vault_keys.read_text().splitlines():
        assert line.split()[2].encode() not in image
    assert oct(_vault_keys.stat().st_mode & 0o777) == "0o600"


def test_the_new_records_put_no_vault_value_in_the_database(records: Records) -> None:
    """Protection cases and situations refer to people by surrogate: with them stored, the
    image still holds no name, contact, identity number or medical detail."""
    image = _database_image()
    assert PROTECTION_MARKERS["summary"].encode() in image  # the control: classified, in clear
    assert SITUATION_MARKERS["source"].encode() in image
    assert records.scene.person.surrogate_id.encode() in image
    for value in [*SECRET.values(), OTHER_NAME]:
        assert value.encode() not in image
        assert value.encode("utf-16-le") not in image
