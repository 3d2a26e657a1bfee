from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from hofburg.projects.engine.money import (
    BudgetLine,
    Flow,
    MoneyError,
    Rate,
    Rates,
    Transaction,
    balances,
    monthly_burn,
    rounded,
    total_budget,
    totals_by_donor_and_year,
    totals_by_earmark,
)

TRANSACTIONS = [
    Transaction(Flow.PLEDGE, D("100000"), date(2025, 1, 10), donor="XA"),
    Transaction(Flow.AGREEMENT, D("80000"), date(2025, 2, 1), donor="XA"),
    Transaction(Flow.CONTRIBUTION, D("50000"), date(2025, 3, 1), donor="XA", earmark="training"),
    Transaction(Flow.CONTRIBUTION, D("20000"), date(2026, 3, 1), donor="XA"),
    Transaction(Flow.CONTRIBUTION, D("10000"), date(2025, 6, 1), donor="EU"),
    Transaction(Flow.EXPENDITURE, D("30000"), date(2025, 4, 30)),
    Transaction(Flow.EXPENDITURE, D("15000"), date(2025, 6, 30)),
]
LINES = [BudgetLine(2025, D("90000"), D("120000")), BudgetLine(2026, D("30000"))]


def test_balances_are_computed_from_the_transactions_and_the_revised_budget() -> None:
    figures = balances(LINES, TRANSACTIONS)
    assert figures.budget == D("150000")  # 120,000 revised + 30,000 original
    assert (figures.pledged, figures.agreed, figures.received, figures.spent) == (
        D("100000"), D("80000"), D("80000"), D("45000"))
    assert figures.cash_balance == D("35000")
    assert figures.unfunded == D("70000")
    assert figures.outstanding == D("0")
    assert figures.burn_rate == D("0.3")


def test_a_project_without_a_budget_has_no_burn_rate() -> None:
    assert balances([], TRANSACTIONS).burn_rate is None


def test_two_budget_lines_for_one_year_are_refused() -> None:
    with pytest.raises(MoneyError, match="2025"):
        total_budget([BudgetLine(2025, D(1)), BudgetLine(2025, D(2))])


def test_a_negative_transaction_is_refused() -> None:
    with pytest.raises(MoneyError):
        balances([], [Transaction(Flow.EXPENDITURE, D("-1"), date(2025, 1, 1))])


def test_monthly_burn_averages_expenditure_over_whole_months() -> None:
    # April to June 2025: three months, 45,000 spent.
    assert monthly_burn(TRANSACTIONS, date(2025, 4, 1), date(2025, 6, 30)) == D("15000")
    with pytest.raises(MoneyError):
        monthly_burn(TRANSACTIONS, date(2025, 6, 1), date(2025, 4, 1))


def test_totals_per_donor_and_year_and_per_earmark() -> None:
    assert totals_by_donor_and_year(TRANSACTIONS) == {
        ("XA", 2025): D("50000"), ("XA", 2026): D("20000"), ("EU", 2025): D("10000")}
    assert totals_by_donor_and_year(TRANSACTIONS, Flow.PLEDGE) == {("XA", 2025): D("100000")}
    assert totals_by_earmark(TRANSACTIONS) == {"training": D("50000"), "": D("30000")}


def test_conversion_uses_the_latest_rate_on_or_before_the_value_date() -> None:
    rates = Rates([Rate("USD", "EUR", D("0.90"), date(2025, 1, 1)),
                   Rate("USD", "EUR", D("0.95"), date(2025, 3, 1))])
    amount = rates.convert(D("1000"), "USD", "EUR", date(2025, 2, 15))
    assert amount.value == D("900.00") and amount.currency == "EUR"
    assert amount.rate is not None and amount.rate.on == date(2025, 1, 1)
    assert rates.convert(D("1000"), "USD", "EUR", date(2025, 3, 1)).value == D("950.00")
    assert rates.convert(D("5"), "EUR", "EUR", date(2000, 1, 1)).rate is None


def test_conversion_without_a_rate_before_the_date_is_refused() -> None:
    rates = Rates([Rate("USD", "EUR", D("0.9"), date(2025, 1, 1))])
    with pytest.raises(MoneyError, match="on or before 2024-12-31"):
        rates.convert(D("1"), "USD", "EUR", date(2024, 12, 31))
    with pytest.raises(MoneyError):
        Rates([Rate("USD", "EUR", D("0"), date(2025, 1, 1))])


def test_rounding_is_to_the_cent_half_to_even() -> None:
    assert rounded(D("0.125")) == D("0.12") and rounded(D("0.135")) == D("0.14")
