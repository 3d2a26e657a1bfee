"""Pages of the field-monitoring desk: thin adapters over services, queries and core.access.

Visitors see the published figures only (map hexagons, trends, daily reports); observations and
events are restricted, and a record a user may not see is a 404, never a 403. Workflow buttons
are POST forms with CSRF that call one service each; the service checks the role again.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import h3
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from hofburg.core import access, bounds, dates
from hofburg.core import filters as list_filters
from hofburg.core.access import AccessDenied
from hofburg.core.models import AuditEntry
from hofburg.monitoring import errors, exports, panels, permissions, queries, report
from hofburg.monitoring.engine import binning
from hofburg.monitoring.engine.withdrawal import load_reference_lines, load_withdrawal_rules
from hofburg.monitoring.forms import (
    ListFilterForm,
    ObservationCorrectionForm,
    ObservationForm,
    PeriodForm,
    RangeForm,
    ReasonForm,
)
from hofburg.monitoring.intake import release, submit, workflow
from hofburg.monitoring.models import (
    Category,
    Event,
    EventStatus,
    Observation,
    ObservationStatus,
)
from hofburg.monitoring.records import observation_bounds

PAGE_SIZE = 50


def _require_entitled(request: HttpRequest) -> None:
    """Restricted pages do not exist for those who may not read them."""
    if not access.is_entitled(request.user):
        raise Http404("No such page.")


ACTION_LABELS = {
    "create": gettext_lazy("created"), "update": gettext_lazy("updated"),
    "verify": gettext_lazy("verified"), "reject": gettext_lazy("rejected"),
    "correct": gettext_lazy("corrected"), "publish": gettext_lazy("published"),
    "reclass": gettext_lazy("made public"),
}

# Bookkeeping fields that change with every edit and say nothing to a reader.
_HISTORY_SKIPPED = {"updated_at", "revision", "event", "status_reason"}


def _history(record: Observation | Event) -> list[dict[str, Any]]:
    """The record's audit trail, oldest first, with what each change replaced: a correction
    keeps the earlier values."""
    entries = AuditEntry.objects.filter(model_label__iexact=record._meta.label,
                                        object_id=str(record.pk)).order_by("at", "id")
    history = []
    for entry in entries:
        before, after = entry.before or {}, entry.after or {}
        changes = [(name, before.get(name), after.get(name)) for name in after
                   if name in before and before.get(name) != after.get(name)
                   and name not in _HISTORY_SKIPPED]
        history.append({"at": entry.at, "actor": entry.actor_label, "changes": changes,
                        "action": ACTION_LABELS.get(entry.action, entry.action)})
    return history


def _query_string(request: HttpRequest) -> str:
    """The list's filters without the page number, for the pagination links."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _back(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    return target if target.startswith("/") and not target.startswith("//") else fallback


# --- overview ---------------------------------------------------------------------------------

@require_safe
def desk_home(request: HttpRequest) -> HttpResponse:
    latest = report.latest_report_date(request.user)
    daily = report.build_daily_report(request.user, latest) if latest else None
    return render(request, "monitoring/home.html", {
        "daily": daily,
        "updated": panels.period_updated(request.user, daily) if daily else None,
        "mission_zone": settings.MONITORING_TIME_ZONE,
        "may_submit": permissions.may_submit(request.user),
        "may_release": permissions.may_submit(request.user),
        "shows_exercise_data": daily.is_exercise if daily else False,
    })


# --- the observation form (works offline) -----------------------------------------------------

FORM_TEXTS = {
    "waiting": gettext_lazy("waiting to send"),
    "invalid": gettext_lazy("needs correction"),
    "sent": gettext_lazy("sent:"),
    "edit": gettext_lazy("Edit"),
    "online": gettext_lazy("Online"),
    "offline": gettext_lazy("Offline — records stay on this device"),
    "queued": gettext_lazy("Saved on this device; sending…"),
    "queuedOffline": gettext_lazy("Saved on this device. It will be sent when the connection "
                                  "returns."),
    "willRetry": gettext_lazy("Not sent yet: no connection. Trying again shortly."),
    "signedOut": gettext_lazy("Not sent: sign in again, and the records waiting here will be "
                              "sent."),
    "checkInvalid": gettext_lazy("Some records need a correction before they can be sent."),
    "allSent": gettext_lazy("Everything has been sent."),
    "locating": gettext_lazy("Finding your position…"),
    "located": gettext_lazy("Position found (within {metres} m)."),
    "noPosition": gettext_lazy("Your position could not be found; enter it by hand."),
    "future": gettext_lazy("This time is in the future: check the device's clock."),
    "beforeMandate": gettext_lazy("This time is before the mission's mandate began ({day})."),
    "tooFar": gettext_lazy("Farther than the mission accepts for this method: at most {km} km."),
}


def observation_limits() -> dict[str, Any]:
    """The bounds the form checks on the device, as the server checks them (`records`)."""
    limits = observation_bounds()
    return {"earliest": limits.earliest.date().isoformat() if limits.earliest else None,
            "skew_minutes": int(bounds.CLOCK_SKEW.total_seconds() // 60),
            "max_distance_km": {str(method): km
                                for method, km in limits.max_distance_km.items()}}


def _may_submit_or_deny(request: HttpRequest) -> None:
    if not permissions.may_submit(request.user):
        raise PermissionDenied(_("Only affiliated editors (monitors) may enter observations."))


@login_required
@require_safe
def observe(request: HttpRequest) -> HttpResponse:
    _may_submit_or_deny(request)
    return render(request, "monitoring/observe.html", {
        "form": ObservationForm(),
        "form_texts": {key: str(text) for key, text in FORM_TEXTS.items()},
        "observation_limits": observation_limits(),
    })


@require_POST
def submit_observation(request: HttpRequest) -> HttpResponse:
    """Take one observation, from the page's queue (JSON) or from the form without script.

    Answers 201 for a new record and 200 for a resubmission of the same client id (the queue's
    retry after a lost answer), with the stored observation id; 400 with the reasons otherwise.
    """
    if request.content_type == "application/json":
        return _submit_observation_json(request)
    return _submit_observation_form(request)


def _submit_observation_json(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return JsonResponse({"message": _("Sign in again.")}, status=401)
    try:
        payload = json.loads(request.body or b"{}")
    except ValueError:
        return JsonResponse({"message": _("The record is not valid JSON.")}, status=400)
    form = ObservationForm(payload if isinstance(payload, dict) else {})
    if not form.is_valid():
        return JsonResponse({"message": _problems(form), "errors": form.errors}, status=400)
    data = form.observation_data()
    client_id = data.pop("client_id")
    try:
        record, created = submit.submit_observation(request.user, data, client_id=client_id)
    except AccessDenied:
        return JsonResponse({"message": _("You may not enter observations.")}, status=403)
    except errors.MonitoringError as error:
        return JsonResponse({"message": str(error)}, status=400)
    return JsonResponse({"observation_id": record.observation_id, "status": record.status,
                         "created": created}, status=201 if created else 200)


def _submit_observation_form(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect(f"{settings.LOGIN_URL}?next={reverse('monitoring:observe')}")
    form = ObservationForm(request.POST)
    if not form.is_valid():
        return render(request, "monitoring/observe.html", {
            "form": form, "form_texts": {key: str(text) for key, text in FORM_TEXTS.items()},
            "observation_limits": observation_limits(),
        }, status=400)
    data = form.observation_data()
    client_id = data.pop("client_id")
    try:
        record = submit.submit_observation(request.user, data, client_id=client_id)[0]
    except AccessDenied:
        raise PermissionDenied from None
    except errors.MonitoringError as error:
        messages.error(request, str(error))
        return redirect("monitoring:observe")
    messages.success(request, _("Observation %(id)s stored.") % {"id": record.observation_id})
    return redirect("monitoring:observe")


def _problems(form: ObservationForm) -> str:
    parts = [str(e) for e in form.non_field_errors()]
    parts += [f"{form.fields[name].label}: {' '.join(str(e) for e in errors)}"
              for name, errors in form.errors.items() if name != "__all__"]
    return " ".join(parts)


@never_cache
@require_safe
def service_worker(request: HttpRequest) -> HttpResponseBase:
    """The service worker, from the desk's URL so that its scope covers the desk's pages."""
    path = finders.find("hofburg/monitoring-sw.js")
    if not path:
        raise Http404("No service worker.")
    response = FileResponse(open(Path(str(path)), "rb"),  # noqa: SIM115 (FileResponse closes it)
                            content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = reverse("monitoring:home")
    return response


# --- observations and their workflow ----------------------------------------------------------

@require_safe
def observation_list(request: HttpRequest) -> HttpResponse:
    _require_entitled(request)
    filters = ListFilterForm(request.GET, statuses=ObservationStatus.choices)
    wanted = list_filters.applied(filters)
    rows = queries.observations_for(request.user, status=wanted.get("status") or None,
                                    start=wanted.get("day"), end=wanted.get("day"))
    if wanted.get("category"):
        rows = rows.filter(category=wanted["category"])
    page = Paginator(rows.select_related("event", "submitted_by"), PAGE_SIZE
                     ).get_page(request.GET.get("page"))
    editable = _editable_ids(request, list(page.object_list))
    return render(request, "monitoring/observations.html", {
        "page": page, "filters": filters, "editable": editable,
        "query_string": _query_string(request),
        "shows_exercise_data": any(o.is_exercise for o in page.object_list),
    })


def _editable_ids(request: HttpRequest, records: list[Any]) -> set[int]:
    """The ids of the listed records the user may change (one check for the whole page)."""
    if not records or not permissions.may_submit(request.user):
        return set()
    affiliation = getattr(request.user, "affiliation_id", None)
    return {r.pk for r in records if r.owner_affiliation_id == affiliation}


@require_safe
def observation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _observation_page(request, queries.get_observation_for_user(request.user, pk))


def _observation_page(request: HttpRequest, observation: Observation,
                      correction: ObservationCorrectionForm | None = None,
                      status: int = 200) -> HttpResponse:
    """The observation's page; after a refused correction, with what was typed and why not."""
    may_edit = access.can_edit(request.user, observation)
    return render(request, "monitoring/observation.html", {
        "observation": observation, "may_edit": may_edit, "history": _history(observation),
        "reason_form": ReasonForm(),
        "correction_form": correction or ObservationCorrectionForm(initial={
            "category": observation.category, "weapon_class": observation.weapon_class,
            "count": observation.count}),
        "shows_exercise_data": observation.is_exercise,
    }, status=status)


@require_POST
def observation_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Verify, reject or correct an observation, through the service of that name."""
    observation = queries.get_observation_for_user(request.user, pk)
    done = reverse("monitoring:observation", args=[pk])
    try:
        if action == "verify":
            workflow.verify_observation(request.user, observation)
            messages.success(request, _("Observation %(id)s verified.")
                             % {"id": observation.observation_id})
        elif action == "reject":
            form = ReasonForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Say why the observation is rejected."))
                return redirect(_back(request, done))
            workflow.reject_observation(request.user, observation, form.cleaned_data["reason"])
            messages.success(request, _("Observation %(id)s rejected.")
                             % {"id": observation.observation_id})
        else:
            correction = ObservationCorrectionForm(request.POST)
            if not correction.is_valid():
                messages.error(request, _("The correction was not saved: %(problems)s")
                               % {"problems": " ".join(
                                   f"{correction.fields[name].label}: "
                                   f"{' '.join(str(e) for e in errors)}"
                                   for name, errors in correction.errors.items())})
                # Shown again with what was typed, not reset to the stored values.
                return _observation_page(request, observation, correction, status=400)
            try:
                workflow.correct_observation(request.user, observation, correction.changes(),
                                             correction.cleaned_data["reason"])
            except errors.MonitoringError as error:
                # Refused by the desk's own checks: shown again with what was typed, too.
                messages.error(request, str(error))
                field = getattr(error, "field", None)
                correction.add_error(field if field in correction.fields else None, str(error))
                return _observation_page(request, observation, correction, status=400)
            messages.success(request, _("Observation %(id)s corrected; the earlier version is "
                                        "kept in its history.")
                             % {"id": observation.observation_id})
    except AccessDenied:
        raise PermissionDenied(_("Only editors of the mission that owns this record may change "
                                 "it.")) from None
    except errors.MonitoringError as error:
        messages.error(request, str(error))
    return redirect(_back(request, done))


# --- events and their workflow ----------------------------------------------------------------

@require_safe
def event_list(request: HttpRequest) -> HttpResponse:
    _require_entitled(request)
    filters = ListFilterForm(request.GET, statuses=EventStatus.choices)
    wanted = list_filters.applied(filters)
    rows = queries.events_for(request.user, status=wanted.get("status") or None,
                              category=wanted.get("category") or None,
                              start=wanted.get("day"), end=wanted.get("day"))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "monitoring/events.html", {
        "page": page, "filters": filters, "query_string": _query_string(request),
        "editable": _editable_ids(request, list(page.object_list)),
        "released_dates": release.released_dates(
            sorted({e.report_date for e in page.object_list})),
        "shows_exercise_data": any(e.is_exercise for e in page.object_list),
    })


@require_safe
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = queries.get_event_for_user(request.user, pk)
    members = list(queries.event_members(request.user, event))
    return render(request, "monitoring/event.html", {
        "event": event, "explanation": queries.event_explanation(request.user, event),
        "members": members,
        "history": _history(event),
        "may_edit": access.can_edit(request.user, event),
        "released_dates": release.released_dates([event.report_date]),
        "map_event": _event_geometry(event, members),
        "shows_exercise_data": event.is_exercise,
    })


def _event_geometry(event: Event, members: list[Observation]) -> dict[str, Any]:
    ellipse = None
    if event.ellipse_semi_major_m and event.ellipse_semi_minor_m is not None:
        ellipse = {"semi_major_m": event.ellipse_semi_major_m,
                   "semi_minor_m": event.ellipse_semi_minor_m,
                   "orientation_deg": event.ellipse_orientation_deg or 0.0}
    return {
        "lat": event.lat, "lon": event.lon, "ellipse": ellipse,
        "label": f"{event.get_category_display()} × {event.count_at_least}",
        "observers": [{"lat": m.observer_lat, "lon": m.observer_lon,
                       "label": f"{m.observer_id} ({m.get_method_display()})"} for m in members],
    }


@require_POST
def event_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Verify or declassify an event, through the service of that name (publishing asks
    first: `release_views.publish_event`)."""
    event = queries.get_event_for_user(request.user, pk)
    try:
        if action == "declassify":
            form = ReasonForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Say why the event may be made public."))
                return redirect(_back(request, reverse("monitoring:event", args=[pk])))
            workflow.declassify_event(request.user, event, form.cleaned_data["reason"])
            done = _("Event %(key)s is now public; it can be published.")
        else:
            workflow.verify_event(request.user, event)
            done = _("Event %(key)s verified.")
        messages.success(request, done % {"key": event.event_key})
    except AccessDenied:
        raise PermissionDenied(_("Only editors of the mission that owns this event may change "
                                 "its status.")) from None
    except errors.MonitoringError as error:
        messages.error(request, str(error))
    return redirect(_back(request, reverse("monitoring:event", args=[pk])))


# --- map --------------------------------------------------------------------------------------

# Finer hexagons as the reader zooms in; past EVENTS_FROM_ZOOM the entitled see single events.
EVENTS_FROM_ZOOM = 11
MAX_EVENTS = 2000
MAX_OBSERVERS = 500


def _cell_resolution(zoom: int) -> int:
    if zoom <= 5:
        return 4
    if zoom <= 7:
        return 5
    return binning.MAP_RESOLUTION


@require_safe
def map_page(request: HttpRequest) -> HttpResponse:
    days = sorted(report.report_dates(request.user))
    return render(request, "monitoring/map.html", {
        "categories": Category.choices,
        "category_values_json": json.dumps(list(Category.values)),
        "days": [day.isoformat() for day in days],
        "day_labels": [dates.day(day) for day in days],
        "category_labels": {value: str(label) for value, label in Category.choices},
        # The reference lines, zones and areas are always EXERCISE geometry.
        "shows_exercise_data": True,
    })


@require_safe
def map_layers(request: HttpRequest) -> JsonResponse:
    """The reference lines, withdrawal zones and disengagement areas as GeoJSON (public)."""
    return JsonResponse(_reference_layers(str(settings.REFERENCE_DATA_DIR), get_language()),
                        json_dumps_params={"ensure_ascii": False})


@cache
def _reference_layers(data_dir: str, language: str | None) -> dict[str, Any]:
    """The layers in `language`: the zones' labels are translated when built, so each
    language has its own copy (one cache entry for all put the first reader's language on
    every map)."""
    directory = Path(data_dir) / "monitoring"
    with open(directory / "exercise_lines.geojson", encoding="utf-8") as handle:
        lines = json.load(handle)
    with open(directory / "exercise_disengagement_areas.geojson", encoding="utf-8") as handle:
        areas = json.load(handle)
    zones = _withdrawal_zones(directory)
    lons = [lon for f in lines["features"] for lon, _lat in f["geometry"]["coordinates"]]
    lats = [lat for f in lines["features"] for _lon, lat in f["geometry"]["coordinates"]]
    return {"lines": lines, "areas": areas, "zones": zones,
            "bounds": [[min(lats) - 0.3, min(lons) - 1.2], [max(lats) + 0.3, max(lons) + 1.2]]}


def _withdrawal_zones(directory: Path) -> dict[str, Any]:
    """Each side's zone per withdrawal distance: the band that deep on its own side of its
    reference line (EXERCISE geometry), labelled with the weapon classes it applies to."""
    rules = load_withdrawal_rules(directory / "withdrawal_rules.yaml")
    lines = load_reference_lines(directory / "exercise_lines.geojson")
    grouped: dict[tuple[str, str, float], list[str]] = {}
    for rule in rules.rules:
        for side, distance in rule.distance_km.items():
            key = (side, rule.reference_line[side], distance)
            grouped.setdefault(key, []).append(f"{rule.description} ({rule.labels})")
    features = []
    for (side, line_id, distance), weapons in sorted(grouped.items(), key=lambda kv: -kv[0][2]):
        ring = lines.line(line_id).zone_ring(side, distance)
        label = _("EXERCISE: %(distance)g km zone of %(side)s from %(line)s — %(weapons)s") % {
            "distance": distance, "side": rules.sides.get(side, side),
            "line": rules.line_labels.get(line_id, line_id), "weapons": "; ".join(weapons)}
        features.append({
            "type": "Feature",
            "properties": {"side": side, "reference_line": line_id, "distance_km": distance,
                           "label": label, "exercise": True},
            "geometry": {"type": "Polygon", "coordinates": [[
                [round(lon, 5), round(lat, 5)] for lon, lat in ring]]},
        })
    return {"type": "FeatureCollection", "exercise": True, "features": features}


@require_safe
def map_data(request: HttpRequest) -> JsonResponse:
    """The figures in view: hexagons when zoomed out (everyone, published share for visitors);
    single events and observer positions when zoomed in (entitled readers only)."""
    try:
        zoom = int(request.GET.get("zoom", "7"))
        bbox_values = [float(v) for v in request.GET.get("bbox", "").split(",") if v]
        bbox = (bbox_values[0], bbox_values[1], bbox_values[2], bbox_values[3]) \
            if len(bbox_values) == 4 else None
        day = date.fromisoformat(request.GET["day"]) if request.GET.get("day") else None
    except ValueError:
        return JsonResponse({"message": _("zoom, bbox or day is not valid")}, status=400)
    category = request.GET.get("category") or None
    categories = [category] if category in Category.values else []
    dates = report.report_dates(request.user)
    if not dates:
        return JsonResponse({"mode": "cells", "cells": [], "events": [], "observers": [],
                             "max_violations": 0, "summary": _("Nothing is published yet.")})
    start, end = (day, day) if day else (min(dates), max(dates))
    entitled = access.is_entitled(request.user)
    cells: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    observers: list[dict[str, Any]] = []
    if entitled and zoom >= EVENTS_FROM_ZOOM:
        mode = "events"
        rows = queries.events_for(request.user, category=category, start=start, end=end)
        if bbox:
            rows = rows.filter(lon__gte=bbox[0], lat__gte=bbox[1], lon__lte=bbox[2],
                               lat__lte=bbox[3])
        rows = rows.exclude(status=EventStatus.WITHDRAWN)
        events = [_event_point(event) for event in rows[:MAX_EVENTS]]
        seen = queries.observations_for(request.user, start=start, end=end)
        if bbox:
            seen = seen.filter(observer_lon__gte=bbox[0], observer_lat__gte=bbox[1],
                               observer_lon__lte=bbox[2], observer_lat__lte=bbox[3])
        observers = [{"lat": r["observer_lat"], "lon": r["observer_lon"],
                      "label": r["observer_id"]}
                     for r in seen.order_by().values("observer_id", "observer_lon",
                                                     "observer_lat").distinct()[:MAX_OBSERVERS]]
        summary = _("%(events)d events in view.") % {"events": len(events)}
    else:
        mode = "cells"
        _scope, aggregates = queries.map_cells(request.user, start=start, end=end,
                                               bbox=_padded(bbox), categories=categories)
        cells = _hexagons(aggregates, _cell_resolution(zoom))
        total = sum(c["violations"] for c in cells)
        summary = (_("%(violations)d published violations in view.") if not entitled
                   else _("%(violations)d violations in view (all statuses).")) % {
            "violations": total}
    return JsonResponse({
        "mode": mode, "cells": cells, "events": events, "observers": observers,
        "max_violations": max((c["violations"] for c in cells), default=0),
        "summary": summary,
    }, json_dumps_params={"ensure_ascii": False})


def _padded(bbox: tuple[float, float, float, float] | None
            ) -> tuple[float, float, float, float] | None:
    """The box grown by a margin, so hexagons cut by the edge of the view are still drawn."""
    if bbox is None:
        return None
    dx, dy = (bbox[2] - bbox[0]) * 0.1, (bbox[3] - bbox[1]) * 0.1
    return bbox[0] - dx, bbox[1] - dy, bbox[2] + dx, bbox[3] + dy


def _hexagons(aggregates: list[queries.CellAggregate], resolution: int
              ) -> list[dict[str, Any]]:
    merged: dict[str, list[int]] = {}
    for aggregate in aggregates:
        cell = aggregate.cell
        if h3.get_resolution(cell) > resolution:
            cell = h3.cell_to_parent(cell, resolution)
        counts = merged.setdefault(cell, [0, 0])
        counts[0] += aggregate.events
        counts[1] += aggregate.violations
    return [{"cell": cell, "events": events, "violations": violations,
             "boundary": [[round(lat, 5), round(lon, 5)] for lat, lon in
                          h3.cell_to_boundary(cell)],
             "label": _("%(violations)d violations in %(events)d events") % {
                 "violations": violations, "events": events}}
            for cell, (events, violations) in sorted(merged.items())]


def _event_point(event: Event) -> dict[str, Any]:
    ellipse = None
    if event.ellipse_semi_major_m and event.ellipse_semi_minor_m is not None:
        ellipse = {"semi_major_m": event.ellipse_semi_major_m,
                   "semi_minor_m": event.ellipse_semi_minor_m,
                   "orientation_deg": event.ellipse_orientation_deg or 0.0}
    return {"key": event.event_key, "lat": event.lat, "lon": event.lon,
            "category": event.category, "count": event.count_at_least, "status": event.status,
            "label": f"{event.get_category_display()} × {event.count_at_least} "
                     f"({event.get_status_display()})",
            "url": reverse("monitoring:event", args=[event.pk]), "ellipse": ellipse}


# --- trends -----------------------------------------------------------------------------------

def _trend_range(request: HttpRequest) -> tuple[RangeForm, date | None, date | None, str | None]:
    """The trends' form and the range and category it asks for: by default the last fortnight
    with figures, not empty days before the first report."""
    days = report.report_dates(request.user)
    form = RangeForm(request.GET or None)
    end = max(days) if days else None
    start = max(min(days), end - timedelta(days=13)) if end else None
    wanted = list_filters.applied(form)
    start = wanted.get("start") or start
    end = wanted.get("end") or end
    return form, start, end, wanted.get("category")


@require_safe
def trends_csv(request: HttpRequest) -> HttpResponseBase:
    """The figures of the trends page as CSV with HXL hashtags: the reader's share of the
    rollups (the public's: published events), for the same range and category."""
    form, start, end, category = _trend_range(request)
    if request.GET and not form.is_valid():
        return HttpResponse(" ".join(str(e) for errors in form.errors.values() for e in errors),
                            status=400, content_type="text/plain; charset=utf-8")
    if start is None or end is None:
        raise Http404("No figures yet.")
    scope = queries.rollup_scope(request.user)
    response = StreamingHttpResponse(
        exports.daily_counts_csv(scope, start=start, end=end,
                                 categories=[category] if category else []),
        content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (f'attachment; filename="violations-{start.isoformat()}-'
                                       f'{end.isoformat()}.csv"')
    return response


@require_safe
def trends(request: HttpRequest) -> HttpResponse:
    form, start, end, category = _trend_range(request)
    context: dict[str, Any] = {"form": form, "start": start, "end": end}
    if start and end and start <= end:
        categories = [category] if category else []
        # Long ranges are drawn per week: readable, and read from the weekly rollups.
        granularity = queries.WEEK if (end - start).days >= WEEKLY_FROM_DAYS else queries.DAY
        _scope, by_category = queries.trend_series(request.user, start=start, end=end,
                                                   categories=categories, granularity=granularity)
        _scope, by_area = queries.trend_series(request.user, start=start, end=end,
                                               categories=categories, by_area=True,
                                               granularity=granularity)
        context.update({
            "weekly": granularity == queries.WEEK,
            "chart": _chart_data(_buckets(start, end, granularity), by_category, by_area),
            "comparison": report.compare_ranges(request.user, start, end, categories),
            "shows_exercise_data": report.shows_exercise_data(request.user, start, end),
            "csv_query": urlencode({"start": start.isoformat(), "end": end.isoformat(),
                                    **({"category": category} if category else {})}),
        })
    return render(request, "monitoring/trends.html", context)


WEEKLY_FROM_DAYS = 42


def _buckets(start: date, end: date, granularity: str) -> list[str]:
    """The first day of each bucket: every day, or the range's start and each Monday after it
    (a weekly point's `day` is its week cut to the range)."""
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    if granularity == queries.WEEK:
        days = [d for d in days if d == start or d.weekday() == 0]
    return [d.isoformat() for d in days]


def _chart_data(days: list[str], by_category: list[queries.TrendPoint],
                by_area: list[queries.TrendPoint]) -> dict[str, Any]:
    index = {day: n for n, day in enumerate(days)}
    labels = dict(Category.choices)
    series: dict[str, list[int]] = {}
    for point in by_category:
        series.setdefault(point.category, [0] * len(days))[index[point.day.isoformat()]] += \
            point.violations
    areas: dict[str, list[int]] = {}
    for point in by_area:
        areas.setdefault(report.area_label(point.area or ""), [0] * len(days))[
            index[point.day.isoformat()]] += point.violations
    return {
        "days": days,
        "categories": [{"label": str(labels[key]), "data": series[key]}
                       for key in Category.values if key in series],
        "areas": [{"label": key, "data": values} for key, values in sorted(areas.items())],
    }


# --- daily reports ----------------------------------------------------------------------------

@require_safe
def report_list(request: HttpRequest) -> HttpResponse:
    dates = report.report_dates(request.user)
    form = PeriodForm(request.GET or None)
    chosen = form.report_date(None)
    if chosen is not None:
        return redirect("monitoring:report", day=chosen.isoformat())
    return render(request, "monitoring/reports.html", {
        "dates": dates[:60], "form": form,
        "shows_exercise_data": report.shows_exercise_data(request.user),
    })


def _report_for(request: HttpRequest, day: str) -> report.DailyReport:
    try:
        report_date = date.fromisoformat(day)
    except ValueError:
        raise Http404("No such report date.") from None
    if not bounds.FIRST_DAY <= report_date <= bounds.LAST_DAY:
        raise Http404("No such report date.")
    return report.build_daily_report(request.user, report_date)


@require_safe
def report_page(request: HttpRequest, day: str) -> HttpResponse:
    return HttpResponse(report.render_report_html(_report_for(request, day), request))


@require_safe
def report_pdf(request: HttpRequest, day: str) -> HttpResponse:
    daily = _report_for(request, day)
    pdf = report.render_report_pdf(daily, request, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{daily.filename_stem}.pdf"'
    return response
