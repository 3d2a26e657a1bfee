"""Pages of the mission's organisation: its areas of responsibility (the frame's regions and
districts each covers) and its observer teams (LTO and STO teams of two, each in an area).

The core team and analysts read them (403 to others who may see the mission, 404 to the rest,
as for the deployment board); the core team and the owner's editors draw the areas and form the
teams. Every change goes through `services.areas` and `services.teams`.
"""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hofburg.core.errors import Invalid, ServiceError
from hofburg.core.models import User
from hofburg.elections import bounds, permissions
from hofburg.elections.engine.areas import Place
from hofburg.elections.engine.teams import TEAM_SIZE
from hofburg.elections.models import Area, Member, Mission, Team
from hofburg.elections.queries import mission_for
from hofburg.elections.queries.teams import area_rows, frame_places, team_rows
from hofburg.elections.services import areas as area_services
from hofburg.elections.services import teams as team_services


def _readable(request: HttpRequest, code: str) -> Mission:
    found = mission_for(request.user, code)
    if not permissions.may_analyse(request.user, found):
        raise PermissionDenied(_("Only the mission's core team and analysts may see this."))
    return found


def _require_manager(request: HttpRequest, found: Mission) -> None:
    if not permissions.may_manage(request.user, found):
        raise PermissionDenied(_("Only the mission's core team may change its organisation."))


def _place_value(place: Place) -> str:
    return json.dumps([place.region, place.district])


class AreaForm(forms.Form):
    name = forms.CharField(label=_("Name of the area"), max_length=bounds.MAX_AREA_NAME_LENGTH)
    places = forms.MultipleChoiceField(
        label=_("Regions and districts (from the polling-station frame)"),
        widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, frame: list[Place], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        groups: dict[str, list[tuple[str, str]]] = {}
        for place in frame:
            label = (_("%(region)s: the whole region") % {"region": place.region}
                     if not place.district else place.district)
            groups.setdefault(place.region, []).append((_place_value(place), str(label)))
        self.fields["places"].choices = list(groups.items())  # type: ignore[attr-defined]

    def chosen_places(self) -> list[Place]:
        return [Place(*json.loads(value)) for value in self.cleaned_data["places"]]


def _save_area(request: HttpRequest, found: Mission, form: AreaForm,
               area: Area | None) -> Area | None:
    """The area saved from a valid form, or None with the refusal shown on the form."""
    try:
        if area is None:
            return area_services.create_area(request.user, found, name=form.cleaned_data["name"],
                                             places=form.chosen_places())
        return area_services.update_area(request.user, found, area.pk,
                                         name=form.cleaned_data["name"],
                                         places=form.chosen_places())
    except ServiceError as refusal:
        form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        return None


def areas_page(request: HttpRequest, code: str) -> HttpResponse:
    """The mission's areas of responsibility, their places, stations and teams; the core team
    draws a new one."""
    found = _readable(request, code)
    may_edit = permissions.may_manage(request.user, found)
    form = AreaForm(frame=frame_places(found))
    status = 200
    if request.method == "POST":
        _require_manager(request, found)
        form = AreaForm(request.POST, frame=frame_places(found))
        if form.is_valid() and _save_area(request, found, form, None) is not None:
            messages.success(request, _("The area of responsibility is drawn."))
            return redirect(request.path)
        status = 400
    return render(request, "elections/areas.html", {
        "mission": found, "areas": area_rows(found), "form": form, "may_edit": may_edit,
        "shows_exercise_data": found.is_exercise}, status=status)


def area_page(request: HttpRequest, code: str, area_id: int) -> HttpResponse:
    """One area: the core team renames it, draws it again or removes it."""
    found = _readable(request, code)
    area = Area.objects.filter(mission=found, pk=area_id).first()
    if area is None:
        raise Http404("No such area of responsibility.")
    _require_manager(request, found)
    initial = {"name": area.name,
               "places": [_place_value(p) for p in area_services.places_of(area)]}
    form = AreaForm(initial=initial, frame=frame_places(found))
    status = 200
    if request.method == "POST":
        if "delete" in request.POST:
            area_services.delete_area(request.user, found, area.pk)
            messages.success(request, _("The area is removed; its teams are in no area now."))
            return redirect(reverse("elections:areas", args=[found.code]))
        form = AreaForm(request.POST, frame=frame_places(found))
        if form.is_valid() and _save_area(request, found, form, area) is not None:
            messages.success(request, _("The area of responsibility is saved."))
            return redirect(reverse("elections:areas", args=[found.code]))
        status = 400
    return render(request, "elections/area.html", {
        "mission": found, "area": area, "form": form, "shows_exercise_data": found.is_exercise},
        status=status)


def _area_choices(found: Mission) -> list[tuple[str, str]]:
    return [("", str(_("no area yet"))), *((str(a.pk), a.name) for a in found.areas.all())]


class TeamForm(forms.Form):
    code = forms.CharField(label=_("Team"), max_length=bounds.MAX_CODE_LENGTH)
    kind = forms.ChoiceField(label=_("Kind"), choices=Team.Kind.choices,
                             initial=Team.Kind.STO)
    area = forms.ChoiceField(label=_("Area of responsibility"), required=False)

    def __init__(self, *args: Any, areas: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = areas  # type: ignore[attr-defined]


class PlaceObserverForm(forms.Form):
    observer = forms.ChoiceField(label=_("Observer"))
    team = forms.ChoiceField(label=_("Team"))

    def __init__(self, *args: Any, observers: list[str], teams: list[str],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["observer"].choices = [(o, o) for o in observers]  # type: ignore[attr-defined]
        self.fields["team"].choices = [(t, t) for t in teams]  # type: ignore[attr-defined]


def _area_id(value: str) -> int | None:
    if not value:
        return None
    if not value.isdigit():
        raise Invalid("No such area of responsibility on this mission.", field="area")
    return int(value)


def _member_user(found: Mission, username: str) -> User:
    member = Member.objects.filter(mission=found, user__username=username).select_related(
        "user").first()
    if member is None:
        raise Invalid(f"{username} is not on this mission.", field="observer")
    return member.user


def _act_on_team(request: HttpRequest, found: Mission, forms_: dict[str, forms.Form]) -> str:
    """Carry out the team page's POST; the message to show, or "" when a form is not valid."""
    post, user = request.POST, request.user
    if "remove_observer" in post:
        team_services.remove_observer(user, found, _member_user(found, post["remove_observer"]))
        return str(_("The observer is off the team."))
    if "remove_team" in post:
        team_services.remove_team(user, found, post["remove_team"])
        return str(_("The team is removed."))
    if "move_team" in post:
        team_services.set_team_area(user, found, post["move_team"], _area_id(post.get("area", "")))
        return str(_("The team is in its new area."))
    form = forms_["place" if "place_observer" in post else "team"]
    if not form.is_valid():
        return ""
    data = form.cleaned_data
    if "place_observer" in post:
        team_services.place_observer(user, found, _member_user(found, data["observer"]),
                                     data["team"])
        return str(_("The observer is on the team."))
    team_services.create_team(user, found, code=data["code"], kind=data["kind"],
                              area_id=_area_id(data["area"]))
    return str(_("The team is formed."))


def teams_page(request: HttpRequest, code: str) -> HttpResponse:
    """The mission's LTO and STO teams: area, observers and whether each has its two; the core
    team forms teams, puts observers on them, takes them off and moves teams between areas."""
    found = _readable(request, code)
    may_edit = permissions.may_manage(request.user, found)
    areas = _area_choices(found)
    observers = sorted(found.members.filter(role__in=[Team.Kind.LTO, Team.Kind.STO])
                       .values_list("user__username", flat=True))
    teams = team_services.mission_teams(found)
    data = request.POST if request.method == "POST" else None
    forms_: dict[str, forms.Form] = {
        "team": TeamForm(data if data and "form_team" in data else None, areas=areas),
        "place": PlaceObserverForm(data if data and "place_observer" in data else None,
                                   observers=observers, teams=teams)}
    status = 200
    if data is not None:
        _require_manager(request, found)
        try:
            done = _act_on_team(request, found, forms_)
        except ServiceError as refusal:
            bound = next((f for f in forms_.values() if f.is_bound), None)
            if bound is not None:
                bound.add_error(refusal.field if refusal.field in bound.fields else None,
                                refusal.message)
            else:
                messages.error(request, refusal.message)
            done = ""
        if done:
            messages.success(request, done)
            return redirect(request.path)
        status = 400
    return render(request, "elections/teams.html", {
        "mission": found, "teams": team_rows(found), "areas": areas, "may_edit": may_edit,
        "team_form": forms_["team"], "place_form": forms_["place"], "team_size": TEAM_SIZE,
        "shows_exercise_data": found.is_exercise}, status=status)
