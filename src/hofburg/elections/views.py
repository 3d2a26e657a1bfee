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
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from hofburg.core.bounds import day_field
from hofburg.core.errors import Invalid, ServiceError
from hofburg.core.tables import CONTENT_TYPES, write_csv, write_xlsx
from hofburg.elections import bounds, permissions
from hofburg.elections.models import DeviceToken, Mission, PvtSetup, Snapshot, Submission
from hofburg.elections.queries import (
    coverage,
    deployment,
    figures,
    form_versions,
    forms_for,
    mission_for,
    missions_for,
    open_conflicts,
    pvt_board,
    question_labels,
    serious_problems,
    submissions_table,
)
from hofburg.elections.services.deployment import assign_team, mission_teams, unassign_team
from hofburg.elections.services.devices import (
    CollectSettings,
    issue_device_token,
    qr_svg_path,
    revoke_device_token,
)
from hofburg.elections.services.pvt import set_up_pvt
from hofburg.elections.services.snapshots import freeze, resolve_conflict

PAGE_SIZE = 100


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
        "missions": rows, "shows_exercise_data": any(m.is_exercise for m in rows)})


def _mission(request: HttpRequest, code: str) -> Mission:
    return mission_for(request.user, code)


def mission(request: HttpRequest, code: str) -> HttpResponse:
    found = _mission(request, code)
    forms_list = list(forms_for(request.user, found))
    return render(request, "elections/mission.html", {
        "mission": found, "forms": forms_list, "stations": found.stations.count(),
        "submissions": Submission.objects.filter(form__mission=found).count(),
        "may_analyse": permissions.may_analyse(request.user, found),
        "shows_exercise_data": found.is_exercise})


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
    wanted = request.GET.get("snapshot", "")
    if wanted.isdigit():
        chosen = Snapshot.objects.filter(mission=found, pk=int(wanted)).first()
    elif snapshots:
        chosen = Snapshot.objects.get(pk=snapshots[0].pk)
    data = None
    if chosen is not None:
        versions = form_versions(request.user, chosen.form_id)
        data = figures(chosen, versions)
        labels = question_labels(versions, translation.get_language() or "en")
        for question in data["questions"]:
            question["label"] = labels.get(question["question"], "")
    return render(request, "elections/figures.html", {
        "mission": found, "snapshots": snapshots, "chosen": chosen, "data": data,
        "freeze_form": freeze_form, "shows_exercise_data": found.is_exercise},
        status=400 if request.method == "POST" else 200)


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


class AssignForm(forms.Form):
    team = forms.ChoiceField(label=_("Team"))
    station_id = forms.CharField(label=_("Polling station id"),
                                 max_length=bounds.MAX_STATION_ID_LENGTH)
    day = day_field(_("Day"))

    def __init__(self, *args: object, teams: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["team"].choices = [(t, t) for t in teams]  # type: ignore[attr-defined]


def deployment_page(request: HttpRequest, code: str) -> HttpResponse:
    """The deployment board and coverage map: which teams cover which stations when, and the
    stations visited so far. The core team and analysts read it; the core team plans."""
    found = _mission(request, code)
    _require_analyst(request, found)
    may_plan = permissions.may_manage(request.user, found)
    assign_form = AssignForm(teams=mission_teams(found),
                             initial={"day": found.election_date})
    status = 200
    if request.method == "POST":
        if not may_plan:
            raise PermissionDenied(_("Only the mission's core team may plan the deployment."))
        try:
            if "unassign" in request.POST:
                wanted = str(request.POST["unassign"])
                if not wanted.isdigit():
                    raise Invalid("No such assignment.", field="assignment")
                unassign_team(request.user, found, int(wanted))
                messages.success(request, _("The assignment is off the plan."))
                return redirect(request.path)
            assign_form = AssignForm(request.POST, teams=mission_teams(found))
            if assign_form.is_valid():
                _assignment, created = assign_team(request.user, found,
                                                   **assign_form.cleaned_data)
                messages.success(request, _("The team is on the plan.") if created
                                 else _("The team was already on the plan for that day."))
                return redirect(request.path)
        except ServiceError as refusal:
            field = refusal.field if refusal.field in assign_form.fields else None
            if assign_form.is_bound:
                assign_form.add_error(field, refusal.message)
            else:
                messages.error(request, refusal.message)
        status = 400
    board = deployment(found)
    return render(request, "elections/deployment.html", {
        "mission": found, "board": board, "assign_form": assign_form, "may_plan": may_plan,
        "map_points": board["points"], "map_labels": {
            "visited": str(_("visited")), "not_visited": str(_("not yet visited")),
            "teams": str(_("teams planned")), "none": str(_("none"))},
        "shows_exercise_data": found.is_exercise}, status=status)


STRATA_CHOICES = [("region", _("region")), ("region,urban_rural", _("region and urban/rural")),
                  ("urban_rural", _("urban/rural"))]


class PvtSetupForm(forms.Form):
    form_id = forms.ChoiceField(label=_("Results form"))
    candidates = forms.CharField(
        label=_("Candidate fields of the form, separated by commas"), max_length=2000)
    strata = forms.ChoiceField(label=_("Strata"), choices=STRATA_CHOICES)
    sample = forms.FileField(
        label=_("Sample (CSV with a station_id column, as `hofburg elections sample` writes)"),
        required=False)
    min_valid = forms.IntegerField(label=_("A result counts with at least this many valid votes"),
                                   min_value=1, max_value=bounds.MAX_VALID_VOTES, initial=1)
    require_registered = forms.BooleanField(
        label=_("A result counts only with registered voters above zero"), required=False)

    def __init__(self, *args: object, form_ids: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["form_id"].choices = [(f, f) for f in form_ids]  # type: ignore[attr-defined]


def _sample_ids(upload: Any) -> list[str]:
    """The station ids of an uploaded sample CSV (its station_id column)."""
    import csv

    if upload.size > bounds.MAX_FRAME_BYTES:
        raise Invalid(str(_("The file is too large.")), field="sample")
    try:
        text = upload.read().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Invalid(str(_("The file is not UTF-8 text.")), field="sample") from exc
    reader = csv.DictReader(io.StringIO(text))
    if "station_id" not in [h.strip() for h in reader.fieldnames or []]:
        raise Invalid(str(_("row 1: no station_id column")), field="sample")
    reader.fieldnames = [h.strip() for h in reader.fieldnames or []]
    return [str(row.get("station_id") or "").strip() for row in reader]


def pvt_page(request: HttpRequest, code: str) -> HttpResponse:
    """The PVT board: the estimate with its interval as results arrive (the convergence chart)
    and the reporting rate per region; the core team sets up the results form, the sample and
    the valid-report rule."""
    found = _mission(request, code)
    _require_analyst(request, found)
    may_set_up = permissions.may_manage(request.user, found)
    form_ids = sorted({f.form_id for f in forms_for(request.user, found)})
    current = PvtSetup.objects.filter(mission=found).first()
    initial = {} if current is None else {
        "form_id": current.form_id, "candidates": ", ".join(current.candidates),
        "strata": ",".join(current.strata), "min_valid": current.min_valid,
        "require_registered": current.require_registered}
    setup_form = PvtSetupForm(initial=initial, form_ids=form_ids)
    status = 200
    if request.method == "POST":
        if not may_set_up:
            raise PermissionDenied(_("Only the mission's core team may set up the PVT."))
        setup_form = PvtSetupForm(request.POST, request.FILES, form_ids=form_ids)
        if setup_form.is_valid():
            data = setup_form.cleaned_data
            try:
                if data["sample"] is not None:
                    sample = _sample_ids(data["sample"])
                elif current is not None:
                    sample = list(current.sample)
                else:
                    raise Invalid(str(_("Upload the sample.")), field="sample")
                set_up_pvt(request.user, found, form_id=data["form_id"],
                           candidates=data["candidates"].split(","),
                           strata=data["strata"].split(","), sample=sample,
                           min_valid=data["min_valid"],
                           require_registered=data["require_registered"])
            except ServiceError as refusal:
                setup_form.add_error(refusal.field if refusal.field in setup_form.fields
                                     else None, refusal.message)
            else:
                messages.success(request, _("The PVT is set up."))
                return redirect(request.path)
        status = 400
    board = pvt_board(found)
    chart, estimates = None, []
    if board is not None and board["estimate"] is not None:
        estimates = [{"name": name, **{key: round(100.0 * value, 1) for key, value in row.items()
                                       if key in ("share", "ci95_low", "ci95_high", "moe95")}}
                     for name, row in board["estimate"]["candidates"].items()]
    if board is not None:
        chart = {"candidates": board["setup"].candidates, "points": board["convergence"],
                 "labels": {"x": str(_("Stations reported")),
                            "y": str(_("Share of valid votes (%)")),
                            "interval": str(_("95 % interval"))}}
    return render(request, "elections/pvt.html", {
        "mission": found, "board": board, "chart": chart, "estimates": estimates,
        "setup_form": setup_form,
        "may_set_up": may_set_up, "shows_exercise_data": found.is_exercise}, status=status)


class DeviceTokenForm(forms.Form):
    observer = forms.ChoiceField(label=_("Observer"))
    label = forms.CharField(label=_("Device (a name you will recognise)"),
                            max_length=bounds.MAX_DEVICE_LABEL_LENGTH)
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1,
                              max_value=bounds.MAX_DEVICE_TOKEN_DAYS, initial=14)

    def __init__(self, *args: object, observers: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["observer"].choices = [  # type: ignore[attr-defined]
            (name, name) for name in observers]


def devices_page(request: HttpRequest, code: str) -> HttpResponse:
    """Provisioning ODK Collect by QR code: the core team issues a token for an observer's
    device, sees its settings QR code once, and revokes tokens."""
    found = _mission(request, code)
    if not permissions.may_manage(request.user, found):
        raise PermissionDenied(_("Only the mission's core team may provision devices."))
    observers = sorted(found.members.filter(user__is_active=True)
                       .values_list("user__username", flat=True))
    token_form = DeviceTokenForm(observers=observers)
    issued = None
    status = 200
    if request.method == "POST":
        try:
            if "revoke" in request.POST:
                wanted = str(request.POST["revoke"])
                if not wanted.isdigit():
                    raise Invalid("No such device token.", field="token")
                revoke_device_token(request.user, found, int(wanted))
                messages.success(request, _("The device token is revoked."))
                return redirect(request.path)
            token_form = DeviceTokenForm(request.POST, observers=observers)
            if token_form.is_valid():
                data = token_form.cleaned_data
                observer = found.members.select_related("user").get(
                    user__username=data["observer"]).user
                token, secret = issue_device_token(request.user, found, observer,
                                                   data["label"], data["days"])
                server_url = request.build_absolute_uri(
                    reverse("openrosa:form_list")).removesuffix("/formList")
                payload = CollectSettings(server_url, observer.username, secret,
                                          found.code).payload()
                size, qr_path = qr_svg_path(payload)
                issued = {"token": token, "secret": secret, "server_url": server_url,
                          "username": observer.username, "qr_size": size, "qr_path": qr_path}
                token_form = DeviceTokenForm(observers=observers)
            else:
                status = 400
        except ServiceError as refusal:
            if token_form.is_bound:
                token_form.add_error(refusal.field if refusal.field in token_form.fields
                                     else None, refusal.message)
            else:
                messages.error(request, refusal.message)
            status = 400
    tokens = list(DeviceToken.objects.filter(mission=found).select_related("user", "issued_by"))
    response = render(request, "elections/devices.html", {
        "mission": found, "tokens": tokens, "token_form": token_form, "issued": issued,
        "now": timezone.now(), "shows_exercise_data": found.is_exercise}, status=status)
    # The page may carry a token shown once: never kept by a cache.
    response["Cache-Control"] = "private, no-store"
    return response
