"""Pages: negotiation rounds of the registry's formats and the commitments taken in them.

Every read goes through `decisions.queries.rounds` (a hidden round is a 404 on every route,
the commitment form's included); writes through `decisions.services.rounds`, whose refusals
are shown next to the field they name.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from hofburg.core import access, bounds
from hofburg.core import filters as list_filters
from hofburg.core.access import AccessDenied, AnyUser
from hofburg.core.errors import Invalid
from hofburg.core.models import Classification
from hofburg.decisions.models import NegotiationRound
from hofburg.decisions.queries import rounds as queries
from hofburg.decisions.services import rounds as services
from hofburg.registry.models import Confidence

PAGE_SIZE = 50


class RoundFilterForm(forms.Form):
    format = forms.ChoiceField(label=_("Format"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["format"].choices = [  # type: ignore[attr-defined]
            ("", _("Every format")), *((f.code, f.name) for f in queries.formats())]

    def format_code(self) -> str:
        """The chosen format, or "" for none or one that is not in the registry."""
        return str(list_filters.applied(self).get("format") or "")


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


class RoundForm(forms.Form):
    format = forms.ChoiceField(label=_("Format"))
    number = bounds.count_field(_("Round number"), minimum=1, required=False)
    starts_on = bounds.day_field(_("From"))
    ends_on = bounds.day_field(_("Until"), required=False)
    date_precision = forms.ChoiceField(
        label=_("The date is known to the"), choices=NegotiationRound.DatePrecision.choices,
        help_text=_("Month only: give the first of the month as the first day and no last day."))
    place = forms.CharField(label=_("Place"), max_length=200)
    participants = forms.CharField(
        label=_("Participants"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
        max_length=bounds.MAX_ROUND_PARTICIPANTS * (bounds.MAX_PARTY_NAME_LENGTH + 20),
        help_text=_("One a line: the role (side, mediator, co_chair, observer, member or "
                    "participant), a colon, then a participating State's ISO code or a party's "
                    "name; in exercise rounds an exercise affiliation's code. Leave empty to take "
                    "the format's participants from the registry."))
    outcome = forms.CharField(label=_("Outcome"), required=False, max_length=bounds.MAX_TEXT_LENGTH,
                              widget=forms.Textarea(attrs={"rows": 4}))
    documents = forms.CharField(
        label=_("Outcome documents"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        max_length=bounds.MAX_ROUND_DOCUMENTS * (bounds.MAX_DOCUMENT_TITLE_LENGTH + 2),
        help_text=_("One title or symbol a line."))
    classification = forms.ChoiceField(label=_("Distribution"))

    def __init__(self, *args: Any, user: AnyUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.is_exercise = services.records_exercise(user)
        self.fields["format"].choices = [  # type: ignore[attr-defined]
            (f.code, f.name) for f in queries.formats()]
        allowed = access.allowed_classifications(user)
        self.fields["classification"].choices = [  # type: ignore[attr-defined]
            (value, label) for value, label in Classification.choices if value in allowed]

    def round_input(self) -> services.RoundInput:
        data = self.cleaned_data
        return services.RoundInput(
            format_code=data["format"], number=data["number"], starts_on=data["starts_on"],
            ends_on=data["ends_on"], place=data["place"], participants=self._participants(),
            outcome=data["outcome"], documents=_lines(data["documents"]),
            classification=data["classification"], date_precision=data["date_precision"])

    def _participants(self) -> list[services.ParticipantInput] | None:
        lines = _lines(self.cleaned_data["participants"])
        if not lines:
            return None
        participants = []
        for line in lines:
            role, _colon, who = (part.strip() for part in line.partition(":"))
            if self.is_exercise:
                participants.append(services.ParticipantInput(role=role, affiliation=who))
            elif len(who) == 2 and who.isalpha() and who.isupper():
                participants.append(services.ParticipantInput(role=role, state=who))
            else:
                participants.append(services.ParticipantInput(role=role, name=who))
        return participants


class CommitmentForm(forms.Form):
    text = forms.CharField(label=_("Commitment"), max_length=bounds.MAX_TEXT_LENGTH,
                           widget=forms.Textarea(attrs={"rows": 4}))
    kind = forms.ChoiceField(label=_("Kind"), choices=list(services.COMMITMENT_KINDS.items()))
    source = forms.CharField(label=_("Source"), required=False, max_length=bounds.MAX_SOURCE_LENGTH)
    confidence = forms.ChoiceField(
        label=_("Confidence"), required=False,
        choices=[("", _("not labelled")), *Confidence.choices],
        help_text=_("The label the source's reference gives, for a commitment copied from it."))
    evidence_path = forms.CharField(
        label=_("Evidence on the monitoring desk"), required=False,
        max_length=bounds.MAX_EVIDENCE_PATH_LENGTH,
        help_text=_("For a commitment the monitoring desk checks: the path of its page that "
                    "shows the evidence, such as /monitoring/reports/2026-05-04/."))

    def commitment_input(self) -> services.CommitmentInput:
        return services.CommitmentInput(**self.cleaned_data)


def _add_error(form: forms.Form, error: Invalid) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def round_list(request: HttpRequest) -> HttpResponse:
    form = RoundFilterForm(request.GET)
    rounds = queries.rounds_by_format(request.user, format_code=form.format_code())
    page = Paginator(rounds, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "decisions/rounds.html", {
        "form": form,
        "page": page,
        "rounds": page.object_list,
        "query_string": query.urlencode(),
        "can_record": services.may_record_rounds(
            request.user, is_exercise=services.records_exercise(request.user)),
        "shows_exercise_data": any(r.is_exercise for r in page.object_list),
    })


def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    negotiation_round = queries.round_for(request.user, pk)
    return _render_detail(request, negotiation_round, CommitmentForm())


def _may_record_on(user: AnyUser, negotiation_round: NegotiationRound) -> bool:
    return (negotiation_round.is_exercise == services.records_exercise(user)
            and services.may_record_rounds(user, is_exercise=negotiation_round.is_exercise))


def _render_detail(request: HttpRequest, negotiation_round: NegotiationRound,
                   form: CommitmentForm) -> HttpResponse:
    can_record = _may_record_on(request.user, negotiation_round)
    return render(request, "decisions/round.html", {
        "round": negotiation_round,
        "participants": queries.participants_of(negotiation_round),
        "commitments": negotiation_round.commitments.all(),
        "kinds": services.COMMITMENT_KINDS,
        "form": form if can_record else None,
        "shows_exercise_data": negotiation_round.is_exercise,
    })


@login_required
def round_record(request: HttpRequest) -> HttpResponse:
    if not services.may_record_rounds(request.user,
                                      is_exercise=services.records_exercise(request.user)):
        raise PermissionDenied
    form = RoundForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            negotiation_round = services.record_round(request.user, form.round_input())
        except AccessDenied as exc:
            raise PermissionDenied from exc
        except Invalid as error:
            _add_error(form, error)
        else:
            messages.success(request, _("The round is recorded."))
            return redirect("decisions:round", pk=negotiation_round.pk)
    return render(request, "decisions/round_form.html", {
        "form": form, "shows_exercise_data": form.is_exercise})


@require_POST
def commitment_record(request: HttpRequest, pk: int) -> HttpResponse:
    negotiation_round = queries.round_for(request.user, pk)
    if not _may_record_on(request.user, negotiation_round):
        if not request.user.is_authenticated:
            return redirect_to_login(reverse("decisions:round", args=[pk]))
        raise PermissionDenied
    form = CommitmentForm(request.POST)
    if form.is_valid():
        try:
            services.record_commitment(request.user, negotiation_round, form.commitment_input())
        except AccessDenied as exc:
            raise PermissionDenied from exc
        except Invalid as error:
            _add_error(form, error)
        else:
            messages.success(request, _("The commitment is recorded."))
            return redirect("decisions:round", pk=negotiation_round.pk)
    return _render_detail(request, negotiation_round, form)


urlpatterns: list[URLPattern] = [
    path("rounds/", round_list, name="rounds"),
    path("rounds/new/", round_record, name="round_record"),
    path("rounds/<int:pk>/", round_detail, name="round"),
    path("rounds/<int:pk>/commitments/", commitment_record, name="commitment_record"),
]
