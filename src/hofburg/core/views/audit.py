"""The audit page: who changed which record, when, and what it was before and after.

Administrators only; everyone else gets a 404, as for any page they are not entitled to. The
entries a desk keeps to itself (`access.keep_audit_on_desk`) are neither listed nor counted.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from hofburg.core import access, filters
from hofburg.core.models import AuditEntry

PAGE_SIZE = 50


class AuditFilterForm(forms.Form):
    type = forms.ChoiceField(label=_("Record type"), required=False)

    def __init__(self, *args: Any, record_types: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [  # type: ignore[attr-defined]
            ("", _("All record types")), *((label, label) for label in record_types)]


def audit_list(request: HttpRequest) -> HttpResponse:
    if not access.can_view_audit(request.user):
        raise Http404
    general = access.general_audit_entries(AuditEntry.objects.all())
    record_types = list(
        general.order_by("model_label").values_list("model_label", flat=True).distinct())
    form = AuditFilterForm(request.GET, record_types=record_types)
    entries = general.select_related("actor")
    record_type = filters.applied(form).get("type")
    if record_type:
        entries = entries.filter(model_label=record_type)
    # `?request=ID`: the changes one request made (its id is in the logs and the answer header).
    if request.GET.get("request"):
        entries = entries.filter(request_id=request.GET["request"][:64])
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = access.audit_details_visible(request.user, page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "core/audit.html", {
        "form": form,
        "page": page,
        "entries": page.object_list,
        "changes": [_changes(entry, entry.pk in shown) for entry in page.object_list],
        "query_string": query.urlencode(),
    })


def _changes(entry: AuditEntry, shown: bool) -> tuple[AuditEntry, bool, list[tuple[str, str, str]]]:
    """The entry, whether its details may be shown, and each changed field before and after."""
    if not shown:
        return entry, False, []
    return entry, True, [(field, _as_text(before), _as_text(after))
                         for field, before, after in entry.changed_fields()]


def _as_text(value: object) -> str:
    if value is None or value == []:
        return "—"
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    return str(value)
