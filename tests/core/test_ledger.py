"""The ledger on the database: appending, verifying, and catching tampering."""

from __future__ import annotations

from itertools import pairwise

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from hofburg.core.models import LedgerEntry
from hofburg.core.services.ledger import append_entry, ledger_head, verify_ledger

pytestmark = pytest.mark.django_db


def _append(n: int) -> None:
    for i in range(n):
        append_entry(
            "notification",
            {"activity": i, "troops": 9000 + i},
            author="alice",
            reference=f"CBM/{i}",
        )


def test_appended_entries_form_an_intact_chain() -> None:
    _append(4)
    assert verify_ledger() == []
    entries = list(LedgerEntry.objects.order_by("sequence"))
    assert [e.sequence for e in entries] == [1, 2, 3, 4]
    assert all(b.previous_digest == a.entry_digest for a, b in pairwise(entries))


def test_an_altered_payload_digest_is_detected() -> None:
    _append(3)
    LedgerEntry.objects.filter(sequence=2).update(payload_digest="f" * 64)
    problems = verify_ledger()
    assert [p.sequence for p in problems] == [2]


def test_a_deleted_entry_is_detected() -> None:
    _append(3)
    LedgerEntry.objects.filter(sequence=2).delete()
    assert any("deleted" in p.problem for p in verify_ledger())


def test_a_removed_last_entry_is_detected_against_the_kept_head() -> None:
    _append(3)
    _sequence, head = ledger_head()
    LedgerEntry.objects.filter(sequence=3).delete()
    assert verify_ledger() == []
    assert verify_ledger(expected_head=head) != []


def test_the_verify_command_fails_loudly_on_a_broken_chain(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _append(2)
    call_command("verify_ledger")
    assert "Ledger intact: 2 entries" in capsys.readouterr().out
    LedgerEntry.objects.filter(sequence=1).update(author="mallory")
    with pytest.raises(CommandError, match="the ledger is broken"):
        call_command("verify_ledger")


def test_an_entry_needs_a_kind_and_an_author() -> None:
    with pytest.raises(ValueError):
        append_entry("", {"x": 1}, author="alice")
    assert LedgerEntry.objects.count() == 0
