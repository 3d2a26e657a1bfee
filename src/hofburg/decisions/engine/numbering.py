"""Numbering a body's documents: the next number of a series, the year it counts in, revisions.

A series is sequential (`PC.DEC/1307` follows `PC.DEC/1306` whatever the year: PC decisions
have been numbered sequentially since 1993, osce-organization.md §1.8) or numbered afresh each
year (`PC.DD/8/19`: the eighth PC draft decision of 2019). A deployment that joins the real
sequence configures where it starts; after that, its own numbers continue from the last one.
"""

from __future__ import annotations

from datetime import date, datetime

from hofburg.decisions.engine.rules import SeriesRule


def next_number(rule: SeriesRule, last: int | None, *, start: int | None = None) -> int:
    """The number the next document of the series gets.

    `last` is the highest number given so far in the same sequence (for a series numbered per
    year, in the same year: see `sequence_year`), or None if there is none. `start` is the
    deployment's configured first number (the rule's own `start` where none is configured):
    a deployment that continues the real sequence from PC.DEC/1307 configures 1308. The next
    number is `max(last + 1, start)`, so a start set above numbers already given takes effect
    and one set below them never gives a number twice.
    """
    first = rule.start if start is None else start
    if isinstance(first, bool) or not isinstance(first, int) or first < 1:
        raise ValueError(f"{rule.prefix}: the start must be a whole number from 1, not {first!r}")
    if last is None:
        return first
    if isinstance(last, bool) or not isinstance(last, int) or last < 0:
        raise ValueError(f"{rule.prefix}: the last number must be a whole number, not {last!r}")
    return max(last + 1, first)


def sequence_year(rule: SeriesRule, on: date) -> int | None:
    """The year a document given its number on `on` counts in: None for a sequential series
    (one sequence for all years), the year for a series numbered per year.

    Pass the date where the body sits (Vienna): the year turns at its midnight. An aware
    datetime counts in the year of its own time zone; a naive one is refused with ValueError.
    """
    if isinstance(on, datetime) and on.utcoffset() is None:
        raise ValueError("sequence_year: a naive datetime; give a date or an aware datetime")
    return on.year if rule.per_year else None


def revision_suffix(n: int) -> str:
    """`Rev.1` for the first revision; n must be 1 or more."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"a revision is numbered from 1, not {n!r}")
    return f"Rev.{n}"


def revision_symbol(base: str, n: int) -> str:
    """The symbol of revision n of the document `base`: `MC.DD/1/19/Rev.1`; the original
    (n == 0) is `base` itself."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValueError(f"a revision number is 0 (the original) or more, not {n!r}")
    return base if n == 0 else f"{base}/{revision_suffix(n)}"
