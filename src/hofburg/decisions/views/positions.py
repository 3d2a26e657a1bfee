"""Pages: a delegation's private position tracker (domain reference §4, the cable workflow
without cables): the drafts it follows, and for each the instruction from capital with its
red lines, its stance on each revision and the outcome it reported.

Only members of a delegation reach these pages; its editors write. For anyone else — the Chair,
the Secretariat, an administrator — the per-draft page is a 404 and the tracker says their
affiliation keeps no positions, so no page tells them whether a delegation has one. A draft
the user may not see is a 404.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from hofburg.core import access
from hofburg.core.access import AccessDenied, AnyUser
from hofburg.core.bounds import MAX_TEXT_LENGTH, day_field
from hofburg.core.errors import ServiceError
from hofburg.core.models import Affiliation
from hofburg.decisions import permissions
from hofburg.decisions.models import Draft, Position, Stance
from hofburg.decisions.queries.positions import my_positions, position_for
from hofburg.decisions.services import positions as services


class InstructionForm(forms.Form):
    instruction = forms.CharField(label=_("Instruction from capital"), required=False,
                                  max_length=MAX_TEXT_LENGTH,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    red_lines = forms.CharField(label=_("Red lines"), required=False, max_length=MAX_TEXT_LENGTH,
                                widget=forms.Textarea(attrs={"rows": 3}))
    received_on = day_field(_("Received on"), required=False)


class StanceForm(forms.Form):
    revision = forms.TypedChoiceField(label=_("Revision"), coerce=int)
    stance = forms.ChoiceField(label=_("Stance"), choices=Stance.Kind.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=MAX_TEXT_LENGTH,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, draft: Draft, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["revision"].choices = [  # type: ignore[attr-defined]
            (r.number, r.symbol) for r in draft.revisions.order_by("-number")]


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Position.Outcome.choices)
    note = forms.CharField(label=_("Reported outcome"), required=False,
                           max_length=MAX_TEXT_LENGTH, widget=forms.Textarea(attrs={"rows": 3}))


STEPS = {"instruction": InstructionForm, "stance": StanceForm, "outcome": OutcomeForm}


def _delegation(user: AnyUser) -> Affiliation | None:
    """The user's delegation, if they belong to one (readers too)."""
    affiliation = getattr(user, "affiliation", None)
    if not access.is_entitled(user) or not isinstance(affiliation, Affiliation):
        return None
    return affiliation if affiliation.kind == Affiliation.Kind.DELEGATION else None


@login_required
def position_list(request: HttpRequest) -> HttpResponse:
    delegation = _delegation(request.user)
    if delegation is not None and request.GET.get("draft", "").isdigit():
        return redirect("decisions:position", draft_id=int(request.GET["draft"]))
    tracked = list(my_positions(request.user)) if delegation is not None else []
    candidates: list[Draft] = []
    if delegation is not None:
        drafts = Draft.objects.filter(is_exercise=delegation.is_exercise).exclude(
            pk__in=[p.draft_id for p in tracked])
        candidates = list(access.visible(drafts, request.user)[:200])
    return render(request, "decisions/positions.html", {
        "delegation": delegation,
        "positions": [(p, _revisions_with_stances(p)) for p in tracked],
        "candidates": candidates,
        "can_write": delegation is not None and permissions.acting_delegation(
            request.user, is_exercise=delegation.is_exercise) is not None,
        "shows_exercise_data": bool(delegation and delegation.is_exercise),
    })


@login_required
def position_detail(request: HttpRequest, draft_id: int) -> HttpResponse:
    delegation = _delegation(request.user)
    if delegation is None:
        raise Http404("No such position.")
    draft = access.get_visible_or_404(Draft.objects.all(), request.user, pk=draft_id)
    can_write = permissions.acting_delegation(request.user,
                                              is_exercise=draft.is_exercise) is not None
    step = request.POST.get("step", "") if request.method == "POST" else ""
    if request.method == "POST" and (step not in STEPS or not can_write):
        raise PermissionDenied
    position = position_for(request.user, draft)
    bound = {name: (request.POST if name == step else None) for name in STEPS}
    forms_by_step: dict[str, forms.Form] = {
        "instruction": InstructionForm(bound["instruction"], initial=_instruction(position),
                                       prefix="instruction"),
        "stance": StanceForm(bound["stance"], draft=draft, prefix="stance"),
        "outcome": OutcomeForm(bound["outcome"], initial=_outcome(position), prefix="outcome"),
    }
    if step and forms_by_step[step].is_valid():
        form = forms_by_step[step]
        try:
            _write(request, draft, step, form.cleaned_data)
        except AccessDenied as exc:
            raise PermissionDenied from exc
        except ServiceError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Your delegation's position is saved."))
            return redirect("decisions:position", draft_id=draft.pk)
    return render(request, "decisions/position.html", {
        "draft": draft,
        "position": position,
        "revisions": _revisions_with_stances(position, draft),
        "forms": forms_by_step if can_write else {},
        "can_write": can_write,
        "shows_exercise_data": draft.is_exercise,
    })


def _write(request: HttpRequest, draft: Draft, step: str, data: dict[str, Any]) -> None:
    user = request.user
    if step == "instruction":
        services.set_instruction(user, draft, instruction=data["instruction"],
                                 red_lines=data["red_lines"], received_on=data["received_on"])
    elif step == "stance":
        services.record_stance(user, draft, data["revision"], data["stance"], data["note"])
    else:
        services.report_outcome(user, draft, data["outcome"], data["note"])


def _instruction(position: Position | None) -> dict[str, Any]:
    if position is None:
        return {}
    return {"instruction": position.instruction, "red_lines": position.red_lines,
            "received_on": position.instruction_received_on}


def _outcome(position: Position | None) -> dict[str, Any]:
    if position is None:
        return {}
    return {"outcome": position.outcome, "note": position.outcome_note}


def _revisions_with_stances(position: Position | None,
                            draft: Draft | None = None) -> list[tuple[Any, Stance | None]]:
    """Each revision of the draft, newest first, with the delegation's stance on it (or None)."""
    subject = draft or (position.draft if position is not None else None)
    if subject is None:
        return []
    stances = {s.revision_id: s for s in position.stances.all()} if position else {}
    return [(r, stances.get(r.pk)) for r in subject.revisions.order_by("-number")]


urlpatterns: list[URLPattern] = [
    path("positions/", position_list, name="positions"),
    path("positions/<int:draft_id>/", position_detail, name="position"),
]
