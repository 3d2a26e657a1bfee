"""The calendar of military activities, and a delegation's own deadlines, as iCalendar
(RFC 5545, written by `icalendar`) and as CSV (through the one export helper).

What goes in is what the calendar page shows the reader (`queries.visible_activities`), and
for a member of a State's delegation that State's due and overdue items
(`queries.due_and_overdue`, the same as its profile's panel). Activities are all-day events
from their first to their last day; a deadline is an all-day event on its day.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from hofburg.core.access import AnyUser
from hofburg.core.models import Classification
from hofburg.core.notes import explain
from hofburg.core.tables import csv_writer
from hofburg.csbm import queries
from hofburg.csbm.models import Activity

# iCalendar's CLASS for each classification: calendars that sync it keep restricted entries
# out of shared views.
ICAL_CLASS: dict[str, str] = {Classification.PUBLIC: "PUBLIC",
                              Classification.RESTRICTED: "PRIVATE",
                              Classification.CONFIDENTIAL: "CONFIDENTIAL"}
CSV_COLUMNS = ("kind", "start", "end", "title", "state", "type", "classification", "exercise",
               "url")


@dataclass(frozen=True)
class Entry:
    uid: str
    kind: str  # "activity" or "deadline"
    start: date
    end: date  # the last day, inclusive
    title: str
    state: str
    type: str
    classification: str
    exercise: bool
    url: str


def entries(user: AnyUser, *, year: int, state: str | None, own_state: str | None
            ) -> list[Entry]:
    """The activities of `year` the reader may see (of `state` only, if given), then the
    deadlines of the reader's own State (`own_state`), as the calendar and the profile show."""
    activities = queries.visible_activities(user).filter(
        start__lte=date(year, 12, 31), end__gte=date(year, 1, 1)).order_by("start", "pk")
    if state:
        activities = activities.filter(state__iso2=state)
    found = [_activity(a) for a in activities]
    if own_state:
        for item in queries.due_and_overdue(own_state, timezone.now(), user):
            found.append(Entry(
                uid=f"due-{own_state}-{item.obligation.value}-{item.subject}-{item.due_on}",
                kind="deadline", start=item.due_on, end=item.due_on,
                title=(_("Overdue: %(what)s") if item.overdue else _("Due: %(what)s"))
                % {"what": f"{explain(item.description)} ({own_state})"},
                state=own_state, type=item.obligation.value, classification="",
                exercise=False, url=reverse("registry:state", args=[own_state])))
    return found


def _activity(activity: Activity) -> Entry:
    return Entry(uid=f"activity-{activity.state_id}-{activity.reference}", kind="activity",
                 start=activity.start, end=activity.end,
                 title=f"{activity.name} ({activity.state_id})", state=activity.state_id,
                 type=activity.type, classification=activity.classification,
                 exercise=activity.is_exercise,
                 url=reverse("csbm:activity", args=[activity.state_id, activity.reference]))


def to_ical(found: Iterable[Entry], *, base_url: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Hofburg//Vienna Document calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Hofburg: military activities and deadlines")
    stamp = timezone.now()
    host = settings.ALLOWED_HOSTS[0] if settings.ALLOWED_HOSTS else "hofburg"
    for entry in found:
        event = Event()
        event.add("uid", f"{entry.uid}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", entry.start)
        event.add("dtend", entry.end + timedelta(days=1))  # all day: DTEND is exclusive
        event.add("summary", (_("EXERCISE: %(title)s") % {"title": entry.title})
                  if entry.exercise else entry.title)
        event.add("categories", [entry.kind, entry.type])
        event.add("url", base_url.rstrip("/") + entry.url)
        if entry.classification:
            event.add("class", ICAL_CLASS.get(entry.classification, "PRIVATE"))
        calendar.add_component(event)
    return bytes(calendar.to_ical())


def to_csv(found: Iterable[Entry]) -> bytes:
    stream = io.StringIO()
    writer = csv_writer(stream)
    writer.writerow(CSV_COLUMNS)
    for e in found:
        writer.writerow([e.kind, e.start.isoformat(), e.end.isoformat(), e.title, e.state,
                         e.type, e.classification, "yes" if e.exercise else "no", e.url])
    return stream.getvalue().encode("utf-8")
