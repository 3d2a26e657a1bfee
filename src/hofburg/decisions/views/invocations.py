"""Pages: the mechanisms of the data file, and the invocations of those a participating State
or a group of States can set in motion alone — the list with its filters, one invocation, the
form that records one.

Every invocation is read through `decisions.queries.invocations` (`core.access`: a hidden one
is a 404 like a missing one, a meeting the reader may not see is left out); the write goes
through `decisions.services.invocations`, whose refusals are shown next to the field they
name. The mechanisms are reference data, public to all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from hofburg.core import access, bounds
from hofburg.core import filters as list_filters
from hofburg.core.access import AnyUser
from hofburg.core.errors import NotAllowed, ServiceError
from hofburg.core.models import Affiliation, Classification
from hofburg.decisions import mechanisms, parties, permissions
from hofburg.decisions.engine.rules import Mechanism
from hofburg.decisions.models import Body, Invocation, Meeting
from hofburg.decisions.models.mechanisms import MAX_INVOCATION_SUMMARY
from hofburg.decisions.queries import invocations as queries
from hofburg.decisions.services import invocations as services
from hofburg.registry.models import Confidence

PAGE_SIZE = 50
CONFIDENCE_LABELS = dict(Confidence.choices)


def _mechanism_choices() -> list[tuple[str, str]]:
    return [(code, m.name) for code, m in mechanisms.invocable().items()]


class InvocationFilterForm(forms.Form):
    """The list's filters; a value that does not validate is left out and reported
    (core.filters)."""

    mechanism = forms.ChoiceField(label=_("Mechanism"), required=False)
    state = forms.ChoiceField(label=_("Invoked by"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mechanism"].choices = [  # type: ignore[attr-defined]
            ("", _("Every mechanism")), *_mechanism_choices()]
        self.fields["state"].choices = [  # type: ignore[attr-defined]
            ("", _("Any State")), *parties.choices(is_exercise=False),
            *parties.choices(is_exercise=True)]

    def values(self) -> dict[str, str]:
        return {key: str(value) for key, value in list_filters.applied(self).items()}


class InvocationForm(forms.Form):
    """An invocation as a delegation or the Secretariat records it."""

    mechanism = forms.ChoiceField(label=_("Mechanism"))
    states = forms.MultipleChoiceField(
        label=_("Invoking States"), widget=forms.CheckboxSelectMultiple,
        help_text=_("Every participating State that invoked it; a delegation records the "
                    "invocations its own State took part in."))
    invoked_on = bounds.day_field(_("Invoked on"))
    body = forms.ChoiceField(label=_("Raised in"), required=False,
                             choices=[("", _("No body recorded")), *Body.choices])
    meeting = forms.TypedChoiceField(label=_("At the meeting"), required=False, coerce=int,
                                     empty_value=None)
    summary = forms.CharField(
        label=_("What was invoked, and of whom"), max_length=MAX_INVOCATION_SUMMARY,
        widget=forms.Textarea(attrs={"rows": 5}))
    source = forms.CharField(
        label=_("Source"), required=False, max_length=bounds.MAX_SOURCE_LENGTH,
        help_text=_("A document symbol such as PC.DEL/12/26, or the address of a public page "
                    "starting with https://."))
    confidence = forms.ChoiceField(
        label=_("Confidence"), required=False,
        choices=[("", _("not labelled")), *Confidence.choices],
        help_text=_("The label the source's reference gives, for a record copied from it."))
    classification = forms.ChoiceField(label=_("Distribution"))

    def __init__(self, *args: Any, user: AnyUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.is_exercise = services.records_exercise(user)
        self.fields["mechanism"].choices = _mechanism_choices()  # type: ignore[attr-defined]
        self.fields["states"].choices = parties.choices(  # type: ignore[attr-defined]
            is_exercise=self.is_exercise)
        meetings = (access.visible(Meeting.objects.filter(is_exercise=self.is_exercise), user)
                    .order_by("-date", "-number")[:200])
        self.fields["meeting"].choices = [  # type: ignore[attr-defined]
            ("", _("None")), *((m.pk, f"{m.journal_symbol} ({m.date:%Y-%m-%d})")
                               for m in meetings)]
        allowed = access.allowed_classifications(user)
        self.fields["classification"].choices = [  # type: ignore[attr-defined]
            (value, label) for value, label in Classification.choices if value in allowed]
        self.fields["classification"].initial = Classification.RESTRICTED

    def invocation_input(self) -> services.InvocationInput:
        data = self.cleaned_data
        return services.InvocationInput(
            mechanism=data["mechanism"], states=list(data["states"]),
            invoked_on=data["invoked_on"], summary=data["summary"], body=data["body"],
            meeting=data["meeting"], source=data["source"], confidence=data["confidence"],
            classification=data["classification"])


@dataclass(frozen=True)
class MechanismView:
    """A row of the data file as the mechanisms page shows it, labels in words."""

    rule: Mechanism
    confidence_label: str
    basis_confidence_label: str


def _view(rule: Mechanism) -> MechanismView:
    return MechanismView(rule, str(CONFIDENCE_LABELS.get(rule.confidence, rule.confidence)),
                         str(CONFIDENCE_LABELS.get(rule.basis_confidence,
                                                   rule.basis_confidence)))


def _records_any(user: AnyUser) -> bool:
    return permissions.may_record_invocations(
        user, is_exercise=services.records_exercise(user))


def mechanism_list(request: HttpRequest) -> HttpResponse:
    """Every rule of `mechanisms.yaml`: the ways of adopting a decision, then the mechanisms a
    State or a group of States can invoke alone, each with its basis, source and label."""
    rows = [_view(rule) for rule in mechanisms.all_mechanisms().values()]
    return render(request, "decisions/mechanisms.html", {
        "adoption": [row for row in rows if row.rule.adopts],
        "alone": [row for row in rows if not row.rule.adopts],
        "can_record": _records_any(request.user),
    })


def invocation_list(request: HttpRequest) -> HttpResponse:
    form = InvocationFilterForm(request.GET)
    chosen = form.values()
    invocations = queries.invocations_for(request.user, mechanism=chosen.get("mechanism", ""),
                                          state=chosen.get("state", ""))
    page = Paginator(invocations, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "decisions/invocations.html", {
        "form": form, "page": page, "invocations": page.object_list,
        "query_string": query.urlencode(), "names": dict(_mechanism_choices()),
        "can_record": _records_any(request.user),
        "shows_exercise_data": any(i.is_exercise for i in page.object_list),
    })


def invocation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    invocation = queries.invocation_for(request.user, pk)
    return render(request, "decisions/invocation.html", {
        "invocation": invocation, "mechanism": _mechanism_of(invocation),
        "shows_exercise_data": invocation.is_exercise,
    })


def _mechanism_of(invocation: Invocation) -> MechanismView | None:
    rule = mechanisms.all_mechanisms().get(invocation.mechanism)
    return _view(rule) if rule is not None else None


def _initial(request: HttpRequest) -> dict[str, Any]:
    """The form's first values: the mechanism the page came from, the user's own State."""
    initial: dict[str, Any] = {}
    if request.GET.get("mechanism") in mechanisms.invocable():
        initial["mechanism"] = request.GET["mechanism"]
    affiliation = getattr(request.user, "affiliation", None)
    own = parties.own_code(affiliation if isinstance(affiliation, Affiliation) else None)
    if own:
        initial["states"] = [own]
    return initial


def invocation_new(request: HttpRequest) -> HttpResponse:
    if not _records_any(request.user):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied
    form = InvocationForm(request.POST or None, user=request.user, initial=_initial(request))
    if request.method == "POST" and form.is_valid():
        try:
            invocation = services.record_invocation(request.user, form.invocation_input())
        except NotAllowed as exc:
            if exc.field is None:
                raise PermissionDenied from exc
            form.add_error(exc.field, exc.message)
        except ServiceError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The invocation is recorded."))
            return redirect("decisions:invocation", pk=invocation.pk)
    return render(request, "decisions/invocation_form.html", {
        "form": form, "shows_exercise_data": form.is_exercise})


urlpatterns: list[URLPattern] = [
    path("mechanisms/", mechanism_list, name="mechanisms"),
    path("invocations/", invocation_list, name="invocations"),
    path("invocations/new/", invocation_new, name="invocation_new"),
    path("invocations/<int:pk>/", invocation_detail, name="invocation"),
]
