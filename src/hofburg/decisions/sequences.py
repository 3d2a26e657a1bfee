"""Giving the next number of a series (`PC.DEC`, `PC.DD` of a year, `PC.JOUR`, `PC.DEL` ...).

The rules (which series restart each year, how a symbol is written) are data in
`data/decisions/bodies.yaml`, read by `decisions.engine.rules`; the last number given is a
`Sequence` row, locked while a number is taken so that two adoptions never get the same one.
A deployment continues the real sequence by setting a series' first number (`set_start`).
Call `allocate` inside the caller's transaction: the number is given only if it commits.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db import transaction

from hofburg.core.errors import Invalid
from hofburg.decisions.engine import numbering, rules
from hofburg.decisions.models import Sequence


@cache
def body_rules() -> dict[str, rules.BodyRules]:
    """The bodies and their series, read once per process from the versioned data file."""
    return rules.load_bodies(Path(settings.REFERENCE_DATA_DIR) / "decisions" / "bodies.yaml")


def series_rule(body: str, series: str) -> rules.SeriesRule:
    try:
        return body_rules()[body].series[series]
    except KeyError:
        raise Invalid(f"{body} has no {series} series.", field="body") from None


def allocate(body: str, series: str, *, on: date, is_exercise: bool) -> tuple[int, str]:
    """Take the next number of `body`.`series` for a record dated `on`: (number, symbol).

    Must run inside a transaction (the sequence row stays locked until it ends)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("allocate() must run inside the caller's transaction")
    rule = series_rule(body, series)
    year = numbering.sequence_year(rule, on)
    row, _created = Sequence.objects.select_for_update().get_or_create(
        body=body, series=series, year=year or 0, is_exercise=is_exercise
    )
    number = numbering.next_number(rule, row.last, start=row.start)
    row.last = number
    row.save(update_fields=["last"])
    return number, rule.format(number, year)


def set_start(body: str, series: str, *, start: int, year: int | None = None,
              is_exercise: bool = False) -> Sequence:
    """Make the series continue from `start` (a deployment's real sequence)."""
    rule = series_rule(body, series)
    if start < 1:
        raise Invalid("The first number must be 1 or more.", field="start")
    if rule.per_year and year is None:
        raise Invalid(f"{body}.{series} is numbered per year: give the year.", field="year")
    with transaction.atomic():
        row, _created = Sequence.objects.select_for_update().get_or_create(
            body=body, series=series, year=(year or 0) if rule.per_year else 0,
            is_exercise=is_exercise,
        )
        row.start = start
        row.save(update_fields=["start"])
    return row
