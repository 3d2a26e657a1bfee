"""Money: donors, a project's budget per year (original, revised) and its transactions
(pledges, agreements, contributions received, expenditure per period), converted into the
project's currency at a stated rate of a stated date."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from hofburg.core.access import AccessDenied, AnyUser
from hofburg.core.errors import Conflict, Invalid, NotFound
from hofburg.core.models import User
from hofburg.core.services.audit import record_change, snapshot
from hofburg.projects import bounds, permissions
from hofburg.projects.engine.money import Flow
from hofburg.projects.models import BudgetLine, Correction, Donor, Project, Transaction
from hofburg.projects.services.common import (
    day,
    iati_code,
    money,
    project_for_editing,
    text,
    year,
)
from hofburg.registry.models import ParticipatingState, Partner

DONOR_CODE = re.compile(r"[a-z0-9][a-z0-9-]*")


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
    """Set the budget of a year, or revise it: a year already budgeted takes a new revised
    figure, and the line it had is kept, superseded by the new one. Changing the original
    figure, or taking the revision back, is a correction with a reason
    (`corrections.correct_budget_line`). Setting the same figures again changes nothing."""
    year(year_, "year")
    original = money(original, "original")
    revised_amount = money(revised, "revised") if revised is not None else None
    with transaction.atomic():
        project = project_for_editing(user, project_id)
        line = BudgetLine.objects.select_for_update().filter(project=project,
                                                             year=year_).first()
        if line is not None and (line.original, line.revised) == (original, revised_amount):
            return line
        if line is not None and line.original != original:
            raise Conflict(f"The original budget of {year_} is recorded as "
                           f"{line.original:,.2f}: correct it, giving the reason.",
                           field="original")
        if line is not None and revised_amount is None:
            raise Conflict(f"The budget of {year_} was revised: taking the revision back is a "
                           "correction, giving the reason.", field="revised")
        before = snapshot(line) if line is not None else None
        if line is not None:  # superseded first: one line of a year stands
            line.superseded_at = timezone.now()
            line.save(update_fields=["superseded_at"])
        new_line = BudgetLine.objects.create(project=project, year=year_, original=original,
                                             revised=revised_amount)
        if line is not None:
            line.superseded_by = new_line
            line.save(update_fields=["superseded_by"])
            record_change(user, "update", line, before, snapshot(line))
        record_change(user, "create", new_line, None, snapshot(new_line))
    return new_line


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


def checked_transaction(given: TransactionIn, project: Project) -> dict[str, Any]:
    """The fields of a transaction of `project` from `given`, each checked (recording and
    correcting share it)."""
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
    if donor is not None and donor.is_exercise != project.is_exercise:
        raise Conflict("Exercise donors give to exercise projects only, and real donors "
                       "to real ones.", field="donor")
    stored, rate = _converted(given, amount, project.currency)
    return {"flow": given.flow, "donor": donor, "value": stored,
            "value_date": given.value_date,
            "original_value": amount if rate is not None else None,
            "original_currency": (given.currency or "").upper() if rate is not None else "",
            "rate": rate, "rate_date": given.rate_date if rate is not None else None,
            "period_start": given.period_start, "period_end": given.period_end,
            "earmark": earmark, "donor_activity_id": donor_activity_id,
            "description": description}


def record_transaction(user: AnyUser, project_id: int, given: TransactionIn) -> Transaction:
    """Record money given to or spent by a project (see `TransactionIn`); a value in another
    currency is stored converted, beside the amount as entered, its rate and the rate's date."""
    with transaction.atomic():
        project = project_for_editing(user, project_id)
        values = checked_transaction(given, project)
        record = Transaction.objects.create(
            project=project, recorded_by=user if isinstance(user, User) else None, **values)
        record_change(user, "create", record, None, snapshot(record))
    return record


# -- donors managed by hand: the EU and other donors ------------------------------------------

REGISTRY_KINDS = (Donor.Kind.PARTICIPATING_STATE, Donor.Kind.PARTNER)
MANAGED_KINDS = (Donor.Kind.EUROPEAN_UNION, Donor.Kind.OTHER)


@dataclass(frozen=True)
class DonorIn:
    """A donor that is not in the registry (the EU, another donor), or the IATI identity of
    any donor."""

    code: str
    name: str
    kind: str = Donor.Kind.OTHER.value
    iati_ref: str = ""
    iati_type: str = "90"  # IATI OrganisationType 90 Other


def _donor_values(given: DonorIn) -> dict[str, str]:
    if given.kind not in MANAGED_KINDS:
        raise Invalid("Participating States and Partners come from the registry "
                      "(hofburg projects donors); here: the EU or another donor.", field="kind")
    return {"name": text(given.name, "name", max_length=bounds.MAX_DONOR_NAME, required=True),
            "kind": given.kind,
            "iati_ref": text(given.iati_ref, "iati_ref", max_length=bounds.MAX_DONOR_IATI_REF),
            "iati_type": iati_code("OrganisationType", given.iati_type, "iati_type")}


def _for_manager(user: AnyUser) -> bool:
    if not permissions.may_manage_donors(user):
        raise AccessDenied("Only editors of an owner of projects may manage donors.")
    affiliation = permissions.affiliation_of(user)
    return bool(affiliation and affiliation.is_exercise)


def add_donor(user: AnyUser, given: DonorIn) -> Donor:
    """A new donor that is not in the registry; exercise affiliations add exercise donors."""
    exercise = _for_manager(user)
    code = text(given.code, "code", max_length=bounds.MAX_DONOR_CODE, required=True).lower()
    if not DONOR_CODE.fullmatch(code):
        raise Invalid("A code is lower-case letters, digits and '-'.", field="code")
    values = _donor_values(given)
    with transaction.atomic():
        if Donor.objects.filter(code=code).exists():
            raise Conflict(f"The donor code {code!r} is taken.", field="code")
        donor = Donor.objects.create(code=code, is_exercise=exercise, **values)
        record_change(user, "create", donor, None, snapshot(donor))
    return donor


def _managed_donor(user: AnyUser, code: str) -> Donor:
    exercise = _for_manager(user)
    donor = Donor.objects.select_for_update().filter(code=code).first()
    if donor is None:
        raise NotFound("No such donor.", field="donor")
    if donor.kind in REGISTRY_KINDS:
        raise AccessDenied("This donor comes from the registry and follows it.")
    if donor.is_exercise != exercise:
        raise AccessDenied("Exercise donors are kept by exercise affiliations, real ones by "
                           "real affiliations.")
    return donor


def update_donor(user: AnyUser, code: str, given: DonorIn) -> Donor:
    """Change a donor's name, kind or IATI identity (its code stays)."""
    values = _donor_values(given)
    with transaction.atomic():
        donor = _managed_donor(user, code)
        if all(getattr(donor, name) == value for name, value in values.items()):
            return donor
        before = snapshot(donor)
        for name, value in values.items():
            setattr(donor, name, value)
        donor.save(update_fields=list(values))
        record_change(user, "update", donor, before, snapshot(donor))
    return donor


def delete_donor(user: AnyUser, code: str, *, reason: str) -> None:
    """Delete a donor that no transaction names (corrected and reversed ones included)."""
    reason = text(reason, "reason", max_length=bounds.MAX_REASON, required=True)
    with transaction.atomic():
        if not Donor.objects.filter(code=code).exists() and Correction.objects.filter(
                kind=Correction.Kind.DONOR, action=Correction.Action.DELETE,
                before__code=code).exists():
            _for_manager(user)
            return  # deleted already: again changes nothing
        donor = _managed_donor(user, code)
        named = Transaction.with_history.filter(donor=donor).count()
        if named:
            raise Conflict(f"{named} transaction(s) name {donor.name}, corrected and reversed "
                           "ones included: the donor stays.", field="donor")
        before = snapshot(donor)
        Correction.objects.create(
            kind=Correction.Kind.DONOR, action=Correction.Action.DELETE, record_id=donor.pk,
            label=f"{donor.name} ({donor.code})", before=before, reason=reason,
            by=user if isinstance(user, User) else None, at=timezone.now())
        record_change(user, "delete", donor, before, {"reason": reason})
        donor.delete()
