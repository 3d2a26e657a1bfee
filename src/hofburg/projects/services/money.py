"""Money: donors, a project's budget per year (original, revised) and its transactions
(pledges, agreements, contributions received, expenditure per period), converted into the
project's currency at a stated rate of a stated date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction

from hofburg.core.access import AnyUser
from hofburg.core.errors import Conflict, Invalid
from hofburg.core.models import User
from hofburg.core.services.audit import record_change, snapshot
from hofburg.projects import bounds
from hofburg.projects.engine.money import Flow
from hofburg.projects.models import BudgetLine, Donor, Transaction
from hofburg.projects.services.common import (
    day,
    iati_code,
    money,
    project_for_editing,
    text,
    year,
)
from hofburg.registry.models import ParticipatingState, Partner


def ensure_donor(code: str, *, kind: str, name: str, iso2: str = "", iati_ref: str = "",
                 iati_type: str = "10", is_exercise: bool = False) -> Donor:
    """The donor with this code, created if missing (reference data: the loader, the demo and
    imports call it; idempotent)."""
    code = text(code, "code", max_length=bounds.MAX_DONOR_CODE, required=True)
    if kind not in Donor.Kind.values:
        raise Invalid(f"Unknown kind of donor {kind!r}.", field="kind")
    iati_code("OrganisationType", iati_type, "iati_type")
    with transaction.atomic():
        donor, created = Donor.objects.get_or_create(code=code, defaults={
            "kind": kind, "name": text(name, "name", max_length=bounds.MAX_DONOR_NAME,
                                         required=True),
            "iso2": iso2.upper(), "iati_ref": iati_ref, "iati_type": iati_type,
            "is_exercise": is_exercise})
        if created:
            record_change(None, "create", donor, None, snapshot(donor))
    return donor


def ensure_registry_donors() -> list[Donor]:
    """A donor for every participating State and Partner for Co-operation in the registry, and
    the European Union; codes are the lower-case ISO alpha-2 codes (`at`, `jp`) and `eu`.
    Idempotent: existing donors are left as they are. Returns the donors created."""
    created = []
    with transaction.atomic():
        wanted = [(s.iso2, s.name, Donor.Kind.PARTICIPATING_STATE)
                  for s in ParticipatingState.objects.all()]
        wanted += [(p.iso2, p.name, Donor.Kind.PARTNER) for p in Partner.objects.all()]
        for iso2, name, kind in wanted:
            if not Donor.objects.filter(code=iso2.lower()).exists():
                created.append(ensure_donor(iso2.lower(), kind=kind, name=str(name), iso2=iso2))
        if not Donor.objects.filter(code="eu").exists():
            # The IATI organisation type of the EU institutions: 40 Multilateral.
            created.append(ensure_donor("eu", kind=Donor.Kind.EUROPEAN_UNION,
                                        name="European Union", iati_type="40"))
    return created


def set_budget_line(user: AnyUser, project_id: int, *, year_: int, original: Decimal,
                    revised: Decimal | None = None) -> BudgetLine:
    """Set the budget of one year; a second call for the year revises it (the original stays
    unless given anew)."""
    year(year_, "year")
    original = money(original, "original")
    revised_amount = money(revised, "revised") if revised is not None else None
    with transaction.atomic():
        project = project_for_editing(user, project_id)
        line = BudgetLine.objects.filter(project=project, year=year_).first()
        before = snapshot(line) if line else None
        if line is None:
            line = BudgetLine.objects.create(project=project, year=year_, original=original,
                                             revised=revised_amount)
        else:
            line.original, line.revised = original, revised_amount
            line.save()
        record_change(user, "update" if before else "create", line, before, snapshot(line))
    return line


@dataclass(frozen=True)
class TransactionIn:
    """Money given to or spent by a project, as entered.

    Pledges, agreements and contributions name their donor; expenditure names none and may
    give its period. A value in another currency than the project's gives the exchange rate
    (units of the project's currency per unit) and the date it was published.
    """

    flow: str
    value: Decimal
    value_date: date
    donor: str = ""
    currency: str = ""
    rate: Decimal | None = None
    rate_date: date | None = None
    period_start: date | None = None
    period_end: date | None = None
    earmark: str = ""
    donor_activity_id: str = ""
    description: str = ""


def _check_period(given: TransactionIn) -> None:
    if (given.period_start is None) != (given.period_end is None):
        raise Invalid("A period has both a start and an end.", field="period_end")
    if given.period_start is not None and given.period_end is not None:
        day(given.period_start, "period_start")
        day(given.period_end, "period_end")
        if given.period_end < given.period_start:
            raise Invalid("The period ends before it starts.", field="period_end")


def _donor(given: TransactionIn) -> Donor | None:
    if given.flow == Flow.EXPENDITURE:
        if given.donor:
            raise Invalid("Expenditure names no donor.", field="donor")
        return None
    donor = Donor.objects.filter(code=given.donor).first()
    if donor is None:
        raise Invalid(f"Unknown donor {given.donor!r}.", field="donor")
    return donor


def _converted(given: TransactionIn, amount: Decimal,
               project_currency: str) -> tuple[Decimal, Decimal | None]:
    """(value in the project's currency, the rate used or None)."""
    currency = (given.currency or project_currency).upper()
    if currency == project_currency:
        if given.rate is not None:
            raise Invalid("A value in the project's currency takes no exchange rate.",
                          field="rate")
        return amount, None
    iati_code("Currency", currency, "currency")
    if given.rate is None or given.rate_date is None:
        raise Invalid(f"A value in {currency} needs the exchange rate to "
                      f"{project_currency} and its date.", field="rate")
    try:
        rate = Decimal(str(given.rate))
    except ArithmeticError as exc:
        raise Invalid("Not a rate.", field="rate") from exc
    if not rate.is_finite() or rate <= 0 or rate > 10**9:
        raise Invalid("An exchange rate is positive.", field="rate")
    day(given.rate_date, "rate_date")
    if given.rate_date > given.value_date:
        raise Invalid("The rate may not be published after the value date.", field="rate_date")
    return money((amount * rate).quantize(Decimal("0.01")), "value"), rate


def record_transaction(user: AnyUser, project_id: int, given: TransactionIn) -> Transaction:
    """Record money given to or spent by a project (see `TransactionIn`); a value in another
    currency is stored converted, beside the amount as entered, its rate and the rate's date."""
    if given.flow not in {f.value for f in Flow}:
        raise Invalid(f"Unknown kind of transaction {given.flow!r}; one of: "
                      f"{', '.join(f.value for f in Flow)}.", field="flow")
    amount = money(given.value, "value")
    day(given.value_date, "value_date")
    earmark = text(given.earmark, "earmark", max_length=bounds.MAX_EARMARK)
    donor_activity_id = text(given.donor_activity_id, "donor_activity_id",
                             max_length=bounds.MAX_DONOR_ACTIVITY_ID)
    description = text(given.description, "description",
                       max_length=bounds.MAX_TRANSACTION_DESCRIPTION)
    donor = _donor(given)
    _check_period(given)
    with transaction.atomic():
        project = project_for_editing(user, project_id)
        if donor is not None and donor.is_exercise != project.is_exercise:
            raise Conflict("Exercise donors give to exercise projects only, and real donors "
                           "to real ones.", field="donor")
        stored, rate = _converted(given, amount, project.currency)
        record = Transaction.objects.create(
            project=project, flow=given.flow, donor=donor, value=stored,
            value_date=given.value_date,
            original_value=amount if rate is not None else None,
            original_currency=(given.currency or "").upper() if rate is not None else "",
            rate=rate, rate_date=given.rate_date if rate is not None else None,
            period_start=given.period_start, period_end=given.period_end, earmark=earmark,
            donor_activity_id=donor_activity_id, description=description,
            recorded_by=user if isinstance(user, User) else None)
        record_change(user, "create", record, None, snapshot(record))
    return record
