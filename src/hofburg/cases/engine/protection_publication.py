"""The public table of protection cases (trafficking in persons, gender-based violence, Roma
and Sinti) opened in a year: counts only, as CTDC publishes HTCDS case data k-anonymised
(k = 11; domain reference §2.5 and "Safe publication").

The table is made of strata, one per concern and country of the case, each a block of lines:

- the stratum's line of all its cases (dimension `cases`, value `all`);
- one line per dimension the whitelist lets count (`fields.COUNTABLE["protection"]`):
  gender, age band, citizenship and type of exploitation, one row per value that occurs and a
  `not recorded` row for the cases without one.

Suppression, so that no published count is below k and none can be worked back:

1. A stratum of fewer than k cases is left out, total and breakdown: a suppressed total
   would still say that a case of that concern exists in that country, and to staff who see
   the one case of a stratum on the desk's pages, that it may be published (its consent, its
   victim status, its person's erasure: fields they may not read).
2. In a stratum of k or more, every count from 1 to k-1 is suppressed, and a dimension whose
   line would hold exactly one suppressed cell has its next smallest count suppressed too
   (`suppression.suppress_row`): a single-valued dimension's counts add up to the stratum's
   total, so a lone suppressed cell would be the total minus the others. The suppressed
   values are not named: a row naming a value beside a withheld count would still publish
   that a case of that gender, age band, citizenship or type exists. They are one row of the
   dimension, value and count both `suppressed` (decision 0076).
3. Every published count stands in one line only: nothing adds strata up (no total across
   countries, concerns or years is published), and the dimensions are separate lines over the
   same total, never crossed with each other. So the only sums a reader can form are a
   line's, and each holds no suppressed cell or at least two.

Citizenship and type of exploitation hold several values per case: their rows count the
cases with each value and need not add up to the total, which tells a reader less, not more.
Zero is never written in a stratum's lines: a value no case has is not listed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from hofburg.cases.engine.fields import countable_fields
from hofburg.cases.engine.suppression import DEFAULT_K, suppress_row

COLUMNS = ["year", "concern", "country", "dimension", "value", "cases", "is_exercise"]
SUPPRESSED = "suppressed"
NOT_RECORDED = "not recorded"
ALL = ("cases", "all")  # the stratum's line of all its cases: dimension, value

# Dimension → the case field it counts by. Only those whose field the whitelist holds are
# published, in this order.
DIMENSIONS = {
    "gender": "gender",
    "age_band": "age_at_exploitation",
    "citizenship": "citizenship",
    "exploitation_type": "exploitation_types",
}
# Ages when trafficked, in bands wide enough for counts to reach k; a person under eighteen
# is a child (Palermo Protocol, art. 3 (d)). The other bounds are the desk's choice.
AGE_BANDS = ((0, 17, "0-17"), (18, 24, "18-24"), (25, 34, "25-34"), (35, 44, "35-44"),
             (45, None, "45+"))


@dataclass(frozen=True)
class CountedCase:
    """What the table reads of one eligible case: the countable fields, nothing else."""

    year: int
    concern: str
    country: str
    gender: str = ""
    age: int | None = None
    citizenship: tuple[str, ...] = ()
    exploitation_types: tuple[str, ...] = ()


def published_dimensions() -> list[str]:
    """The dimensions whose field is whitelisted, in the table's order."""
    allowed = countable_fields("protection")
    return [name for name, field in DIMENSIONS.items() if field in allowed]


def age_band(age: int | None) -> str:
    if age is None:
        return NOT_RECORDED
    for low, high, label in AGE_BANDS:
        if age >= low and (high is None or age <= high):
            return label
    return NOT_RECORDED  # a negative age is not a recorded one


def _values(case: CountedCase, dimension: str) -> set[str]:
    if dimension == "gender":
        found = {case.gender} if case.gender else set()
    elif dimension == "age_band":
        found = {age_band(case.age)} - {NOT_RECORDED}
    elif dimension == "citizenship":
        found = set(case.citizenship)
    else:
        found = set(case.exploitation_types)
    return found or {NOT_RECORDED}


def _order(value: str) -> tuple[int, str]:
    """Values in code order, age bands from the youngest, `not recorded` last."""
    bands = [label for _low, _high, label in AGE_BANDS]
    if value == NOT_RECORDED:
        return (len(bands) + 1, value)
    return (bands.index(value) if value in bands else len(bands), value)


def protection_table(year: int, cases: Iterable[CountedCase], k: int = DEFAULT_K, *,
                     exercise: bool = False) -> list[list[object]]:
    """Rows of COLUMNS for the cases opened in `year`, by concern then country. `exercise`
    marks every row: the caller passes exercise cases into an exercise table only."""
    if k < 1:
        raise ValueError("k must be at least 1")
    dimensions = published_dimensions()
    strata: dict[tuple[str, str], list[CountedCase]] = {}
    for case in cases:
        if case.year == year:
            strata.setdefault((case.concern, case.country), []).append(case)
    rows: list[list[object]] = []
    for (concern, country), members in sorted(strata.items()):
        total = len(members)
        if total < k:
            continue
        rows.append([year, concern, country, *ALL, total, exercise])
        for dimension in dimensions:
            counts = Counter(v for case in members for v in _values(case, dimension))
            rows.extend([year, concern, country, dimension, value, cell, exercise]
                        for value, cell in _cells(counts, k))
    return rows


def _cells(counts: Counter[str], k: int) -> list[tuple[str, object]]:
    """A dimension's line: each value with a count shown, then, when any was suppressed, one
    row naming none of them."""
    shown = suppress_row(counts, k)
    named = sorted((value for value, cell in shown.items() if cell is not None), key=_order)
    cells: list[tuple[str, object]] = [(value, shown[value]) for value in named]
    if len(named) < len(shown):
        cells.append((SUPPRESSED, SUPPRESSED))
    return cells
