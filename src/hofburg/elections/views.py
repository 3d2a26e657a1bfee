"""Pages of the election observation desk: missions, their station frame, forms, figures at a
cut-off and the serious-problems queue. A mission the reader may not see is a 404, the same as
one that does not exist; the figures and the queue are for the mission's core team and
analysts (403 to others who may see the mission)."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _

from hofburg.core import filters as list_filters
from hofburg.core import updated
from hofburg.core.errors import ServiceError
from hofburg.core.tables import CONTENT_TYPES, write_csv, write_xlsx
from hofburg.elections import permissions
from hofburg.elections.engine.phases import ORDER, next_phase
from hofburg.elections.models import Mission, Snapshot, Station, Submission
from hofburg.elections.queries import (
    coverage,
    figures,
    form_versions,
    forms_for,
    mission_for,
    missions_for,
    open_conflicts,
    question_labels,
    serious_problems,
    submission_file,
    submission_files,
    submissions_table,
)
from hofburg.elections.services.missions import change_phase
from hofburg.elections.services.snapshots import freeze, resolve_conflict

PAGE_SIZE = 100


class SnapshotForm(forms.Form):
    """`?snapshot=`: one of the mission's frozen snapshots; any other value is reported."""

    snapshot = forms.TypedChoiceField(label=_("Snapshot"), required=False, coerce=int,
                                      empty_value=None)

    def __init__(self, *args: object, snapshots: list[Snapshot], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["snapshot"].choices = [  # type: ignore[attr-defined]
            (s.pk, str(s.pk)) for s in snapshots]


class FreezeForm(forms.Form):
    form_id = forms.ChoiceField(label=_("Form"))
    cutoff = forms.DateTimeField(
        label=_("Cut-off (with time zone offset, e.g. 2026-12-07T08:00+01:00)"),
        input_formats=["%Y-%m-%dT%H:%M%z", "%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d %H:%M%z"])

    def __init__(self, *args: object, form_ids: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["form_id"].choices = [(f, f) for f in form_ids]  # type: ignore[attr-defined]


def missions(request: HttpRequest) -> HttpResponse:
    rows = list(missions_for(request.user).annotate(station_count=Count("stations")))
    return render(request, "elections/missions.html", {
        "missions": rows, "shows_exercise_data": any(m.is_exercise for m in rows),
        # The newest of the missions listed (all visible to the reader) was set up then.
        "updated": updated.latest(*(m.created_at for m in rows))})


def _mission(request: HttpRequest, code: str) -> Mission:
    return mission_for(request.user, code)


def mission(request: HttpRequest, code: str) -> HttpResponse:
    """The mission: its State, election, phase (which the core team moves on from here),
    frame and forms."""
    found = _mission(request, code)
    may_manage = permissions.may_manage(request.user, found)
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied(_("Only the mission's core team may change its phase."))
        try:
            change_phase(request.user, found, str(request.POST.get("phase", "")))
        except ServiceError as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("The mission is in its next phase."))
        return redirect(request.path)
    forms_list = list(forms_for(request.user, found))
    following = next_phase(found.phase)
    return render(request, "elections/mission.html", {
        "mission": found, "forms": forms_list, "stations": found.stations.count(),
        "submissions": Submission.objects.filter(form__mission=found).count(),
        "may_analyse": permissions.may_analyse(request.user, found),
        "may_manage": may_manage, "phases": _phases(found),
        "next_phase": Mission.Phase(following.value) if following else None,
        "shows_exercise_data": found.is_exercise})


def _phases(found: Mission) -> list[dict[str, object]]:
    """The phases in order, each marked as passed, current or to come."""
    order = [p.value for p in ORDER]
    current = order.index(found.phase)
    return [{"value": value, "label": Mission.Phase(value).label,
             "state": "passed" if i < current else "current" if i == current else "coming"}
            for i, value in enumerate(order)]


def stations(request: HttpRequest, code: str) -> HttpResponse:
    found = _mission(request, code)
    page = Paginator(found.stations.order_by("station_id"), PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "elections/stations.html", {
        "mission": found, "page": page, "shows_exercise_data": found.is_exercise})


def forms_page(request: HttpRequest, code: str) -> HttpResponse:
    found = _mission(request, code)
    return render(request, "elections/forms.html", {
        "mission": found, "forms": list(forms_for(request.user, found)),
        "may_analyse": permissions.may_analyse(request.user, found),
        "shows_exercise_data": found.is_exercise})


def export(request: HttpRequest, code: str, form_id: str, fmt: str) -> HttpResponse:
    """A form's submissions (all versions) as CSV or XLSX, through core.tables."""
    found = _mission(request, code)
    if fmt not in ("csv", "xlsx") or not found.forms.filter(form_id=form_id).exists():
        raise Http404("No such export.")
    _require_analyst(request, found)
    buffer = io.BytesIO()
    (write_csv if fmt == "csv" else write_xlsx)(submissions_table(request.user, form_id), buffer)
    response = HttpResponse(buffer.getvalue(), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{form_id}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response


def submissions_page(request: HttpRequest, code: str, form_id: str) -> HttpResponse:
    """A form's submissions (all versions), newest first, each with the media files received
    with it: for those who read raw submissions (the core team and analysts)."""
    found = _mission(request, code)
    if not found.forms.filter(form_id=form_id).exists():
        raise Http404("No such form.")
    _require_analyst(request, found)
    page = Paginator(Submission.objects.filter(form__mission=found, form__form_id=form_id)
                     .select_related("submitted_by", "form")
                     .defer("xml", "data", "form__xform", "form__xlsform", "form__questions")
                     .order_by("-received_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page"))
    files = submission_files([s.pk for s in page])
    rows = [{"submission": s, "files": files.get(s.pk, [])} for s in page]
    return render(request, "elections/submissions.html", {
        "mission": found, "form_id": form_id, "page": page, "rows": rows,
        "shows_exercise_data": found.is_exercise})


def submission_file_download(request: HttpRequest, code: str, instance_id: str,
                             name: str) -> HttpResponse:
    """One media file of a submission, as it was received, to save (never shown in the page's
    origin as a document): for those who read raw submissions."""
    found = _mission(request, code)
    _require_analyst(request, found)
    attachment = submission_file(found, instance_id, name)
    response = HttpResponse(bytes(attachment.content), content_type=attachment.content_type)
    response["Content-Disposition"] = content_disposition_header(
        True, attachment.name) or "attachment"
    response["Cache-Control"] = "private, no-store"
    return response


def _require_analyst(request: HttpRequest, found: Mission) -> None:
    if not permissions.may_analyse(request.user, found):
        raise PermissionDenied(_("Only the mission's core team and analysts may see this."))


def figures_page(request: HttpRequest, code: str) -> HttpResponse:
    found = _mission(request, code)
    _require_analyst(request, found)
    form_ids = sorted({f.form_id for f in forms_for(request.user, found)})
    freeze_form = FreezeForm(request.POST or None, form_ids=form_ids)
    if request.method == "POST" and freeze_form.is_valid():
        cutoff: datetime = freeze_form.cleaned_data["cutoff"]
        try:
            snap = freeze(request.user, freeze_form.cleaned_data["form_id"], cutoff)
        except ServiceError as refusal:
            freeze_form.add_error("cutoff" if refusal.field == "cutoff" else None,
                                  refusal.message)
        else:
            messages.success(request, _("Figures frozen at the cut-off."))
            return redirect(f"{request.path}?snapshot={snap.pk}")
    snapshots = list(Snapshot.objects.filter(mission=found).defer("content")
                     .order_by("-cutoff", "form_id"))
    chosen = None
    snapshot_form = SnapshotForm(request.GET or None, snapshots=snapshots)
    wanted = list_filters.applied(snapshot_form).get("snapshot")
    if wanted is not None:
        chosen = Snapshot.objects.get(mission=found, pk=wanted)
    elif snapshots and not snapshot_form.errors:
        chosen = Snapshot.objects.get(pk=snapshots[0].pk)
    data = None
    tables: list[dict[str, Any]] = []
    if chosen is not None:
        versions = form_versions(request.user, chosen.form_id)
        data = figures(chosen, versions)
        labels = question_labels(versions, translation.get_language() or "en")
        for question in data["questions"]:
            question["label"] = labels.get(question["question"], "")
        tables = breakdown_tables(data)
    return render(request, "elections/figures.html", {
        "mission": found, "snapshots": snapshots, "chosen": chosen, "data": data,
        "breakdowns": tables, "freeze_form": freeze_form, "form": snapshot_form,
        "shows_exercise_data": found.is_exercise},
        status=400 if request.method == "POST" else 200)


BREAKDOWN_TITLES = {"region": _("By region"), "urban_rural": _("By urban or rural area"),
                    "hour": _("By hour of visit")}


def _group_name(key: str, group: str) -> str:
    """A breakdown's group as the page shows it: the frame's area in the reader's language,
    the hour as a span of the observer's clock; no value is "unknown"."""
    if not group:
        return str(_("unknown"))
    if key == "urban_rural" and group in Station.Area.values:
        return str(Station.Area(group).label)
    if key == "hour":
        return f"{group}:00–{group}:59"
    return group


def breakdown_tables(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The figures' breakdowns as tables, one per breakdown: a column per group, a row per
    question, and in each cell the group's n, each answer's count and share of that n, and
    the share assessed negatively for a four-point question."""
    tables = []
    for key, title in BREAKDOWN_TITLES.items():
        groups = data["breakdowns"].get(key) or {}
        if not groups or not data["questions"]:
            continue
        rows = []
        for number, question in enumerate(data["questions"]):
            cells = []
            for figures_of_group in groups.values():
                cell = figures_of_group[number]
                cells.append({
                    "n": cell["n"], "forms": cell["forms"],
                    "answers": [(name, count, cell["percentages"][name])
                                for name, count in cell["counts"].items()],
                    "negative": cell.get("negative"), "negative_pct": cell.get("negative_pct")})
            rows.append({"question": question["question"], "label": question.get("label", ""),
                         "cells": cells})
        tables.append({"key": key, "title": title, "rows": rows,
                       "groups": [{"name": _group_name(key, group),
                                   "forms": figures_of_group[0]["forms"]}
                                  for group, figures_of_group in groups.items()]})
    return tables


def problems(request: HttpRequest, code: str) -> HttpResponse:
    found = _mission(request, code)
    _require_analyst(request, found)
    return render(request, "elections/problems.html", {
        "mission": found, "problems": serious_problems(found),
        "shows_exercise_data": found.is_exercise})


class ResolveForm(forms.Form):
    form_id = forms.CharField(max_length=100, widget=forms.HiddenInput)
    station_id = forms.CharField(max_length=40, widget=forms.HiddenInput)
    team = forms.CharField(max_length=40, widget=forms.HiddenInput)
    instance_id = forms.CharField(max_length=100, widget=forms.HiddenInput)


def conflicts(request: HttpRequest, code: str) -> HttpResponse:
    """Paired observers' forms that disagree; an analyst chooses the one that stands."""
    found = _mission(request, code)
    _require_analyst(request, found)
    status = 200
    if request.method == "POST":
        form = ResolveForm(request.POST)
        if form.is_valid():
            try:
                resolve_conflict(request.user, found, **form.cleaned_data)
            except ServiceError as refusal:
                messages.error(request, refusal.message)
                status = 400
            else:
                messages.success(request, _("The chosen form now stands for the pair."))
                return redirect(request.path)
        else:
            status = 400
    pending = open_conflicts(found)
    subs = {s.instance_id: s for s in Submission.objects.filter(
        instance_id__in=[i for c in pending for i in c["instances"]]).select_related(
        "submitted_by")}
    for conflict in pending:
        conflict["forms"] = [subs[i] for i in conflict["instances"] if i in subs]
    return render(request, "elections/conflicts.html", {
        "mission": found, "conflicts": pending, "shows_exercise_data": found.is_exercise},
        status=status)


def coverage_page(request: HttpRequest, code: str) -> HttpResponse:
    """The deployment as it went: stations visited per region, and each team's forms."""
    found = _mission(request, code)
    _require_analyst(request, found)
    return render(request, "elections/coverage.html", {
        "mission": found, "coverage": coverage(found), "shows_exercise_data": found.is_exercise})
