"""Tables of the projects, indicators and transactions a reader may see, as CSV (with an HXL
hashtag row under the header) and XLSX, written by `core.tables`, which defuses formulas.

The XLSX of projects and of transactions has the columns the import reads back
(`projects.importing`), so a workbook exported, edited and imported round-trips.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date
from typing import Any

from django.db.models import QuerySet

from hofburg.core.access import AnyUser
from hofburg.core.tables import Cell, Table, csv_line, write_xlsx
from hofburg.projects import queries
from hofburg.projects.models import Project

FORMATS = ("csv", "xlsx")
KINDS = ("projects", "indicators", "transactions")

# Column and HXL hashtag (HXL 1.1, hxlstandard.org; `+` attributes where the dictionary has no
# tag of its own).
PROJECT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("number", "#activity+code"), ("title", "#activity+name"),
    ("dimension", "#sector+dimension"), ("theme", "#sector+theme"),
    ("description", "#activity+description"), ("funding", "#meta+funding"),
    ("dac_sectors", "#sector+code+dac"), ("recipients", "#country+code"),
    ("currency", "#currency"), ("planned_start", "#date+start+planned"),
    ("planned_end", "#date+end+planned"), ("classification", "#meta+classification"),
    ("owner", "#org+code+owner"), ("status", "#status"),
    ("budget", "#value+budget"), ("pledged", "#value+pledged"),
    ("agreed", "#value+committed"), ("received", "#value+received"),
    ("spent", "#value+spent"), ("exercise", "#meta+exercise"),
)
TRANSACTION_COLUMNS: tuple[tuple[str, str], ...] = (
    ("project", "#activity+code"), ("flow", "#financial+type"), ("value", "#value"),
    ("value_date", "#date"), ("donor", "#org+code+donor"), ("currency", "#currency"),
    ("original_value", "#value+original"), ("original_currency", "#currency+original"),
    ("rate", "#value+rate"), ("rate_date", "#date+rate"),
    ("period_start", "#date+start"), ("period_end", "#date+end"),
    ("earmark", "#meta+earmark"), ("description", "#description"),
    ("exercise", "#meta+exercise"),
)
INDICATOR_COLUMNS: tuple[tuple[str, str], ...] = (
    ("project", "#activity+code"), ("element", "#output+code"), ("level", "#output+type"),
    ("indicator", "#indicator+name"), ("baseline", "#indicator+value+baseline"),
    ("baseline_year", "#date+year+baseline"), ("period_start", "#date+start"),
    ("period_end", "#date+end"), ("target", "#indicator+value+target"),
    ("actual", "#indicator+value+actual"), ("exercise", "#meta+exercise"),
)
COLUMNS = {"projects": PROJECT_COLUMNS, "transactions": TRANSACTION_COLUMNS,
           "indicators": INDICATOR_COLUMNS}


def _cell(value: Any) -> Cell:
    if value is None or isinstance(value, str | int | bool | date):
        return value
    return str(value)  # Decimal: as written, never through a float


def _project_rows(projects: QuerySet[Project]) -> Iterator[list[Cell]]:
    rows = queries.with_money(projects).select_related("owner_affiliation").prefetch_related(
        "recipients").order_by("number")
    for p in rows:
        yield [_cell(v) for v in (
            p.number, p.title, p.dimension, p.theme, p.description, p.funding,
            ",".join(p.dac_sectors), ",".join(r.iso2 for r in p.recipients.all()), p.currency,
            p.planned_start, p.planned_end, p.classification,
            p.owner_affiliation.code if p.owner_affiliation else "", p.status,
            p.budget, p.pledged, p.agreed, p.received, p.spent,  # type: ignore[attr-defined]
            p.is_exercise)]


def _transaction_rows(user: AnyUser, projects: QuerySet[Project]) -> Iterator[list[Cell]]:
    rows = (queries.transactions_for(user).filter(project__in=projects.values("pk"))
            .select_related("project", "donor").order_by("project__number", "value_date", "pk"))
    for t in rows.iterator(chunk_size=2000):
        yield [_cell(v) for v in (
            t.project.number, t.flow, t.value, t.value_date, t.donor.code if t.donor else "",
            t.project.currency, t.original_value, t.original_currency, t.rate, t.rate_date,
            t.period_start, t.period_end, t.earmark, t.description, t.project.is_exercise)]


def _indicator_rows(user: AnyUser, projects: QuerySet[Project]) -> Iterator[list[Cell]]:
    rows = (queries.indicator_periods_for(user)
            .filter(indicator__element__project__in=projects.values("pk"))
            .select_related("indicator__element__project")
            .order_by("indicator__element__project__number", "indicator__element__code",
                      "indicator_id", "start"))
    for p in rows.iterator(chunk_size=2000):
        indicator = p.indicator
        element = indicator.element
        yield [_cell(v) for v in (
            element.project.number, element.code, element.level, indicator.title,
            indicator.baseline, indicator.baseline_year, p.start, p.end, p.target, p.actual,
            element.project.is_exercise)]


def table(user: AnyUser, kind: str, projects: QuerySet[Project]) -> tuple[list[str],
                                                                         list[str],
                                                                         Iterator[list[Cell]]]:
    """(column names, HXL hashtags, rows) of `kind` for `projects` (already visible)."""
    columns = COLUMNS[kind]
    if kind == "projects":
        rows = _project_rows(projects)
    elif kind == "transactions":
        rows = _transaction_rows(user, projects)
    else:
        rows = _indicator_rows(user, projects)
    return [name for name, _tag in columns], [tag for _name, tag in columns], rows


def as_csv(user: AnyUser, kind: str, projects: QuerySet[Project]) -> Iterator[str]:
    """Header, HXL hashtag row, then the rows, as CSV text (text cells defused)."""
    names, tags, rows = table(user, kind, projects)
    yield csv_line(names)
    yield csv_line(tags)
    for row in rows:
        yield csv_line(["" if v is None else v.isoformat() if isinstance(v, date)
                        else ("true" if v is True else "false" if v is False else v)
                        for v in row])


def as_xlsx(user: AnyUser, kind: str, projects: QuerySet[Project]) -> bytes:
    names, _tags, rows = table(user, kind, projects)
    stream = io.BytesIO()
    write_xlsx(Table(kind=kind, columns=names, rows=list(rows)), stream)
    return stream.getvalue()
