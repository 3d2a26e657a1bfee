"""The desk's read side, used by pages, the API and exports.

Every classified record is narrowed through `hofburg.core.access.visible` before anything is
read from it; a record a user may not see is answered like a missing one (404 in callers).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple, TypeVar

from django.db.models import (
    Count,
    Exists,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)

from hofburg.core import access, updated
from hofburg.core.access import AnyUser
from hofburg.csbm import rulesets
from hofburg.csbm.engine import deadlines, quotas
from hofburg.csbm.engine.classify import Classification, classify
from hofburg.csbm.engine.rulesets import Ruleset
from hofburg.csbm.engine.terms import VisitOutcome as EngineVisitOutcome
from hofburg.csbm.models import (
    Activity,
    AnnualCalendar,
    AnnualExchange,
    ExchangeHolding,
    ExchangeUnit,
    Notification,
    RiskReductionRequest,
    Visit,
)
from hofburg.csbm.services import engine_activity
from hofburg.registry.models import ParticipatingState

VersionedT = TypeVar("VersionedT", AnnualExchange, AnnualCalendar, Notification)

# -- lists and details ----------------------------------------------------------------------


def visible_activities(user: AnyUser) -> QuerySet[Activity]:
    """The activities `user` may see, newest first, with their State."""
    return access.visible(Activity.objects.select_related("state"), user)


def get_activity(user: AnyUser, state: str, reference: str) -> Activity:
    """One activity by its State and reference; Http404 if missing or hidden."""
    return access.get_visible_or_404(Activity.objects.select_related("state"), user,
                                     state__iso2=state.upper(), reference=reference)


def visible_notifications(user: AnyUser, *, current_only: bool = False) -> QuerySet[Notification]:
    """Notifications `user` may see, each with its activity and ledger entry.

    The activity must be visible too: a public notification of a restricted activity would
    otherwise reveal the activity.
    """
    notifications = access.visible(
        Notification.objects.select_related("activity", "activity__state", "ledger_entry"), user
    ).filter(activity__in=visible_activities(user).values("pk"))
    notifications = _newest_seen(notifications, user, same=("activity",))
    return notifications.filter(Q(newest_seen=True)) if current_only else notifications


def _newest_seen(queryset: QuerySet[VersionedT], user: AnyUser,
                 same: tuple[str, ...] = ("state", "year")) -> QuerySet[VersionedT]:
    """Annotate `newest_seen` and `seen_version`, the version as `user` may know it.

    `newest_seen`: no later version of the same record (`same` fields) is visible to `user`;
    it is the version's "current" flag for that reader. `seen_version`: the version's place
    among the versions of the record `user` may see (1, 2, 3...), the number pages, the API
    and exports show and `?version=N` looks up. A version the reader may not see is as
    absent: it neither marks the one they see as superseded nor leaves a gap in the numbers
    they see (decision 0020). Versions are only ever appended, so a reader's numbers do not
    change when a version hidden from them is added; a reader who sees every version sees the
    stored numbers.
    """
    model: type[Model] = queryset.model
    record = {name: OuterRef(name) for name in same}
    later = access.visible(model._default_manager.filter(
        version__gt=OuterRef("version"), **record), user)
    up_to = (access.visible(model._default_manager.filter(
        version__lte=OuterRef("version"), **record), user)
        .order_by().values(*same).annotate(n=Count("pk")).values("n"))
    return queryset.annotate(newest_seen=~Exists(later), seen_version=Subquery(up_to))


def as_seen(user: AnyUser, record: VersionedT) -> VersionedT:
    """`record` (as a service returned it) with `newest_seen` and `seen_version` set for
    `user`, who may see it; the record's other attributes (a replay mark) are kept."""
    same = ("activity",) if isinstance(record, Notification) else ("state", "year")
    found = _newest_seen(access.visible(type(record)._default_manager.filter(pk=record.pk),
                                        user), user, same).first()
    if found is not None:
        for name in ("newest_seen", "seen_version"):
            setattr(record, name, getattr(found, name))
    return record


def seen_version(record: AnnualExchange | AnnualCalendar | Notification) -> int:
    """The version number to show: `seen_version` where the queries annotated it."""
    return int(getattr(record, "seen_version", None) or record.version)


def visible_exchanges(user: AnyUser, *, current_only: bool = True) -> QuerySet[AnnualExchange]:
    """Annual exchanges `user` may see (by default the newest version of each they may see),
    each annotated with `newest_seen`."""
    exchanges = _newest_seen(access.visible(AnnualExchange.objects.select_related("state"),
                                            user), user)
    return exchanges.filter(Q(newest_seen=True)) if current_only else exchanges


def get_exchange(user: AnyUser, state: str, year: int, version: int | None = None, *,
                 units: bool = True, holdings: bool = True) -> AnnualExchange:
    """A State's exchange for `year` (the newest version `user` may see unless `version` is
    given: a number as `user` sees it, `seen_version`), with its units and holdings
    prefetched (unless `units` or `holdings` is False: a page that shows neither, or only
    the units) and `newest_seen` annotated; Http404 if missing or hidden."""
    lookup: dict[str, object] = {"state__iso2": state.upper(), "year": year}
    if version is None:
        lookup["newest_seen"] = True
    else:
        lookup["seen_version"] = version
    parts = [part for part, wanted in (
        (Prefetch("units", queryset=ExchangeUnit.objects.select_related("parent")), units),
        (Prefetch("holdings", queryset=ExchangeHolding.objects.select_related("unit")),
         holdings)) if wanted]
    queryset = _newest_seen(access.visible(
        AnnualExchange.objects.select_related("state").prefetch_related(*parts), user), user)
    return access.get_visible_or_404(queryset, user, **lookup)


class HeldQuantity(NamedTuple):
    """What one unit (None: outside any unit) holds of one type of a category, summed."""

    unit_id: int | None
    category: str
    type_name: str
    quantity: int


def exchange_holdings(exchange: AnnualExchange) -> list[HeldQuantity]:
    """The holdings of `exchange` (one `get_exchange` returned: the reader may see it) summed
    per unit, category and type, in one query and without a model instance per row: a large
    exchange has tens of thousands of rows, and its pages need only these sums."""
    rows = (ExchangeHolding.objects.filter(exchange=exchange).order_by()
            .values("unit_id", "category", "type_name").annotate(total=Sum("quantity"))
            .values_list("unit_id", "category", "type_name", "total"))
    return [HeldQuantity(unit, category, type_name, total or 0)
            for unit, category, type_name, total in rows]


def visible_calendars(user: AnyUser, *, current_only: bool = True) -> QuerySet[AnnualCalendar]:
    """Annual calendars with the activities listed in them that `user` may also see."""
    calendars = access.visible(AnnualCalendar.objects.select_related("state"), user)
    calendars = calendars.prefetch_related(
        Prefetch("activities", queryset=visible_activities(user).order_by("start")))
    calendars = _newest_seen(calendars, user)
    return calendars.filter(Q(newest_seen=True)) if current_only else calendars


def visible_visits(user: AnyUser) -> QuerySet[Visit]:
    return access.visible(
        Visit.objects.select_related("receiving_state", "inspecting_state"), user)


def visible_risk_reduction_requests(user: AnyUser) -> QuerySet[RiskReductionRequest]:
    return access.visible(RiskReductionRequest.objects.select_related(
        "requesting_state", "responding_state", "activity"), user)


# -- engine answers over stored records -----------------------------------------------------


def classify_activity(activity: Activity, ruleset: Ruleset | None = None) -> Classification:
    """The engine's classification of a stored activity (by default under the agreed ruleset)."""
    return classify(engine_activity(activity), ruleset or rulesets.get_ruleset())


def engine_visit(visit: Visit) -> quotas.Visit:
    return quotas.Visit(
        kind=quotas.VisitKind(visit.kind),
        receiving_state=visit.receiving_state_id,
        inspecting_state=visit.inspecting_state_id,
        on=visit.on,
        outcome=EngineVisitOutcome(visit.outcome or EngineVisitOutcome.CONDUCTED.value),
        unit=visit.unit_designation or None,
        temporarily_activated=visit.temporarily_activated,
        id=str(visit.pk),
    )


@dataclass(frozen=True)
class QuotaRow:
    """One receiving State's quota board for a year. `units_reported` is None when no
    exchange of that year is visible to the user, and the evaluation board is then unknown."""

    state: str
    state_name: str
    units_reported: int | None
    evaluation: quotas.QuotaBoard | None
    inspection: quotas.QuotaBoard


def quota_board(year: int, user: AnyUser, ruleset: Ruleset | None = None,
                states: Collection[str] | None = None) -> list[QuotaRow]:
    """Every participating State's (or only `states`') evaluation and inspection quota for
    `year`, used and left.

    Visits that are requested but have no outcome yet are counted, as a receiving State must
    plan for them (after the visits with an outcome). Three queries, whatever the number of
    States.
    """
    rules = ruleset or rulesets.get_ruleset()
    exchanges = visible_exchanges(user).filter(year=year)
    visits = visible_visits(user).filter(on__year=year)
    receiving = ParticipatingState.objects.order_by("iso2")
    if states is not None:
        exchanges = exchanges.filter(state__iso2__in=states)
        visits = visits.filter(receiving_state__iso2__in=states)
        receiving = receiving.filter(iso2__in=states)
    units: dict[str, int] = dict(exchanges.values_list("state__iso2", "units_reported"))
    by_state: dict[str, list[quotas.Visit]] = {}
    for visit in sorted(visits, key=lambda v: v.outcome == ""):
        by_state.setdefault(visit.receiving_state_id, []).append(engine_visit(visit))
    rows = []
    for state in receiving:
        state_visits = by_state.get(state.iso2, [])
        reported = units.get(state.iso2)
        rows.append(QuotaRow(
            state=state.iso2,
            state_name=state.name,
            units_reported=reported,
            evaluation=(quotas.evaluation_board(state.iso2, year, reported, state_visits, rules)
                        if reported is not None else None),
            inspection=quotas.inspection_board(state.iso2, year, state_visits, rules),
        ))
    return rows


def state_record(state: str, user: AnyUser, at: date) -> deadlines.StateRecord:
    """What `user` can see that `state` has sent, as the engine's StateRecord."""
    state = state.upper()
    years = range(at.year - 1, at.year + 2)
    exchanges = frozenset(visible_exchanges(user).filter(state__iso2=state, year__in=years)
                          .values_list("year", flat=True))
    calendars = frozenset(visible_calendars(user).filter(state__iso2=state, year__in=years)
                          .values_list("year", flat=True))
    activities = tuple(engine_activity(a) for a in visible_activities(user).filter(
        state__iso2=state, end__year__gte=at.year - 1))
    requests = tuple(
        deadlines.RiskReductionRequest(
            id=str(r.pk), requesting_state=r.requesting_state_id,
            responding_state=r.responding_state_id, requested_at=r.requested_at,
            replied_at=r.replied_at, meeting_requested_at=r.meeting_requested_at,
            meeting_held_at=r.meeting_held_at)
        for r in visible_risk_reduction_requests(user).filter(
            requesting_state__iso2=state) | visible_risk_reduction_requests(user).filter(
            responding_state__iso2=state))
    return deadlines.StateRecord(state=state, annual_exchanges=exchanges,
                                 annual_calendars=calendars, activities=activities,
                                 risk_reduction_requests=requests)


def state_record_updated(state: str, user: AnyUser, at: date) -> datetime | None:
    """When the records `state_record` reads for `user` last changed: the newest visible
    exchange, calendar, activity (its notification is recorded on it) or risk-reduction
    request of the State in the same years; None when none is visible."""
    state = state.upper()
    years = range(at.year - 1, at.year + 2)
    requests = visible_risk_reduction_requests(user).filter(
        Q(requesting_state__iso2=state) | Q(responding_state__iso2=state))
    return updated.latest(
        updated.latest_of(access.visible(AnnualExchange.objects.filter(
            state__iso2=state, year__in=years), user), "created_at"),
        updated.latest_of(access.visible(AnnualCalendar.objects.filter(
            state__iso2=state, year__in=years), user), "created_at"),
        updated.latest_of(visible_activities(user).filter(
            state__iso2=state, end__year__gte=at.year - 1), "updated_at"),
        updated.latest_of(requests, "created_at"))


def due_and_overdue(state: str, at: date | datetime, user: AnyUser,
                    ruleset: Ruleset | None = None, *, horizon_days: int = 30
                    ) -> list[deadlines.DueItem]:
    """What `state` has still to send or do at `at`, as far as `user` can see its records:
    overdue items and those due within `horizon_days`. Deployment plans and defence planning
    are not recorded by the desk yet, so they are left out rather than reported as missing."""
    day = at.date() if isinstance(at, datetime) else at
    record = state_record(state, user, day)
    items = deadlines.due_items(record, at, ruleset or rulesets.get_ruleset(),
                                horizon_days=horizon_days)
    return [i for i in items if i.obligation not in (deadlines.Obligation.DEPLOYMENT_PLANS,
                                                     deadlines.Obligation.DEFENCE_PLANNING)]
