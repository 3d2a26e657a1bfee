"""The bounds of every input, stated once: API schemas, forms and CLI options use these.

A value outside them is the caller's mistake and gets a clear error (problem+json 422, a form
error, one line from the CLI); nothing outside them reaches a service, a date calculation or the
database. See docs/decisions/0022-input-bounds.md.

- Whole numbers that are stored (counts, figures, quantities) fit a 32-bit integer column, the
  smallest any supported database gives them (PostgreSQL `integer`).
- Years and days lie between 1900 and 2999: far from the ends of Python's calendar, so deadline
  arithmetic (a day minus 42 days, a year plus one) never overflows.
- Moments (`observed_at`, `requested_at`) lie in the same range; a moment something was seen or
  asked for may not lie in the future beyond `CLOCK_SKEW`, a device clock's usual error.
- Numbers with a fraction are finite (no NaN, no infinity).
- Text holds no NUL character (PostgreSQL cannot store one); the API refuses it in every
  parameter and body, Django's form fields refuse it already.
- A page of a list holds at most `MAX_PAGE_SIZE` items and starts at most `MAX_OFFSET` items in.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from pydantic import AfterValidator, Field

MAX_COUNT = 2**31 - 1  # PostgreSQL `integer`, the column of every stored count
MAX_RECORD_ID = 2**63 - 1  # a big auto field
FIRST_YEAR = 1900
LAST_YEAR = 2999
FIRST_DAY = dt.date(FIRST_YEAR, 1, 1)
LAST_DAY = dt.date(LAST_YEAR, 12, 31)
CLOCK_SKEW = dt.timedelta(minutes=10)  # how far ahead of the server a device clock may run
MAX_TEXT_LENGTH = 20_000  # notes, reports, reasons: a few pages of text
MAX_PAGE_SIZE = 500
MAX_OFFSET = 10_000_000
NUL = "\x00"

# -- decisions ---------------------------------------------------------------------------------
MAX_CHAIRPERSON_LENGTH = 200  # "Ambassador I. Hasani": Meeting.chairperson
MAX_AGENDA_TITLE_LENGTH = 500  # AgendaItem.title
MAX_JOURNAL_SYMBOL_LENGTH = 40  # "PC.JOUR/1296": Meeting.journal_symbol
# -- decisions: statements ---------------------------------------------------------------------
# One language version of a delegation's statement: some thirty pages, longer than any
# statement delivered to the Permanent Council.
MAX_STATEMENT_TEXT = 100_000
# Who aligned with a statement: more labels than there are participating States and Partners.
MAX_ALIGNED = 100
MAX_ALIGNED_LABEL = 100  # one aligned State or group as the journal names it
# -- decisions: negotiation rounds -------------------------------------------------------------
MAX_ROUND_PARTICIPANTS = 60  # the Minsk Group had a dozen members; room for any format
MAX_ROUND_DOCUMENTS = 30  # outcome documents named for one round
MAX_PARTY_NAME_LENGTH = 200  # a party that is not a participating State ("European Union")
MAX_DOCUMENT_TITLE_LENGTH = 300  # an outcome document's title or symbol
MAX_SOURCE_LENGTH = 500  # a citation, as the `source` columns hold it
MAX_EVIDENCE_PATH_LENGTH = 300  # a site-relative path to a page of the monitoring desk


def _within_calendar(moment: dt.datetime) -> dt.datetime:
    if not FIRST_DAY <= moment.date() <= LAST_DAY:
        raise ValueError(f"must lie between {FIRST_DAY.isoformat()} and {LAST_DAY.isoformat()}")
    return moment


def not_in_future(moment: dt.datetime, now: dt.datetime | None = None) -> dt.datetime:
    """`moment`, if it is not later than now plus CLOCK_SKEW; ValueError otherwise."""
    now = now or timezone.now()
    aware = moment if timezone.is_aware(moment) else timezone.make_aware(moment)
    if aware > now + CLOCK_SKEW:
        raise ValueError("must not lie in the future")
    return moment


# Whole numbers.
Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]
PositiveCount = Annotated[int, Field(ge=1, le=MAX_COUNT)]
RecordId = Annotated[int, Field(ge=1, le=MAX_RECORD_ID)]
Year = Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR)]

# Text without a column limit of its own; a NUL is refused for every text (core.api).
LongText = Annotated[str, Field(max_length=MAX_TEXT_LENGTH)]

# Days and moments.
Day = Annotated[dt.date, Field(ge=FIRST_DAY, le=LAST_DAY)]
Moment = Annotated[dt.datetime, AfterValidator(_within_calendar)]
PastMoment = Annotated[dt.datetime, AfterValidator(_within_calendar),
                       AfterValidator(not_in_future)]

# Numbers with a fraction.
Finite = Annotated[float, Field(allow_inf_nan=False)]
Latitude = Annotated[float, Field(ge=-90, le=90, allow_inf_nan=False)]
Longitude = Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False)]
Degrees = Annotated[float, Field(ge=0, le=360, allow_inf_nan=False)]

# A delegation's statement in one language.
StatementText = Annotated[str, Field(max_length=MAX_STATEMENT_TEXT)]


# -- decisions ---------------------------------------------------------------------------------

# A draft decision's text, annexes included: a budget or a mandate runs to many pages.
MAX_DRAFT_TEXT_LENGTH = 200_000
MAX_DRAFT_TITLE_LENGTH = 500  # Draft.title
MAX_AMENDMENTS_PER_REVISION = 100  # amendments a revision may take or leave in one request
DraftText = Annotated[str, Field(min_length=1, max_length=MAX_DRAFT_TEXT_LENGTH)]
DraftTitle = Annotated[str, Field(min_length=1, max_length=MAX_DRAFT_TITLE_LENGTH)]
LanguageCode = Annotated[str, Field(min_length=2, max_length=2, examples=["en"])]
RevisionNumber = Annotated[int, Field(ge=0, le=999)]  # Rev.n: the engine's suffix allows 3 digits

# -- the same bounds for Django forms ----------------------------------------------------------


def day_field(label: Any, **kwargs: Any) -> forms.DateField:
    """A date form field bounded like `Day`."""
    # A date input reads and writes ISO 8601 whatever the page's language: a localised value
    # ("06.02.2027" in Russian) leaves the browser's field blank.
    kwargs.setdefault("widget", forms.DateInput(format="%Y-%m-%d",
                                                attrs={"type": "date", "min": FIRST_DAY,
                                                       "max": LAST_DAY}))
    field = forms.DateField(label=label, **kwargs)
    field.validators += [MinValueValidator(FIRST_DAY), MaxValueValidator(LAST_DAY)]
    return field


def count_field(label: Any, *, minimum: int = 0, maximum: int = MAX_COUNT,
                **kwargs: Any) -> forms.IntegerField:
    """A whole-number form field bounded like `Count` (or tighter)."""
    kwargs.setdefault("widget", forms.NumberInput(attrs={"inputmode": "numeric"}))
    return forms.IntegerField(label=label, min_value=minimum,
                              max_value=min(maximum, MAX_COUNT), **kwargs)


# A form's messages for a moment out of bounds, in the reader's language (the API's problem
# answers keep the English of the validators above).
MOMENT_IN_FUTURE = _("This time is in the future: check the device's clock.")


def moment_outside_calendar() -> str:
    """The message for a moment outside the platform's calendar (`FIRST_DAY`…`LAST_DAY`)."""
    return _("The time must lie between the years %(first)s and %(last)s.") % {
        "first": FIRST_YEAR, "last": LAST_YEAR}


def clean_past_moment(moment: dt.datetime | None) -> dt.datetime | None:
    """A form's `clean_<field>` for a moment bounded like `PastMoment`."""
    if moment is None:
        return None
    try:
        _within_calendar(moment)
    except ValueError as exc:
        raise forms.ValidationError(moment_outside_calendar()) from exc
    try:
        return not_in_future(moment)
    except ValueError as exc:
        raise forms.ValidationError(MOMENT_IN_FUTURE) from exc
