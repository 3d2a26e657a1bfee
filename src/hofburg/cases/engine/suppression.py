"""Small-cell suppression for public tables.

A count below `k` can point at a person in a small community, so a public table shows it as
suppressed (`None`); CTDC publishes its k-anonymised download with k = 11, the default here.
A suppressed cell in a row whose total is shown could be worked back by subtraction, so when a
row holds exactly one suppressed cell the next smallest shown cell is suppressed as well
(secondary suppression). Zero is shown: an empty cell points at no one.
"""

from __future__ import annotations

from collections.abc import Mapping

DEFAULT_K = 11


def suppress_row(cells: Mapping[str, int], k: int = DEFAULT_K) -> dict[str, int | None]:
    """The row with every count in 1..k-1 replaced by None, and a second cell when needed."""
    if k < 1:
        raise ValueError("k must be at least 1")
    if any(v < 0 for v in cells.values()):
        raise ValueError("counts cannot be negative")
    result: dict[str, int | None] = {
        key: (None if 0 < value < k else value) for key, value in cells.items()}
    suppressed = [key for key, value in result.items() if value is None]
    if len(suppressed) == 1:
        shown = sorted((value, key) for key, value in result.items()
                       if value is not None and value > 0)
        if shown:
            result[shown[0][1]] = None
    return result


def suppressed_total(cells: Mapping[str, int], k: int = DEFAULT_K) -> int | None:
    """A row's total, itself suppressed when it is small."""
    total = sum(cells.values())
    return None if 0 < total < k else total
