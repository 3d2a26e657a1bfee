"""Audit history: who changed which domain record, when, and what it was before and after."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("updated")
        DELETE = "delete", _("deleted")

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The label survives the deletion of the user account or of the record.
    actor_label = models.CharField(max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=8, choices=Action.choices)
    model_label = models.CharField(_("record type"), max_length=100, db_index=True)
    object_id = models.CharField(_("record"), max_length=64, db_index=True)
    object_repr = models.CharField(max_length=300, blank=True)
    # The id of the web request that made the change (the `X-Request-ID` answer header and the
    # request's log lines carry it); empty for commands and jobs.
    request_id = models.CharField(_("request id"), max_length=64, blank=True, db_index=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"

    def changed_fields(self) -> list[tuple[str, object, object]]:
        before = self.before or {}
        after = self.after or {}
        keys = sorted(set(before) | set(after))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]
