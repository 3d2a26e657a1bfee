"""The desk's data files (`data/projects/`) read into typed, checked values.

- `unified_budget.yaml`: the Unified Budget by year, each row with its source and label;
- `scales.yaml`: the ceilings (PC.DEC/408) and the scales of contributions, each with source
  and label. A deployment that has the real scale passes its own file (same format) to
  `load_scales`; it is checked against the ceilings before use.

A malformed file is refused with `ReferenceError` naming the file, the row and the field.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from hofburg.projects.engine.contributions import (
    BudgetYear,
    Ceiling,
    Scale,
    ScaleKind,
    check_scale,
)

DATA_DIR = Path(__file__).resolve().parents[4] / "data" / "projects"
ConfidenceLabel = Literal["confirmed", "secondary", "unconfirmed", "disputed"]


class ReferenceFileError(ValueError):
    """A data file that cannot be used; the message names the file, row and field."""


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BudgetRow(_Row):
    year: int = Field(ge=1991, le=2100)
    amount_eur: Decimal | None = Field(default=None, ge=0)
    adopted: bool
    approximate: bool = False
    confidence: ConfidenceLabel
    note: str = ""
    source: str = Field(min_length=1)


class BudgetFile(_Row):
    schema_version: Literal[1]
    years: list[BudgetRow]


class CeilingRow(_Row):
    scale: ScaleKind
    percent: Decimal = Field(gt=0, le=100)
    basis: str = Field(min_length=1)
    confidence: ConfidenceLabel
    source: str = Field(min_length=1)


class ScaleRow(_Row):
    code: str = Field(min_length=1, max_length=40)
    kind: ScaleKind | None = None
    years: list[int] = Field(min_length=1)
    shares: dict[str, Decimal]
    approximate: bool = False
    complete: bool = True
    confidence: ConfidenceLabel
    source: str = Field(min_length=1)
    note: str = ""


class ScalesFile(_Row):
    schema_version: Literal[1]
    ceilings: list[CeilingRow]
    scales: list[ScaleRow]


def _read(path: Path) -> object:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ReferenceFileError(f"{path.name}: cannot be read: {exc}") from exc


def _explain(path: Path, exc: ValidationError) -> ReferenceFileError:
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"])
    return ReferenceFileError(f"{path.name}, {where}: {error['msg']}")


def load_unified_budget(path: Path | None = None) -> list[BudgetYear]:
    """The Unified Budget by year, oldest first; a year may appear once."""
    path = path or DATA_DIR / "unified_budget.yaml"
    try:
        parsed = BudgetFile.model_validate(_read(path))
    except ValidationError as exc:
        raise _explain(path, exc) from exc
    years = [row.year for row in parsed.years]
    if len(set(years)) != len(years):
        raise ReferenceFileError(f"{path.name}: a year appears twice.")
    return sorted(
        (BudgetYear(year=row.year, amount_eur=row.amount_eur, adopted=row.adopted,
                    label=row.confidence, approximate=row.approximate, note=row.note,
                    source=row.source) for row in parsed.years),
        key=lambda b: b.year,
    )


def load_scales(path: Path | None = None) -> tuple[list[Ceiling], list[Scale]]:
    """The ceilings and the scales of a scales file, every scale checked against the ceilings."""
    path = path or DATA_DIR / "scales.yaml"
    try:
        parsed = ScalesFile.model_validate(_read(path))
    except ValidationError as exc:
        raise _explain(path, exc) from exc
    ceilings = [Ceiling(kind=row.scale, percent=row.percent, source=f"{row.basis}; {row.source}",
                        confidence=row.confidence) for row in parsed.ceilings]
    scales = []
    for index, row in enumerate(parsed.scales):
        bad = [code for code in row.shares if len(code) != 2 or not code.isupper()]
        if bad:
            raise ReferenceFileError(f"{path.name}, scales.{index}.shares: {bad[0]!r} is not an "
                                     "ISO 3166 alpha-2 code.")
        scale = Scale(code=row.code, kind=row.kind, years=tuple(row.years), shares=row.shares,
                      source=row.source, confidence=row.confidence,
                      approximate=row.approximate, complete=row.complete)
        try:
            check_scale(scale, ceilings)
        except ValueError as exc:
            raise ReferenceFileError(f"{path.name}, scales.{index}: {exc}") from exc
        scales.append(scale)
    return ceilings, scales
