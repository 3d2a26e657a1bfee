"""Reading meetings and finding a journal of the day by its symbol, as the reader may see them.

A journal symbol (`PC.JOUR/12`) names a real meeting or, in the exercise's own series, an
exercise one: where both exist the real one answers unless the exercise is asked for.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from hofburg.core import access
from hofburg.core.access import AnyUser
from hofburg.decisions.models import Meeting


def meetings_for(user: AnyUser, *, body: str = "", year: int | None = None
                 ) -> QuerySet[Meeting]:
    """The meetings `user` may see, newest first, optionally of one body and one year."""
    meetings = access.visible(Meeting.objects.all(), user)
    if body:
        meetings = meetings.filter(body=body)
    if year is not None:
        meetings = meetings.filter(date__year=year)
    return meetings.order_by("-date", "body", "-number")


def years_with_meetings(user: AnyUser) -> list[int]:
    """The years in which `user` may see a meeting, newest first (the list's year filter)."""
    dates = access.visible(Meeting.objects.all(), user).dates("date", "year", order="DESC")
    return [day.year for day in dates]


def meeting_for(user: AnyUser, meeting_id: int) -> Meeting:
    """One meeting with its agenda; 404 when it is missing or hidden."""
    return access.get_visible_or_404(Meeting.objects.prefetch_related("agenda_items"), user,
                                     pk=meeting_id)


def journal_meeting(user: AnyUser, symbol: str, *, exercise: bool | None = None) -> Meeting:
    """The meeting whose journal is `symbol`; 404 when none is visible to `user`.

    `exercise` picks the exercise series (True) or the real one (False); None prefers the real
    meeting and falls back to the exercise one."""
    found = access.visible(Meeting.objects.filter(journal_symbol=symbol.strip()), user)
    if exercise is not None:
        found = found.filter(is_exercise=exercise)
    meeting = found.order_by("is_exercise").first()
    if meeting is None:
        raise Http404("No such journal.")
    return meeting
