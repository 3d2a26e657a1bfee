"""The records this desk's ledger entries vouch for, rebuilt for `hofburg ledger verify`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from hofburg.core.models import LedgerEntry
from hofburg.core.services import ledger
from hofburg.csbm.models import Notification
from hofburg.csbm.services import LEDGER_KIND_NOTIFICATION, notification_payload


def notification_records(entries: Sequence[LedgerEntry]) -> Mapping[int, ledger.VouchedRecord]:
    """Each entry's notification as stored now, by entry sequence number."""
    sequences = {entry.pk: entry.sequence for entry in entries}
    found = (Notification.objects.filter(ledger_entry_id__in=sequences)
             .select_related("activity").order_by())
    return {
        sequences[n.ledger_entry_id]: ledger.VouchedRecord(
            label=f"csbm.Notification #{n.pk} ({n.activity.state_id}/{n.activity.reference} "
                  f"v{n.version}, "
                  f"sent on {n.sent_on.isoformat()})",
            payload=notification_payload(n.activity.reference, n.version, n.sent_on, n.content,
                                         n.correction_reason),
        )
        for n in found
    }


def register() -> None:
    ledger.register_record_kind(LEDGER_KIND_NOTIFICATION, notification_records)
