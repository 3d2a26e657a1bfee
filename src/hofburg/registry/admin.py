"""Reference data is read-only in the admin: it comes from the files under data/registry/."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.http import HttpRequest

from hofburg.registry import models

if TYPE_CHECKING:  # django-stubs makes ModelAdmin generic in its model; Django does not
    _AnyAdmin = admin.ModelAdmin[Any]
else:
    _AnyAdmin = admin.ModelAdmin


class ReferenceAdmin(_AnyAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


for model in (models.ParticipatingState, models.StatusEvent, models.Partner, models.Chairmanship,
              models.Institution, models.SecretariatUnit, models.FieldOperation, models.Conflict,
              models.NegotiationFormat, models.FormatParticipant):
    admin.site.register(model, ReferenceAdmin)
