"""Numbers are given from locked sequences; the real records move the real sequences on."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.db import transaction

from hofburg.core.errors import Invalid
from hofburg.core.models import Affiliation
from hofburg.decisions import sequences
from hofburg.decisions.models import Attachment, Draft, Meeting, Sequence
from hofburg.decisions.reference import load_records, records_file

pytestmark = pytest.mark.django_db


def _allocate(body: str, series: str, on: date, *, exercise: bool = False) -> tuple[int, str]:
    with transaction.atomic():
        return sequences.allocate(body, series, on=on, is_exercise=exercise)


def test_a_sequential_series_never_restarts_and_a_yearly_one_does() -> None:
    assert _allocate("PC", "DEC", date(2025, 12, 30)) == (1, "PC.DEC/1")
    assert _allocate("PC", "DEC", date(2026, 1, 8)) == (2, "PC.DEC/2")
    assert _allocate("PC", "DD", date(2025, 12, 30)) == (1, "PC.DD/1/25")
    assert _allocate("PC", "DD", date(2026, 1, 8)) == (1, "PC.DD/1/26")
    assert _allocate("PC", "DD", date(2026, 2, 5)) == (2, "PC.DD/2/26")


def test_exercise_records_are_numbered_apart_from_real_ones() -> None:
    _allocate("PC", "DEC", date(2026, 1, 8))
    assert _allocate("PC", "DEC", date(2026, 1, 8), exercise=True) == (1, "PC.DEC/1")
    assert _allocate("PC", "DEC", date(2026, 1, 8)) == (2, "PC.DEC/2")


def test_a_deployment_continues_the_real_sequence() -> None:
    sequences.set_start("PC", "JOUR", start=1501)
    assert _allocate("PC", "JOUR", date(2026, 1, 8)) == (1501, "PC.JOUR/1501")
    assert _allocate("PC", "JOUR", date(2026, 1, 15)) == (1502, "PC.JOUR/1502")


def test_a_yearly_series_needs_its_year_to_be_set() -> None:
    with pytest.raises(Invalid) as refused:
        sequences.set_start("PC", "DD", start=10)
    assert refused.value.field == "year"
    assert not Sequence.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_number_is_taken_only_inside_a_transaction() -> None:
    with pytest.raises(RuntimeError):
        sequences.allocate("PC", "DEC", on=date(2026, 1, 8), is_exercise=False)
    assert not Sequence.objects.exists()


def test_an_unknown_series_is_refused() -> None:
    with pytest.raises(Invalid):
        _allocate("PC", "NOPE", date(2026, 1, 8))


def test_the_real_records_load_once_with_their_source_and_move_the_sequences() -> None:
    Affiliation.objects.create(code="delegation-ru", name="Delegation of the Russian Federation",
                               kind=Affiliation.Kind.DELEGATION, state_iso2="RU")
    first = load_records()
    assert (first.meetings, first.decisions, first.attachments) == (3, 1, 1)
    again = load_records()
    assert (again.meetings, again.decisions, again.attachments) == (0, 0, 0)

    decision = Draft.objects.get(decision_symbol="PC.DEC/1307")
    assert decision.adopted_meeting == Meeting.objects.get(journal_symbol="PC.JOUR/1200")
    assert decision.adopted_meeting.date_precision == "year"
    assert decision.confidence == "confirmed" and "PC.JOUR/1200" in decision.source
    attachment = Attachment.objects.get(draft=decision)
    assert (attachment.number, attachment.kind, attachment.delegation.code) == (
        1, "interpretative_statement", "delegation-ru")
    assert all(m.source and m.confidence for m in Meeting.objects.all())
    # The next real numbers come after the ones the records hold.
    assert _allocate("PC", "DEC", date(2026, 1, 8)) == (1308, "PC.DEC/1308")
    assert _allocate("PC", "JOUR", date(2026, 1, 8)) == (1297, "PC.JOUR/1297")


def test_the_records_need_the_delegations_from_init() -> None:
    with pytest.raises(Invalid) as refused:
        load_records()
    assert "hofburg init" in str(refused.value)
    assert not Meeting.objects.exists() and not Draft.objects.exists()


@pytest.mark.parametrize(("change", "named"), [
    (lambda d: d["meetings"][0].pop("source"), "meetings.0.source"),
    (lambda d: d["meetings"][0].update(confidence="sure"), "meetings.0.confidence"),
    (lambda d: d["meetings"][0].update(body="XX"), "meetings.0.body"),
    (lambda d: d["decisions"][0].update(titel="misspelt"), "decisions.0.titel"),
    (lambda d: d["decisions"][0]["attachments"][0].update(state="Russia"),
     "decisions.0.attachments.0.state"),
    (lambda d: d["decisions"][0].update(adopted_at_meeting=1), "decisions.0.adopted_at_meeting"),
])
def test_a_wrong_records_file_is_refused_naming_the_place_and_stores_nothing(
        tmp_path: Path, change: Callable[[dict[str, Any]], object], named: str) -> None:
    Affiliation.objects.create(code="delegation-ru", name="Delegation of the Russian Federation",
                               kind=Affiliation.Kind.DELEGATION, state_iso2="RU")
    data = yaml.safe_load(records_file().read_text(encoding="utf-8"))
    change(data)
    broken = tmp_path / "records.yaml"
    broken.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(Invalid) as refused:
        load_records(broken)
    assert named in refused.value.message and "records.yaml" in refused.value.message
    assert not Meeting.objects.exists() and not Draft.objects.exists()
