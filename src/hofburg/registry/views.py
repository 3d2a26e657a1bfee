"""Registry pages: participating States, the OSCE-area map, Chairmanships and the Troika, field
operations, conflicts and their negotiation formats, Partners, institutions.

The registry is public reference data, so these pages read it directly; nothing here is
classified. List pages answer `?format=csv|xlsx|json` with the same file `export_registry`
writes. Names are shown in the active language (`.name`).
"""

from __future__ import annotations

import io
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from hofburg.core import filters as list_filters
from hofburg.core import panels, updated
from hofburg.core.models import AuditEntry
from hofburg.registry import exports
from hofburg.registry.engine.troika import Troika, troika
from hofburg.registry.models import (
    Chairmanship,
    Conflict,
    FieldOperation,
    FormatParticipant,
    Institution,
    NegotiationFormat,
    ParticipatingState,
    Partner,
    SecretariatUnit,
)
from hofburg.registry.services import troika_for_year


def this_year() -> int:
    return timezone.localdate().year


def chairs_by_year() -> dict[int, Chairmanship]:
    return {chair.year: chair for chair in Chairmanship.objects.select_related("state")}


TROIKA_ROLES = {
    "previous": _("previous Chair"),
    "current": _("Chair"),
    "next": _("incoming Chair"),
}


def troika_role(members: Troika[Chairmanship], state: ParticipatingState) -> str | None:
    """'previous', 'current' or 'next' where `state` holds that seat in the Troika, else None."""
    for role in ("current", "previous", "next"):
        chair = getattr(members, role)
        if chair is not None and chair.state_id == state.pk:
            return role
    return None


def _download(request: HttpRequest, kind: str) -> HttpResponse | None:
    """The `kind` file when the page was asked for `?format=...`, else None (show the page)."""
    file_format = request.GET.get("format")
    if file_format is None:
        return None
    try:
        exports.check_export(kind, file_format)
    except exports.ExportError as exc:
        return HttpResponseBadRequest(str(exc), content_type="text/plain; charset=utf-8")
    buffer = io.BytesIO()
    exports.write_export(kind, file_format, buffer)
    response = HttpResponse(buffer.getvalue(), content_type=exports.CONTENT_TYPES[file_format])
    filename = exports.export_filename(kind, file_format)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _folded(text: str) -> str:
    """`text` without accents and case, so 'osterreich' finds 'Österreich'."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


# --- participating States ---------------------------------------------------------------------

@dataclass
class StateRow:
    state: ParticipatingState
    chaired: list[int]


SORT_KEYS: dict[str, Callable[[StateRow], Any]] = {
    "name": lambda row: _folded(row.state.name),
    "iso2": lambda row: row.state.iso2,
    "joined": lambda row: (row.state.joined, _folded(row.state.name)),
    "chaired": lambda row: (row.chaired[:1] or [9999], _folded(row.state.name)),
}

STATE_COLUMNS = [
    ("name", _("Name")),
    ("iso2", _("ISO codes")),
    ("joined", _("Joined")),
    ("chaired", _("Chaired in")),
]


def _matches(state: ParticipatingState, query: str) -> bool:
    wanted = _folded(query)
    haystack = [state.iso2, state.iso3, state.numeric, *state.names.values()]
    return any(wanted in _folded(text) for text in haystack)


def _sort_headers(sort: str, query: str) -> list[dict[str, Any]]:
    """Column headers with the link that sorts by them (a second click reverses)."""
    headers = []
    for key, label in STATE_COLUMNS:
        descending = sort == f"-{key}"
        active = sort in (key, f"-{key}")
        target = key if (not active or descending) else f"-{key}"
        params = "?" + urlencode({"sort": target, **({"q": query} if query else {})})
        aria = ("descending" if descending else "ascending") if active else None
        headers.append({"key": key, "label": label, "href": params, "aria_sort": aria})
    return headers


def joining_chart(states: Iterable[ParticipatingState]) -> list[dict[str, int]]:
    """Today's participating States counted cumulatively by the year each joined."""
    per_year = Counter(state.joined.year for state in states)
    total = 0
    points = []
    for year in sorted(per_year):
        total += per_year[year]
        points.append({"x": year, "y": total})
    return points


@require_safe
def state_list(request: HttpRequest) -> HttpResponse:
    if (download := _download(request, "states")) is not None:
        return download
    query = request.GET.get("q", "").strip()
    sort = request.GET.get("sort", "name")
    if sort.lstrip("-") not in SORT_KEYS:
        sort = "name"
    states = list(ParticipatingState.objects.prefetch_related("chairmanships"))
    rows = [StateRow(s, [c.year for c in s.chairmanships.all()]) for s in states]
    rows = [row for row in rows if not query or _matches(row.state, query)]
    rows.sort(key=SORT_KEYS[sort.lstrip("-")], reverse=sort.startswith("-"))
    return render(request, "registry/states.html", {
        "rows": rows,
        "total": len(states),
        "query": query,
        "sort": sort,
        "headers": _sort_headers(sort, query),
        "joining_chart": joining_chart(states),
    })


def _sources(*rows: Iterable[Any]) -> list[str]:
    """The distinct sources of the given rows, in order of first appearance.

    A source is shown whole: its citations are joined with "; ", but a citation's own title can
    hold "; " too, so splitting it could cut a title in two.
    """
    seen: dict[str, None] = {}
    for group in rows:
        for row in group:
            if row.source:
                seen.setdefault(row.source, None)
    return list(seen)


@require_safe
def state_detail(request: HttpRequest, iso2: str) -> HttpResponse:
    state = get_object_or_404(ParticipatingState, iso2=iso2.upper())
    chairs = chairs_by_year()
    year = this_year()
    current_troika = troika(chairs, year)
    role = troika_role(current_troika, state)
    status_events = list(state.status_events.all())
    chaired = [chair for chair in chairs.values() if chair.state_id == state.pk]
    operations = list(state.field_operations.all())
    format_roles = list(
        state.format_roles.select_related("format__conflict").order_by("format__conflict__code",
                                                                        "format__code")
    )
    names = [
        {"code": code, "language": get_language_info(code)["name_translated"],
         "name": state.names.get(code, "")}
        for code in settings.OFFICIAL_LANGUAGE_CODES
    ]
    profile_panels = panels.render_panels("state_profile", request, state)
    return render(request, "registry/state.html", {
        "state": state,
        "names": names,
        "status_events": status_events,
        "chairmanships": chaired,
        "this_year": year,
        "troika_role": TROIKA_ROLES[role] if role else None,
        "field_operations": operations,
        "format_roles": format_roles,
        "sources": _sources([state], status_events, chaired, operations,
                            [r.format for r in format_roles]),
        "panels": profile_panels,
        "shows_exercise_data": profile_panels.shows_exercise_data,
    })


# --- map ----------------------------------------------------------------------------------------

@require_safe
def area_map(request: HttpRequest) -> HttpResponse:
    # The map's areas again as lists of links: the keyboard's and the screen reader's way to
    # the same profiles, and the touch screen's way to the small States' markers (0046).
    states = sorted(ParticipatingState.objects.all(), key=lambda state: str(state.name))
    partners = sorted(Partner.objects.all(), key=lambda partner: str(partner.name))
    return render(request, "registry/map.html", {
        "participating_count": len(states),
        "partner_count": len(partners),
        "states": states,
        "partners": partners,
    })


@require_safe
def map_areas(request: HttpRequest) -> JsonResponse:
    """ISO 3166 numeric code → {iso2, name, kind, url} for every participating State and Partner.

    The keys match the feature ids of the world-atlas base map ("040" for Austria).
    """
    areas: dict[str, dict[str, str]] = {}
    partners_url = reverse("registry:partners")
    for partner in Partner.objects.all():
        areas[partner.numeric.zfill(3)] = {
            "iso2": partner.iso2, "name": partner.name, "kind": "partner",
            "url": f"{partners_url}#partner-{partner.iso2}",
        }
    # States after Partners: Mongolia, a Partner until 2012, must never show as one.
    for state in ParticipatingState.objects.all():
        areas[state.numeric.zfill(3)] = {
            "iso2": state.iso2, "name": state.name, "kind": "participating",
            "url": reverse("registry:state", args=[state.iso2]),
        }
    return JsonResponse(areas, json_dumps_params={"ensure_ascii": False})


# --- Chairmanships and the Troika -------------------------------------------------------------

class TroikaYearForm(forms.Form):
    year = forms.IntegerField(label=_("Troika of the year"), required=False, min_value=1973,
                              max_value=2100)


@dataclass
class TimelineYear:
    year: int
    chair: Chairmanship | None
    is_current_year: bool
    troika_role: str | None


@require_safe
def chairmanships(request: HttpRequest) -> HttpResponse:
    if (download := _download(request, "chairmanships")) is not None:
        return download
    current_year = this_year()
    form = TroikaYearForm(request.GET or None)
    selected_year = list_filters.applied(form).get("year") or current_year
    chairs = chairs_by_year()
    selected = troika(chairs, selected_year)
    seats = {selected_year - 1: "previous", selected_year: "current", selected_year + 1: "next"}
    timeline = []
    if chairs:
        for year in range(min(chairs), max(chairs) + 1):
            role = seats.get(year)
            timeline.append(TimelineYear(year, chairs.get(year), year == current_year,
                                         str(TROIKA_ROLES[role]) if role else None))
    return render(request, "registry/chairmanships.html", {
        "form": form,
        "timeline": timeline,
        "this_year": current_year,
        "selected_year": selected_year,
        "troika": [
            {"role": TROIKA_ROLES[role], "year": year, "chair": getattr(selected, role)}
            for year, role in seats.items()
        ],
    })


# --- field operations -------------------------------------------------------------------------

@require_safe
def field_operations(request: HttpRequest) -> HttpResponse:
    if (download := _download(request, "field-operations")) is not None:
        return download
    operations = list(FieldOperation.objects.select_related("host_state"))
    current = [op for op in operations if op.is_current]
    closed = sorted((op for op in operations if not op.is_current),
                    key=lambda op: op.closed or date.min, reverse=True)
    return render(request, "registry/field_operations.html",
                  {"current": current, "closed": closed})


# --- conflicts and negotiation formats --------------------------------------------------------

@dataclass
class FormatView:
    format: NegotiationFormat
    roles: list[tuple[str, list[FormatParticipant]]] = field(default_factory=list)


def _participants_by_role(fmt: NegotiationFormat) -> list[tuple[str, list[FormatParticipant]]]:
    grouped: dict[str, list[FormatParticipant]] = {}
    for participant in fmt.participants.all():
        grouped.setdefault(participant.role, []).append(participant)
    return [(str(label), grouped[value]) for value, label in FormatParticipant.Role.choices
            if value in grouped]


@require_safe
def conflicts(request: HttpRequest) -> HttpResponse:
    if (download := _download(request, "conflicts")) is not None:
        return download
    formats = NegotiationFormat.objects.prefetch_related("participants__state")
    rows = Conflict.objects.prefetch_related(Prefetch("formats", queryset=formats))
    return render(request, "registry/conflicts.html", {
        "conflicts": [
            (conflict, [FormatView(fmt, _participants_by_role(fmt))
                        for fmt in conflict.formats.all()])
            for conflict in rows
        ],
    })


# --- Partners, institutions -------------------------------------------------------------------

@require_safe
def partners(request: HttpRequest) -> HttpResponse:
    if (download := _download(request, "partners")) is not None:
        return download
    by_group: dict[str, list[Partner]] = {}
    for partner in Partner.objects.all():
        by_group.setdefault(partner.group, []).append(partner)
    groups = [(label, sorted(by_group[value], key=lambda p: _folded(p.name)))
              for value, label in Partner.Group.choices if value in by_group]
    return render(request, "registry/partners.html", {"groups": groups})


@require_safe
def institutions(request: HttpRequest) -> HttpResponse:
    units = SecretariatUnit.objects.filter(parent__isnull=True).prefetch_related("units")
    return render(request, "registry/institutions.html", {
        "institutions": Institution.objects.all(),
        "units": units,
    })


# --- the registry's panel on the home page ------------------------------------------------------

def home_panel(request: HttpRequest, subject: object = None) -> dict[str, Any] | None:
    """Counts and this year's Troika; nothing while no reference data has been loaded."""
    state_count = ParticipatingState.objects.count()
    if state_count == 0:
        return None
    year = this_year()
    members = troika_for_year(year)
    return {
        "state_count": state_count,
        "partner_count": Partner.objects.count(),
        "field_operation_count": FieldOperation.objects.filter(FieldOperation.CURRENT).count(),
        "this_year": year,
        # The reference data is public: when its last change was loaded reveals nothing hidden.
        "updated": updated.latest_of(
            AuditEntry.objects.filter(model_label__istartswith="registry."), "at"),
        "troika": [
            {"role": TROIKA_ROLES[role], "year": year + offset, "chair": getattr(members, role)}
            for role, offset in (("previous", -1), ("current", 0), ("next", 1))
        ],
    }

