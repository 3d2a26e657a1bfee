"""API: donors, budget lines and transactions of a project, and their corrections (decision
0049): a corrected or reversed row is kept, superseded, and no longer counts."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from hofburg.core.api import Page, current_user, require_user
from hofburg.core.bounds import Day, RecordId, Year
from hofburg.projects import bounds, queries
from hofburg.projects.engine.money import Flow
from hofburg.projects.models import BudgetLine, Correction, Donor, Transaction
from hofburg.projects.services import corrections
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
    stands: bool = Field(..., description="False once corrected (see superseded_by) or "
                                          "reversed (superseded_by empty).")
    superseded_at: dt.datetime | None
    superseded_by: int | None
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

    @staticmethod
    def resolve_superseded_by(obj: Transaction) -> int | None:
        return obj.superseded_by_id


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


class Reason(Schema):
    reason: str = Field(..., min_length=1, max_length=bounds.MAX_REASON,
                        description="Why: kept with the correction, the caller and the time.")


class TransactionCorrectionIn(TransactionIn):
    reason: str = Field(..., min_length=1, max_length=bounds.MAX_REASON)


class BudgetCorrectionIn(Schema):
    original: bounds.Amount
    revised: bounds.Amount | None = None
    reason: str = Field(..., min_length=1, max_length=bounds.MAX_REASON)


class DonorIn(Schema):
    code: str = Field(..., min_length=1, max_length=bounds.MAX_DONOR_CODE,
                      pattern=r"^[a-z0-9][a-z0-9-]*$", examples=["a-foundation"])
    name: str = Field(..., min_length=1, max_length=bounds.MAX_DONOR_NAME)
    kind: str = Field("other", description="eu or other (States and Partners come from the "
                                           "registry)")
    iati_ref: str = Field("", max_length=bounds.MAX_DONOR_IATI_REF)
    iati_type: str = Field("90", max_length=4, description="IATI OrganisationType")


class DonorChangeIn(Schema):
    name: str = Field(..., min_length=1, max_length=bounds.MAX_DONOR_NAME)
    kind: str = "other"
    iati_ref: str = Field("", max_length=bounds.MAX_DONOR_IATI_REF)
    iati_type: str = Field("90", max_length=4)


class CorrectionOut(Schema):
    id: int
    kind: str
    action: str
    record_id: int
    replacement_id: int | None
    label: str
    before: dict[str, Any]
    after: dict[str, Any] | None
    reason: str
    by: str | None
    at: dt.datetime

    @staticmethod
    def resolve_by(obj: Correction) -> str | None:
        return obj.by.username if obj.by else None


class HistoryQuery(Schema):
    history: bool = Field(False, description="Also the corrected and reversed transactions.")


@router.post("/donors", response={201: DonorOut},
             summary="Add a donor that is not in the registry (the EU, another donor)")
def add_donor(request: HttpRequest, payload: DonorIn) -> Any:
    return Status(201, services.add_donor(require_user(request), services.DonorIn(
        **payload.dict())))


@router.put("/donors/{code}", response=DonorOut,
            summary="Change a donor's name, kind or IATI identity (the code stays)")
def update_donor(request: HttpRequest, code: str, payload: DonorChangeIn) -> Donor:
    return services.update_donor(require_user(request), code[:bounds.MAX_DONOR_CODE],
                                 services.DonorIn(code=code, **payload.dict()))


@router.post("/donors/{code}/deletion", response={204: None},
             summary="Delete a donor no transaction names (again changes nothing)")
def delete_donor(request: HttpRequest, code: str, payload: Reason) -> HttpResponse:
    services.delete_donor(require_user(request), code[:bounds.MAX_DONOR_CODE],
                          reason=payload.reason)
    return HttpResponse(status=204)


@router.get("/{project_id}/corrections", response=list[CorrectionOut],
            summary="What was corrected, reversed or deleted on a project: who, when, why")
@paginate(Page)
def list_corrections(request: HttpRequest, project_id: RecordId) -> QuerySet[Correction]:
    project = queries.get_project(current_user(request), project_id)
    return project.corrections.select_related("by")


@router.post("/{project_id}/transactions/{transaction_id}/correction",
             response={200: TransactionOut, 201: TransactionOut},
             summary="Correct a transaction: it is kept, superseded by the corrected one")
def correct_transaction(request: HttpRequest, project_id: RecordId, transaction_id: RecordId,
                        payload: TransactionCorrectionIn) -> Any:
    data = payload.dict()
    reason = data.pop("reason")
    record, new = corrections.correct_transaction(
        require_user(request), project_id, transaction_id, services.TransactionIn(**data),
        reason=reason)
    return Status(201 if new else 200, record)


@router.post("/{project_id}/transactions/{transaction_id}/reversal", response=TransactionOut,
             summary="Reverse a transaction: it is kept, and no longer counts")
def reverse_transaction(request: HttpRequest, project_id: RecordId, transaction_id: RecordId,
                        payload: Reason) -> Transaction:
    return corrections.reverse_transaction(require_user(request), project_id, transaction_id,
                                           reason=payload.reason)


@router.post("/{project_id}/budget/{year}/correction",
             response={200: BudgetLineOut, 201: BudgetLineOut},
             summary="Correct a year's budget: the line is kept, superseded by the corrected one")
def correct_budget_line(request: HttpRequest, project_id: RecordId, year: Year,
                        payload: BudgetCorrectionIn) -> Any:
    line, new = corrections.correct_budget_line(
        require_user(request), project_id, year, original=payload.original,
        revised=payload.revised, reason=payload.reason)
    return Status(201 if new else 200, line)


@router.post("/{project_id}/budget/{year}/reversal", response={204: None},
             summary="Reverse a year's budget: the line is kept, and no longer counts")
def reverse_budget_line(request: HttpRequest, project_id: RecordId, year: Year,
                        payload: Reason) -> HttpResponse:
    corrections.reverse_budget_line(require_user(request), project_id, year,
                                    reason=payload.reason)
    return HttpResponse(status=204)


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
def list_transactions(request: HttpRequest, project_id: RecordId,
                      query: Query[HistoryQuery]) -> QuerySet[Transaction]:
    project = queries.get_project(current_user(request), project_id)
    if query.history:
        return Transaction.with_history.filter(project=project).select_related("donor")
    return project.transactions.select_related("donor")


@router.post("/{project_id}/transactions", response={201: TransactionOut},
             summary="Record a pledge, agreement, contribution or expenditure")
def record_transaction(request: HttpRequest, project_id: RecordId,
                       payload: TransactionIn) -> Any:
    record = services.record_transaction(require_user(request), project_id,
                                         services.TransactionIn(**payload.dict()))
    return Status(201, record)
