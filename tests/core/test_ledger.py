"""The ledger on the database: appending, verifying, and catching tampering.

Entries here vouch for records of a test kind kept in a dict (`records`), registered as a desk
registers its own kind, so the records can be altered or deleted behind the ledger's back.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from itertools import pairwise
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from hofburg.core.models import LedgerEntry
from hofburg.core.services import ledger
from hofburg.core.services.ledger import (
    VouchedRecord,
    append_entry,
    ledger_head,
    verify_ledger,
)

pytestmark = pytest.mark.django_db

KIND = "test.notification"


@pytest.fixture(autouse=True)
def records(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, dict[str, Any]]]:
    """The test kind's records by reference; the ledger rebuilds payloads from them."""
    stored: dict[str, dict[str, Any]] = {}

    def rebuild(entries: Sequence[LedgerEntry]) -> Mapping[int, VouchedRecord]:
        return {e.sequence: VouchedRecord(f"test record {e.reference}", stored[e.reference])
                for e in entries if e.reference in stored}

    monkeypatch.setitem(ledger._rebuilders, KIND, rebuild)
    yield stored


def _append(n: int, records: dict[str, dict[str, Any]] | None = None) -> None:
    for i in range(n):
        payload = {"activity": i, "troops": 9000 + i}
        if records is not None:
            records[f"CBM/{i}"] = dict(payload)
        append_entry(KIND, payload, author="alice", reference=f"CBM/{i}")


def test_appended_entries_form_an_intact_chain(records: dict[str, Any]) -> None:
    _append(4, records)
    assert verify_ledger() == []
    entries = list(LedgerEntry.objects.order_by("sequence"))
    assert [e.sequence for e in entries] == [1, 2, 3, 4]
    assert all(b.previous_digest == a.entry_digest for a, b in pairwise(entries))


def test_an_altered_payload_digest_is_detected(records: dict[str, Any]) -> None:
    _append(3, records)
    LedgerEntry.objects.filter(sequence=2).update(payload_digest="f" * 64)
    problems = verify_ledger()
    assert [p.sequence for p in problems] == [2, 2]
    assert "altered" in problems[0].problem and "test record CBM/1" in problems[1].problem


def test_a_deleted_entry_is_detected(records: dict[str, Any]) -> None:
    _append(3, records)
    LedgerEntry.objects.filter(sequence=2).delete()
    assert any("deleted" in p.problem for p in verify_ledger())


def test_a_removed_last_entry_is_detected_against_the_kept_head(
    records: dict[str, Any],
) -> None:
    _append(3, records)
    _sequence, head = ledger_head()
    LedgerEntry.objects.filter(sequence=3).delete()
    assert verify_ledger() == []
    assert verify_ledger(expected_head=head) != []


def test_the_verify_command_fails_loudly_on_a_broken_chain(
    capsys: pytest.CaptureFixture[str], records: dict[str, Any],
) -> None:
    _append(2, records)
    call_command("verify_ledger")
    assert "Ledger intact: 2 entries" in capsys.readouterr().out
    LedgerEntry.objects.filter(sequence=1).update(author="mallory")
    with pytest.raises(CommandError, match="the ledger is broken"):
        call_command("verify_ledger")


def test_an_entry_needs_a_kind_and_an_author() -> None:
    with pytest.raises(ValueError):
        append_entry("", {"x": 1}, author="alice")
    assert LedgerEntry.objects.count() == 0


def test_a_record_altered_behind_the_ledger_is_named_with_its_entry(
    records: dict[str, dict[str, Any]],
) -> None:
    _append(3, records)
    records["CBM/1"]["troops"] = 2999
    entry = LedgerEntry.objects.get(sequence=2)
    problems = verify_ledger()
    assert [p.sequence for p in problems] == [2]
    assert str(problems[0]) == (
        f"entry #2: (digest {entry.entry_digest[:12]}, {KIND} CBM/1): test record CBM/1 no "
        "longer matches the payload digest: the record was altered")


def test_a_deleted_record_is_named_with_its_entry(records: dict[str, dict[str, Any]]) -> None:
    _append(3, records)
    del records["CBM/2"]
    problems = verify_ledger()
    assert [p.sequence for p in problems] == [3]
    assert "CBM/2" in problems[0].problem and "no longer exists" in problems[0].problem


def test_an_entry_no_desk_vouches_for_is_not_called_intact() -> None:
    append_entry("unknown.kind", {"x": 1}, author="alice", reference="X/1")
    problems = verify_ledger()
    assert [p.sequence for p in problems] == [1]
    assert "'unknown.kind'" in problems[0].problem and "cannot be checked" in problems[0].problem


def test_the_verify_command_lists_every_altered_record_and_fails(
    capsys: pytest.CaptureFixture[str], records: dict[str, dict[str, Any]],
) -> None:
    _append(3, records)
    records["CBM/0"]["troops"] = 1
    del records["CBM/2"]
    with pytest.raises(CommandError, match="2 problem"):
        call_command("verify_ledger")
    lines = capsys.readouterr().err.splitlines()
    assert [line.split(":")[0] for line in lines] == ["entry #1", "entry #3"]


def test_payloads_are_checked_in_chunks(
    monkeypatch: pytest.MonkeyPatch, records: dict[str, dict[str, Any]],
) -> None:
    monkeypatch.setattr(ledger, "_VERIFY_CHUNK", 2)
    _append(5, records)
    assert verify_ledger() == []
    records["CBM/4"]["troops"] = 0
    assert [p.sequence for p in verify_ledger()] == [5]
