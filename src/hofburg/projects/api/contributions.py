"""API: the Unified Budget by year, the scales' ceilings, a State's contributions, and the
seconded and contracted personnel."""

from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from hofburg.core.api import Page, current_user, require_user
from hofburg.core.bounds import Count, RecordId, Year
from hofburg.core.models import Classification
from hofburg.projects import bounds, queries
from hofburg.projects.contributions import field_operation_contributors as contributors_of
from hofburg.projects.contributions import scales, state_contributions, unified_budget
from hofburg.projects.models import Secondment
from hofburg.projects.services import personnel as services
from hofburg.registry.models import Confidence

router = Router()


class BudgetYearOut(Schema):
    year: int
    amount_eur: Decimal | None
    adopted: bool
    approximate: bool
    label: str
    note: str
    source: str


class CeilingOut(Schema):
    scale: str
    percent: Decimal
    source: str
    confidence: str


class UnifiedBudgetOut(Schema):
    years: list[BudgetYearOut]
    ceilings: list[CeilingOut]


class AssessedOut(Schema):
    share: Decimal
    amount_eur: Decimal
    scale_code: str
    scale_confidence: str
    budget_label: str
    approximate: bool


class YearOut(Schema):
    year: int
    assessed: AssessedOut | None
    extra_budgetary: Decimal
    seconded: int
    contracted: int


class StateContributionsOut(Schema):
    iso2: str
    years: list[YearOut]


class SecondmentIn(Schema):
    field_operation: str = Field(..., min_length=1, max_length=60)
    seconding_state: bounds.StateCode
    year: Year
    seconded: Count
    contracted: Count = 0
    classification: Classification = Classification.RESTRICTED
    source: str = Field("", max_length=500)
    confidence: Confidence | None = None


class SecondmentOut(Schema):
    id: int
    field_operation: str
    seconding_state: str
    year: int
    seconded: int
    contracted: int
    classification: str
    source: str
    confidence: str
    is_exercise: bool


class SecondmentQuery(Schema):
    field_operation: str = Field("", max_length=60)
    seconding_state: str = Field("", max_length=2)


@router.get("/unified-budget", response=UnifiedBudgetOut,
            summary="The Unified Budget by year and the ceilings of the scales")
def get_unified_budget(request: HttpRequest) -> dict[str, Any]:
    return {"years": unified_budget(),
            "ceilings": [{"scale": c.kind.value, "percent": c.percent, "source": c.source,
                          "confidence": c.confidence} for c in scales()[0]]}


@router.get("/states/{iso2}/contributions", response=StateContributionsOut,
            summary="What a State contributed, per year (assessed, extra-budgetary, seconded)")
def get_state_contributions(request: HttpRequest, iso2: str) -> Any:
    return state_contributions(current_user(request), iso2[:2])


@router.get("/secondments", response=list[SecondmentOut],
            summary="Seconded and contracted personnel you may see")
@paginate(Page)
def list_secondments(request: HttpRequest,
                     filters: Query[SecondmentQuery]) -> QuerySet[Secondment]:
    rows = queries.visible_secondments(current_user(request))
    if filters.field_operation:
        rows = rows.filter(field_operation=filters.field_operation)
    if filters.seconding_state:
        rows = rows.filter(seconding_state=filters.seconding_state.upper())
    return rows


class ContributorOut(Schema):
    state: str
    personnel: int
    by_year: dict[int, list[int]]

    @staticmethod
    def resolve_by_year(obj: Any) -> dict[int, list[int]]:
        return {year: list(pair) for year, pair in obj.by_year.items()}


class FinancingOut(Schema):
    donor__code: str | None
    donor__name: str | None
    total: Decimal

    @staticmethod
    def resolve_total(obj: dict[str, Any]) -> Decimal:
        # A sum comes back as the database writes it ("180000" or "180000.00"): to the cent.
        return Decimal(obj["total"]).quantize(Decimal("0.01"))


class FieldOperationContributorsOut(Schema):
    field_operation: str
    years: list[int]
    personnel: list[ContributorOut]
    financing: list[FinancingOut]


class ContributorsQuery(Schema):
    field_operation: str = Field(..., min_length=1, max_length=60,
                                 examples=["special-monitoring-mission-to-ukraine"])


@router.get("/secondments/contributors", response=FieldOperationContributorsOut,
            summary="Who contributes to a field operation: personnel per State and year, "
                    "donors of its projects, largest first")
def field_operation_contributors(request: HttpRequest,
                                 query: Query[ContributorsQuery]) -> Any:
    return contributors_of(current_user(request), query.field_operation)


@router.post("/secondments", response={201: SecondmentOut},
             summary="Record the personnel a State gives a field operation in a year")
def record_secondment(request: HttpRequest, payload: SecondmentIn) -> Any:
    data = payload.dict()
    data["confidence"] = data["confidence"] or ""
    return Status(201, services.record_secondment(require_user(request),
                                                  services.SecondmentIn(**data)))



class SecondmentDeletionIn(Schema):
    reason: str = Field(..., min_length=1, max_length=bounds.MAX_REASON)


@router.post("/secondments/{secondment_id}/deletion", response={204: None},
             summary="Delete a personnel figure recorded in error, giving the reason")
def delete_secondment(request: HttpRequest, secondment_id: RecordId,
                      payload: SecondmentDeletionIn) -> HttpResponse:
    services.delete_secondment(require_user(request), secondment_id, reason=payload.reason)
    return HttpResponse(status=204)
