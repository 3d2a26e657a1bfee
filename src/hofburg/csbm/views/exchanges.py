"""Exchanged military information (Chapter I): the index, an exchange's page, uploads.

Read through `queries` (core.access decides); uploads are read by `uploads` and stored
through `services`.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Min, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from hofburg.core import access
from hofburg.core.tables import CONTENT_TYPES
from hofburg.csbm import exports, queries, services, uploads
from hofburg.csbm.engine import deadlines
from hofburg.csbm.engine import quotas as quota_engine
from hofburg.csbm.engine.rulesets import (
    Citation,
    NotDefinedError,
)
from hofburg.csbm.forms import (
    ExchangeUploadForm,
    YearForm,
)
from hofburg.csbm.models import AnnualExchange, EquipmentCategory, ExchangeHolding, ExchangeUnit
from hofburg.csbm.rulesets import get_ruleset
from hofburg.csbm.scorecard import Status as ScoreStatus
from hofburg.csbm.views.board import folded
from hofburg.csbm.views.exchange_hierarchy import build_hierarchy

# -- exchanged military information (Chapter I) ----------------------------------------------

EXCHANGE_FORMATS = ("csv", "xlsx")
EXCHANGE_PARTS = ("units", "holdings")


def state_user_acts_for(user: Any) -> str | None:
    """The participating State whose exchange `user` may upload (its delegation's editors),
    or None."""
    affiliation = getattr(user, "affiliation", None) if user.is_authenticated else None
    iso2 = getattr(affiliation, "state_iso2", "") or ""
    return iso2.upper() if iso2 and services.can_act_for_state(user, iso2) else None


@dataclass(frozen=True)
class ExchangeLine:
    """A State's current exchange for a year on the exchange index. `first_submitted_on`
    is that of the first version the reader may see: corrections do not make it late."""

    exchange: AnnualExchange
    first_submitted_on: date
    due_on: date
    formations_and_units: int
    holdings_quantity: int

    @property
    def status(self) -> str:
        return (ScoreStatus.LATE if deadlines.is_late(self.first_submitted_on, self.due_on)
                else ScoreStatus.ON_TIME)


def exchange_lines(year: int, user: Any) -> list[ExchangeLine]:
    """The current exchange of each State for `year` that `user` may see, by State name.
    Two queries, whatever the number of States or units."""
    due = exchange_deadline(year)
    unit_count = (ExchangeUnit.objects.filter(exchange=OuterRef("pk")).order_by()
                  .values("exchange").annotate(n=Count("pk")).values("n"))
    quantity = (ExchangeHolding.objects.filter(exchange=OuterRef("pk")).order_by()
                .values("exchange").annotate(n=Sum("quantity")).values("n"))
    current = queries.visible_exchanges(user).filter(year=year).annotate(
        unit_count=Coalesce(Subquery(unit_count), 0),
        holdings_quantity=Coalesce(Subquery(quantity), 0))
    versions = queries.visible_exchanges(user, current_only=False).filter(year=year)
    first: dict[Any, date] = dict(versions.order_by().values("state_id")
                                  .annotate(first=Min("submitted_on"))
                                  .values_list("state_id", "first"))
    lines = [ExchangeLine(exchange, first.get(exchange.state_id, exchange.submitted_on), due,
                          exchange.unit_count, exchange.holdings_quantity)
             for exchange in current]
    return sorted(lines, key=lambda line: folded(line.exchange.state.name))


def default_exchange_year(user: Any) -> int:
    """The year the exchange index opens on: the newest year of an exchange `user` may see, no
    later than the exchange due next, else the year in force (`deadlines.default_exchange_year`:
    on 6 December the exchanges for next year arriving, never an empty page)."""
    years = queries.visible_exchanges(user).values_list("year", flat=True).distinct()
    return deadlines.default_exchange_year(timezone.localdate(), years, get_ruleset())


def exchange_deadline(year: int) -> date:
    """(10): the exchange valid from 1 January of `year` is due by the agreed ruleset's date."""
    return deadlines.annual_exchange_deadline(year, get_ruleset())


@require_safe
def exchanges(request: HttpRequest) -> HttpResponse:
    """The annual exchanges of a year the user may see, per State, and for editors of a
    delegation the form to upload their own State's exchange."""
    year_form = YearForm(request.GET)
    year = year_form.year_or(default_exchange_year(request.user))
    return _exchange_index(request, year, ExchangeUploadForm(),
                           year_form=year_form if year_form.errors else None)


def _exchange_index(request: HttpRequest, year: int, form: ExchangeUploadForm,
                    upload_errors: Iterable[uploads.RowError] = (), status: int = 200,
                    year_form: YearForm | None = None) -> HttpResponse:
    lines = exchange_lines(year, request.user)
    return render(request, "csbm/exchanges.html", {
        "year": year,
        "year_form": year_form or YearForm(initial={"year": year}),
        "lines": lines,
        "due_on": exchange_deadline(year),
        "own_state": state_user_acts_for(request.user),
        "upload_form": form,
        "upload_errors": list(upload_errors),
        "user_is_entitled": access.is_entitled(request.user),
        "shows_exercise_data": any(line.exchange.is_exercise for line in lines),
    }, status=status)


@login_required
@require_POST
def exchange_upload(request: HttpRequest) -> HttpResponse:
    """Store an uploaded exchange of the editor's State as its next version, all or nothing."""
    state = state_user_acts_for(request.user)
    if state is None:
        raise PermissionDenied
    form = ExchangeUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _exchange_index(request, default_exchange_year(request.user), form, status=422)
    data = form.cleaned_data
    year = int(data["year"])
    try:
        if data["workbook"]:
            sheets = uploads.workbook_rows(data["workbook"])
            unit_rows, holding_rows = sheets[uploads.UNITS], sheets[uploads.HOLDINGS]
        else:
            unit_rows = uploads.csv_rows(data["units_csv"], uploads.UNITS)
            holding_rows = (uploads.csv_rows(data["holdings_csv"], uploads.HOLDINGS)
                            if data["holdings_csv"] else [])
        rows = uploads.read_exchange(unit_rows, holding_rows, state=state, year=year)
    except uploads.UploadError as error:
        return _exchange_index(request, year, form, error.errors, status=422)
    try:
        exchange = services.submit_exchange(request.user, services.ExchangeSubmission(
            state=state, year=year, submitted_on=data["submitted_on"],
            units=rows.units, holdings=rows.holdings,
            declared_evaluation_quota=data["declared_evaluation_quota"], note=data["note"],
            classification=data["classification"]))
    except services.CsbmError as error:
        found = uploads.refusal(rows, error.field, error.message)
        return _exchange_index(request, year, form, [found], status=422)
    except access.AccessDenied as exc:
        raise PermissionDenied from exc
    messages.success(request, _("Version %(version)s of the exchange is stored.")
                     % {"version": queries.seen_version(queries.as_seen(request.user, exchange))})
    return redirect("csbm:exchange", iso2=exchange.state_id, year=exchange.year)


@dataclass(frozen=True)
class CategoryTotal:
    """One equipment category across the exchange: in units, and held outside any unit."""

    label: str
    quantity: int
    units: int
    outside_units: int


@dataclass(frozen=True)
class Counts:
    formations: int = 0
    units: int = 0
    personnel: int = 0
    holdings_rows: int = 0
    holdings_quantity: int = 0


@dataclass(frozen=True)
class VersionLine:
    """One version of the exchange in its history, with what changed in counts since the
    version before it (None for the first)."""

    exchange: AnnualExchange
    counts: Counts
    changes: Counts | None


@dataclass(frozen=True)
class QuotaCheck:
    """The declared evaluation quota (10.1.1) beside the one computed under (109)."""

    declared: int | None
    computed: int | None
    citations: tuple[Citation, ...]

    @property
    def matches(self) -> bool | None:
        if self.declared is None or self.computed is None:
            return None
        return self.declared == self.computed


def category_totals(held: Iterable[queries.HeldQuantity]) -> list[CategoryTotal]:
    """Holdings per equipment category, in the order of the categories."""
    quantity: Counter[str] = Counter()
    outside: Counter[str] = Counter()
    holders: dict[str, set[int]] = {}
    for holding in held:
        quantity[holding.category] += holding.quantity
        if holding.unit_id is None:
            outside[holding.category] += holding.quantity
        else:
            holders.setdefault(holding.category, set()).add(holding.unit_id)
    return [CategoryTotal(str(label), quantity[value], len(holders.get(value, ())),
                          outside[value])
            for value, label in EquipmentCategory.choices if value in quantity]


def version_lines(user: Any, exchange: AnnualExchange) -> list[VersionLine]:
    """Every version of the exchange `user` may see, oldest first. Three queries."""
    versions = list(queries.visible_exchanges(user, current_only=False).filter(
        state__iso2=exchange.state_id, year=exchange.year).select_related("submitted_by")
        .order_by("version"))
    ids = [v.pk for v in versions]
    units: dict[int, dict[str, int]] = {}
    for row in (ExchangeUnit.objects.filter(exchange__in=ids).order_by()
                .values("exchange", "level").annotate(n=Count("pk"), personnel=Sum("personnel"))):
        units.setdefault(row["exchange"], {})[row["level"]] = row["n"]
        units[row["exchange"]]["personnel"] = (units[row["exchange"]].get("personnel", 0)
                                               + (row["personnel"] or 0))
    holdings = {row["exchange"]: (row["n"], row["quantity"] or 0) for row in
                ExchangeHolding.objects.filter(exchange__in=ids).order_by()
                .values("exchange").annotate(n=Count("pk"), quantity=Sum("quantity"))}
    lines: list[VersionLine] = []
    previous: Counts | None = None
    for version in versions:
        found = units.get(version.pk, {})
        rows, quantity = holdings.get(version.pk, (0, 0))
        counts = Counts(formations=found.get(ExchangeUnit.Level.FORMATION, 0),
                        units=found.get(ExchangeUnit.Level.UNIT, 0),
                        personnel=found.get("personnel", 0), holdings_rows=rows,
                        holdings_quantity=quantity)
        changes = None if previous is None else Counts(
            *(getattr(counts, name) - getattr(previous, name)
              for name in Counts.__dataclass_fields__))
        lines.append(VersionLine(version, counts, changes))
        previous = counts
    return lines


def quota_check(exchange: AnnualExchange) -> QuotaCheck:
    ruleset = get_ruleset()
    try:
        declaration = quota_engine.check_declared_evaluation_quota(
            exchange.units_reported, exchange.declared_evaluation_quota or 0, ruleset)
    except NotDefinedError:
        return QuotaCheck(exchange.declared_evaluation_quota, None, ())
    return QuotaCheck(exchange.declared_evaluation_quota, declaration.computed,
                      declaration.citations)


@require_safe
def exchange_detail(request: HttpRequest, iso2: str, year: int) -> HttpResponse:
    """A State's exchanged data for a year: the current version (or ?version=N, numbered
    among the versions the user may see) with its formations, units and holdings, its
    history and its evaluation quota; 404 if hidden.
    The formations and units are a tree collapsed below the top level: ?expand=all opens
    every branch, ?unit=<n> the branches above the exchange's n-th unit (the map's links).
    With ?part=units|holdings&format=csv|xlsx, that table as a download."""
    version = request.GET.get("version", "")
    download = "format" in request.GET
    exchange = queries.get_exchange(request.user, iso2, year,
                                    int(version) if version.isdigit() else None,
                                    holdings=download)
    if download:
        return _exchange_file(exchange, request.GET.get("part", ""), request.GET["format"])
    held = queries.exchange_holdings(exchange)
    history = version_lines(request.user, exchange)
    first = history[0].exchange.submitted_on if history else exchange.submitted_on
    due = exchange_deadline(year)
    focus = request.GET.get("unit", "")
    tree = build_hierarchy(exchange, held, expand_all=request.GET.get("expand") == "all",
                           focus=int(focus) if focus.isdigit() else None)
    version_param = f"version={queries.seen_version(exchange)}" if version else ""
    return render(request, "csbm/exchange.html", {
        "exchange": exchange,
        "tree": tree,
        "version_param": version_param,
        "expand_query": "?" + "&".join(filter(None, ["expand=all", version_param])),
        "collapse_query": "?" + version_param,
        "categories": category_totals(held),
        "history": history,
        "quota": quota_check(exchange),
        "ruleset": get_ruleset(),
        "due_on": due,
        "first_submitted_on": first,
        "status": ScoreStatus.ON_TIME if first <= due else ScoreStatus.LATE,
        "formats": EXCHANGE_FORMATS,
        "parts": EXCHANGE_PARTS,
        "version_query": f"&version={queries.seen_version(exchange)}" if version else "",
        "shows_exercise_data": exchange.is_exercise,
    })


def _exchange_file(exchange: AnnualExchange, part: str, file_format: str) -> HttpResponse:
    if file_format not in EXCHANGE_FORMATS or part not in EXCHANGE_PARTS:
        return HttpResponseBadRequest(
            _("Choose part=%(parts)s and format=%(formats)s.") % {
                "parts": "|".join(EXCHANGE_PARTS), "formats": "|".join(EXCHANGE_FORMATS)},
            content_type="text/plain; charset=utf-8")
    table = (exports.exchange_units_table(exchange) if part == "units"
             else exports.exchange_holdings_table(exchange))
    buffer = io.BytesIO()
    exports.write_table(table, file_format, buffer)
    response = HttpResponse(buffer.getvalue(), content_type=CONTENT_TYPES[file_format])
    stem = f"aemi-{exchange.state_id}-{exchange.year}-v{queries.seen_version(exchange)}-{part}"
    response["Content-Disposition"] = f'attachment; filename="{stem}.{file_format}"'
    return response
