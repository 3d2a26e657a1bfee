"""Pages of tolerance and non-discrimination: statements on intolerance (list with a CSV,
detail, recording) and the Personal Representatives' mandates an analyst tags incidents and
statements with (decision 0056).

Like every page of the desk they need the second factor from a signed-in user; records come
from `queries` (a hidden statement or incident is a 404 like a missing one, and is never
counted) and rows from `disclosure`. Only an analyst of the owner affiliation sees the forms
that set mandates; a post from anyone else who may see the record is refused (403).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hofburg.cases import disclosure, permissions, queries
from hofburg.cases.engine import mandates as mandate_codes
from hofburg.cases.models import AccessLog, Incident, Statement
from hofburg.cases.services import tolerance
from hofburg.cases.twofactor import second_factor_required
from hofburg.core.bounds import FIRST_YEAR, LAST_YEAR, MAX_STATEMENT_TEXT, day_field
from hofburg.core.errors import ServiceError
from hofburg.core.models import Classification, User
from hofburg.core.tables import CONTENT_TYPES, Table, write_csv

PAGE_SIZE = 100
Tagged = TypeVar("Tagged", Incident, Statement)

# The labels of `data/cases/tolerance-mandates.yaml` (English there), here for the
# translation catalogues; a test keeps the two alike.
MANDATE_LABELS: dict[str, Any] = {
    "antisemitism": _("Combating anti-Semitism"),
    "anti_muslim": _("Combating intolerance and discrimination against Muslims"),
    "racism_xenophobia_christians_other_religions": _(
        "Combating racism, xenophobia and discrimination, also focusing on intolerance and "
        "discrimination against Christians and members of other religions"),
}


def mandate_label(code: str) -> Any:
    known = mandate_codes.version().codes("mandates")
    return MANDATE_LABELS.get(code) or (known[code].label if code in known else code)


def mandate_choices() -> list[tuple[str, Any]]:
    return [(code, mandate_label(code)) for code in mandate_codes.codes()]


def _labels(joined: str) -> list[Any]:
    return [mandate_label(code) for code in joined.split("; ") if code]


class StatementFilter(forms.Form):
    mandate = forms.ChoiceField(label=_("Tolerance mandate"), required=False, choices=[])
    language = forms.RegexField(label=_("Language (ISO 639-1)"), regex=r"^[A-Za-z]{2}$",
                                required=False, max_length=2)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=FIRST_YEAR,
                              max_value=LAST_YEAR)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mandate"].choices = [  # type: ignore[attr-defined]
            ("", "—"), *mandate_choices()]


class MandatesForm(forms.Form):
    mandates = forms.MultipleChoiceField(label=_("Tolerance mandates"), required=False,
                                         choices=[], widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mandates"].choices = mandate_choices()  # type: ignore[attr-defined]


class StatementForm(MandatesForm):
    made_on = day_field(_("Date of the statement"))
    speaker = forms.CharField(label=_("Speaker or organisation"),
                              max_length=tolerance.MAX_SPEAKER)
    title = forms.CharField(label=_("Title"), max_length=tolerance.MAX_TITLE)
    text = forms.CharField(label=_("Text"), max_length=MAX_STATEMENT_TEXT,
                           widget=forms.Textarea(attrs={"rows": 8}))
    language = forms.RegexField(label=_("Language (ISO 639-1)"), regex=r"^[A-Za-z]{2}$",
                                max_length=2, help_text=_("Two letters: en, fr, de, it, ru, "
                                                          "es or another language's code."))
    source_url = forms.URLField(label=_("Source (address)"), required=False,
                                max_length=tolerance.MAX_URL, assume_scheme="https")
    incidents = forms.CharField(label=_("Incidents it speaks of"), required=False,
                                max_length=2000,
                                help_text=_("Incident ids, separated by spaces or commas."))
    classification = forms.ChoiceField(label=_("Classification"),
                                       choices=Classification.choices,
                                       initial=Classification.RESTRICTED)

    field_order = ["made_on", "speaker", "title", "text", "language", "source_url",
                   "mandates", "incidents", "classification"]


def _csv(rows: disclosure.Rows) -> HttpResponse:
    stream = io.BytesIO()
    write_csv(Table("statements", rows.columns, rows.table_rows()), stream)
    response = HttpResponse(stream.getvalue(), content_type=CONTENT_TYPES["csv"])
    response["Content-Disposition"] = 'attachment; filename="statements.csv"'
    return response


@second_factor_required
def statements(request: HttpRequest) -> HttpResponse:
    """Statements on intolerance the reader may see, by mandate, language and year; `format=csv`
    downloads all of them (logged as an export)."""
    form = StatementFilter(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "cases/statements.html", {"form": form, "rows": None},
                      status=400)
    filters = form.cleaned_data if form.is_bound else {}
    found = queries.statements_for(request.user, mandate=filters.get("mandate") or "",
                                   language=filters.get("language") or "",
                                   year=filters.get("year"))
    if request.GET.get("format") == "csv":
        return _csv(disclosure.statement_rows(request.user, list(found), channel="page",
                                              action=AccessLog.Action.EXPORT))
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = disclosure.statement_rows(request.user, list(page.object_list), channel="page")
    items = [{**row, "mandate_labels": _labels(row["mandates"])} for row in rows.rows]
    query = request.GET.copy()
    query.pop("page", None)
    query["format"] = "csv"
    return render(request, "cases/statements.html", {
        "form": form, "rows": rows, "items": items, "page": page,
        "csv_query": query.urlencode(),
        "may_record": permissions.may_record_statements(request.user),
        "shows_exercise_data": any(r.get("is_exercise") for r in rows.rows)})


def _mandates_form(request: HttpRequest, found: Tagged,
                   tag: Callable[[User, Tagged, list[str]], object],
                   back: str) -> tuple[MandatesForm | None, HttpResponse | None]:
    """The mandates form of a statement's or an incident's page: for an analyst of the owner
    affiliation only (None for anyone else, whose post is refused with a 403). A valid post
    sets the tags through `tag` and answers with a redirect to `back`; a refused one leaves
    the form with its error beside the field, and the page answers 400."""
    form = MandatesForm(request.POST or None, initial={"mandates": found.mandates}) \
        if permissions.may_tag_mandates(request.user, found) else None
    if request.method != "POST":
        return form, None
    if form is None:
        raise PermissionDenied
    if form.is_valid():
        try:
            tag(request.user, found, form.cleaned_data["mandates"])  # type: ignore[arg-type]
            return form, redirect(back)
        except ServiceError as exc:
            form.add_error("mandates", exc.message)
    return form, None


@second_factor_required
def statement(request: HttpRequest, statement_id: str) -> HttpResponse:
    found = queries.statement_for(request.user, statement_id)
    form, done = _mandates_form(request, found, tolerance.tag_statement_mandates,
                                reverse("cases:statement", args=[statement_id]))
    if done is not None:
        return done
    row = disclosure.statement_rows(request.user, [found], channel="page").rows[0]
    return render(request, "cases/statement.html", {
        "row": row, "mandate_labels": _labels(row["mandates"]),
        "incidents": [i for i in row.get("incidents", "").split("; ") if i],
        "form": form, "may_link": permissions.may_link_incidents(request.user, found),
        "shows_exercise_data": found.is_exercise},
        status=400 if request.method == "POST" else 200)


def _incident_ids(text: str) -> tuple[str, ...]:
    return tuple(part for part in text.replace(",", " ").split() if part)


@second_factor_required
def new_statement(request: HttpRequest) -> HttpResponse:
    """Record a statement (analysts with an affiliation); a repeated post of the same statement
    leads to the one stored."""
    if not permissions.may_record_statements(request.user):
        raise PermissionDenied
    form = StatementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        record = tolerance.StatementRecord(
            made_on=data["made_on"], speaker=data["speaker"], title=data["title"],
            text=data["text"], language=data["language"], source_url=data["source_url"],
            mandates=tuple(data["mandates"]), incident_ids=_incident_ids(data["incidents"]),
            classification=data["classification"])
        try:
            made = tolerance.record_statement(request.user,  # type: ignore[arg-type]
                                              record)
            return redirect("cases:statement", made.statement_id)
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    return render(request, "cases/statement_new.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


class LinkIncidentsForm(forms.Form):
    incidents = forms.CharField(label=_("Incidents it speaks of"), max_length=2000,
                                help_text=_("Incident ids, separated by spaces or commas."))


@second_factor_required
def statement_incidents(request: HttpRequest, statement_id: str) -> HttpResponse:
    """Link a recorded statement to more incidents: the linked incidents the reader may see,
    and for an analyst of the owner affiliation the form that adds more and a button beside
    each link that removes it (a post with `remove`). A hidden statement is a 404; a reader who
    may see it but not link gets a 403 for a post."""
    found = queries.statement_for(request.user, statement_id)
    may_link = permissions.may_link_incidents(request.user, found)
    removing = request.method == "POST" and "remove" in request.POST
    form = LinkIncidentsForm(None if removing else request.POST or None) if may_link else None
    remove_error = ""
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if removing:
            try:
                tolerance.unlink_statement_incident(
                    request.user, found, request.POST["remove"][:40])  # type: ignore[arg-type]
                return redirect("cases:statement_incidents", statement_id)
            except ServiceError as exc:
                remove_error = exc.message
        elif form.is_valid():
            try:
                tolerance.link_statement_incidents(
                    request.user, found,  # type: ignore[arg-type]
                    _incident_ids(form.cleaned_data["incidents"]))
                return redirect("cases:statement_incidents", statement_id)
            except ServiceError as exc:
                form.add_error("incidents", exc.message)
    linked = queries.linked_incident_ids(request.user, [found]).get(found.pk, [])
    return render(request, "cases/statement_incidents.html", {
        "statement": found, "incidents": linked, "form": form, "may_link": may_link,
        "remove_error": remove_error,
        "shows_exercise_data": found.is_exercise},
        status=400 if request.method == "POST" else 200)


@second_factor_required
def incident_mandates(request: HttpRequest, incident_id: str) -> HttpResponse:
    """The mandates an incident concerns, the statements linked to it that the reader may see,
    and for an analyst of the owner affiliation the form that sets the mandates."""
    found = queries.incident_for(request.user, incident_id)
    form, done = _mandates_form(request, found, tolerance.tag_incident_mandates,
                                reverse("cases:incident_mandates", args=[incident_id]))
    if done is not None:
        return done
    linked = queries.statements_for(request.user).filter(incidents=found)
    return render(request, "cases/incident_mandates.html", {
        "incident": found, "mandate_labels": [mandate_label(c) for c in found.mandates],
        "statements": list(linked), "form": form, "shows_exercise_data": found.is_exercise},
        status=400 if request.method == "POST" else 200)
