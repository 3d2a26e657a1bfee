"""Annual exchanges of military information and annual calendars."""


# No `from __future__ import annotations` here: django-ninja reads the endpoint annotations at
# import time, and paginated endpoints cannot resolve them as strings.
import datetime as dt
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from hofburg.core.api import Page, current_user, require_user
from hofburg.core.bounds import (
    Count,
    Day,
    Latitude,
    Longitude,
    LongText,
    Year,
)
from hofburg.core.models import Classification
from hofburg.csbm import exports, queries, rulesets, services, uploads
from hofburg.csbm.api.common import (
    CLASSIFICATION,
    CurrentForReader,
    Format,
    NumberedForReader,
    download,
    written,
)
from hofburg.csbm.engine import quotas
from hofburg.csbm.engine.rulesets import NotDefinedError
from hofburg.csbm.models import (
    AnnualCalendar,
    AnnualExchange,
)

router = Router()


class ExchangeOut(CurrentForReader):
    state: str = Field(..., alias="state_id")
    year: int
    version: int
    is_current: bool
    submitted_on: dt.date
    is_nil: bool
    units_reported: int
    declared_evaluation_quota: int | None
    note: str
    classification: str
    is_exercise: bool


class UnitOut(Schema):
    designation: str
    level: str
    service: str
    unit_type: str
    subordinate_to: str | None
    is_combat_unit: bool
    is_active: bool
    latitude: float | None
    longitude: float | None
    personnel: int

    @staticmethod
    def resolve_subordinate_to(obj: Any) -> str | None:
        return obj.parent.designation if obj.parent else None


class HoldingOut(Schema):
    unit: str | None
    category: str
    type_name: str
    quantity: int

    @staticmethod
    def resolve_unit(obj: Any) -> str | None:
        return obj.unit.designation if obj.unit else None


class ExchangeDetailOut(ExchangeOut):
    computed_evaluation_quota: int | None
    units: list[UnitOut]
    holdings: list[HoldingOut]

    @staticmethod
    def resolve_computed_evaluation_quota(obj: AnnualExchange) -> int | None:
        try:
            return quotas.evaluation_quota(obj.units_reported, rulesets.get_ruleset())
        except NotDefinedError:
            return None

    @staticmethod
    def resolve_units(obj: AnnualExchange) -> list[Any]:
        return list(obj.units.all())

    @staticmethod
    def resolve_holdings(obj: AnnualExchange) -> list[Any]:
        return list(obj.holdings.all())


@router.get("/exchanges", response=list[ExchangeOut], summary="Annual exchanges you may see")
@paginate(Page)
def list_exchanges(request: HttpRequest, year: Year | None = None, state: str = "",
                   all_versions: bool = False) -> QuerySet[AnnualExchange]:
    exchanges = queries.visible_exchanges(current_user(request), current_only=not all_versions)
    if year is not None:
        exchanges = exchanges.filter(year=year)
    return exchanges.filter(state__iso2=state.upper()) if state else exchanges


@router.get("/exchanges/{state}/{year}", response=ExchangeDetailOut,
            summary="A State's exchange for a year, with units and holdings")
def get_exchange(request: HttpRequest, state: str, year: Year,
                 version: Count | None = None) -> AnnualExchange:
    return queries.get_exchange(current_user(request), state, year, version)


@router.get("/exchanges/{state}/{year}/export", summary="Export an exchange (CSV, XLSX, JSON)",
            response={200: None})
def export_exchange(request: HttpRequest, state: str, year: Year, part: Literal[
        "units", "holdings"] = "holdings", format: Format = "csv",
        version: Count | None = None) -> HttpResponse:
    exchange = queries.get_exchange(current_user(request), state, year, version)
    table = (exports.exchange_units_table(exchange) if part == "units"
             else exports.exchange_holdings_table(exchange))
    return download(table, format, f"aemi-{exchange.state_id}-{year}-{part}")


class UnitIn(Schema):
    """A formation or unit; `subordinate_to` is the designation of its formation."""

    designation: str = Field(..., min_length=1, max_length=200)
    level: Literal["formation", "unit"] = "unit"
    service: Literal["land", "air"] = "land"
    subordinate_to: str | None = Field(None, max_length=200)
    unit_type: str = Field("", max_length=60)
    is_combat_unit: bool = True
    is_active: bool = True
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    personnel: Count = 0


class HoldingIn(Schema):
    """Holdings of one equipment type, in `unit` (a designation) or outside any unit."""

    category: str = Field(..., max_length=32, examples=["battle_tanks"])
    quantity: Count
    type_name: str = Field("", max_length=120)
    unit: str | None = Field(None, max_length=200)




class ExchangeIn(Schema):
    state: str = Field(..., max_length=2, examples=["AT"])
    year: int = Field(..., ge=1990, le=2999)
    submitted_on: Day
    units: list[UnitIn] = Field([], max_length=uploads.MAX_ROWS)
    holdings: list[HoldingIn] = Field([], max_length=uploads.MAX_ROWS)
    declared_evaluation_quota: Count | None = None
    is_nil: bool = False
    note: LongText = ""
    classification: Classification = CLASSIFICATION
    is_exercise: bool = False


class ExchangeWrittenOut(ExchangeOut):
    supersedes_version: int | None
    formations_and_units: int
    holdings_rows: int
    computed_evaluation_quota: int | None

    @staticmethod
    def resolve_supersedes_version(obj: AnnualExchange) -> int | None:
        # The version before it that the caller may see, in the caller's numbers: a hidden
        # version it superseded is as absent.
        seen = queries.seen_version(obj)
        return seen - 1 if obj.supersedes_id and seen > 1 else None

    @staticmethod
    def resolve_formations_and_units(obj: AnnualExchange) -> int:
        return obj.units.count()

    @staticmethod
    def resolve_holdings_rows(obj: AnnualExchange) -> int:
        return obj.holdings.count()

    @staticmethod
    def resolve_computed_evaluation_quota(obj: AnnualExchange) -> int | None:
        return ExchangeDetailOut.resolve_computed_evaluation_quota(obj)


@router.post("/exchanges", response={200: ExchangeWrittenOut, 201: ExchangeWrittenOut},
             summary="Submit a State's annual exchange (a correction when one exists)")
def submit_exchange(request: HttpRequest, payload: ExchangeIn) -> Any:
    """Editors of the State's delegation, with an API token. A second submission for the
    same State and year is stored as the next version and supersedes the current one (201);
    one reporting the same as the current version is answered with it (200), storing nothing."""
    user = require_user(request)
    data = payload.dict()
    units = [services.UnitIn(parent=unit.pop("subordinate_to"), **unit)
             for unit in data.pop("units")]
    holdings = [services.HoldingIn(**holding) for holding in data.pop("holdings")]
    exchange = services.submit_exchange(
        user, services.ExchangeSubmission(units=units, holdings=holdings, **data))
    return written(queries.as_seen(user, exchange))





class CalendarOut(NumberedForReader):
    state: str = Field(..., alias="state_id")
    year: int
    version: int
    submitted_on: dt.date
    activities: list[str]
    note: str
    classification: str
    is_exercise: bool

    @staticmethod
    def resolve_activities(obj: AnnualCalendar) -> list[str]:
        return [a.reference for a in obj.activities.all()]


@router.get("/calendars", response=list[CalendarOut], summary="Annual calendars")
@paginate(Page)
def list_calendars(request: HttpRequest, year: Year | None = None,
                   state: str = "") -> QuerySet[AnnualCalendar]:
    calendars = queries.visible_calendars(current_user(request))
    if year is not None:
        calendars = calendars.filter(year=year)
    return calendars.filter(state__iso2=state.upper()) if state else calendars


class CalendarIn(Schema):
    state: str = Field(..., max_length=2, examples=["AT"])
    year: int = Field(..., ge=1990, le=2999)
    submitted_on: Day
    activities: list[str] = Field([], max_length=10_000,
                                  description="References of the State's activities; "
                                              "none is a nil calendar.")
    note: LongText = ""
    classification: Classification = CLASSIFICATION
    is_exercise: bool = False


@router.post("/calendars", response={201: CalendarOut},
             summary="Submit a State's annual calendar (a new version when one exists)")
def submit_calendar(request: HttpRequest, payload: CalendarIn) -> Any:
    """Editors of the State's delegation, with an API token."""
    user = require_user(request)
    data = payload.dict()
    references = data.pop("activities")
    # References name activities within the calendar's State only.
    found = {a.reference: a for a in queries.visible_activities(user).filter(
        state__iso2=data["state"].upper(), reference__in=references)}
    unknown = [r for r in references if r not in found]
    if unknown:
        raise services.CsbmError(
            "activities", f"No activity {', '.join(unknown)} that you may see.")
    calendar = services.submit_calendar(user, activities=list(found.values()), **data)
    return Status(201, queries.as_seen(user, calendar))
