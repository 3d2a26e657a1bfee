"""Pages of the human-dimension desk. Every page needs the second factor from a signed-in
user (`twofactor.second_factor_required`); rows come from `disclosure`, so a template only ever
holds the fields the reader may read. A person without a grant, or a case hidden by its
classification, is a 404 exactly like a missing one, and counts hold only what is visible."""

from __future__ import annotations

import io
from datetime import date

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hofburg.cases import disclosure, queries
from hofburg.cases.engine.fields import DETAIL_FIELDS
from hofburg.cases.models import AccessLog
from hofburg.cases.twofactor import second_factor_required
from hofburg.core.bounds import day_field
from hofburg.core.tables import CONTENT_TYPES, Table, write_csv


class CustodyFilter(forms.Form):
    on = day_field(_("In custody at the end of"), required=False)
    jurisdiction = forms.RegexField(label=_("Jurisdiction (ISO alpha-2)"), regex=r"^[A-Za-z]{2}$",
                                    required=False, max_length=2)
    recognised = forms.BooleanField(label=_("Recognised political prisoners only"),
                                    required=False)


@second_factor_required
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "cases/index.html", {
        "persons": queries.persons_for(request.user).count()})


@second_factor_required
def persons(request: HttpRequest) -> HttpResponse:
    found = list(queries.persons_for(request.user)[:500])
    rows = disclosure.person_rows(request.user, found, channel="page")
    return render(request, "cases/persons.html", {"rows": rows})


@second_factor_required
def person(request: HttpRequest, surrogate_id: str) -> HttpResponse:
    found = queries.person_for(request.user, surrogate_id)
    rows = disclosure.person_rows(request.user, [found], channel="page")
    cases = list(queries.prisoner_cases_for(request.user).filter(person=found))
    return render(request, "cases/person.html", {
        "person": found, "row": rows.rows[0], "columns": rows.columns, "cases": cases})


def _today() -> date:
    return timezone.localdate()


@second_factor_required
def prisoners(request: HttpRequest) -> HttpResponse:
    form = CustodyFilter(request.GET or None) if set(request.GET) - {"format"} else CustodyFilter()
    day, jurisdiction, recognised = _today(), "", False
    if form.is_bound and not form.is_valid():
        return render(request, "cases/prisoners.html", {
            "form": form, "rows": None, "day": day}, status=400)
    if form.is_bound:
        day = form.cleaned_data["on"] or day
        jurisdiction = form.cleaned_data["jurisdiction"] or ""
        recognised = form.cleaned_data["recognised"]
    held = queries.in_custody(request.user, day, jurisdiction, recognised)
    if request.GET.get("format") == "csv":
        rows = disclosure.prisoner_rows(request.user, held, day=day, channel="page",
                                        action=AccessLog.Action.EXPORT)
        stream = io.BytesIO()
        write_csv(Table("prisoners", rows.columns, rows.table_rows()), stream)
        response = HttpResponse(stream.getvalue(), content_type=CONTENT_TYPES["csv"])
        response["Content-Disposition"] = f'attachment; filename="prisoners-{day}.csv"'
        return response
    rows = disclosure.prisoner_rows(request.user, held, day=day, channel="page")
    return render(request, "cases/prisoners.html", {
        "form": form, "rows": rows, "day": day, "count": len(held),
        "shows_exercise_data": any(r.get("is_exercise") for r in rows.rows),
        "query": request.GET.urlencode()})


@second_factor_required
def prisoner(request: HttpRequest, case_id: str) -> HttpResponse:
    case = queries.prisoner_case_for(request.user, case_id)
    rows = disclosure.prisoner_rows(request.user, [case], day=_today(), channel="page",
                                    detail=True)
    row = rows.rows[0]
    summary = [c for c in row if c not in DETAIL_FIELDS and c not in ("case_id", "is_exercise")]
    return render(request, "cases/prisoner.html", {
        "row": row, "summary": summary, "shows_exercise_data": case.is_exercise})
