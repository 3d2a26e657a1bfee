"""Registry endpoints: States, Partners, Chairmanships and the Troika, field operations, conflicts,
institutions.

The registry is public reference data: every caller, anonymous included, sees all of it.
A `name` is given in the caller's language (`?lang=` or the request's language) and `names`
holds all six. Lists are paginated with `limit` and `offset` and answer `{"items", "count"}`.
"""

import datetime as dt
from collections.abc import Iterable
from typing import Any, Literal

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from ninja import Field, FilterSchema, Query, Router, Schema
from ninja.pagination import paginate

from hofburg.core.api import Page
from hofburg.core.bounds import Day, Year
from hofburg.core.i18n import localized
from hofburg.registry.models import (
    Chairmanship,
    Conflict,
    FieldOperation,
    Institution,
    NegotiationFormat,
    ParticipatingState,
    Partner,
    SecretariatUnit,
)
from hofburg.registry.services import troika_for_year

router = Router(tags=["registry"])

# The six official languages of the OSCE.
Language = Literal["en", "fr", "de", "it", "ru", "es"]
ConfidenceLabel = Literal["confirmed", "secondary", "unconfirmed", "disputed"]


def _language(context: dict[str, Any] | None) -> str | None:
    """The language asked for with `?lang=` (already validated), else the request's language."""
    request = (context or {}).get("request")
    requested = request.GET.get("lang") if request is not None else None
    return requested if requested in settings.OFFICIAL_LANGUAGE_CODES else get_language()


def _name(obj: Any, context: dict[str, Any] | None) -> str:
    return localized(obj.names, _language(context), fallback=str(obj.pk))


class LanguageQuery(Schema):
    lang: Language | None = Field(None, description="language of `name`; default: the request's")


class Named(Schema):
    name: str = Field(..., description="in the caller's language")
    names: dict[str, str] = Field(..., description="by language code: en, fr, de, it, ru, es")

    @staticmethod
    def resolve_name(obj: Any, context: dict[str, Any]) -> str:
        if isinstance(obj, dict):  # a row named already (list_states)
            return str(obj["name"])
        return _name(obj, context)


class Sourced(Schema):
    source: str
    confidence: ConfidenceLabel
    note: str


# --- participating States ---------------------------------------------------------------------

class StateOut(Named, Sourced):
    iso2: str
    iso3: str
    numeric: str
    joined: dt.date


class StatusEventOut(Sourced):
    kind: str
    date: dt.date = Field(..., description="the first day of the month or year when less is known")
    date_precision: Literal["day", "month", "year"]
    end_date: dt.date | None
    description: str


class FieldOperationOut(Named, Sourced):
    code: str
    region: str
    host_iso2: str | None = Field(None, alias="host_state.iso2")
    host_label: str
    seat: str
    basis: str
    established: dt.date | None
    closed: dt.date | None
    closed_label: str
    status: Literal["current", "closed"]

    @staticmethod
    def resolve_status(obj: FieldOperation) -> str:
        return "current" if obj.is_current else "closed"


class FormatRoleOut(Schema):
    format_code: str = Field(..., alias="format.code")
    format_name: str
    conflict_code: str = Field(..., alias="format.conflict.code")
    role: str

    @staticmethod
    def resolve_format_name(obj: Any, context: dict[str, Any]) -> str:
        return _name(obj.format, context)


class StateDetailOut(StateOut):
    status_events: list[StatusEventOut]
    chairmanship_years: list[int]
    field_operations: list[FieldOperationOut]
    formats: list[FormatRoleOut]

    @staticmethod
    def resolve_chairmanship_years(obj: ParticipatingState) -> list[int]:
        return [chair.year for chair in obj.chairmanships.all()]

    @staticmethod
    def resolve_formats(obj: ParticipatingState) -> list[Any]:
        return list(obj.format_roles.select_related("format__conflict"))


class StateFilter(Schema):
    q: str | None = Field(None, max_length=200,
                          description="part of the name in any language, or an ISO code")
    confidence: ConfidenceLabel | None = None
    joined_from: Day | None = Field(None, description="joined on or after this date")
    joined_to: Day | None = Field(None, description="joined on or before this date")


@router.get("/states", response=list[StateOut], summary="Participating States")
@paginate(Page)
def list_states(request: HttpRequest, filters: Query[StateFilter],
                language: Query[LanguageQuery]) -> Any:
    states = ParticipatingState.objects.order_by("iso2")
    if filters.confidence:
        states = states.filter(confidence=filters.confidence)
    if filters.joined_from:
        states = states.filter(joined__gte=filters.joined_from)
    if filters.joined_to:
        states = states.filter(joined__lte=filters.joined_to)
    # Plain rows with the name already in the caller's language: model instances, and the
    # language looked up again for each of them, took most of the answer's time.
    rows = states.values(*_STATE_COLUMNS)
    if filters.q:
        # Names are JSON in six scripts; matching them in Python works the same on every database.
        wanted = filters.q.strip().casefold()
        rows = [s for s in rows
                if wanted in {s["iso2"].casefold(), s["iso3"].casefold(), s["numeric"]}
                or any(wanted in name.casefold() for name in s["names"].values())]
    return _NamedRows(rows, _language({"request": request}))


_STATE_COLUMNS = ("pk", "iso2", "iso3", "numeric", "joined", "names", "source", "confidence",
                  "note")


class _NamedRows:
    """Rows as dictionaries, read once; each given its `name` in `language` as the paginator
    takes its page of them."""

    def __init__(self, rows: Iterable[dict[str, Any]], language: str | None) -> None:
        self.rows, self.language = list(rows), language

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, window: slice) -> list[dict[str, Any]]:
        return [{**row, "name": localized(row["names"], self.language, str(row["pk"]))}
                for row in self.rows[window]]


@router.get("/states/{iso2}", response=StateDetailOut, summary="One participating State")
def get_state(request: HttpRequest, iso2: str, language: Query[LanguageQuery]) -> Any:
    queryset = ParticipatingState.objects.prefetch_related(
        "status_events", "chairmanships", "field_operations__host_state")
    return get_object_or_404(queryset, iso2=iso2.upper())


# --- Partners -----------------------------------------------------------------------------------

class PartnerOut(Named, Sourced):
    iso2: str
    iso3: str
    numeric: str
    group: Literal["asian", "mediterranean"]
    since: str


class PartnerFilter(FilterSchema):
    group: Literal["asian", "mediterranean"] | None = None


@router.get("/partners", response=list[PartnerOut], summary="Partners for Co-operation")
@paginate(Page)
def list_partners(request: HttpRequest, filters: Query[PartnerFilter],
                  language: Query[LanguageQuery]) -> QuerySet[Partner]:
    return filters.filter(Partner.objects.order_by("group", "iso2"))


# --- Chairmanships and the Troika -------------------------------------------------------------

class ChairmanshipOut(Sourced):
    year: int
    state: str | None = Field(None, alias="state.iso2",
                              description="ISO alpha-2; null for a State that no longer exists")
    chair_name: str = Field(..., description="in the caller's language")
    historical_name: str
    start_date: dt.date | None
    end_date: dt.date | None

    @staticmethod
    def resolve_chair_name(obj: Chairmanship, context: dict[str, Any]) -> str:
        return _name(obj.state, context) if obj.state else obj.historical_name


class ChairmanshipFilter(Schema):
    year_from: Year | None = Field(None, alias="from", description="first year, inclusive")
    year_to: Year | None = Field(None, alias="to", description="last year, inclusive")


@router.get("/chairmanships", response=list[ChairmanshipOut], summary="Chairmanships by year")
@paginate(Page)
def list_chairmanships(request: HttpRequest, filters: Query[ChairmanshipFilter],
                       language: Query[LanguageQuery]) -> QuerySet[Chairmanship]:
    chairs = Chairmanship.objects.select_related("state").order_by("year")
    if filters.year_from is not None:
        chairs = chairs.filter(year__gte=filters.year_from)
    if filters.year_to is not None:
        chairs = chairs.filter(year__lte=filters.year_to)
    return chairs


class TroikaOut(Schema):
    year: int
    previous: ChairmanshipOut | None
    current: ChairmanshipOut | None
    next: ChairmanshipOut | None


@router.get("/troika/{year}", response=TroikaOut,
            summary="The Troika of a year: previous, current and incoming Chair")
def get_troika(request: HttpRequest, year: Year, language: Query[LanguageQuery]) -> Any:
    """A seat is null where that year's Chair is not recorded."""
    return troika_for_year(year)


# --- field operations -------------------------------------------------------------------------

class FieldOperationFilter(Schema):
    status: Literal["current", "closed"] | None = None
    region: str | None = None
    host: str | None = Field(None, description="ISO 3166 alpha-2 code of the host State")


@router.get("/field-operations", response=list[FieldOperationOut], summary="Field operations")
@paginate(Page)
def list_field_operations(request: HttpRequest, filters: Query[FieldOperationFilter],
                          language: Query[LanguageQuery]) -> QuerySet[FieldOperation]:
    operations = FieldOperation.objects.select_related("host_state").order_by("region", "code")
    if filters.status == "current":
        operations = operations.filter(FieldOperation.CURRENT)
    elif filters.status == "closed":
        operations = operations.exclude(FieldOperation.CURRENT)
    if filters.region:
        operations = operations.filter(region__iexact=filters.region)
    if filters.host:
        operations = operations.filter(host_state__iso2=filters.host.upper())
    return operations


# --- conflicts and negotiation formats --------------------------------------------------------

class ParticipantOut(Schema):
    name: str
    state_iso2: str | None = Field(None, alias="state.iso2")
    role: str

    @staticmethod
    def resolve_name(obj: Any, context: dict[str, Any]) -> str:
        return _name(obj.state, context) if obj.state else obj.name


class FormatOut(Named, Sourced):
    code: str
    started: str
    ended: str
    status: str
    is_osce_body: bool
    participants: list[ParticipantOut]


class ConflictOut(Named, Sourced):
    code: str
    formats: list[FormatOut]


@router.get("/conflicts", response=list[ConflictOut],
            summary="Protracted conflicts with their negotiation formats and participants")
@paginate(Page)
def list_conflicts(request: HttpRequest,
                   language: Query[LanguageQuery]) -> QuerySet[Conflict]:
    formats = NegotiationFormat.objects.prefetch_related("participants__state")
    return Conflict.objects.prefetch_related(Prefetch("formats", queryset=formats))


# --- institutions and the Secretariat ---------------------------------------------------------

class InstitutionOut(Named, Sourced):
    code: str
    acronym: str
    seat: str
    established: str


@router.get("/institutions", response=list[InstitutionOut], summary="OSCE institutions")
@paginate(Page)
def list_institutions(request: HttpRequest,
                      language: Query[LanguageQuery]) -> QuerySet[Institution]:
    return Institution.objects.order_by("code")


class SecretariatUnitOut(Named, Sourced):
    code: str
    acronym: str
    parent: str | None = Field(None, alias="parent.code")


@router.get("/secretariat-units", response=list[SecretariatUnitOut],
            summary="Units of the Secretariat")
@paginate(Page)
def list_secretariat_units(request: HttpRequest,
                           language: Query[LanguageQuery]) -> QuerySet[SecretariatUnit]:
    return SecretariatUnit.objects.select_related("parent").order_by("code")
