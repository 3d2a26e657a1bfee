"""The Unified Budget and the scales of contributions (osce-organization.md §2.7).

The Unified Budget is adopted by the Permanent Council; participating States pay their share
of it by one of two scales: the standard ("Helsinki") scale and the field-operations
("Vienna") scale. PC.DEC/408 (2001) set a ceiling of 14 % on the field-operations scale: no
State's share of that scale may exceed it. The ceiling is a rule read from the data file, never
a number in code; the shares come from a scale file a deployment provides, and a scale whose
percentages are not confirmed keeps its label in every figure computed from it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class ScaleError(ValueError):
    """A scale that breaks a rule (a share above the ceiling, shares above 100 %)."""


class ScaleKind(StrEnum):
    STANDARD = "standard"                  # the "Helsinki" scale
    FIELD_OPERATIONS = "field_operations"  # the "Vienna" scale


@dataclass(frozen=True)
class Ceiling:
    """No State's share of a `kind` scale may exceed `percent` (a rule with its source)."""

    kind: ScaleKind
    percent: Decimal
    source: str
    confidence: str


@dataclass(frozen=True)
class Scale:
    """One scale of contributions: each State's share in percent, with its label.

    `complete` is False for a scale that names only some States (press figures): assessed
    contributions are computed for those States only and the figures say so.
    """

    code: str
    kind: ScaleKind | None  # None: the source does not say which scale
    years: tuple[int, ...]
    shares: Mapping[str, Decimal]
    source: str
    confidence: str
    approximate: bool = False
    complete: bool = True


@dataclass(frozen=True)
class Breach:
    state: str
    share: Decimal
    ceiling: Decimal


def ceiling_breaches(scale: Scale, ceilings: list[Ceiling]) -> list[Breach]:
    """The States whose share of `scale` is above the ceiling for the scale's kind."""
    breaches: list[Breach] = []
    for ceiling in ceilings:
        if scale.kind is not ceiling.kind:
            continue
        breaches += [Breach(state, share, ceiling.percent)
                     for state, share in sorted(scale.shares.items())
                     if share > ceiling.percent]
    return breaches


def check_scale(scale: Scale, ceilings: list[Ceiling]) -> None:
    """Refuse a scale with a negative share, shares over 100 %, an incomplete scale whose shares
    do not sum to 100 % when it claims to be complete, or a share above its ceiling."""
    if any(share < 0 for share in scale.shares.values()):
        raise ScaleError(f"Scale {scale.code}: a share may not be negative.")
    total = sum(scale.shares.values(), Decimal(0))
    if total > 100:
        raise ScaleError(f"Scale {scale.code}: the shares add up to {total} %, above 100 %.")
    if scale.complete and not scale.approximate and total != 100:
        raise ScaleError(f"Scale {scale.code}: a complete scale must add up to 100 %, "
                         f"not {total} %.")
    breaches = ceiling_breaches(scale, ceilings)
    if breaches:
        first = breaches[0]
        raise ScaleError(f"Scale {scale.code}: {first.state}'s share {first.share} % is above "
                         f"the {first.ceiling} % ceiling.")


@dataclass(frozen=True)
class BudgetYear:
    """The Unified Budget of one year as the domain reference gives it."""

    year: int
    amount_eur: Decimal | None   # None where no amount is known (provisional allotments)
    adopted: bool                # False: no budget adopted (provisional allotments) or a proposal
    label: str                   # the reference's confidence label for the amount
    approximate: bool
    note: str
    source: str


@dataclass(frozen=True)
class Assessed:
    """A State's assessed contribution for one year, with the labels it inherits."""

    state: str
    year: int
    share: Decimal
    amount_eur: Decimal
    scale_code: str
    scale_confidence: str
    budget_label: str
    approximate: bool


def assessed_contributions(budget: BudgetYear, scale: Scale,
                           part: Decimal = Decimal(1)) -> list[Assessed]:
    """Each State's contribution to `part` of the year's budget by `scale` (in euros).

    `part` is the share of the budget the scale applies to (1 = all of it). A year with no known
    amount gives nothing; figures from an approximate scale or budget are marked approximate.
    """
    if budget.amount_eur is None:
        return []
    if budget.year not in scale.years:
        raise ScaleError(f"Scale {scale.code} does not apply to {budget.year}.")
    base = budget.amount_eur * part
    return [
        Assessed(state=state, year=budget.year, share=share, amount_eur=base * share / 100,
                 scale_code=scale.code, scale_confidence=scale.confidence,
                 budget_label=budget.label,
                 approximate=scale.approximate or budget.approximate)
        for state, share in sorted(scale.shares.items())
    ]
