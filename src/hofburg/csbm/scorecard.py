"""The compliance scorecard: per participating State and year, what was late, missing or
breached, as far as the user may see the records.

Built with a constant number of queries (States, exchanges, calendars, activities), whatever
the number of States, then judged by the engine: deadlines, classification and Chapter VIII.
A user who may not read restricted records sees what States chose to publish; what is not
visible to them is "not published", never "missing", so nothing hidden is revealed or implied.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Min
from django.utils import timezone
from django.utils.translation import get_language

from hofburg.core import access
from hofburg.core.access import AnyUser
from hofburg.core.i18n import localized
from hofburg.csbm import rulesets
from hofburg.csbm.engine import deadlines, quotas
from hofburg.csbm.engine.activities import Activity as EngineActivity
from hofburg.csbm.engine.constraints import Breach, check_constraints
from hofburg.csbm.engine.rulesets import NotDefinedError, Ruleset
from hofburg.csbm.queries import visible_activities, visible_calendars, visible_exchanges
from hofburg.csbm.services import engine_activity
from hofburg.registry.models import ParticipatingState


class Status:
    """How a yearly submission stands: the engine's standing (`deadlines.Standing`), or not
    published to the reader."""

    ON_TIME = deadlines.Standing.ON_TIME.value
    LATE = deadlines.Standing.LATE.value
    MISSING = deadlines.Standing.MISSING.value  # the deadline has passed and nothing was sent
    NOT_DUE = deadlines.Standing.NOT_DUE.value  # nothing sent, the deadline is still to come
    NOT_PUBLISHED = "not_published"  # nothing the user may see; restricted records may exist


@dataclass(frozen=True)
class ScorecardRow:
    """One State's record for one year.

    `exchange_submitted_on` is the date of the first version (corrections do not make an
    exchange late). Notifications count the activities of the year that the ruleset makes
    notifiable: `late_notifications` were sent after the due date, `missing_notifications`
    were not sent and are overdue. `breaches` are Chapter VIII breaches involving an activity
    starting in the year; `advisories` are the engine's "should" findings.
    """

    state: str
    state_name: str
    year: int
    exchange_status: str
    exchange_submitted_on: date | None
    exchange_due_on: date
    declared_quota_mismatch: bool
    calendar_status: str
    calendar_submitted_on: date | None
    calendar_due_on: date
    notifiable_activities: int
    late_notifications: int
    missing_notifications: int
    breaches: tuple[Breach, ...] = ()
    advisories: tuple[Breach, ...] = ()
    late_activity_references: tuple[str, ...] = field(default=())

    @property
    def issues(self) -> int:
        """The number of findings: late or missing submissions, notifications and breaches."""
        return (int(self.exchange_status in (Status.LATE, Status.MISSING))
                + int(self.calendar_status in (Status.LATE, Status.MISSING))
                + int(self.declared_quota_mismatch)
                + self.late_notifications + self.missing_notifications + len(self.breaches))

    @property
    def clean(self) -> bool:
        return self.issues == 0


def build_scorecard(year: int, user: AnyUser, ruleset: Ruleset | None = None,
                    as_of: date | None = None) -> list[ScorecardRow]:
    """One row per participating State for `year` (the year the exchange is valid for and the
    activities start in), judged under `ruleset` (the agreed one by default) on `as_of`
    (today by default). Four queries, whatever the number of States."""
    rules = ruleset or rulesets.get_ruleset()
    today = as_of or timezone.now().date()
    entitled = access.is_entitled(user)
    exchange_due = deadlines.annual_exchange_deadline(year, rules)
    calendar_due = deadlines.annual_calendar_deadline(year, rules)

    states = list(ParticipatingState.objects.order_by("iso2").values_list("iso2", "names"))
    exchanges = {
        row["state_id"]: row for row in visible_exchanges(user, current_only=False)
        .filter(year=year).values("state_id").annotate(first=Min("submitted_on"))
    }
    current: dict[str, tuple[int, int | None]] = {
        state_id: (units, declared) for state_id, units, declared in
        visible_exchanges(user).filter(year=year)
        .values_list("state__iso2", "units_reported", "declared_evaluation_quota")
    }
    calendars = {
        row["state_id"]: row["first"] for row in visible_calendars(user, current_only=False)
        .filter(year=year).values("state_id").annotate(first=Min("submitted_on"))
    }
    window = rules.count("constraints.large.window_years").value or 1
    by_state: dict[str, list[EngineActivity]] = defaultdict(list)
    for activity in visible_activities(user).filter(
            start__year__gte=year - window + 1, start__year__lte=year).exclude(
            status="cancelled").order_by():
        by_state[activity.state_id].append(engine_activity(activity))

    report = check_constraints([a for own in by_state.values() for a in own], rules,
                               as_of=today, years=[year])
    # References are unique within a State only, so an activity is its State and reference.
    in_year = {(a.state, a.id) for own in by_state.values() for a in own
               if a.start.year == year}
    breaches: dict[str, list[Breach]] = defaultdict(list)
    advisories: dict[str, list[Breach]] = defaultdict(list)
    for found, target in ((report.breaches, breaches), (report.advisories, advisories)):
        for breach in found:
            if (any((breach.state, a) in in_year for a in breach.activities)
                    or breach.period == str(year)):
                target[breach.state].append(breach)

    rows = []
    for iso2, names in states:
        notifications = deadlines.tally_notifications(
            (a for a in by_state.get(iso2, ()) if a.start.year == year), rules, today)
        first_exchange = exchanges.get(iso2, {}).get("first")
        units, declared = current.get(iso2) or (None, None)
        rows.append(ScorecardRow(
            state=iso2,
            state_name=_name(names, iso2),
            year=year,
            exchange_status=_status(first_exchange, exchange_due, today, entitled),
            exchange_submitted_on=first_exchange,
            exchange_due_on=exchange_due,
            declared_quota_mismatch=_quota_mismatch(units, declared, rules),
            calendar_status=_status(calendars.get(iso2), calendar_due, today, entitled),
            calendar_submitted_on=calendars.get(iso2),
            calendar_due_on=calendar_due,
            notifiable_activities=notifications.notifiable,
            late_notifications=notifications.late,
            missing_notifications=notifications.missing,
            breaches=tuple(breaches.get(iso2, ())),
            advisories=tuple(advisories.get(iso2, ())),
            late_activity_references=notifications.overdue,
        ))
    return rows


def _status(submitted_on: date | None, due: date, today: date, entitled: bool) -> str:
    if submitted_on is None and not entitled:
        return Status.NOT_PUBLISHED
    return deadlines.standing(submitted_on, due, today).value


def _quota_mismatch(units: int | None, declared: int | None, rules: Ruleset) -> bool:
    # (10.1.1): the declared quota must equal the one computed under (109).
    if units is None or declared is None:
        return False
    try:
        return not quotas.check_declared_evaluation_quota(units, declared, rules).matches
    except NotDefinedError:
        return False


def _name(names: dict[str, str], iso2: str) -> str:
    return localized(names, get_language(), fallback=iso2)
