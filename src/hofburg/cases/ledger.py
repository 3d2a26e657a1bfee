"""The records the desk's ledger entries vouch for: each custody event of a piece of evidence,
rebuilt from the event as stored now, for `hofburg ledger verify`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from hofburg.cases.models import CustodyEvent
from hofburg.cases.services.evidence import LEDGER_KIND, custody_payload
from hofburg.core.models import LedgerEntry
from hofburg.core.services import ledger


def custody_events(entries: Sequence[LedgerEntry]) -> Mapping[int, ledger.VouchedRecord]:
    events = CustodyEvent.objects.filter(
        ledger_sequence__in=[e.sequence for e in entries]).select_related("evidence")
    return {event.ledger_sequence: ledger.VouchedRecord(
        label=f"{CustodyEvent._meta.label} #{event.pk} ({event.evidence.evidence_id})",
        payload=custody_payload(event)) for event in events}


def register() -> None:
    ledger.register_record_kind(LEDGER_KIND, custody_events)
