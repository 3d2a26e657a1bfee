"""Reading drafts and decisions: what a user may see, where a draft stands, the status table,
the diff between two revisions.

A draft's status is never read from the `status` column alone: `draft_state` turns the stored
record into the engine's `DraftState` (the one place that does) and applies
`engine.silence.effective`, so a silence that expired unbroken reads as an adoption from its
expiry on, whether or not anyone has written since.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Max, Q, QuerySet

from hofburg.core import access, updated
from hofburg.core.access import AnyUser
from hofburg.core.errors import Invalid, NotFound
from hofburg.decisions.clock import VIENNA
from hofburg.decisions.engine import silence
from hofburg.decisions.engine.diff import Segment, diff_texts
from hofburg.decisions.engine.numbering import revision_symbol
from hofburg.decisions.engine.status_table import StatusInput, status_rows
from hofburg.decisions.models import Draft, Revision

STATUSES = tuple(s.value for s in silence.Status)


def visible_drafts(user: AnyUser) -> QuerySet[Draft]:
    """The drafts and decisions `user` may see."""
    return access.visible(Draft.objects.all(), user)


def get_draft(user: AnyUser, pk: int) -> Draft:
    """The draft `pk` if `user` may see it; Http404 (a 404 answer) if it is hidden or missing."""
    return access.get_visible_or_404(
        Draft.objects.select_related("adopted_meeting", "announced_meeting", "silence_meeting",
                                     "owner_affiliation"),
        user, pk=pk)


def draft_state(draft: Draft, now: datetime, *, as_stored: bool = False) -> silence.DraftState:
    """Where `draft` stands as of `now` (`engine.silence.effective` applied), or, with
    `as_stored`, as its last transition left it (the engine's steps take that and apply
    `effective` themselves, naming an expired silence as such)."""
    adopted_by = draft.adopted_by or None
    state = silence.DraftState(
        status=silence.Status(draft.status),
        placed_at=draft.silence_placed_at,
        expires_at=draft.silence_expires_at,
        broken_at=draft.silence_broken_at,
        adopted_at=draft.adopted_at,
        adopted_by=adopted_by,
        announced=adopted_by == "meeting" or draft.announced_meeting_id is not None,
        numbered=bool(draft.decision_symbol),
    )
    return state if as_stored else silence.effective(state, now)


def with_status(drafts: QuerySet[Draft], status: str, now: datetime) -> QuerySet[Draft]:
    """Narrow `drafts` to those whose status *now* is `status` (a silence that has expired
    counts as adopted, not as under silence)."""
    expired = Q(status=Draft.Status.UNDER_SILENCE, silence_expires_at__lte=now)
    if status == silence.Status.ADOPTED:
        return drafts.filter(Q(status=Draft.Status.ADOPTED) | expired)
    if status == silence.Status.UNDER_SILENCE:
        return drafts.filter(status=Draft.Status.UNDER_SILENCE, silence_expires_at__gt=now)
    if status not in STATUSES:
        raise Invalid(f"Choose one of: {', '.join(STATUSES)}.", field="status")
    return drafts.filter(status=status)


@dataclass(frozen=True)
class StatusRow:
    """One line of the status table: the engine's row with the draft's id, body and decision
    symbol, for links and labels."""

    id: int
    body: str
    symbol: str
    title: str
    latest_revision: int
    latest_symbol: str
    venue: str
    venue_label: str
    status: silence.Status
    days_under_silence: int | None
    decision_symbol: str
    is_exercise: bool
    # When the draft or its texts last changed, for the table's "last updated".
    updated_at: datetime | None = None


# What the status table reads of each draft (a long table: nothing more is loaded).
_STATUS_FIELDS = ("pk", "body", "number", "symbol", "title", "venue", "status",
                  "silence_placed_at", "silence_expires_at", "silence_broken_at", "adopted_at",
                  "adopted_by", "announced_meeting", "decision_symbol", "is_exercise",
                  "updated_at")


def status_table(user: AnyUser, *, body: str | None = None, now: datetime,
                 year: int | None = None, earlier: bool = False) -> list[StatusRow]:
    """The Chairmanship's status table of the drafts `user` may see: symbol, latest revision,
    venue, status as of `now` and days under silence, in the engine's order (body, number,
    symbol).

    By default the table is the one a Chairmanship keeps: every draft still open (under
    negotiation, under silence, broken, or adopted by silence and not yet announced) and the
    decisions adopted since 1 January of `now`'s year in Vienna. `year` gives instead the
    drafts tabled in that year, `earlier` every draft ever tabled."""
    drafts = visible_drafts(user)
    if body:
        drafts = drafts.filter(body=body)
    if year is not None:
        drafts = drafts.filter(year=year)
    elif not earlier:
        new_year = datetime(now.astimezone(VIENNA).year, 1, 1, tzinfo=VIENNA)
        drafts = drafts.filter(Q(adopted_at__isnull=True) | Q(adopted_at__gte=new_year))
    drafts = drafts.only(*_STATUS_FIELDS).annotate(latest=Max("revisions__number"),
                                                   revised_at=Max("revisions__created_at"))
    listed = sorted(drafts, key=lambda d: (d.body, False, d.number, d.symbol))
    inputs = [StatusInput(symbol=d.symbol, body=d.body, number=d.number, title=d.title,
                          revision=d.latest or 0, venue=d.venue,
                          state=draft_state(d, now, as_stored=True))
              for d in listed]
    # The engine sorts by the same key and sorted() is stable: its rows come in `listed` order.
    rows = status_rows(inputs, now)
    venues = dict(Draft.Venue.choices)
    return [
        StatusRow(id=d.pk, body=d.body, symbol=row.symbol, title=row.title,
                  latest_revision=row.latest_revision,
                  latest_symbol=revision_symbol(d.symbol, row.latest_revision),
                  venue=row.venue, venue_label=str(venues.get(row.venue, row.venue)),
                  status=row.status, days_under_silence=row.days_under_silence,
                  decision_symbol=d.decision_symbol, is_exercise=d.is_exercise,
                  updated_at=updated.latest(d.updated_at, d.revised_at))
        for d, row in zip(listed, rows, strict=True)
    ]


def latest_revision(draft: Draft) -> Revision:
    """The draft's latest revision (every draft has revision 0, the text as tabled)."""
    revision = draft.revisions.order_by("-number").first()
    if revision is None:
        raise NotFound("The draft has no text.")
    return revision


def revision_diff(draft: Draft, a: int, b: int, language: str) -> list[Segment]:
    """What changed from revision `a` to revision `b` of `draft`, in `language`, word by word.

    NotFound for a revision the draft does not have; Invalid (`language`) when either revision
    has no text in that language."""
    revisions = {r.number: r for r in draft.revisions.filter(number__in=[a, b])}
    for number, field in ((a, "from"), (b, "to")):
        if number not in revisions:
            raise NotFound(f"The draft has no revision {number}.", field=field)
    old, new = revisions[a].texts.get(language), revisions[b].texts.get(language)
    if not isinstance(old, str) or not isinstance(new, str):
        missing = revisions[a] if not isinstance(old, str) else revisions[b]
        raise Invalid(f"{missing.symbol} has no text in {language!r}.", field="language")
    return diff_texts(old, new)
