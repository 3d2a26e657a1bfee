"""Django admin for accounts and affiliations only.

Classified records (documents and every later desk's records) are deliberately not registered:
the admin site does not go through `core.access`, so it must not show them.
Audit entries and the ledger are read-only here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from hofburg.core import access
from hofburg.core.models import Affiliation, AuditEntry, LedgerEntry, User

if TYPE_CHECKING:  # django-stubs makes the admin classes generic in their model; Django does not
    _AffiliationAdmin = admin.ModelAdmin[Affiliation]
    _UserAdmin = UserAdmin[User]
    _AnyAdmin = admin.ModelAdmin[Any]
else:
    _AffiliationAdmin = _AnyAdmin = admin.ModelAdmin
    _UserAdmin = UserAdmin


@admin.register(Affiliation)
class AffiliationAdmin(_AffiliationAdmin):
    list_display = ("name", "code", "kind", "state_iso2", "is_exercise")
    list_filter = ("kind", "is_exercise")
    search_fields = ("name", "code")


@admin.register(User)
class HofburgUserAdmin(_UserAdmin):
    list_display = ("username", "affiliation", "roles", "is_active", "last_login")
    list_filter = ("is_active", "affiliation__kind")
    fieldsets = (*UserAdmin.fieldsets, ("Hofburg", {"fields": ("affiliation", "roles")}))  # type: ignore[misc]


class ReadOnlyAdmin(_AnyAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor_label", "action", "model_label", "object_repr")
    list_filter = ("action", "model_label")

    def get_queryset(self, request: HttpRequest) -> QuerySet[AuditEntry]:
        """Without the entries a desk keeps to itself (`access.keep_audit_on_desk`): not
        listed, counted, filtered on or opened by their id."""
        return access.general_audit_entries(super().get_queryset(request))


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ("sequence", "kind", "reference", "author", "recorded_at", "entry_digest")
    list_filter = ("kind",)
