"""Pages: delegations' statements — the list with its full-text search and CSV, one statement
in all its languages, recording a new one. The positions tracker is `views.positions`.

Every read goes through `decisions.queries.statements` (so `core.access`): a statement the user
may not see is a 404, a search never counts one, and a meeting the user may not see is left
out of a visible statement.
"""

from __future__ import annotations

import io
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from hofburg.core import access
from hofburg.core import filters as list_filters
from hofburg.core.access import AccessDenied, AnyUser
from hofburg.core.bounds import (
    MAX_ALIGNED,
    MAX_ALIGNED_LABEL,
    MAX_STATEMENT_TEXT,
    count_field,
    day_field,
)
from hofburg.core.errors import ServiceError
from hofburg.core.models import Affiliation, Classification
from hofburg.core.search import MAX_QUERY_CHARS, RANK_LIMIT, ResultsPaginator, was_ranked
from hofburg.core.tables import CONTENT_TYPES, Cell, Table, write_csv
from hofburg.decisions.models import Body, Meeting, Statement, open_journals
from hofburg.decisions.queries import statements as queries
from hofburg.decisions.search import statement_snippet
from hofburg.decisions.services import statements as services
from hofburg.decisions.views import positions

PAGE_SIZE = 25
LANGUAGES = settings.LANGUAGES


class StatementFilterForm(forms.Form):
    """The list's filters; a value that does not validate is left out and reported
    (core.filters)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=MAX_QUERY_CHARS)
    body = forms.ChoiceField(label=_("Body"), required=False,
                             choices=[("", _("Any body")), *Body.choices])
    delegation = forms.ChoiceField(label=_("Delegation"), required=False)
    since = day_field(_("From"), required=False)
    until = day_field(_("Until"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False,
                                 choices=[("", _("Any language")), *LANGUAGES])
    order = forms.ChoiceField(label=_("Order"), required=False,
                              choices=[("relevance", _("Best match first")),
                                       ("newest", _("Newest first"))])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        delegations = Affiliation.objects.filter(kind=Affiliation.Kind.DELEGATION)
        self.fields["delegation"].choices = [  # type: ignore[attr-defined]
            ("", _("Any delegation")), *delegations.values_list("code", "name")]

    def filters(self) -> queries.StatementFilters:
        return queries.StatementFilters(**list_filters.applied(self))


class StatementForm(forms.Form):
    """A statement as delivered, in its original language (other languages are added on the
    statement's page)."""

    body = forms.ChoiceField(label=_("Body"), choices=Body.choices)
    meeting = forms.TypedChoiceField(label=_("Meeting"), required=False, coerce=int,
                                     empty_value=None)
    agenda_item = count_field(_("Agenda item"), minimum=1, maximum=32767, required=False)
    delivered_on = day_field(_("Delivered on"), required=False,
                             help_text=_("Leave empty to take the meeting's day."))
    delegation = forms.ChoiceField(
        label=_("Speaking delegation"), required=False,
        help_text=_("The Chair and the Secretariat only: a delegation speaks for itself."))
    speaker_label = forms.CharField(
        label=_("Speaker as the journal names it"), required=False, max_length=200,
        help_text=_("For example Austria-European Union. Empty: the delegation's name."))
    speaker_name = forms.CharField(label=_("Speaker's name"), required=False, max_length=200)
    aligned = forms.CharField(
        label=_("Aligned"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MAX_ALIGNED * (MAX_ALIGNED_LABEL + 1),
        help_text=_("One State or group per line."))
    alignment_note = forms.CharField(
        label=_("Alignment as the journal words it"), required=False, max_length=500,
        help_text=_("For example: with the candidate countries … in alignment."))
    title = forms.CharField(label=_("Title"), required=False, max_length=500)
    original_language = forms.ChoiceField(label=_("Original language"), choices=LANGUAGES)
    text = forms.CharField(label=_("Text in the original language"),
                           max_length=MAX_STATEMENT_TEXT, widget=forms.Textarea)
    classification = forms.ChoiceField(label=_("Distribution"), choices=[
        (Classification.PUBLIC, _("Public")),
        (Classification.RESTRICTED, _("Restricted (OSCE+)"))])
    distribute = forms.BooleanField(
        label=_("Distributed as a document (takes the next PC.DEL number)"), required=False)

    def __init__(self, *args: Any, user: AnyUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        meetings = (access.visible(Meeting.objects.filter(open_journals()), user)
                    .order_by("-date", "-number")[:200])
        self.fields["meeting"].choices = [  # type: ignore[attr-defined]
            ("", _("None")), *((m.pk, f"{m.journal_symbol} ({m.date:%Y-%m-%d})") for m in meetings)]
        delegations = Affiliation.objects.filter(kind=Affiliation.Kind.DELEGATION)
        self.fields["delegation"].choices = [  # type: ignore[attr-defined]
            ("", _("My own delegation, or none")), *delegations.values_list("code", "name")]

    def statement_input(self) -> services.StatementInput:
        data = self.cleaned_data
        return services.StatementInput(
            body=data["body"], original_language=data["original_language"],
            texts={data["original_language"]: data["text"]},
            delivered_on=data["delivered_on"], meeting=data["meeting"],
            agenda_item=data["agenda_item"], delegation=data["delegation"],
            speaker_label=data["speaker_label"], speaker_name=data["speaker_name"],
            aligned=[line.strip() for line in data["aligned"].splitlines() if line.strip()],
            alignment_note=data["alignment_note"], title=data["title"],
            classification=data["classification"], distribute=data["distribute"])


class TranslationForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"))
    text = forms.CharField(label=_("Text"), max_length=MAX_STATEMENT_TEXT, widget=forms.Textarea)

    def __init__(self, *args: Any, missing: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = dict(LANGUAGES)
        self.fields["language"].choices = [  # type: ignore[attr-defined]
            (code, names[code]) for code in missing]


def statement_list(request: HttpRequest) -> HttpResponse:
    form = StatementFilterForm(request.GET)
    filters = form.filters()
    found = queries.find_statements(request.user, filters)
    if request.GET.get("format") == "csv":
        return _csv_response(request, found)
    page = ResultsPaginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    hits = [(s, statement_snippet(s, filters.q, language=get_language() or ""))
            for s in page.object_list]
    return render(request, "decisions/statements.html", {
        "form": form,
        "page": page,
        "hits": hits,
        # Too many matches to rank: the page says they come newest first, and why.
        "unranked": bool(filters.q) and filters.order == "relevance" and not was_ranked(found),
        "rank_limit": RANK_LIMIT,
        "query_string": query.urlencode(),
        "can_record": access.can_contribute(request.user),
        "shows_exercise_data": any(s.is_exercise for s in page.object_list),
    })


def statement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    statement = queries.get_statement(request.user, pk)
    meeting_shown = statement.meeting is not None and access.can_view(request.user,
                                                                      statement.meeting)
    languages = _ordered_languages(statement)
    chosen = request.GET.get("lang", "")
    if chosen not in statement.texts:
        current = get_language() or ""
        chosen = current if current in statement.texts else statement.original_language
    missing = [code for code, _name in LANGUAGES if code not in statement.texts]
    may_translate = bool(missing) and services.may_add_translation(request.user, statement)
    form = TranslationForm(request.POST or None, missing=missing) if may_translate else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.add_statement_translation(request.user, statement,
                                                   form.cleaned_data["language"],
                                                   form.cleaned_data["text"])
            except ServiceError as error:
                _add_error(form, error)
            else:
                messages.success(request, _("The language version is added."))
                return redirect(reverse("decisions:statement", args=[pk]) +
                                f"?lang={form.cleaned_data['language']}")
    return render(request, "decisions/statement.html", {
        "statement": statement,
        "meeting_shown": meeting_shown,
        "languages": languages,
        "chosen": chosen,
        "text": statement.texts.get(chosen, ""),
        "form": form,
        "shows_exercise_data": statement.is_exercise,
    })


@login_required
def statement_new(request: HttpRequest) -> HttpResponse:
    if not access.can_contribute(request.user):
        raise PermissionDenied
    form = StatementForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            statement = services.record_statement(request.user, form.statement_input())
        except AccessDenied as exc:
            form.add_error(None, exc.message)
        except ServiceError as error:
            _add_error(form, error, {"texts": "text"})
        else:
            messages.success(request, _("The statement is recorded."))
            return redirect("decisions:statement", pk=statement.pk)
    return render(request, "decisions/statement_form.html", {"form": form})


def _ordered_languages(statement: Statement) -> list[tuple[str, Any]]:
    return [(code, name) for code, name in LANGUAGES if code in statement.texts]


def _add_error(form: forms.Form, error: ServiceError,
               aliases: dict[str, str] | None = None) -> None:
    """Show a service's refusal on the field it concerns, or above the form."""
    field = (aliases or {}).get(error.field or "", error.field)
    form.add_error(field if field in form.fields else None, error.message)


STATEMENT_COLUMNS = ["symbol", "body", "delivered_on", "speaker", "speaker_name", "delegation",
                     "aligned", "title", "meeting", "agenda_item", "languages",
                     "distribution", "exercise", "url"]


def statements_table(request: HttpRequest, statements: QuerySet[Statement]) -> Table:
    """One row per visible statement (the texts stay on the statement's page); the meeting
    only where the user may see it."""
    rows: list[list[Cell]] = []
    for s in statements.iterator(chunk_size=1000):
        shown = bool(getattr(s, "meeting_shown", False)) and s.meeting is not None
        rows.append([
            s.symbol, s.body, s.delivered_on, s.speaker_label, s.speaker_name,
            s.delegation.code if s.delegation else "", "; ".join(s.aligned), s.title,
            s.meeting.journal_symbol if shown and s.meeting else "",
            s.agenda_item.number if shown and s.agenda_item else None,
            " ".join(s.texts), s.classification, "yes" if s.is_exercise else "no",
            request.build_absolute_uri(reverse("decisions:statement", args=[s.pk])),
        ])
    return Table("statements", STATEMENT_COLUMNS, rows)


def _csv_response(request: HttpRequest, statements: QuerySet[Statement]) -> HttpResponse:
    buffer = io.BytesIO()
    write_csv(statements_table(request, statements), buffer)
    response = HttpResponse(buffer.getvalue(), content_type=CONTENT_TYPES["csv"])
    response["Content-Disposition"] = 'attachment; filename="statements.csv"'
    if not request.user.is_authenticated:
        return response
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns: list[URLPattern] = [
    path("statements/", statement_list, name="statements"),
    path("statements/new/", statement_new, name="statement_new"),
    path("statements/<int:pk>/", statement_detail, name="statement"),
    *positions.urlpatterns,
]
