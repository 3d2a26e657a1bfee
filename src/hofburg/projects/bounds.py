"""The projects desk's input bounds, stated once (core/bounds.py holds the shared ones)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from django import forms
from django.core.validators import MinValueValidator
from pydantic import Field

from hofburg.core import bounds as core_bounds

MAX_PROJECT_NUMBER = 40
MAX_PROJECT_TITLE = 300
MAX_DESCRIPTION = 20_000
MAX_LOGFRAME_CODE = 20
MAX_LOGFRAME_TITLE = 500
MAX_EARMARK = 200
MAX_TRANSACTION_DESCRIPTION = 500
MAX_SECTORS = 20
MAX_RECIPIENTS = 60
MAX_MARKERS = 12
MAX_ACTUALS = 500  # values set by one progress report
MAX_NOTE = 2000  # a workflow step's note
MAX_DONOR_CODE = 40
MAX_DONOR_NAME = 200
MAX_DONOR_IATI_REF = 100
MAX_REASON = 2000  # why something recorded is corrected or removed
MAX_DONOR_ACTIVITY_ID = 200

# Money: 16 digits, 2 after the point (the columns), never negative.
AMOUNT_DIGITS, AMOUNT_PLACES = 16, 2
# Indicator values: 16 digits, 4 after the point.
MEASURE_DIGITS, MEASURE_PLACES = 16, 4
MAX_MEASURE = Decimal("999999999999.9999")
# Exchange rates: units of the project's currency per unit, positive, at most 10^9.
RATE_DIGITS, RATE_PLACES, MAX_RATE = 18, 8, 10**9

Amount = Annotated[Decimal, Field(ge=0, max_digits=AMOUNT_DIGITS, decimal_places=AMOUNT_PLACES,
                                  examples=["150000.00"])]
Measure = Annotated[Decimal, Field(ge=-MAX_MEASURE, le=MAX_MEASURE, max_digits=MEASURE_DIGITS,
                                   decimal_places=MEASURE_PLACES)]
Rate = Annotated[Decimal, Field(gt=0, le=MAX_RATE, max_digits=RATE_DIGITS,
                                decimal_places=RATE_PLACES)]
CurrencyCode = Annotated[str, Field(min_length=3, max_length=3, examples=["EUR"])]
StateCode = Annotated[str, Field(min_length=2, max_length=2, examples=["AT"])]
MAX_DOCUMENT_LINKS = 200  # documents linked to one project
MAX_DOCUMENT_REFERENCE = 80  # a document's symbol (documents.Document.symbol) or number
DOCUMENT_CATEGORIES = ("A01", "A02", "A03", "A04", "A05", "A06", "A07", "A08", "A09", "A10",
                       "A11", "A12")  # IATI DocumentCategory, activity level


# -- the same bounds for the pages' forms ------------------------------------------------------


def _decimal_widget() -> forms.TextInput:
    # A text input with the decimal keypad: a number input would drop what was typed when the
    # browser finds it invalid, and the error is to show beside what the reader typed.
    return forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})


def amount_field(label: Any, **kwargs: Any) -> forms.DecimalField:
    """An amount of money bounded like `Amount`."""
    kwargs.setdefault("widget", _decimal_widget())
    return forms.DecimalField(label=label, min_value=0, max_digits=AMOUNT_DIGITS,
                              decimal_places=AMOUNT_PLACES, **kwargs)


def measure_field(label: Any, **kwargs: Any) -> forms.DecimalField:
    """An indicator value bounded like `Measure`."""
    kwargs.setdefault("widget", _decimal_widget())
    return forms.DecimalField(label=label, min_value=-MAX_MEASURE, max_value=MAX_MEASURE,
                              max_digits=MEASURE_DIGITS, decimal_places=MEASURE_PLACES, **kwargs)


def rate_field(label: Any, **kwargs: Any) -> forms.DecimalField:
    """An exchange rate bounded like `Rate`."""
    kwargs.setdefault("widget", _decimal_widget())
    field = forms.DecimalField(label=label, max_value=MAX_RATE, max_digits=RATE_DIGITS,
                               decimal_places=RATE_PLACES, **kwargs)
    field.validators.append(MinValueValidator(Decimal("0.00000001")))
    return field


def year_field(label: Any, **kwargs: Any) -> forms.IntegerField:
    """A year bounded like the core's years."""
    kwargs.setdefault("widget", forms.NumberInput(attrs={"inputmode": "numeric"}))
    return forms.IntegerField(label=label, min_value=core_bounds.FIRST_YEAR,
                              max_value=core_bounds.LAST_YEAR, **kwargs)
