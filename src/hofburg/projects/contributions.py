"""What a State contributed, year by year: its assessed contribution to the Unified Budget
(computed from a scale, with the scale's and the budget's labels), the extra-budgetary money
it gave to the projects the caller may see, and the personnel it seconded to field operations.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db.models import Sum
from django.db.models.functions import ExtractYear

from hofburg.core import updated
from hofburg.core.access import AnyUser
from hofburg.projects.engine.contributions import (
    Assessed,
    BudgetYear,
    Ceiling,
    Scale,
    assessed_contributions,
)
from hofburg.projects.engine.reference import load_scales, load_unified_budget
from hofburg.projects.models import Transaction
from hofburg.projects.queries import transactions_for, visible_projects, visible_secondments


@cache
def _scales(path: Path) -> tuple[list[Ceiling], list[Scale]]:
    return load_scales(path)


def scales() -> tuple[list[Ceiling], list[Scale]]:
    """The ceilings and scales of the deployment's scale file (checked against the ceilings)."""
    return _scales(Path(settings.PROJECTS_SCALES_FILE))


@cache
def unified_budget() -> list[BudgetYear]:
    return load_unified_budget(Path(settings.REFERENCE_DATA_DIR) / "projects" /
                               "unified_budget.yaml")


def assessed_for(iso2: str) -> list[Assessed]:
    """The State's assessed contributions for every year a scale and a budget amount cover."""
    budgets = {b.year: b for b in unified_budget()}
    found: list[Assessed] = []
    for scale in scales()[1]:
        if iso2 not in scale.shares:
            continue
        for year in scale.years:
            budget = budgets.get(year)
            if budget is not None:
                found += [a for a in assessed_contributions(budget, scale) if a.state == iso2]
    return sorted(found, key=lambda a: a.year)


@dataclass
class YearRow:
    year: int
    assessed: Assessed | None = None
    extra_budgetary: Decimal = Decimal(0)
    seconded: int = 0
    contracted: int = 0


@dataclass
class StateContributions:
    iso2: str
    years: list[YearRow] = field(default_factory=list)
    # Extra-budgetary money given, per project (visible ones only).
    projects: list[dict[str, object]] = field(default_factory=list)
    shows_exercise_data: bool = False
    # When the State's money in the visible projects was last recorded, corrected or reversed
    # (the assessed figures come from reference files, the secondments carry no time).
    updated: datetime | None = None

    @property
    def empty(self) -> bool:
        return not self.years


def state_contributions(user: AnyUser, iso2: str) -> StateContributions:
    """Assessed, extra-budgetary and seconded, per year, for the State `iso2` (upper case)."""
    iso2 = iso2.upper()
    rows: dict[int, YearRow] = {}
    for assessed in assessed_for(iso2):
        rows.setdefault(assessed.year, YearRow(assessed.year)).assessed = assessed
    given = transactions_for(user).filter(flow="contribution", donor__iso2=iso2,
                                          donor__is_exercise=False)
    for year, total in (given.order_by().annotate(year=ExtractYear("value_date"))
                        .values("year").annotate(total=Sum("value"))
                        .values_list("year", "total")):
        rows.setdefault(year, YearRow(year)).extra_budgetary = total or Decimal(0)
    seconded = (visible_secondments(user).filter(seconding_state=iso2, is_exercise=False)
                .order_by().values("year")
                .annotate(s=Sum("seconded"), c=Sum("contracted")).values_list("year", "s", "c"))
    for year, s, c in seconded:
        row = rows.setdefault(year, YearRow(year))
        row.seconded, row.contracted = s or 0, c or 0
    projects = list(given.order_by().values("project_id", "project__number", "project__title",
                                            "project__currency")
                    .annotate(total=Sum("value")).order_by("-total")[:20])
    history = Transaction.with_history.filter(
        project__in=visible_projects(user).values("pk"), flow="contribution", donor__iso2=iso2,
        donor__is_exercise=False)
    return StateContributions(iso2=iso2, years=[rows[y] for y in sorted(rows)],
                              projects=projects,
                              updated=updated.latest_of(history, "recorded_at", "superseded_at"))


@dataclass
class Contributor:
    state: str
    by_year: dict[int, tuple[int, int]]  # year -> (seconded, contracted)
    personnel: int = 0                    # seconded and contracted, all years


@dataclass
class FieldOperationContributors:
    field_operation: str
    years: list[int]
    personnel: list[Contributor]          # largest first
    financing: list[dict[str, object]]    # donors to the operation's own projects, largest first

    @property
    def largest_by_personnel(self) -> Contributor | None:
        return self.personnel[0] if self.personnel else None

    @property
    def largest_by_financing(self) -> dict[str, object] | None:
        return self.financing[0] if self.financing else None


def field_operation_contributors(user: AnyUser, code: str) -> FieldOperationContributors:
    """Who contributes to a field operation, as far as `user` may see: seconded and contracted
    personnel per State and year, and the donors of the projects the operation owns (its
    affiliation is `field-<code>`, decision 0032), each list largest first."""
    rows = (visible_secondments(user).filter(field_operation=code).order_by()
            .values("seconding_state", "year")
            .annotate(s=Sum("seconded"), c=Sum("contracted"))
            .values_list("seconding_state", "year", "s", "c"))
    people: dict[str, Contributor] = {}
    years: set[int] = set()
    for state, year, s, c in rows:
        person = people.setdefault(state, Contributor(state, {}))
        person.by_year[year] = (s or 0, c or 0)
        person.personnel += (s or 0) + (c or 0)
        years.add(year)
    financing = list(
        transactions_for(user).filter(flow="contribution",
                                      project__owner_affiliation__code=f"field-{code}")
        .order_by().values("donor__code", "donor__name").annotate(total=Sum("value"))
        .order_by("-total", "donor__name"))
    return FieldOperationContributors(
        field_operation=code, years=sorted(years),
        personnel=sorted(people.values(), key=lambda p: (-p.personnel, p.state)),
        financing=financing)
