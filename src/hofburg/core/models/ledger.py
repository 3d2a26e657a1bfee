"""The hash-chained, append-only ledger of formal communications.

Each entry's digest covers its sequence number, kind, payload digest, the previous entry's
digest, time and author, so altering or deleting any entry breaks the chain from there on.
The arithmetic lives in `hofburg.core.chain`, which knows nothing of Django.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class LedgerEntry(models.Model):
    sequence = models.PositiveBigIntegerField(_("sequence"), unique=True)
    kind = models.CharField(_("kind"), max_length=64, db_index=True)
    payload_digest = models.CharField(_("payload digest"), max_length=64)
    previous_digest = models.CharField(_("previous digest"), max_length=64)
    recorded_at = models.DateTimeField(_("time"))
    author = models.CharField(_("author"), max_length=150)
    reference = models.CharField(_("reference"), max_length=200, blank=True)
    entry_digest = models.CharField(_("entry digest"), max_length=64, unique=True)

    class Meta:
        ordering = ["sequence"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")

    def __str__(self) -> str:
        return f"#{self.sequence} {self.kind} {self.entry_digest[:12]}"
