"""The field types of the reference data files: each reads one kind of value and says what is wrong.

Every type is `Annotated[<python type>, <validator>]`: the validator takes the value as YAML gave
it and returns the clean value, or raises a `problem` with the message a reader sees. The models
of `rows.py` and `files.py` are written with these types only.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from typing import Annotated, Any

from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

SCHEMA_VERSION = 1

# The confidence labels of the domain reference: confirmed = seen in the cited source,
# secondary = reported by a third party, unconfirmed = not confirmed by a cited source,
# disputed = sources disagree.
CONFIDENCE_LABELS = ("confirmed", "secondary", "unconfirmed", "disputed")

# The six official languages of the OSCE (Rules of Procedure, IV.1(B)).
OFFICIAL_LANGUAGES = ("en", "fr", "de", "it", "ru", "es")

STATUS_EVENT_KINDS = ("admitted", "suspended", "reinstated", "succession", "renamed")
PARTNER_GROUPS = ("asian", "mediterranean")
PARTICIPANT_ROLES = ("side", "mediator", "co_chair", "observer", "member", "participant")
DATE_PRECISIONS = ("day", "month", "year")

_ISO2 = re.compile(r"[A-Z]{2}")
_CODE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_SOURCE_ID = re.compile(r"[a-z0-9]+(?:[-.][a-z0-9]+)*")
_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_YEAR = re.compile(r"\d{4}")


def problem(message: str, *at: str | int) -> PydanticCustomError:
    """A validation error with our own wording; `at` is a field path below the one validated
    (a model validator names the field at fault this way)."""
    return PydanticCustomError("reference_data", "{message}", {"message": message, "at": at})


def show(value: object) -> str:
    return f"'{value}'" if isinstance(value, str) else repr(value)


def _missing(value: object) -> bool:
    return value is None or value == ""


# ---------------------------------------------------------------------------------------------
# Validators, one per kind of value


def read_text(value: object, max_length: int | None = None, *, required: bool = False) -> str:
    """Text, stripped; an empty or null value is "" (or refused when `required`)."""
    if _missing(value):
        if required:
            raise problem("required")
        return ""
    if not isinstance(value, str):
        raise problem(f"not a text: {show(value)}")
    value = value.strip()
    if max_length is not None and len(value) > max_length:
        raise problem(f"{len(value)} characters; the limit is {max_length}")
    return value


def text(max_length: int | None = None, *, required: bool = False) -> BeforeValidator:
    return BeforeValidator(lambda value: read_text(value, max_length, required=required))


def matching(
    regexp: re.Pattern[str], what: str, *, max_length: int | None = None, required: bool = True
) -> BeforeValidator:
    """Text that matches `regexp` in full (`what` names it in the message)."""

    def read(value: object) -> str:
        found = read_text(value, required=required)
        if found and not regexp.fullmatch(found):
            raise problem(f"not {what}: {show(found)}")
        if max_length is not None and len(found) > max_length:
            raise problem(f"{len(found)} characters; the limit is {max_length}")
        return found

    return BeforeValidator(read)


def one_of(choices: Sequence[str]) -> BeforeValidator:
    def read(value: object) -> str:
        found = read_text(value, required=True)
        if found not in choices:
            raise problem(f"{show(found)} is not one of {', '.join(choices)}")
        return found

    return BeforeValidator(read)


def whole_number(value: object) -> int:
    if _missing(value):
        raise problem("required")
    if isinstance(value, bool) or not isinstance(value, int):
        raise problem(f"not a whole number: {show(value)}")
    return value


def _true_or_false(value: object) -> bool:
    if value is None:
        raise problem("required")
    if not isinstance(value, bool):
        raise problem(f"not true or false: {show(value)}")
    return value


def parse_day(value: object) -> dt.date | None:
    """A `YYYY-MM-DD` text (or a date) as a date; None for anything else."""
    if isinstance(value, dt.datetime):
        return None
    if isinstance(value, dt.date):
        return value
    match = _DAY.fullmatch(value.strip()) if isinstance(value, str) else None
    if match:
        try:
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return None
    return None


def day(*, required: bool = True) -> BeforeValidator:
    def read(value: object) -> dt.date | None:
        if _missing(value):
            if required:
                raise problem("required")
            return None
        found = parse_day(value)
        if found is None:
            raise problem(f"not a date: {show(value)}")
        return found

    return BeforeValidator(read)


def partial_date(value: object) -> tuple[dt.date, str]:
    """A date that may be known only to the month (`1991-12`) or the year (`1990`), as its
    first day and its precision."""
    if _missing(value):
        raise problem("required")
    found = parse_day(value)
    if found is not None:
        return found, "day"
    written = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
    if isinstance(written, str):
        month = _MONTH.fullmatch(written)
        if month and 1 <= int(month[2]) <= 12:
            return dt.date(int(month[1]), int(month[2]), 1), "month"
        if _YEAR.fullmatch(written):
            return dt.date(int(written), 1, 1), "year"
    raise problem(f"not a date, a year-month or a year: {show(value)}")


def _names(value: object) -> dict[str, str]:
    if not isinstance(value, dict) or not value:
        raise problem("required: a mapping of language code to name, e.g. {en: ...}")
    names: dict[str, str] = {}
    for language, name in value.items():
        if language not in OFFICIAL_LANGUAGES:
            raise problem("not one of the six official languages", str(language))
        if not isinstance(name, str) or not name.strip():
            raise problem(f"not a name: {show(name)}", str(language))
        names[language] = name.strip()
    if "en" not in names:
        raise problem("required", "en")
    return names


def listed(what: str) -> BeforeValidator:
    """A non-empty list; its items are then read by the item type."""

    def read(value: object) -> list[Any]:
        if not isinstance(value, list) or not value:
            raise problem(f"required: a list of {what}")
        return value

    return BeforeValidator(read)


def _exactly(expected: int) -> Callable[[object], int]:
    def read(value: object) -> int:
        if isinstance(value, bool) or value != expected:
            raise problem(f"must be {expected}, not {show(value)}")
        return expected

    return read


# ---------------------------------------------------------------------------------------------
# The types the models are written with

Iso2 = Annotated[str, matching(_ISO2, "an ISO 3166 alpha-2 code")]
OptionalIso2 = Annotated[str, matching(_ISO2, "an ISO 3166 alpha-2 code", required=False)]
SourceId = Annotated[str, matching(_SOURCE_ID, "an id of lower-case letters, digits and '-'")]
Confidence = Annotated[str, one_of(CONFIDENCE_LABELS)]
Language = Annotated[str, one_of(OFFICIAL_LANGUAGES)]
WholeNumber = Annotated[int, BeforeValidator(whole_number)]
TrueOrFalse = Annotated[bool, BeforeValidator(_true_or_false)]
Day = Annotated[dt.date, day()]
OptionalDay = Annotated[dt.date | None, day(required=False)]
Names = Annotated[dict[str, str], BeforeValidator(_names)]
SchemaVersion = Annotated[int, BeforeValidator(_exactly(SCHEMA_VERSION))]


def code(max_length: int) -> BeforeValidator:
    return matching(_CODE, "a code of lower-case letters, digits and '-'", max_length=max_length)


def optional_code(what: str) -> BeforeValidator:
    return matching(_CODE, what, required=False)
