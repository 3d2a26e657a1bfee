"""Pages: the meetings of the decision-making bodies and their journals of the day.

`/decisions/meetings/` lists them by body and year; a meeting's page shows its agenda and, to
the Chair, the forms that add an agenda item and issue the journal; the journal of the day is
a page and an A4 PDF under its symbol (`/decisions/journals/PC.JOUR/1200/`, `....pdf`). A
meeting or journal the reader may not see is a 404, the same as one that does not exist.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from hofburg.core import bounds
from hofburg.core import filters as list_filters
from hofburg.core.access import AccessDenied, allowed_classifications
from hofburg.core.errors import ServiceError
from hofburg.core.models import Affiliation, Classification
from hofburg.decisions import clock, permissions
from hofburg.decisions import journal as journals
from hofburg.decisions.models import Body, Meeting
from hofburg.decisions.queries import meetings as queries
from hofburg.decisions.services import meetings as services

PAGE_SIZE = 50


class MeetingFilterForm(forms.Form):
    body = forms.ChoiceField(label=_("Body"), required=False,
                             choices=[("", _("all bodies")), *Body.choices])
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int,
                                  empty_value=None)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [  # type: ignore[attr-defined]
            ("", _("all years")), *((year, str(year)) for year in years)]


class MeetingForm(forms.Form):
    body = forms.ChoiceField(label=_("Body"), choices=Body.choices)
    date = bounds.day_field(_("Date"))
    kind = forms.ChoiceField(label=_("Kind of meeting"), choices=Meeting.Kind.choices)
    opens_at = forms.TimeField(
        label=_("Opens at (Vienna time)"), required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text=_("Leave empty for 10:00 Vienna time."))
    chairperson = forms.CharField(label=_("Chairperson"), required=False,
                                  max_length=bounds.MAX_CHAIRPERSON_LENGTH)
    classification = forms.ChoiceField(label=_("Distribution"),
                                       choices=Classification.choices,
                                       initial=Classification.PUBLIC)

    def meeting_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        opens_at = data.get("opens_at")
        starts_at = (datetime.combine(data["date"], opens_at, tzinfo=clock.VIENNA)
                     if opens_at else None)
        return {"body": data["body"], "date": data["date"], "kind": data["kind"],
                "starts_at": starts_at, "chairperson": data.get("chairperson", ""),
                "classification": data["classification"]}


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Title of the agenda item"),
                            max_length=bounds.MAX_AGENDA_TITLE_LENGTH)


def _may_chair(request: HttpRequest, meeting: Meeting) -> bool:
    return permissions.may_chair(request.user, on=meeting.date, is_exercise=meeting.is_exercise)


def _may_convene(request: HttpRequest) -> bool:
    affiliation = getattr(request.user, "affiliation", None)
    is_exercise = bool(isinstance(affiliation, Affiliation) and affiliation.is_exercise)
    return permissions.may_chair(request.user, on=timezone.localdate(), is_exercise=is_exercise)


def _add_error(form: forms.Form, error: ServiceError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error.message))


def meeting_list(request: HttpRequest) -> HttpResponse:
    form = MeetingFilterForm(request.GET or None,
                             years=queries.years_with_meetings(request.user))
    wanted = list_filters.applied(form)
    body, year = wanted.get("body", ""), wanted.get("year")
    found = queries.meetings_for(request.user, body=body, year=year)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "decisions/meeting_list.html", {
        "form": form, "page": page, "meetings": page.object_list,
        "query_string": query.urlencode(), "can_convene": _may_convene(request),
        "shows_exercise_data": any(m.is_exercise for m in page.object_list),
    })


def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = queries.meeting_for(request.user, pk)
    return _detail_page(request, meeting, AgendaItemForm())


def _detail_page(request: HttpRequest, meeting: Meeting, agenda_form: AgendaItemForm,
                 status: int = 200) -> HttpResponse:
    return render(request, "decisions/meeting_detail.html", {
        "meeting": meeting, "agenda": meeting.agenda_items.all(),
        "can_chair": _may_chair(request, meeting), "agenda_form": agenda_form,
        "shows_exercise_data": meeting.is_exercise,
    }, status=status)


def meeting_create(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not _may_convene(request):
        raise PermissionDenied
    form = MeetingForm(request.POST or None)
    form.fields["classification"].choices = [  # type: ignore[attr-defined]
        (value, label) for value, label in Classification.choices
        if value in allowed_classifications(request.user)]
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.create_meeting(request.user, **form.meeting_fields())
        except AccessDenied as exc:
            raise PermissionDenied from exc
        except ServiceError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("The meeting is convened: %(symbol)s.")
                             % {"symbol": meeting.journal_symbol})
            return redirect("decisions:meeting", pk=meeting.pk)
    return render(request, "decisions/meeting_form.html", {"form": form})


@require_POST
def meeting_add_agenda_item(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = queries.meeting_for(request.user, pk)
    form = AgendaItemForm(request.POST)
    if form.is_valid():
        try:
            item = services.add_agenda_item(request.user, meeting, form.cleaned_data["title"])
        except AccessDenied as exc:
            raise PermissionDenied from exc
        except ServiceError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("Agenda item %(number)s is added.")
                             % {"number": item.number})
            return redirect("decisions:meeting", pk=meeting.pk)
    return _detail_page(request, meeting, form, status=422)


@require_POST
def meeting_issue_journal(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = queries.meeting_for(request.user, pk)
    try:
        services.issue_journal(request.user, meeting)
    except AccessDenied as exc:
        raise PermissionDenied from exc
    except ServiceError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The journal %(symbol)s is issued.")
                         % {"symbol": meeting.journal_symbol})
    return redirect("decisions:meeting", pk=meeting.pk)


def _exercise_choice(request: HttpRequest) -> bool | None:
    value = request.GET.get("exercise", "")
    return {"1": True, "0": False}.get(value)


def journal_page(request: HttpRequest, symbol: str) -> HttpResponse:
    meeting = queries.journal_meeting(request.user, symbol, exercise=_exercise_choice(request))
    journal = journals.build_journal(meeting, request.user, timezone.now())
    return HttpResponse(journals.render_journal_html(journal, request))


def journal_pdf(request: HttpRequest, symbol: str) -> HttpResponse:
    meeting = queries.journal_meeting(request.user, symbol, exercise=_exercise_choice(request))
    journal = journals.build_journal(meeting, request.user, timezone.now())
    pdf = journals.render_journal_pdf(journal, request,
                                      base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{journal.filename}"'
    return response


urlpatterns: list[URLPattern] = [
    path("meetings/", meeting_list, name="meetings"),
    path("meetings/new/", meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", meeting_detail, name="meeting"),
    path("meetings/<int:pk>/agenda/", meeting_add_agenda_item, name="meeting_add_agenda_item"),
    path("meetings/<int:pk>/issue/", meeting_issue_journal, name="meeting_issue_journal"),
    # The PDF first: a symbol holds slashes, and `<path:...>` would take the ".pdf" too.
    path("journals/<path:symbol>.pdf", journal_pdf, name="journal_pdf"),
    path("journals/<path:symbol>/", journal_page, name="journal"),
]
