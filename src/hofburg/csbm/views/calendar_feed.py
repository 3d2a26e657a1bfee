"""The calendar as a file for calendar applications (iCalendar) and spreadsheets (CSV): the
activities the calendar page shows the reader for the year (and State) asked, and for a member
of a State's delegation its own deadlines (`csbm.calendar_export`)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from hofburg.csbm import calendar_export
from hofburg.csbm.forms import CalendarForm
from hofburg.csbm.views.board import this_year


def _own_state(request: HttpRequest) -> str | None:
    affiliation = getattr(request.user, "affiliation", None) if request.user.is_authenticated \
        else None
    iso2 = (getattr(affiliation, "state_iso2", "") or "").upper()
    return iso2 or None


@require_safe
def calendar_feed(request: HttpRequest, file_format: str) -> HttpResponse:
    form = CalendarForm(request.GET)
    if request.GET and not form.is_valid():
        return HttpResponse(" ".join(str(e) for errors in form.errors.values() for e in errors),
                            status=400, content_type="text/plain; charset=utf-8")
    year = form.year_or(this_year())
    found = calendar_export.entries(request.user, year=year, state=form.state_or_none(),
                                    own_state=_own_state(request))
    if file_format == "ics":
        body = calendar_export.to_ical(found, base_url=request.build_absolute_uri("/"))
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    else:
        response = HttpResponse(calendar_export.to_csv(found),
                                content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (f'attachment; filename="hofburg-calendar-{year}.'
                                       f'{file_format}"')
    return response
