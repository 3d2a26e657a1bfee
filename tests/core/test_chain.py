"""The ledger's hash-chain arithmetic, without a database."""

from __future__ import annotations

from dataclasses import replace

from hofburg.core.chain import GENESIS_DIGEST, ChainEntry, payload_digest, verify_chain


def _chain(n: int) -> list[ChainEntry]:
    entries: list[ChainEntry] = []
    previous = GENESIS_DIGEST
    for i in range(1, n + 1):
        entry = ChainEntry(i, "notification", payload_digest({"n": i}), previous,
                           f"2026-01-0{i}T00:00:00+00:00", "alice", f"REF/{i}")
        entry = replace(entry, entry_digest=entry.computed_digest())
        entries.append(entry)
        previous = entry.entry_digest
    return entries


def test_an_intact_chain_verifies() -> None:
    assert verify_chain(_chain(5)) == []


def test_the_payload_digest_ignores_key_order() -> None:
    assert payload_digest({"a": 1, "b": 2}) == payload_digest({"b": 2, "a": 1})
    assert payload_digest({"a": 1}) != payload_digest({"a": 2})


def test_it_detects_an_altered_entry() -> None:
    entries = _chain(5)
    entries[2] = replace(entries[2], author="mallory")
    problems = verify_chain(entries)
    assert [p.sequence for p in problems] == [3]
    assert "altered" in problems[0].problem


def test_it_detects_a_deleted_entry() -> None:
    entries = _chain(5)
    del entries[1]
    problems = verify_chain(entries)
    assert {p.sequence for p in problems} == {3}
    assert any("deleted" in p.problem for p in problems)


def test_it_detects_a_removed_tail_only_against_a_kept_head() -> None:
    entries = _chain(5)
    head = entries[-1].entry_digest
    truncated = entries[:-2]
    assert verify_chain(truncated) == []
    assert verify_chain(truncated, expected_head=head) != []
    assert verify_chain(entries, expected_head=head) == []


def test_a_chain_cut_on_purpose_verifies_from_the_cut() -> None:
    entries = _chain(5)
    kept = entries[2:]
    assert verify_chain(kept) != []  # from the genesis, the cut looks like deletions
    assert verify_chain(kept, after=(2, entries[1].entry_digest)) == []
    problems = verify_chain(kept, after=(2, entries[0].entry_digest))
    assert [p.sequence for p in problems] == [3]
    assert "previous digest" in problems[0].problem
    assert [p.sequence for p in verify_chain(entries[3:], after=(2, entries[1].entry_digest))] \
        == [4, 4]
