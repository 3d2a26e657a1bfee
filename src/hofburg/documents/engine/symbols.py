"""OSCE document symbols (e.g. `PC.DEL/123/26`, `PC.DEC/1234`, `MC.DD/1/19/Rev.1`): pure parsing.

The scheme is described in docs/domain (Rules of Procedure and observed practice): a body
prefix, a series, a number, usually a two-digit year, and optional /Rev.n, /Corr.n, /Add.n
suffixes. `DOC.SEC/1/95` is an older variant that is accepted as well.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SYMBOL = re.compile(
    r"^(?P<body>[A-Z]{2,5})\.(?P<series>[A-Z]{2,5})/(?P<number>\d{1,5})"
    r"(?:/(?P<year>\d{2}))?(?P<suffixes>(?:/(?:Rev|Corr|Add)\.\d{1,3})*)$"
)


class SymbolError(ValueError):
    """The text is not a well-formed OSCE document symbol."""


@dataclass(frozen=True)
class Symbol:
    body: str
    series: str
    number: int
    year: int | None
    suffixes: tuple[str, ...]

    def __str__(self) -> str:
        text = f"{self.body}.{self.series}/{self.number}"
        if self.year is not None:
            text += f"/{self.year:02d}"
        return text + "".join(f"/{s}" for s in self.suffixes)


def parse_symbol(text: str) -> Symbol:
    """Parse and normalise a symbol; surrounding spaces and an `OSCE+` marker are dropped."""
    cleaned = text.strip()
    if cleaned.upper().endswith("OSCE+"):
        cleaned = cleaned[: -len("OSCE+")].strip()
    match = _SYMBOL.match(cleaned)
    if match is None:
        raise SymbolError(
            f"{text!r} is not an OSCE document symbol (expected e.g. PC.DEL/123/26 or PC.DEC/1234)"
        )
    suffixes = tuple(s for s in match["suffixes"].split("/") if s)
    year = int(match["year"]) if match["year"] is not None else None
    return Symbol(match["body"], match["series"], int(match["number"]), year, suffixes)
