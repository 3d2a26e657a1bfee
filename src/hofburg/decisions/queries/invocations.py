"""Reading invocations of the mechanisms States invoke alone: every read narrowed by
`core.access` first.

An invocation may be visible where the meeting it was raised at is not: the meeting is then
left out (`meeting_shown` is False), as if none had been named.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from hofburg.core import access
from hofburg.core.access import AnyUser
from hofburg.decisions.models import Invocation, InvokingState, Meeting


def _base(user: AnyUser) -> QuerySet[Invocation]:
    states = InvokingState.objects.select_related("state", "delegation").order_by("position")
    meetings = access.visible(Meeting.objects.filter(pk=OuterRef("meeting_id")), user)
    return (access.visible(Invocation.objects.all(), user)
            .select_related("meeting", "owner_affiliation")
            .prefetch_related(Prefetch("invoking_states", queryset=states))
            .annotate(meeting_shown=Exists(meetings)))


def invocations_for(user: AnyUser, *, mechanism: str = "", state: str = ""
                    ) -> QuerySet[Invocation]:
    """The invocations `user` may see, newest first; of one mechanism (its code) and by one
    State (an ISO code, or an exercise delegation's code) when given."""
    invocations = _base(user)
    if mechanism:
        invocations = invocations.filter(mechanism=mechanism)
    if state:
        by = InvokingState.objects.filter(Q(state__iso2=state.upper())
                                          | Q(delegation__code=state))
        invocations = invocations.filter(pk__in=by.values("invocation_id"))
    return invocations.order_by("-invoked_on", "-id")


def invocation_for(user: AnyUser, pk: int) -> Invocation:
    """One invocation `user` may see; Http404 if it is missing or hidden."""
    return access.get_visible_or_404(_base(user), user, pk=pk)
