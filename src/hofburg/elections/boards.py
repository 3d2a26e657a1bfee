"""The election observation desk's boards: the deployment board with its coverage map (which
team covers which station when, and what has been visited) and the PVT board (the estimate's
convergence and the reporting rate by region). The core team and analysts read them (403 to
others who may see the mission, 404 to the rest); the core team plans and sets up."""

from __future__ import annotations

import io
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from hofburg.core.bounds import day_field
from hofburg.core.errors import Invalid, ServiceError
from hofburg.elections import bounds, permissions
from hofburg.elections.models import Mission, PvtSetup
from hofburg.elections.queries import deployment, forms_for, mission_for, pvt_board
from hofburg.elections.services.deployment import assign_team, unassign_team
from hofburg.elections.services.pvt import set_up_pvt
from hofburg.elections.services.teams import mission_teams


def _mission(request: HttpRequest, code: str) -> Mission:
    return mission_for(request.user, code)


def _require_analyst(request: HttpRequest, found: Mission) -> None:
    if not permissions.may_analyse(request.user, found):
        raise PermissionDenied(_("Only the mission's core team and analysts may see this."))


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
                            # xgettext:no-python-format
                            "interval": str(_("95 % interval"))}}
    return render(request, "elections/pvt.html", {
        "mission": found, "board": board, "chart": chart, "estimates": estimates,
        "setup_form": setup_form,
        "may_set_up": may_set_up, "shows_exercise_data": found.is_exercise}, status=status)
