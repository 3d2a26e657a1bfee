"""The projects desk's input bounds, stated once (core/bounds.py holds the shared ones)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import Field

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
MAX_DONOR_ACTIVITY_ID = 200

# Money: 16 digits, 2 after the point (the columns), never negative.
Amount = Annotated[Decimal, Field(ge=0, max_digits=16, decimal_places=2,
                                  examples=["150000.00"])]
# Indicator values: 16 digits, 4 after the point.
Measure = Annotated[Decimal, Field(ge=Decimal("-999999999999.9999"),
                                   le=Decimal("999999999999.9999"), max_digits=16,
                                   decimal_places=4)]
Rate = Annotated[Decimal, Field(gt=0, le=10**9, max_digits=18, decimal_places=8)]
CurrencyCode = Annotated[str, Field(min_length=3, max_length=3, examples=["EUR"])]
StateCode = Annotated[str, Field(min_length=2, max_length=2, examples=["AT"])]
