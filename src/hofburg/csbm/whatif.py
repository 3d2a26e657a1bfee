"""What-if: how the answers for a set of activities change from one ruleset to another.

Used to weigh a modernization proposal against the agreed text, e.g. whether Zapad 2017's
declared figures would have made it subject to observation under the 2019 Joint Proposal.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from hofburg.core.access import AnyUser
from hofburg.csbm.engine.activities import Activity as EngineActivity
from hofburg.csbm.engine.classify import Classification, classify
from hofburg.csbm.engine.rulesets import Ruleset
from hofburg.csbm.queries import visible_activities
from hofburg.csbm.services import engine_activity


@dataclass(frozen=True)
class ActivityDifference:
    """One activity's answers under rulesets A and B. `changed` lists the answers that differ:
    notifiable, observable, notify_by, invite_by, notification_undetermined,
    observation_undetermined."""

    activity_id: str
    state: str
    start: date
    a: Classification
    b: Classification
    changed: tuple[str, ...]


@dataclass(frozen=True)
class WhatIfSummary:
    ruleset_a: str
    ruleset_b: str
    activities: int
    changed: int
    notifiable_a: int
    notifiable_b: int
    observable_a: int
    observable_b: int
    undetermined_b: int  # activities whose answer under B turns on a figure B does not give
    proposal_involved: bool


@dataclass(frozen=True)
class WhatIf:
    rows: list[ActivityDifference]
    summary: WhatIfSummary

    @property
    def differences(self) -> list[ActivityDifference]:
        """Only the activities whose answers change."""
        return [row for row in self.rows if row.changed]


_ANSWERS = ("notifiable", "observable", "notify_by", "invite_by", "notification_undetermined",
            "observation_undetermined")


def compare_rulesets(activities: Iterable[EngineActivity], ruleset_a: Ruleset,
                     ruleset_b: Ruleset) -> WhatIf:
    """Classify every activity under both rulesets; one row per activity, and a summary."""
    rows = []
    for activity in activities:
        a, b = classify(activity, ruleset_a), classify(activity, ruleset_b)
        changed = tuple(name for name in _ANSWERS if getattr(a, name) != getattr(b, name))
        rows.append(ActivityDifference(activity.id, activity.state, activity.start, a, b,
                                       changed))
    summary = WhatIfSummary(
        ruleset_a=ruleset_a.id,
        ruleset_b=ruleset_b.id,
        activities=len(rows),
        changed=sum(1 for r in rows if r.changed),
        notifiable_a=sum(1 for r in rows if r.a.notifiable),
        notifiable_b=sum(1 for r in rows if r.b.notifiable),
        observable_a=sum(1 for r in rows if r.a.observable),
        observable_b=sum(1 for r in rows if r.b.observable),
        undetermined_b=sum(1 for r in rows if r.b.notification_undetermined
                           or r.b.observation_undetermined),
        proposal_involved=ruleset_a.is_proposal or ruleset_b.is_proposal,
    )
    return WhatIf(rows, summary)


def compare_visible_activities(user: AnyUser, ruleset_a: Ruleset, ruleset_b: Ruleset, *,
                               year: int | None = None, state: str | None = None) -> WhatIf:
    """`compare_rulesets` over the stored activities `user` may see (one query)."""
    activities = visible_activities(user).exclude(status="cancelled").order_by("start", "pk")
    if year is not None:
        activities = activities.filter(start__year=year)
    if state:
        activities = activities.filter(state__iso2=state.upper())
    return compare_rulesets((engine_activity(a) for a in activities), ruleset_a, ruleset_b)
