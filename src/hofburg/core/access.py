"""The one place that decides who may see and change what.

Every list, detail page, API endpoint, export and search filters through these helpers.
The rules (see docs/decisions/0004-access-model.md):

- `public` records are visible to everyone, anonymous visitors included;
- `restricted` records are visible to users affiliated with a participating State's delegation,
  a Secretariat unit, an institution or a field operation (the "entitled" users);
- `confidential` records are visible only to members of the owner affiliation and of the
  affiliations the record is explicitly shared with.

Objects a user may not see are answered with 404, never 403, so their existence does not leak.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any, TypeVar

from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from hofburg.core.errors import NotAllowed
from hofburg.core.models import AuditEntry, Classification, ClassifiedRecord, Role, User

M = TypeVar("M", bound=Model)
AnyUser = User | AnonymousUser


class AccessDenied(NotAllowed):
    """The user may not do this. Views answer 403 when the user can see the record, else 404;
    the API answers 403 (`core.errors.NotAllowed`): services raise it only for a record the
    caller may see, or for a request that names none."""


def is_entitled(user: AnyUser) -> bool:
    """True for an active user with an affiliation: such a user may read `restricted` records."""
    return bool(user.is_authenticated and user.is_active and getattr(user, "affiliation_id", None))


def _affiliation_id(user: AnyUser) -> int | None:
    return getattr(user, "affiliation_id", None) if is_entitled(user) else None


def visibility_q(model: type[Model], user: AnyUser) -> Q:
    """The filter selecting the records of `model` that `user` may see."""
    affiliation_id = _affiliation_id(user)
    if affiliation_id is None:
        return Q(classification=Classification.PUBLIC)
    shared = model._meta.get_field("shared_with")
    through = shared.remote_field.through  # type: ignore[union-attr]
    shared_ids = through.objects.filter(
        **{f"{shared.m2m_reverse_field_name()}_id": affiliation_id}  # type: ignore[union-attr]
    ).values(f"{shared.m2m_field_name()}_id")  # type: ignore[union-attr]
    return (
        Q(classification__in=[Classification.PUBLIC, Classification.RESTRICTED])
        | Q(classification=Classification.CONFIDENTIAL, owner_affiliation_id=affiliation_id)
        | Q(classification=Classification.CONFIDENTIAL, pk__in=shared_ids)
    )


def visible(queryset: QuerySet[M], user: AnyUser) -> QuerySet[M]:
    """Narrow `queryset` to what `user` may see."""
    return queryset.filter(visibility_q(queryset.model, user))


def get_visible_or_404(queryset: QuerySet[M], user: AnyUser, **lookup: Any) -> M:
    """The one record matching `lookup` that `user` may see; 404 if it is missing or hidden."""
    try:
        return visible(queryset, user).get(**lookup)
    except ObjectDoesNotExist as exc:
        raise Http404("No such record.") from exc


def get_editable_or_404(queryset: QuerySet[M], user: AnyUser, **lookup: Any) -> M:
    """The record `user` may change: 404 if missing or hidden, AccessDenied if only visible."""
    record = get_visible_or_404(queryset, user, **lookup)
    if not can_edit(user, record):
        raise AccessDenied("You may see this record but not change it.")
    return record


def can_view(user: AnyUser, record: Model) -> bool:
    return visible(type(record)._default_manager.filter(pk=record.pk), user).exists()


def allowed_classifications(user: AnyUser) -> list[str]:
    """The levels a user may give a new record: entitled users only, and never above their reach."""
    return list(Classification.values) if is_entitled(user) else []


def can_contribute(user: AnyUser, affiliation_kinds: Collection[str] | None = None) -> bool:
    """Editors with an affiliation may create records for it (documents, observations, ...).

    `affiliation_kinds` narrows it to some kinds of body: a monitoring mission's observations
    come from field operations only.
    """
    if not (is_entitled(user) and _has_role(user, Role.EDITOR)):
        return False
    if affiliation_kinds is None:
        return True
    affiliation = getattr(user, "affiliation", None)
    return affiliation is not None and affiliation.kind in affiliation_kinds


def can_register_documents(user: AnyUser) -> bool:
    return can_contribute(user)


def can_edit(user: AnyUser, record: Model) -> bool:
    """Editors of the owner affiliation may change a record they can see."""
    owner_id = getattr(record, "owner_affiliation_id", None)
    return (
        can_register_documents(user)
        and owner_id is not None
        and owner_id == _affiliation_id(user)
        and can_view(user, record)
    )


def can_view_audit(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_active and _has_role(user, Role.ADMINISTRATOR))


def _has_role(user: AnyUser, role: Role) -> bool:
    return isinstance(user, User) and user.has_role(role)


# Apps whose audit entries stay on their own desk (`keep_audit_on_desk`).
_AUDIT_KEPT_ON_DESK: set[str] = set()


def keep_audit_on_desk(app_label: str) -> None:
    """Keep a desk's audit entries off the general audit trail (the audit page, the admin).

    For a desk whose records are need-to-know on top of their classification, or whose fields
    have levels of their own: an entry's snapshot holds every field, and an entry's existence
    says a record exists, which only the desk's own rules may tell (decision 0075)."""
    _AUDIT_KEPT_ON_DESK.add(app_label)


def general_audit_entries(entries: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
    """`entries` without those the desks keep to themselves: the audit page and the admin
    list, count and filter only these."""
    for app_label in sorted(_AUDIT_KEPT_ON_DESK):
        entries = entries.exclude(model_label__startswith=f"{app_label}.")
    return entries


def audit_details_visible(user: AnyUser, entries: Iterable[AuditEntry]) -> set[int]:
    """Ids of the audit entries whose record `user` may see, so their details may be shown.

    The administrator role opens the audit trail, not need-to-know: an entry about a classified
    record shows its details only to those who may see the record (or, once it is deleted, who
    could see it in its last snapshot). Entries about unclassified records are always shown.
    """
    entries = list(entries)
    shown: set[int] = set()
    by_model: dict[str, list[AuditEntry]] = {}
    for entry in entries:
        by_model.setdefault(entry.model_label, []).append(entry)
    for label, group in by_model.items():
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            continue
        if not issubclass(model, ClassifiedRecord):
            shown.update(e.pk for e in group)
            continue
        object_ids = {e.object_id for e in group}
        existing = {str(pk) for pk in model._default_manager.filter(pk__in=object_ids)
                    .values_list("pk", flat=True)}
        visible_ids = {str(pk) for pk in visible(model._default_manager.filter(pk__in=object_ids),
                                                 user).values_list("pk", flat=True)}
        for entry in group:
            if entry.object_id in visible_ids or (
                entry.object_id not in existing and _snapshot_visible(user, entry)
            ):
                shown.add(entry.pk)
    return shown


def _snapshot_visible(user: AnyUser, entry: AuditEntry) -> bool:
    snapshot = entry.after or entry.before or {}
    level = snapshot.get("classification")
    if level == Classification.PUBLIC:
        return True
    affiliation_id = _affiliation_id(user)
    if affiliation_id is None:
        return False
    if level == Classification.RESTRICTED:
        return True
    return snapshot.get("owner_affiliation") == affiliation_id
