"""Pages of the Vienna Document desk: thin adapters over the engine, the queries and core.access.

The activity checker and the what-if page need only the engine and the ruleset files: nothing
is read from or written to the database. The desk home, quota board, scorecard, calendar and
exchanged-data pages read through `queries`, which narrows every record to what the user may
see; the exchange upload reads files with `uploads` and stores through `services`.
"""

from __future__ import annotations

import io
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
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
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from hofburg.core import access
from hofburg.core.tables import CONTENT_TYPES
from hofburg.csbm import exports, queries, services, uploads, whatif
from hofburg.csbm.engine import deadlines
from hofburg.csbm.engine import quotas as quota_engine
from hofburg.csbm.engine.activities import Activity
from hofburg.csbm.engine.classify import (
    NOTIFICATION,
    Classification,
    ThresholdCheck,
    ThresholdResult,
    classify,
)
from hofburg.csbm.engine.rulesets import (
    Citation,
    NotDefinedError,
    Provision,
    Ruleset,
    differences,
)
from hofburg.csbm.engine.terms import Category, Measure, Operator
from hofburg.csbm.forms import (
    CalendarForm,
    CheckerForm,
    ExchangeUploadForm,
    ScorecardForm,
    WhatIfForm,
    YearForm,
)
from hofburg.csbm.models import Activity as StoredActivity
from hofburg.csbm.models import AnnualExchange, EquipmentCategory, ExchangeHolding, ExchangeUnit
from hofburg.csbm.rulesets import all_rulesets, get_ruleset
from hofburg.csbm.scorecard import ScorecardRow, build_scorecard
from hofburg.csbm.scorecard import Status as ScoreStatus
from hofburg.csbm.services import engine_activity

# -- words for the engine's terms ----------------------------------------------------------

CATEGORY_LABELS = {
    Category.LAND_FORCES: _("land forces (40.1)"),
    Category.LANDING: _("landing or assault (40.2)"),
    Category.TRANSFER: _("transfer or concentration (40.3)"),
    Category.AIR: _("air activity"),
}
MEASURE_LABELS = {
    Measure.TROOPS: _("troops"),
    Measure.BATTLE_TANKS: _("battle tanks"),
    Measure.ACVS: _("armoured combat vehicles"),
    Measure.ARTILLERY: _("artillery, mortars and MRLs of 100 mm and above"),
    Measure.LANDING_TROOPS: _("troops in the landing or assault"),
    Measure.SORTIES: _("aircraft sorties"),
}
OPERATOR_LABELS = {Operator.AT_LEAST: _("at least"), Operator.MORE_THAN: _("more than")}
RESULT_LABELS = {
    ThresholdResult.CROSSED: _("crossed"),
    ThresholdResult.NOT_CROSSED: _("not crossed"),
    ThresholdResult.UNDETERMINED: _("undetermined"),
}
# The answers a citation can stand behind (Classification.citations keys), in reading order.
CITED_ANSWERS = [
    ("notifiable", _("Prior notification (Chapter V)")),
    ("notify_by", _("Notification time limit")),
    ("air_component", _("Air component")),
    ("observable", _("Observation (Chapter VI)")),
    ("invite_by", _("Invitation of observers")),
    ("calendar_by", _("Annual calendar (Chapter VII)")),
    ("advance_notice_by", _("Announcement two years ahead (Chapter VIII)")),
]


@dataclass(frozen=True)
class Threshold:
    """A threshold as a page shows it: the figure, or the range, or "not defined"."""

    value: int | None
    low: int | None = None
    high: int | None = None

    @classmethod
    def of(cls, provision: Provision[Any]) -> Threshold:
        if provision.reported_range is not None:
            low, high = provision.reported_range
            return cls(value=None, low=low, high=high)
        return cls(value=provision.value if isinstance(provision.value, int) else None)

    @property
    def is_range(self) -> bool:
        return self.low is not None


@dataclass(frozen=True)
class CheckRow:
    """One line of the thresholds table."""

    category: str
    measure: str
    count: int
    operator: str
    threshold: Threshold
    result: ThresholdResult
    result_label: str
    paragraph: str | None
    paragraph_confidence: str | None
    confidence: str | None
    note: str

    @classmethod
    def of(cls, check: ThresholdCheck) -> CheckRow:
        provision = check.provision
        return cls(
            category=str(CATEGORY_LABELS[check.category]),
            measure=str(MEASURE_LABELS[check.measure]),
            count=check.count,
            operator=str(OPERATOR_LABELS[check.operator]),
            threshold=Threshold.of(provision),
            result=check.result,
            result_label=str(RESULT_LABELS[check.result]),
            paragraph=provision.paragraph,
            paragraph_confidence=_label(provision.paragraph_confidence),
            confidence=_label(provision.confidence),
            note=provision.note,
        )


def _label(confidence: object) -> str | None:
    return str(confidence) if confidence is not None else None


@dataclass(frozen=True)
class CitedAnswer:
    key: str
    label: str
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class Answer:
    """A classification laid out for the checker's answer."""

    ruleset: Ruleset
    activity: Activity
    classification: Classification
    notification_rows: list[CheckRow] = field(default_factory=list)
    observation_rows: list[CheckRow] = field(default_factory=list)
    cited: list[CitedAnswer] = field(default_factory=list)

    @classmethod
    def of(cls, activity: Activity, ruleset: Ruleset) -> Answer:
        classification = classify(activity, ruleset)
        rows = [CheckRow.of(check) for check in classification.checks]
        chapters = [check.chapter for check in classification.checks]
        return cls(
            ruleset=ruleset,
            activity=activity,
            classification=classification,
            notification_rows=[r for r, c in zip(rows, chapters, strict=True)
                               if c == NOTIFICATION],
            observation_rows=[r for r, c in zip(rows, chapters, strict=True)
                              if c != NOTIFICATION],
            cited=[CitedAnswer(key, str(label), tuple(classification.citations[key]))
                   for key, label in CITED_ANSWERS if classification.citations.get(key)],
        )

    def citations(self, key: str) -> tuple[Citation, ...]:
        return tuple(self.classification.citations.get(key, ()))

    @property
    def notification_citations(self) -> tuple[Citation, ...]:
        return self.citations("notifiable")

    @property
    def observation_citations(self) -> tuple[Citation, ...]:
        return self.citations("observable")


# -- activity checker ----------------------------------------------------------------------


def _checked(form: CheckerForm) -> Answer | None:
    """The answer for a valid form; None (and the form's errors) otherwise. Stores nothing."""
    if not form.is_bound or not form.is_valid():
        return None
    ruleset = form.chosen_ruleset()
    return Answer.of(form.activity(), ruleset)


@require_http_methods(["GET", "POST"])
def checker(request: HttpRequest) -> HttpResponse:
    """The activity checker. Without JavaScript the form posts here and the page answers."""
    form = CheckerForm(request.POST or None, rulesets=all_rulesets())
    return render(request, "csbm/checker.html", {"form": form, "answer": _checked(form)})


@require_POST
def checker_answer(request: HttpRequest) -> HttpResponse:
    """The answer alone, for htmx to swap in while the form is being filled."""
    form = CheckerForm(request.POST, rulesets=all_rulesets())
    return render(request, "csbm/includes/checker_answer.html",
                  {"form": form, "answer": _checked(form)})


# -- what if: the same activities under two rulesets --------------------------------------


@dataclass(frozen=True)
class Verdict:
    """One activity under one ruleset, as the what-if table shows it."""

    classification: Classification

    @property
    def notification(self) -> str:
        c = self.classification
        return "yes" if c.notifiable else ("open" if c.notification_undetermined else "no")

    @property
    def observation(self) -> str:
        c = self.classification
        return "yes" if c.observable else ("open" if c.observation_undetermined else "no")


@dataclass(frozen=True)
class Compared:
    """One row of the what-if table: an activity, its answers under A and B, what changes."""

    label: str
    activity: Activity
    a: Verdict
    b: Verdict
    changed: tuple[str, ...]
    record: StoredActivity | None = None  # the stored activity, when the row comes from one

    @property
    def changes(self) -> bool:
        return bool(self.changed)


TYPED_ACTIVITY = "typed-activity"


@require_http_methods(["GET"])
def what_if(request: HttpRequest) -> HttpResponse:
    """The same activities under two rulesets side by side, and how the rulesets differ.

    The activities are the stored ones the user may see (real, sourced exercises for the
    public), optionally of one year, and one activity typed into the form.
    """
    form = WhatIfForm(request.GET or None, rulesets=all_rulesets(), activity_required=False)
    context: dict[str, Any] = {"form": form}
    if form.is_bound and not form.is_valid():
        return render(request, "csbm/what_if.html", context)
    ruleset_a, ruleset_b = (form.chosen() if form.is_bound else
                            (all_rulesets()[form.initial["ruleset_a"]],
                             all_rulesets()[form.initial["ruleset_b"]]))
    stored = queries.visible_activities(request.user).exclude(
        status=StoredActivity.Status.CANCELLED).order_by("start", "pk")
    if form.is_bound and form.cleaned_data.get("year"):
        stored = stored.filter(start__year=form.cleaned_data["year"])
    records = list(stored)
    activities = [engine_activity(record) for record in records]
    if form.is_bound and form.has_activity():
        activities.append(form.activity(TYPED_ACTIVITY))
    result = whatif.compare_rulesets(activities, ruleset_a, ruleset_b)
    by_reference = {record.reference: record for record in records}
    rows = [
        Compared(label=str(_("The activity typed in")) if row.activity_id == TYPED_ACTIVITY
                 else row.activity_id,
                 activity=activity, a=Verdict(row.a), b=Verdict(row.b), changed=row.changed,
                 record=by_reference.get(row.activity_id))
        for row, activity in zip(result.rows, activities, strict=True)
    ]
    context.update({
        "ruleset_a": ruleset_a,
        "ruleset_b": ruleset_b,
        "rows": rows,
        "summary": result.summary,
        "differences": differences(ruleset_a, ruleset_b),
        "shows_exercise_data": any(record.is_exercise for record in records),
    })
    return render(request, "csbm/what_if.html", context)


# -- desk home, quota board, scorecard, calendar -------------------------------------------


def this_year() -> int:
    return timezone.localdate().year


@dataclass(frozen=True)
class ActivityLine:
    """A stored activity with its answer under the agreed ruleset."""

    record: StoredActivity
    classification: Classification

    @property
    def overdue(self) -> bool:
        due = self.classification.notify_by
        return (due is not None and self.record.notified_on is None
                and due < timezone.localdate())


def _classified(records: Iterable[StoredActivity]) -> list[ActivityLine]:
    return [ActivityLine(record, queries.classify_activity(record)) for record in records]


UPCOMING_DAYS = 120


@require_safe
def desk_home(request: HttpRequest) -> HttpResponse:
    """Upcoming notifiable activities, what is overdue, and this year's quota board at a glance."""
    today = timezone.localdate()
    year = today.year
    user = request.user
    upcoming = [line for line in _classified(
        queries.visible_activities(user).filter(
            start__gte=today, start__lte=today + timedelta(days=UPCOMING_DAYS))
        .exclude(status=StoredActivity.Status.CANCELLED).order_by("start", "pk"))
        if line.classification.notifiable or line.classification.notification_undetermined]
    scorecard_rows = build_scorecard(year, user)
    overdue = sorted((row for row in scorecard_rows if row.exchange_status == ScoreStatus.MISSING
                      or row.calendar_status == ScoreStatus.MISSING or row.missing_notifications),
                     key=lambda row: folded(row.state_name))
    board = quota_lines(year, user)
    return render(request, "csbm/home.html", {
        "year": year,
        "today": today,
        "upcoming_days": UPCOMING_DAYS,
        "upcoming": upcoming,
        "overdue": overdue,
        "quota_lines": [line for line in board if line.used],
        "filled": [line for line in board if line.filled],
        "state_count": len(board),
        "user_is_entitled": access.is_entitled(user),
        "shows_exercise_data": exercise_data_in(year, user),
    })


@dataclass(frozen=True)
class QuotaLine:
    """One receiving State on the quota board, with who has used its quotas."""

    row: queries.QuotaRow
    evaluations_by: list[Requester]
    inspections_by: list[Requester]

    @classmethod
    def of(cls, row: queries.QuotaRow, names: Mapping[str, str]) -> QuotaLine:
        return cls(
            row=row,
            evaluations_by=_by_whom(row.evaluation, names),
            inspections_by=_by_whom(row.inspection, names),
        )

    @property
    def used(self) -> int:
        return self.row.inspection.used + (self.row.evaluation.used if self.row.evaluation else 0)

    @property
    def filled(self) -> bool:
        return self.row.inspection.filled or bool(self.row.evaluation and
                                                  self.row.evaluation.quota and
                                                  self.row.evaluation.filled)


@dataclass(frozen=True)
class Requester:
    """A State that made visits counted against another State's quota."""

    state: str
    name: str
    visits: int


def _by_whom(board: quota_engine.QuotaBoard | None,
             names: Mapping[str, str]) -> list[Requester]:
    """The requesting States and how many counted visits each made, most first."""
    if board is None:
        return []
    counts = Counter(visit.inspecting_state for visit in board.counted)
    return [Requester(state, names.get(state, state), visits)
            for state, visits in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]


def quota_lines(year: int, user: Any) -> list[QuotaLine]:
    """The quota board of `year`, by the States' names in the reader's language."""
    rows = sorted(queries.quota_board(year, user), key=lambda row: folded(row.state_name))
    names = {row.state: row.state_name for row in rows}
    return [QuotaLine.of(row, names) for row in rows]


def folded(text: str) -> str:
    """`text` without accents and case, for sorting names ('Österreich' near 'Osterreich')."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def exercise_data_in(year: int, user: Any) -> bool:
    """True when any visible record of `year` the desk's yearly pages draw on is exercise data."""
    return (queries.visible_activities(user).filter(start__year=year, is_exercise=True).exists()
            or queries.visible_exchanges(user).filter(year=year, is_exercise=True).exists()
            or queries.visible_visits(user).filter(on__year=year, is_exercise=True).exists())


@require_safe
def quotas(request: HttpRequest) -> HttpResponse:
    """Each State's evaluation and inspection quota for a year: quota, used, remaining, by whom."""
    year = YearForm(request.GET).year_or(this_year())
    lines = quota_lines(year, request.user)
    return render(request, "csbm/quotas.html", {
        "year": year,
        "year_form": YearForm(initial={"year": year}),
        "lines": lines,
        "shows_exercise_data": exercise_data_in(year, request.user),
        "ruleset": get_ruleset(),
    })


SCORECARD_FORMATS = ("csv", "xlsx")


@require_safe
def scorecard(request: HttpRequest) -> HttpResponse:
    """Per State and year: late or missing submissions and notifications, Chapter VIII breaches."""
    form = ScorecardForm(request.GET)
    year = form.year_or(this_year())
    rows = sorted(build_scorecard(year, request.user), key=lambda row: folded(row.state_name))
    if form.is_valid() and form.cleaned_data.get("findings_only"):
        rows = [row for row in rows if not row.clean]
    if "format" in request.GET:
        return _scorecard_file(rows, year, request.GET["format"])
    return render(request, "csbm/scorecard.html", {
        "year": year,
        "form": form if form.errors else ScorecardForm(initial={
            "year": year, "findings_only": form.is_valid() and form.cleaned_data["findings_only"]}),
        "rows": rows,
        "shows_exercise_data": exercise_data_in(year, request.user),
        "ruleset": get_ruleset(),
        "user_is_entitled": access.is_entitled(request.user),
        "formats": SCORECARD_FORMATS,
    })


def _scorecard_file(rows: list[ScorecardRow], year: int, file_format: str) -> HttpResponse:
    """The scorecard as a CSV or XLSX download (the rows are already narrowed to the user)."""
    if file_format not in SCORECARD_FORMATS:
        return HttpResponseBadRequest(
            _("Choose one of these formats: %(formats)s.") % {
                "formats": ", ".join(SCORECARD_FORMATS)},
            content_type="text/plain; charset=utf-8")
    buffer = io.BytesIO()
    exports.write_table(exports.scorecard_table(rows), file_format, buffer)
    response = HttpResponse(buffer.getvalue(), content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="csbm-scorecard-{year}.{file_format}"'
    return response


@dataclass(frozen=True)
class TimelineBar:
    """An activity placed on a one-year timeline, as percentages of the year."""

    line: ActivityLine
    offset: float
    width: float
    starts_before: bool
    ends_after: bool

    @classmethod
    def of(cls, line: ActivityLine, year: int) -> TimelineBar:
        first, last = date(year, 1, 1), date(year, 12, 31)
        days = (last - first).days + 1
        start, end = max(line.record.start, first), min(line.record.end, last)
        return cls(
            line=line,
            offset=round(100 * (start - first).days / days, 2),
            width=round(max(100 * ((end - start).days + 1) / days, 0.6), 2),
            starts_before=line.record.start < first,
            ends_after=line.record.end > last,
        )


@require_safe
def calendar(request: HttpRequest) -> HttpResponse:
    """The activities of a year on a timeline by month, optionally of one State."""
    form = CalendarForm(request.GET)
    year = form.year_or(this_year())
    state = form.state_or_none()
    activities = queries.visible_activities(request.user).filter(
        start__lte=date(year, 12, 31), end__gte=date(year, 1, 1)).order_by("start", "pk")
    if state:
        activities = activities.filter(state__iso2=state)
    bars = [TimelineBar.of(line, year) for line in _classified(activities)]
    return render(request, "csbm/calendar.html", {
        "year": year,
        "form": form if form.errors else CalendarForm(initial={"year": year, "state": state or ""}),
        "bars": bars,
        "months": [date(year, month, 1) for month in range(1, 13)],
        "shows_exercise_data": any(bar.line.record.is_exercise for bar in bars),
    })


@require_safe
def activity_detail(request: HttpRequest, reference: str) -> HttpResponse:
    """One stored activity and what the agreed ruleset says about it; 404 if hidden."""
    record = queries.get_activity(request.user, reference)
    ruleset = get_ruleset()
    notifications = queries.visible_notifications(request.user).filter(
        activity=record).order_by("version")
    return render(request, "csbm/activity.html", {
        "record": record,
        "answer": Answer.of(engine_activity(record), ruleset),
        "notifications": list(notifications),
        "shows_exercise_data": record.is_exercise,
    })


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
        return ScoreStatus.ON_TIME if self.first_submitted_on <= self.due_on else ScoreStatus.LATE


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


def exchange_deadline(year: int) -> date:
    """(10): the exchange valid from 1 January of `year` is due by the agreed ruleset's date."""
    return deadlines.annual_exchange_deadline(year, get_ruleset())


@require_safe
def exchanges(request: HttpRequest) -> HttpResponse:
    """The annual exchanges of a year the user may see, per State, and for editors of a
    delegation the form to upload their own State's exchange."""
    year = YearForm(request.GET).year_or(this_year())
    return _exchange_index(request, year, ExchangeUploadForm())


def _exchange_index(request: HttpRequest, year: int, form: ExchangeUploadForm,
                    upload_errors: Iterable[uploads.RowError] = (), status: int = 200
                    ) -> HttpResponse:
    lines = exchange_lines(year, request.user)
    return render(request, "csbm/exchanges.html", {
        "year": year,
        "year_form": YearForm(initial={"year": year}),
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
        return _exchange_index(request, this_year(), form, status=422)
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
        exchange = services.submit_exchange(
            request.user, state=state, year=year, submitted_on=data["submitted_on"],
            units=rows.units, holdings=rows.holdings,
            declared_evaluation_quota=data["declared_evaluation_quota"], note=data["note"],
            classification=data["classification"])
    except services.CsbmError as error:
        found = uploads.refusal(rows, error.field, error.message)
        return _exchange_index(request, year, form, [found], status=422)
    except access.AccessDenied as exc:
        raise PermissionDenied from exc
    messages.success(request, _("Version %(version)s of the exchange is stored.")
                     % {"version": exchange.version})
    return redirect("csbm:exchange", iso2=exchange.state_id, year=exchange.year)


@dataclass(frozen=True)
class UnitLine:
    """A formation or unit in the order of its hierarchy, with its holdings by category."""

    unit: ExchangeUnit
    depth: int
    holdings: list[tuple[str, int]]
    holdings_quantity: int


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


def unit_lines(exchange: AnnualExchange) -> list[UnitLine]:
    """The exchange's formations and units, each after the formation it is subordinate to
    (prefetched units and holdings: no query per unit)."""
    units = list(exchange.units.all())
    labels = dict(EquipmentCategory.choices)
    by_unit: dict[int, Counter[str]] = {}
    for holding in exchange.holdings.all():
        if holding.unit_id is not None:
            by_unit.setdefault(holding.unit_id, Counter())[holding.category] += holding.quantity
    children: dict[int | None, list[ExchangeUnit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    ordered: list[tuple[ExchangeUnit, int]] = []
    placed: set[int] = set()

    def place(unit: ExchangeUnit, depth: int) -> None:
        placed.add(unit.pk)
        ordered.append((unit, depth))
        for child in children.get(unit.pk, ()):
            if child.pk not in placed:
                place(child, depth + 1)

    for root in children.get(None, ()):
        place(root, 0)
    for unit in units:  # a subordination loop leaves units unplaced: show them anyway
        if unit.pk not in placed:
            place(unit, 0)
    lines = []
    for unit, depth in ordered:
        held = by_unit.get(unit.pk, Counter())
        lines.append(UnitLine(unit, depth, [(str(labels[c]), held[c]) for c in
                                            EquipmentCategory.values if held[c]],
                              sum(held.values())))
    return lines


def category_totals(exchange: AnnualExchange) -> list[CategoryTotal]:
    """Holdings per equipment category, in the order of the categories (prefetched)."""
    quantity: Counter[str] = Counter()
    outside: Counter[str] = Counter()
    holders: dict[str, set[int]] = {}
    for holding in exchange.holdings.all():
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
    """A State's exchanged data for a year: the current version (or ?version=N) with its
    formations, units and holdings, its history and its evaluation quota; 404 if hidden.
    With ?part=units|holdings&format=csv|xlsx, that table as a download."""
    version = request.GET.get("version", "")
    exchange = queries.get_exchange(request.user, iso2, year,
                                    int(version) if version.isdigit() else None)
    if "format" in request.GET:
        return _exchange_file(exchange, request.GET.get("part", ""), request.GET["format"])
    history = version_lines(request.user, exchange)
    first = history[0].exchange.submitted_on if history else exchange.submitted_on
    due = exchange_deadline(year)
    return render(request, "csbm/exchange.html", {
        "exchange": exchange,
        "units": unit_lines(exchange),
        "categories": category_totals(exchange),
        "history": history,
        "quota": quota_check(exchange),
        "ruleset": get_ruleset(),
        "due_on": due,
        "first_submitted_on": first,
        "status": ScoreStatus.ON_TIME if first <= due else ScoreStatus.LATE,
        "formats": EXCHANGE_FORMATS,
        "parts": EXCHANGE_PARTS,
        "version_query": f"&version={exchange.version}" if version else "",
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
    stem = f"aemi-{exchange.state_id}-{exchange.year}-v{exchange.version}-{part}"
    response["Content-Disposition"] = f'attachment; filename="{stem}.{file_format}"'
    return response
