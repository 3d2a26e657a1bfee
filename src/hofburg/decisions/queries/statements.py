"""Reading delegations' statements: every read narrowed by `core.access` first.

A statement may be visible where its meeting is not (a public statement delivered at a meeting
whose record is restricted): the meeting, its journal symbol and agenda item are then left
out (`shown_meetings`), as if the statement had none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, QuerySet

from hofburg.core import access
from hofburg.core.access import AnyUser
from hofburg.core.search import Order
from hofburg.decisions.models import Meeting, Statement
from hofburg.decisions.search import search_statements


@dataclass(frozen=True)
class StatementFilters:
    """The list's filters; empty values do not filter."""

    q: str = ""
    body: str = ""
    meeting: int | None = None
    delegation: str = ""  # a delegation's code
    since: date | None = None
    until: date | None = None
    language: str = ""
    order: Order = "relevance"  # with `q`: "newest" skips ranking


def visible_statements(user: AnyUser) -> QuerySet[Statement]:
    return access.visible(
        Statement.objects.select_related("delegation", "meeting", "agenda_item"), user)


def get_statement(user: AnyUser, pk: int) -> Statement:
    """The statement `pk` if `user` may see it; Http404 if it is missing or hidden."""
    return access.get_visible_or_404(
        Statement.objects.select_related("delegation", "meeting", "agenda_item"), user, pk=pk)


def find_statements(user: AnyUser, filters: StatementFilters) -> QuerySet[Statement]:
    """The statements `user` may see that pass `filters`, each annotated with `meeting_shown`
    (`with_meeting_shown`): by relevance with a query (`core.search` says when it is not),
    else newest first. Search is the last step, so its count serves the pages."""
    statements = with_meeting_shown(visible_statements(user), user)
    if filters.body:
        statements = statements.filter(body=filters.body)
    if filters.meeting is not None:
        # Only a meeting the user may see filters; any other id is a meeting with no statements.
        statements = statements.filter(
            meeting__in=access.visible(Meeting.objects.filter(pk=filters.meeting), user))
    if filters.delegation:
        statements = statements.filter(delegation__code=filters.delegation)
    if filters.since is not None:
        statements = statements.filter(delivered_on__gte=filters.since)
    if filters.until is not None:
        statements = statements.filter(delivered_on__lte=filters.until)
    if filters.language:
        statements = statements.filter(texts__has_key=filters.language)
    return search_statements(statements, filters.q, filters.order)


def with_meeting_shown(statements: QuerySet[Statement], user: AnyUser) -> QuerySet[Statement]:
    """`statements` annotated with `meeting_shown`: whether `user` may see the meeting (one
    query for a whole page, however many meetings it holds)."""
    meetings = access.visible(Meeting.objects.filter(pk=OuterRef("meeting_id")), user)
    return statements.annotate(meeting_shown=Exists(meetings))


def shown_meetings(user: AnyUser, statements: list[Statement]) -> set[int]:
    """The ids of the statements' meetings that `user` may see."""
    ids = {s.meeting_id for s in statements if s.meeting_id is not None}
    if not ids:
        return set()
    return set(access.visible(Meeting.objects.filter(pk__in=ids), user)
               .values_list("pk", flat=True))
