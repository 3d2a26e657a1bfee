"""Pages of the field-monitoring desk: thin adapters over services, queries and core.access.

Visitors see the published figures only (map hexagons, trends, daily reports); observations and
events are restricted, and a record a user may not see is a 404, never a 403. Workflow buttons
are POST forms with CSRF that call one service each; the service checks the role again.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.core.paginator import Paginator
from django.db import models
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from hofburg.core import access
from hofburg.core import filters as list_filters
from hofburg.core.access import AccessDenied
from hofburg.core.models import AuditEntry
from hofburg.core.notes import refusal
from hofburg.monitoring import bounds as mon_bounds
from hofburg.monitoring import errors, observation_checks, panels, permissions, queries, report
from hofburg.monitoring.forms import (
    ListFilterForm,
    ObservationCorrectionForm,
    ObservationForm,
    ReasonForm,
)
from hofburg.monitoring.intake import release, submit, workflow
from hofburg.monitoring.models import Event, EventStatus, Observation, ObservationStatus
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
        changes = [_change(record, name, before.get(name), after.get(name)) for name in after
                   if name in before and before.get(name) != after.get(name)
                   and name not in _HISTORY_SKIPPED]
        history.append({"at": entry.at, "actor": entry.actor_label, "changes": changes,
                        "action": ACTION_LABELS.get(entry.action, entry.action)})
    return history


def _change(record: Observation | Event, name: str, old: Any, new: Any) -> tuple[Any, Any, Any]:
    """One changed field as the page says it: the field's name and, for a field with choices
    (a status, a category), the choices' labels, in the reader's language."""
    try:
        field = record._meta.get_field(name)
    except FieldDoesNotExist:
        return name, old, new
    if not isinstance(field, models.Field):
        return name, old, new
    if not field.choices:
        return field.verbose_name, old, new
    labels = dict(field.flatchoices)
    return field.verbose_name, labels.get(old, old), labels.get(new, new)


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
    "correctBelow": gettext_lazy("Not saved: correct the fields marked below."),
    "kept": gettext_lazy("Kept from your last record: {values}. Change them if you have moved "
                         "or another observer reports."),
    "photos": gettext_lazy("photos:"),
    "photoType": gettext_lazy("{name}: only JPEG, PNG or WebP photos are accepted."),
    "photoSize": gettext_lazy("{name}: larger than {mb} MB."),
    "photoCount": gettext_lazy("At most {count} photos with one observation."),
    "photoStorage": gettext_lazy("The photos cannot be kept on this device (private window?): "
                                 "the record was not saved. Save it without photos, or use a "
                                 "normal window."),
    "photoRefused": gettext_lazy("photo not stored:"),
    "photoMissing": gettext_lazy("photos no longer on this device:"),
    "photosKept": gettext_lazy("Photos kept with this record: {names}. Choose others to "
                               "replace them."),
}


def photo_limits() -> dict[str, Any]:
    """The bounds of a record's photos, as the server checks them (`monitoring.bounds`)."""
    return {"maxBytes": mon_bounds.MAX_PHOTO_BYTES, "maxPhotos": mon_bounds.MAX_PHOTOS,
            "types": mon_bounds.PHOTO_TYPES}


def _form_page_context(form: ObservationForm) -> dict[str, Any]:
    limits = observation_bounds()
    return {"form": form, "form_texts": {key: str(text) for key, text in FORM_TEXTS.items()},
            "observation_checks": observation_checks.device_checks(form, limits),
            "mandate_day": limits.earliest.date() if limits.earliest else None,
            "max_km": {str(method): observation_checks.kilometres(km)
                       for method, km in limits.max_distance_km.items()},
            "photo_limits": photo_limits(), "photo_mb": mon_bounds.MAX_PHOTO_BYTES // 2**20}


def _may_submit_or_deny(request: HttpRequest) -> None:
    if not permissions.may_submit(request.user):
        raise PermissionDenied(_("Only affiliated editors (monitors) may enter observations."))


@login_required
@require_safe
def observe(request: HttpRequest) -> HttpResponse:
    _may_submit_or_deny(request)
    return render(request, "monitoring/observe.html", _form_page_context(ObservationForm()))


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
        return JsonResponse({"message": refusal(error)}, status=400)
    return JsonResponse({"observation_id": record.observation_id, "status": record.status,
                         "created": created}, status=201 if created else 200)


def _submit_observation_form(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect(f"{settings.LOGIN_URL}?next={reverse('monitoring:observe')}")
    form = ObservationForm(request.POST)
    if not form.is_valid():
        return render(request, "monitoring/observe.html", _form_page_context(form), status=400)
    data = form.observation_data()
    client_id = data.pop("client_id")
    try:
        record = submit.submit_observation(request.user, data, client_id=client_id)[0]
    except AccessDenied:
        raise PermissionDenied from None
    except errors.MonitoringError as error:
        messages.error(request, refusal(error))
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
        "photos": list(queries.photos_of(request.user, [observation])),
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
                said = refusal(error)
                messages.error(request, said)
                field = getattr(error, "field", None)
                correction.add_error(field if field in correction.fields else None, said)
                return _observation_page(request, observation, correction, status=400)
            messages.success(request, _("Observation %(id)s corrected; the earlier version is "
                                        "kept in its history.")
                             % {"id": observation.observation_id})
    except AccessDenied:
        raise PermissionDenied(_("Only editors of the mission that owns this record may change "
                                 "it.")) from None
    except errors.MonitoringError as error:
        messages.error(request, refusal(error))
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
        "photos": list(queries.photos_of(request.user, members)),
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
        messages.error(request, refusal(error))
    return redirect(_back(request, reverse("monitoring:event", args=[pk])))
