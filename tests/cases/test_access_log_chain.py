"""The access log as a hash chain: appending, verifying, catching a changed, removed or forged
entry, the retention cut that keeps what is left verifiable, the commands, writers at once and
the migration that chained the entries written before the chain."""

from __future__ import annotations

import importlib
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.utils import timezone
from time_machine import TimeMachineFixture
from typer.testing import CliRunner

from hofburg.cases.models import AccessLog
from hofburg.cases.services.reads import (
    access_log_head,
    log_access,
    prune_access_log,
    verify_access_log,
)
from hofburg.cli import app
from hofburg.core.chain import GENESIS_DIGEST
from hofburg.core.models import User
from tests.concurrency import at_once, own_connections
from tests.conftest import Cast

runner = CliRunner()
LONG_AGO = datetime(2023, 3, 1, 9, 30, tzinfo=UTC)


def _read(user: User | None, count: int = 1, fields: tuple[str, ...] = ("name",)) -> AccessLog:
    entry = log_access(user, AccessLog.Action.READ, "person", list(fields), count, "page")
    assert entry is not None
    return entry


def _entries() -> list[AccessLog]:
    return list(AccessLog.objects.order_by("sequence"))


def _at(time_machine: TimeMachineFixture, moment: datetime, n: int, cast: Cast) -> None:
    time_machine.move_to(moment, tick=False)
    for _ in range(n):
        _read(cast.carol)


@pytest.mark.django_db
def test_each_entry_follows_the_one_before_and_the_chain_verifies(cast: Cast) -> None:
    for count in (1, 2, 3):
        _read(cast.carol, count)
    log_access(None, AccessLog.Action.EXPORT, "statement", [], 0, "page")
    entries = _entries()
    assert [e.sequence for e in entries] == [1, 2, 3, 4]
    assert entries[0].previous_digest == GENESIS_DIGEST
    assert all(b.previous_digest == a.entry_digest for a, b in pairwise(entries))
    assert verify_access_log() == []
    assert access_log_head() == (4, entries[-1].entry_digest)


@pytest.mark.django_db
def test_an_empty_read_is_not_an_entry(cast: Cast) -> None:
    assert log_access(cast.carol, AccessLog.Action.READ, "person", ["name"], 0, "page") is None
    assert log_access(cast.carol, AccessLog.Action.READ, "person", [], 3, "page") is None
    assert AccessLog.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("change", [
    {"count": 40}, {"fields": ["medical"]}, {"user_label": "mallory"}, {"channel": "api"},
    {"record_type": "prisoner"}, {"action": "export"},
    {"at": LONG_AGO},
])
def test_a_changed_entry_is_named(cast: Cast, change: dict[str, Any]) -> None:
    for _ in range(3):
        _read(cast.carol)
    AccessLog.objects.filter(sequence=2).update(**change)
    problems = verify_access_log()
    assert [p.sequence for p in problems] == [2]
    assert str(problems[0]) == ("entry #2: entry digest does not match its contents: the "
                                "entry was altered")


@pytest.mark.django_db
def test_a_deleted_entry_is_named(cast: Cast) -> None:
    for _ in range(3):
        _read(cast.carol)
    AccessLog.objects.filter(sequence=2).delete()
    problems = [str(p) for p in verify_access_log()]
    assert "entry #3: sequence jumps from 1 to 3: entries were deleted" in problems
    assert "entry #3: previous digest does not match the entry before it" in problems


@pytest.mark.django_db
def test_removing_the_newest_entries_shows_against_the_kept_head(cast: Cast) -> None:
    for _ in range(3):
        _read(cast.carol)
    _sequence, head = access_log_head()
    AccessLog.objects.filter(sequence=3).delete()
    assert verify_access_log() == []
    assert [p.sequence for p in verify_access_log(expected_head=head)] == [2]


@pytest.mark.django_db
def test_deleting_a_user_is_not_tampering(cast: Cast) -> None:
    _read(cast.carol)
    cast.carol.delete()
    entry = AccessLog.objects.get()
    assert entry.user_id is None and entry.user_label == "carol"
    assert verify_access_log() == []


@pytest.mark.django_db
def test_the_retention_cut_removes_old_entries_and_the_rest_verifies(
        cast: Cast, time_machine: TimeMachineFixture) -> None:
    _at(time_machine, LONG_AGO, 3, cast)
    _at(time_machine, LONG_AGO + timedelta(days=800), 2, cast)
    removed_digest = AccessLog.objects.get(sequence=3).entry_digest
    cut = prune_access_log(timezone.now() - timedelta(days=730))
    assert (cut.removed, cut.through) == (3, 3)
    assert cut.entry is not None and cut.entry.sequence == 6
    assert (cut.entry.cut_sequence, cut.entry.cut_digest) == (3, removed_digest)
    assert [e.sequence for e in _entries()] == [4, 5, 6]
    assert verify_access_log() == []


@pytest.mark.django_db
def test_a_second_cut_removes_the_first_and_the_rest_still_verifies(
        cast: Cast, time_machine: TimeMachineFixture) -> None:
    _at(time_machine, LONG_AGO, 2, cast)
    _at(time_machine, LONG_AGO + timedelta(days=400), 2, cast)
    prune_access_log(LONG_AGO + timedelta(days=1))  # cuts #1-#2, its entry is #5
    _at(time_machine, LONG_AGO + timedelta(days=900), 1, cast)
    cut = prune_access_log(LONG_AGO + timedelta(days=800))
    assert (cut.removed, cut.through) == (3, 5)
    assert [e.sequence for e in _entries()] == [6, 7]
    assert verify_access_log() == []


@pytest.mark.django_db
def test_nothing_old_enough_removes_and_records_nothing(cast: Cast) -> None:
    assert prune_access_log(timezone.now()).entry is None  # an empty log
    _read(cast.carol)
    cut = prune_access_log(timezone.now() - timedelta(days=1))
    assert (cut.removed, cut.entry) == (0, None)
    assert AccessLog.objects.count() == 1


@pytest.mark.django_db
def test_the_cut_never_removes_an_entry_newer_than_the_period(
        cast: Cast, time_machine: TimeMachineFixture) -> None:
    """A clock that went back wrote an old time after a recent one: the cut stops before the
    first recent entry, so the recent one and everything after it stay."""
    _at(time_machine, LONG_AGO, 1, cast)
    _at(time_machine, LONG_AGO + timedelta(days=800), 1, cast)
    _at(time_machine, LONG_AGO, 1, cast)
    cut = prune_access_log(LONG_AGO + timedelta(days=10))
    assert cut.through == 1
    assert [e.sequence for e in _entries()] == [2, 3, 4]
    assert verify_access_log() == []


@pytest.mark.django_db
@pytest.mark.parametrize("tamper", ["delete the cut", "delete after the cut", "move the cut"])
def test_tampering_around_a_cut_is_found(
        cast: Cast, time_machine: TimeMachineFixture, tamper: str) -> None:
    _at(time_machine, LONG_AGO, 3, cast)
    _at(time_machine, LONG_AGO + timedelta(days=800), 2, cast)
    cut = prune_access_log(LONG_AGO + timedelta(days=1))
    assert cut.entry is not None
    if tamper == "delete the cut":
        cut.entry.delete()
    elif tamper == "delete after the cut":
        AccessLog.objects.filter(sequence=4).delete()
    else:  # hide entry #4's removal by pretending the cut went through it
        AccessLog.objects.filter(sequence=4).delete()
        AccessLog.objects.filter(pk=cut.entry.pk).update(
            cut_sequence=4, cut_digest=AccessLog.objects.get(sequence=5).previous_digest)
    assert verify_access_log() != []


@pytest.mark.django_db
def test_verify_log_reports_an_intact_log_and_each_break_in_a_line(cast: Cast) -> None:
    for _ in range(3):
        _read(cast.carol)
    result = runner.invoke(app, ["cases", "verify-log"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Access log intact: 3 entries (#1 to #3), head ")
    AccessLog.objects.filter(sequence=1).update(count=9)
    AccessLog.objects.filter(sequence=3).delete()
    head = AccessLog.objects.get(sequence=2).entry_digest
    broken = runner.invoke(app, ["cases", "verify-log", "--expect-head", "f" * 64])
    assert broken.exit_code == 1
    assert broken.output.splitlines() == [
        "hofburg: access log entry #1: entry digest does not match its contents: the entry "
        "was altered",
        "hofburg: access log entry #2: the last entry is not the expected head: entries were "
        "removed or added"]
    assert runner.invoke(app, ["cases", "verify-log", "--expect-head", head]).exit_code == 1


@pytest.mark.django_db
def test_prune_log_takes_the_period_from_the_setting_or_the_option(
        cast: Cast, settings: Any, time_machine: TimeMachineFixture) -> None:
    _at(time_machine, LONG_AGO, 2, cast)
    _at(time_machine, LONG_AGO + timedelta(days=100), 1, cast)
    settings.CASES_ACCESS_LOG_RETENTION_DAYS = 200
    kept = runner.invoke(app, ["cases", "prune-log"])
    assert kept.exit_code == 0, kept.output
    assert kept.output.startswith("No access-log entry is older than 200 days")
    done = runner.invoke(app, ["cases", "prune-log", "--older-than-days", "50"])
    assert done.exit_code == 0, done.output
    assert done.output.startswith("2 access-log entries older than 50 days removed (through #2)")
    assert runner.invoke(app, ["cases", "verify-log"]).exit_code == 0
    refused = runner.invoke(app, ["cases", "prune-log", "--older-than-days", "0"])
    assert refused.exit_code == 2 and AccessLog.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_writers_at_once_never_fork_the_chain(cast: Cast, tmp_path: Path) -> None:
    writers = 8
    with own_connections(tmp_path):
        at_once(writers, lambda: log_access(None, AccessLog.Action.EXPORT, "person", [], 1,
                                            "api"))
        assert at_once(1, verify_access_log) == [[]]
        sequences = at_once(1, lambda: list(
            AccessLog.objects.order_by("sequence").values_list("sequence", flat=True)))
    assert sequences == [list(range(1, writers + 1))]


@pytest.mark.django_db
def test_the_migration_chains_the_entries_written_before_the_chain(cast: Cast) -> None:
    for count in (1, 2, 3):
        _read(cast.carol, count)
    # Entries as the plain table held them: out of order, unchained (offset to stay unique).
    for entry in AccessLog.objects.all():
        AccessLog.objects.filter(pk=entry.pk).update(
            sequence=entry.sequence + 1000, previous_digest="", entry_digest=f"old-{entry.pk}")
    migration = importlib.import_module(
        "hofburg.cases.migrations.0006_access_log_chain_and_tolerance")
    migration.chain_existing_entries(apps, None)
    assert [e.count for e in _entries()] == [1, 2, 3]
    assert verify_access_log() == []
