"""Money: amounts in a currency, converted at an exchange rate of a stated date, and the figures
a project's transactions give (balances, burn rate, totals per donor and year).

Every figure here is computed from the transactions; none is ever typed. Amounts are `Decimal`
rounded to the cent only when shown, so sums do not drift.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from enum import StrEnum

CENT = Decimal("0.01")


class MoneyError(ValueError):
    """An amount that cannot be computed (a missing exchange rate, a negative amount)."""


class Flow(StrEnum):
    """What a transaction records, in the order money moves through a project.

    The IATI transaction type codes (human-dimension.md §5.2) are in `IATI_TRANSACTION_TYPE`.
    """

    PLEDGE = "pledge"            # a donor's announced intention (IATI 13 Incoming Pledge)
    AGREEMENT = "agreement"      # the signed contribution agreement (IATI 11 Incoming Commitment)
    CONTRIBUTION = "contribution"  # the funds received (IATI 1 Incoming Funds)
    EXPENDITURE = "expenditure"  # money spent in a period (IATI 4 Expenditure)


IATI_TRANSACTION_TYPE: dict[Flow, str] = {
    Flow.PLEDGE: "13",
    Flow.AGREEMENT: "11",
    Flow.CONTRIBUTION: "1",
    Flow.EXPENDITURE: "4",
}


@dataclass(frozen=True)
class Rate:
    """Units of `to_currency` for one unit of `from_currency`, as published on `on`."""

    from_currency: str
    to_currency: str
    rate: Decimal
    on: date


@dataclass(frozen=True)
class Amount:
    value: Decimal
    currency: str
    # The exchange rate used to bring it into `currency`, when it was converted.
    rate: Rate | None = None


class Rates:
    """Exchange rates by currency pair and date; a conversion uses the latest rate on or before
    the transaction's value date (never one published after it)."""

    def __init__(self, rates: Iterable[Rate] = ()) -> None:
        self._by_pair: dict[tuple[str, str], list[Rate]] = defaultdict(list)
        for rate in rates:
            if rate.rate <= 0:
                raise MoneyError(f"An exchange rate must be positive: {rate}.")
            self._by_pair[(rate.from_currency, rate.to_currency)].append(rate)
        for listed in self._by_pair.values():
            listed.sort(key=lambda r: r.on)

    def rate_for(self, from_currency: str, to_currency: str, on: date) -> Rate:
        listed = self._by_pair.get((from_currency, to_currency), [])
        found = None
        for rate in listed:
            if rate.on > on:
                break
            found = rate
        if found is None:
            raise MoneyError(f"No {from_currency}→{to_currency} exchange rate on or before {on}.")
        return found

    def convert(self, value: Decimal, currency: str, to_currency: str, on: date) -> Amount:
        """`value` in `currency` expressed in `to_currency` at the rate of `on` (or before)."""
        if currency == to_currency:
            return Amount(value, currency)
        rate = self.rate_for(currency, to_currency, on)
        return Amount(value * rate.rate, to_currency, rate)


@dataclass(frozen=True)
class Transaction:
    """One movement of money on a project, in the project's reporting currency already
    (converted with `Rates.convert` when it was entered in another)."""

    flow: Flow
    value: Decimal
    on: date
    donor: str = ""  # the donor's code (a State's ISO alpha-2, "EU", ...); blank for expenditure
    earmark: str = ""


@dataclass(frozen=True)
class Balances:
    """A project's money position, all in its reporting currency."""

    budget: Decimal        # the latest budget (revised where there is one), all years
    pledged: Decimal
    agreed: Decimal
    received: Decimal
    spent: Decimal

    @property
    def cash_balance(self) -> Decimal:
        """Received and not yet spent."""
        return self.received - self.spent

    @property
    def unfunded(self) -> Decimal:
        """Budget not yet covered by an agreement (never below zero)."""
        return max(self.budget - self.agreed, Decimal(0))

    @property
    def outstanding(self) -> Decimal:
        """Agreed and not yet received (never below zero)."""
        return max(self.agreed - self.received, Decimal(0))

    @property
    def burn_rate(self) -> Decimal | None:
        """Share of the budget spent, 0..1 (above 1 when overspent); None without a budget."""
        if self.budget <= 0:
            return None
        return self.spent / self.budget


@dataclass(frozen=True)
class BudgetLine:
    """The budget of one year; `revised` replaces `original` when present."""

    year: int
    original: Decimal
    revised: Decimal | None = None

    @property
    def current(self) -> Decimal:
        return self.revised if self.revised is not None else self.original


def total_budget(lines: Iterable[BudgetLine]) -> Decimal:
    seen: set[int] = set()
    total = Decimal(0)
    for line in lines:
        if line.year in seen:
            raise MoneyError(f"Two budget lines for {line.year}.")
        seen.add(line.year)
        total += line.current
    return total


def balances(lines: Iterable[BudgetLine], transactions: Iterable[Transaction]) -> Balances:
    """The money position a project's budget lines and transactions give."""
    sums: dict[Flow, Decimal] = {flow: Decimal(0) for flow in Flow}
    for transaction in transactions:
        if transaction.value < 0:
            raise MoneyError("A transaction's value may not be negative.")
        sums[transaction.flow] += transaction.value
    return Balances(
        budget=total_budget(lines),
        pledged=sums[Flow.PLEDGE],
        agreed=sums[Flow.AGREEMENT],
        received=sums[Flow.CONTRIBUTION],
        spent=sums[Flow.EXPENDITURE],
    )


def monthly_burn(transactions: Iterable[Transaction], start: date, until: date) -> Decimal:
    """Average expenditure per month from `start` to `until` (whole months, at least one)."""
    if until < start:
        raise MoneyError("The period ends before it starts.")
    months = max((until.year - start.year) * 12 + until.month - start.month + 1, 1)
    spent = sum((t.value for t in transactions
                 if t.flow is Flow.EXPENDITURE and start <= t.on <= until), Decimal(0))
    return spent / months


def totals_by_donor_and_year(
    transactions: Iterable[Transaction], flow: Flow = Flow.CONTRIBUTION
) -> dict[tuple[str, int], Decimal]:
    """The sum of `flow` per (donor, year), e.g. contributions received per donor per year."""
    totals: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    for transaction in transactions:
        if transaction.flow is flow:
            totals[(transaction.donor, transaction.on.year)] += transaction.value
    return dict(totals)


def totals_by_earmark(transactions: Iterable[Transaction]) -> Mapping[str, Decimal]:
    """Contributions received per earmark ('' for unearmarked funds)."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for transaction in transactions:
        if transaction.flow is Flow.CONTRIBUTION:
            totals[transaction.earmark] += transaction.value
    return dict(totals)


def rounded(value: Decimal) -> Decimal:
    """`value` to the cent, half to even (as accounts round)."""
    return value.quantize(CENT, rounding=ROUND_HALF_EVEN)
