"""The preview of the protection-case publication (decision 0062): the table exactly as
`hofburg cases publish --dataset protection` would write it for the viewer as publisher, on a
page and as the same CSV. Counts only, small cells suppressed (`engine.protection_publication`);
the cases counted are those the viewer may see and that may be published
(`queries.publishable_protection_cases`). Exercise cases only ever go into an exercise table."""

from __future__ import annotations

import io

from django import forms
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hofburg.cases import queries
from hofburg.cases.engine.fields import countable_fields
from hofburg.cases.engine.protection_publication import COLUMNS
from hofburg.cases.models import AccessLog
from hofburg.cases.services.reads import log_access
from hofburg.cases.twofactor import second_factor_required
from hofburg.core import access
from hofburg.core.tables import CONTENT_TYPES, Table, write_csv


class ProtectionPublicationForm(forms.Form):
    year = forms.IntegerField(label=_("Year the cases were opened"), min_value=1990,
                              max_value=2999)
    exercise = forms.BooleanField(label=_("The exercise cases instead of the real ones"),
                                  required=False)


def as_written(value: object) -> object:
    """A cell as the CSV writes it (`core.tables`: booleans as true and false)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


@second_factor_required
def protection_publication(request: HttpRequest) -> HttpResponse:
    """The protection table of a year from the cases the viewer may see; `format=csv` gives
    the file the command line writes. Staff only: visitors see no protection case at all."""
    if not access.is_entitled(request.user):
        raise Http404("No such record.")
    form = ProtectionPublicationForm(request.GET or {"year": timezone.localdate().year - 1})
    if not form.is_valid():
        return render(request, "cases/protection_publication.html", {
            "form": form, "rows": None}, status=400)
    year, exercise = form.cleaned_data["year"], form.cleaned_data["exercise"]
    k = settings.CASES_SUPPRESSION_K
    rows, counted = queries.protection_table(request.user, year, k, exercise=exercise)
    if request.GET.get("format") == "csv":
        log_access(request.user, AccessLog.Action.EXPORT, "protection",
                   countable_fields("protection"), counted, "page")
        stream = io.BytesIO()
        write_csv(Table("protection", COLUMNS, rows), stream)  # type: ignore[arg-type]
        response = HttpResponse(stream.getvalue(), content_type=CONTENT_TYPES["csv"])
        name = f"protection-{year}{'-exercise' if exercise else ''}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    log_access(request.user, AccessLog.Action.READ, "protection",
               countable_fields("protection"), counted, "page")
    query = request.GET.copy()
    query["year"], query["format"] = str(year), "csv"
    return render(request, "cases/protection_publication.html", {
        "form": form, "columns": COLUMNS, "rows": [[as_written(v) for v in r] for r in rows],
        "k": k, "exercise": exercise,
        "csv_query": query.urlencode(), "shows_exercise_data": exercise})
