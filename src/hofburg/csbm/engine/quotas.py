"""Chapter IX verification quotas: evaluation visits and inspections, and their bookkeeping.

A receiving State's passive quota is what it must accept in a calendar year; it may accept
more. Visits that the ruleset says do not count (force majeure for inspections, a visit
declined because the unit is away from its peacetime location for evaluations) are kept on
the board but not counted. A value the ruleset does not define raises NotDefinedError.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from hofburg.csbm.engine.rulesets import Citation, Provision, Ruleset
from hofburg.csbm.engine.terms import VisitOutcome


class VisitKind(StrEnum):
    EVALUATION = "evaluation"
    INSPECTION = "inspection"


@dataclass(frozen=True)
class Visit:
    """An inspection or evaluation visit received by one State from another.

    `unit` is the formation or unit evaluated (evaluations only); `temporarily_activated`
    marks a visit to a non-active unit during its activation (108.1).
    """

    kind: VisitKind
    receiving_state: str
    inspecting_state: str
    on: date
    outcome: VisitOutcome = VisitOutcome.CONDUCTED
    unit: str | None = None
    temporarily_activated: bool = False
    id: str = ""

    def __post_init__(self) -> None:
        if self.receiving_state == self.inspecting_state:
            raise ValueError(f"{self.receiving_state} cannot receive a visit from itself")


def evaluation_quota(units_reported: int, ruleset: Ruleset) -> int:
    """(109): one visit a calendar year for every N units reported under (10), or portion
    thereof, and no more than the yearly maximum."""
    if units_reported < 0:
        raise ValueError("units_reported must be 0 or more")
    per = ruleset.required(ruleset.count("evaluation.units_per_visit"))
    most = ruleset.required(ruleset.count("evaluation.max_per_year"))
    return min(-(-units_reported // per), most)  # ceiling division: "or portion thereof"


def evaluation_same_state_cap(quota: int, ruleset: Ruleset) -> int:
    """(109): visits a State must accept from any one other State in a calendar year.

    Not more than one-fifth of its quota (read as quota // 5); with a quota below five, one.
    """
    if quota < 0:
        raise ValueError("quota must be 0 or more")
    if quota == 0:
        return 0
    below = ruleset.required(ruleset.count("evaluation.small_quota_below"))
    if quota < below:
        return ruleset.required(ruleset.count("evaluation.small_quota_same_state_max"))
    return quota // ruleset.required(ruleset.count("evaluation.same_state_share_denominator"))


def inspection_quota(ruleset: Ruleset) -> int:
    """Inspections a State must accept in a calendar year."""
    return ruleset.required(ruleset.count("inspection.max_per_year"))


def inspection_same_state_cap(ruleset: Ruleset) -> int:
    """Inspections a State must accept from any one other State in a calendar year."""
    return min(ruleset.required(ruleset.count("inspection.max_per_state_per_year")),
               inspection_quota(ruleset))


@dataclass(frozen=True)
class QuotaDeclaration:
    """(10.1.1): the evaluation quota a State declares with its annual exchange, checked."""

    units_reported: int
    declared: int
    computed: int
    citations: tuple[Citation, ...]

    @property
    def matches(self) -> bool:
        return self.declared == self.computed


def check_declared_evaluation_quota(units_reported: int, declared: int,
                                    ruleset: Ruleset) -> QuotaDeclaration:
    """Compare the quota declared under (10.1.1) with the one computed under (109)."""
    return QuotaDeclaration(
        units_reported=units_reported,
        declared=declared,
        computed=evaluation_quota(units_reported, ruleset),
        citations=tuple(ruleset.cite(k) for k in (
            "annual_exchange.declares_evaluation_quota", "evaluation.units_per_visit",
            "evaluation.max_per_year")),
    )


@dataclass(frozen=True)
class QuotaBoard:
    """Used and remaining quota of one receiving State, for one kind of visit and one year."""

    kind: VisitKind
    receiving_state: str
    year: int
    quota: int
    same_state_cap: int
    counted: tuple[Visit, ...]
    not_counted: tuple[Visit, ...]
    citations: tuple[Citation, ...]
    per_unit_cap: int | None = None  # evaluations: visits per formation or unit and year
    per_unit_same_state_cap: int | None = None
    max_at_once: int | None = None  # evaluations: visits at any given time (110)

    @property
    def used(self) -> int:
        return len(self.counted)

    @property
    def remaining(self) -> int:
        return max(0, self.quota - self.used)

    @property
    def filled(self) -> bool:
        """(109.1) for evaluations: the State informs all others when its quota is filled."""
        return self.used >= self.quota

    def used_by(self, inspecting_state: str) -> int:
        return sum(1 for v in self.counted if v.inspecting_state == inspecting_state)

    def remaining_for(self, inspecting_state: str) -> int:
        """What `inspecting_state` may still ask of this State this year under the quota."""
        return min(self.remaining, max(0, self.same_state_cap - self.used_by(inspecting_state)))


@dataclass(frozen=True)
class Decision:
    """Whether the receiving State is obliged to accept a request; the reasons if not."""

    obliged: bool
    reasons: tuple[str, ...]
    citations: tuple[Citation, ...]


def evaluation_board(receiving_state: str, year: int, units_reported: int,
                     visits: Iterable[Visit], ruleset: Ruleset) -> QuotaBoard:
    """The evaluation quota of `receiving_state` in `year` and the visits counted against it."""
    quota = evaluation_quota(units_reported, ruleset)
    keys = ("evaluation.units_per_visit", "evaluation.max_per_year",
            "evaluation.same_state_share_denominator", "evaluation.small_quota_below",
            "evaluation.small_quota_same_state_max", "evaluation.not_counted",
            "evaluation.activated_units_count")
    counted, not_counted = _sort(VisitKind.EVALUATION, receiving_state, year, visits, ruleset)
    return QuotaBoard(
        kind=VisitKind.EVALUATION,
        receiving_state=receiving_state,
        year=year,
        quota=quota,
        same_state_cap=evaluation_same_state_cap(quota, ruleset),
        counted=counted,
        not_counted=not_counted,
        citations=tuple(ruleset.cite(k) for k in keys if ruleset.provision(k).stated),
        per_unit_cap=ruleset.count("evaluation.max_per_unit_per_year").value,
        per_unit_same_state_cap=ruleset.count("evaluation.max_per_unit_per_state_per_year").value,
        max_at_once=ruleset.count("evaluation.max_at_once").value,
    )


def inspection_board(receiving_state: str, year: int, visits: Iterable[Visit],
                     ruleset: Ruleset) -> QuotaBoard:
    """The inspection quota of `receiving_state` in `year` and the inspections counted."""
    keys = ("inspection.max_per_year", "inspection.max_per_state_per_year",
            "inspection.not_counted")
    counted, not_counted = _sort(VisitKind.INSPECTION, receiving_state, year, visits, ruleset)
    return QuotaBoard(
        kind=VisitKind.INSPECTION,
        receiving_state=receiving_state,
        year=year,
        quota=inspection_quota(ruleset),
        same_state_cap=inspection_same_state_cap(ruleset),
        counted=counted,
        not_counted=not_counted,
        citations=tuple(ruleset.cite(k) for k in keys if ruleset.provision(k).stated),
    )


def obliged_to_accept(board: QuotaBoard, inspecting_state: str, on: date, ruleset: Ruleset,
                      unit: str | None = None) -> Decision:
    """Whether `board.receiving_state` must accept a request from `inspecting_state` for `on`."""
    if inspecting_state == board.receiving_state:
        raise ValueError(f"{inspecting_state} cannot request a visit to itself")
    if on.year != board.year:
        raise ValueError(f"the board is for {board.year}, the request for {on.year}")
    prefix = board.kind.value
    reasons: list[str] = []
    cited: list[Provision[Any]] = []
    if board.remaining == 0:
        reasons.append(f"its {board.kind} quota of {board.quota} for {board.year} is filled")
        cited.append(ruleset.provision(f"{prefix}.max_per_year"))
    if board.used_by(inspecting_state) >= board.same_state_cap:
        reasons.append(f"it has received {board.used_by(inspecting_state)} from "
                       f"{inspecting_state} this year, the most it must accept from one State")
        cited.append(ruleset.provision(
            "evaluation.same_state_share_denominator" if board.kind is VisitKind.EVALUATION
            else "inspection.max_per_state_per_year"))
    if board.kind is VisitKind.EVALUATION:
        reasons += _evaluation_limits(board, inspecting_state, on, unit, ruleset, cited)
    return Decision(obliged=not reasons, reasons=tuple(reasons),
                    citations=tuple(ruleset.cite(p) for p in cited))


def _evaluation_limits(board: QuotaBoard, inspecting_state: str, on: date, unit: str | None,
                       ruleset: Ruleset, cited: list[Provision[Any]]) -> list[str]:
    reasons = []
    conducted = [v for v in board.counted if v.outcome is VisitOutcome.CONDUCTED]
    if unit is not None:
        to_unit = [v for v in conducted if v.unit == unit]
        if board.per_unit_cap is not None and len(to_unit) >= board.per_unit_cap:
            reasons.append(f"{unit} has been visited {len(to_unit)} times this year")
            cited.append(ruleset.provision("evaluation.max_per_unit_per_year"))
        by_state = [v for v in to_unit if v.inspecting_state == inspecting_state]
        if (board.per_unit_same_state_cap is not None
                and len(by_state) >= board.per_unit_same_state_cap):
            reasons.append(f"{inspecting_state} has visited {unit} this year already")
            cited.append(ruleset.provision("evaluation.max_per_unit_per_state_per_year"))
    same_day = [v for v in conducted if v.on == on]
    if board.max_at_once is not None and len(same_day) >= board.max_at_once:
        reasons.append(f"another evaluation visit takes place on {on}")
        cited.append(ruleset.provision("evaluation.max_at_once"))
    return reasons


def counts_against_quota(visit: Visit, ruleset: Ruleset) -> bool:
    """Whether a visit uses up quota: not when the ruleset lists its outcome as not counted."""
    not_counted = ruleset.outcomes(f"{visit.kind.value}.not_counted").value or ()
    if visit.outcome in not_counted:
        return False
    if visit.kind is VisitKind.EVALUATION and visit.temporarily_activated:
        # (108.1): visits to units during a temporary activation count against the quota.
        return ruleset.flag("evaluation.activated_units_count").value is not False
    return True


def _sort(kind: VisitKind, receiving_state: str, year: int, visits: Iterable[Visit],
          ruleset: Ruleset) -> tuple[tuple[Visit, ...], tuple[Visit, ...]]:
    relevant = sorted(
        (v for v in visits
         if v.kind is kind and v.receiving_state == receiving_state and v.on.year == year),
        key=lambda v: (v.on, v.inspecting_state, v.id))
    counted = tuple(v for v in relevant if counts_against_quota(v, ruleset))
    return counted, tuple(v for v in relevant if v not in counted)
