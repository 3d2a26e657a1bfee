"""API: donors, budget lines and transactions of a project."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from hofburg.core.api import Page, current_user, require_user
from hofburg.core.bounds import Day, RecordId, Year
from hofburg.projects import bounds, queries
from hofburg.projects.engine.money import Flow
from hofburg.projects.models import BudgetLine, Donor, Transaction
from hofburg.projects.services import money as services

router = Router()


class DonorOut(Schema):
    code: str
    kind: str
    name: str
    iso2: str
    iati_ref: str
    is_exercise: bool


class BudgetLineIn(Schema):
    year: Year
    original: bounds.Amount
    revised: bounds.Amount | None = None


class BudgetLineOut(Schema):
    year: int
    original: Decimal
    revised: Decimal | None


class TransactionIn(Schema):
    flow: Flow
    value: bounds.Amount
    value_date: Day
    donor: str = Field("", max_length=bounds.MAX_DONOR_CODE,
                       description="The donor's code; none for expenditure.")
    currency: str = Field("", max_length=3, description="When not the project's currency.")
    rate: bounds.Rate | None = Field(None, description="Units of the project's currency per "
                                                       "unit of `currency`.")
    rate_date: Day | None = None
    period_start: Day | None = None
    period_end: Day | None = None
    earmark: str = Field("", max_length=bounds.MAX_EARMARK)
    donor_activity_id: str = Field("", max_length=bounds.MAX_DONOR_ACTIVITY_ID)
    description: str = Field("", max_length=bounds.MAX_TRANSACTION_DESCRIPTION)


class TransactionOut(Schema):
    id: int
    flow: str
    donor: str | None
    value: Decimal
    value_date: dt.date
    original_value: Decimal | None
    original_currency: str
    rate: Decimal | None
    rate_date: dt.date | None
    period_start: dt.date | None
    period_end: dt.date | None
    earmark: str
    description: str

    @staticmethod
    def resolve_donor(obj: Transaction) -> str | None:
        return obj.donor.code if obj.donor else None


class ContributionOut(Schema):
    project_id: int
    project__number: str
    project__title: str
    project__currency: str
    pledged: Decimal | None
    agreed: Decimal | None
    received: Decimal | None


@router.get("/donors", response=list[DonorOut], summary="Donors")
@paginate(Page)
def list_donors(request: HttpRequest) -> QuerySet[Donor]:
    return Donor.objects.all()


@router.get("/donors/{code}/contributions", response=list[ContributionOut],
            summary="What a donor gave to the projects you may see")
def donor_contributions(request: HttpRequest, code: str) -> list[dict[str, Any]]:
    donor = Donor.objects.filter(code=code[:40]).first()
    if donor is None:
        raise Http404("No such donor.")
    return queries.donor_contributions(current_user(request), donor)


@router.get("/{project_id}/budget", response=list[BudgetLineOut], summary="A project's budget")
def list_budget(request: HttpRequest, project_id: RecordId) -> QuerySet[BudgetLine]:
    return queries.get_project(current_user(request), project_id).budget_lines.all()


@router.post("/{project_id}/budget", response=BudgetLineOut,
             summary="Set (or revise) the budget of a year")
def set_budget_line(request: HttpRequest, project_id: RecordId,
                    payload: BudgetLineIn) -> BudgetLine:
    return services.set_budget_line(require_user(request), project_id, year_=payload.year,
                                    original=payload.original, revised=payload.revised)


@router.get("/{project_id}/transactions", response=list[TransactionOut],
            summary="A project's transactions")
@paginate(Page)
def list_transactions(request: HttpRequest, project_id: RecordId) -> QuerySet[Transaction]:
    project = queries.get_project(current_user(request), project_id)
    return project.transactions.select_related("donor")


@router.post("/{project_id}/transactions", response={201: TransactionOut},
             summary="Record a pledge, agreement, contribution or expenditure")
def record_transaction(request: HttpRequest, project_id: RecordId,
                       payload: TransactionIn) -> Any:
    record = services.record_transaction(require_user(request), project_id,
                                         services.TransactionIn(**payload.dict()))
    return Status(201, record)
