"""Numbers as each language writes them (CLDR through Babel, as `hofburg.core.dates` writes
dates): "1,130" in English, "1 130" in Russian and French, "1.130" in German and Italian.

Figures a page also gives as data (tables a reader copies, CSV) stay plain digits there; this
is for numbers that are only read, such as the labels of a drawn chart.
"""

from __future__ import annotations

from babel.numbers import format_decimal

from hofburg.core.dates import cldr_locale


def whole(value: int) -> str:
    """A whole number with the active language's digit grouping."""
    return str(format_decimal(value, locale=cldr_locale()))
