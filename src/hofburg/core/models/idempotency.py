"""Answers given under a client's `Idempotency-Key`, kept so a retry gets the same answer."""

from __future__ import annotations

from django.db import models


class IdempotentRequest(models.Model):
    """One API write a client sent with an `Idempotency-Key` header, and the answer it got.

    `caller` is the SHA-256 of the request's Authorization header, so keys are per token and
    the token itself is not stored. `fields` keeps a keyed digest of each of the body's
    top-level values (never the values), so a conflicting retry can be told which fields
    differ. Only successful answers are kept.
    """

    caller = models.CharField(max_length=64)
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=500)
    request_digest = models.CharField(max_length=64)
    fields = models.JSONField(null=True, blank=True)
    status = models.PositiveSmallIntegerField()
    content_type = models.CharField(max_length=100)
    body = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["caller", "key"],
                                    name="one_answer_per_idempotency_key"),
        ]
        verbose_name = "idempotent request"

    def __str__(self) -> str:
        return f"{self.method} {self.path} [{self.key}]"
