"""The registry's reference data: parse and validate the files under `data/registry/`.

Pure: the functions take the parsed YAML documents (plain dicts and lists) and return frozen
dataclasses, or raise `ReferenceDataError` naming the file, the row and the field. ISO codes and
the names of States in the six official languages come in as plain data (`Country`), computed by
the caller from pycountry and CLDR; this module knows no library for them.

The rules every file follows are written down in `data/registry/README.md`:
- a header of `schema_version: 1`, `data_as_of` and a list of `sources`;
- every row has `source_ids` (ids from the same file's sources) and a `confidence` label;
- no unknown field, no duplicate key, no reference to a State that is not a participating State.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NoReturn

import yaml

SCHEMA_VERSION = 1

PARTICIPATING_STATES_FILE = "participating_states.yaml"
PARTNERS_FILE = "partners.yaml"
NAME_OVERRIDES_FILE = "name_overrides.yaml"
CHAIRMANSHIPS_FILE = "chairmanships.yaml"
INSTITUTIONS_FILE = "institutions.yaml"
SECRETARIAT_UNITS_FILE = "secretariat_units.yaml"
FIELD_OPERATIONS_FILE = "field_operations.yaml"
CONFLICTS_FILE = "conflicts.yaml"

# Every file the registry needs, in the order they are read.
FILES = (
    NAME_OVERRIDES_FILE,
    PARTICIPATING_STATES_FILE,
    PARTNERS_FILE,
    CHAIRMANSHIPS_FILE,
    INSTITUTIONS_FILE,
    SECRETARIAT_UNITS_FILE,
    FIELD_OPERATIONS_FILE,
    CONFLICTS_FILE,
)

# The confidence labels of the domain reference: confirmed = seen in the cited source,
# secondary = reported by a third party, unconfirmed = not confirmed by a cited source,
# disputed = sources disagree.
CONFIDENCE_LABELS = ("confirmed", "secondary", "unconfirmed", "disputed")

# The six official languages of the OSCE (Rules of Procedure, IV.1(B)).
OFFICIAL_LANGUAGES = ("en", "fr", "de", "it", "ru", "es")

# Mongolia became the 57th participating State on 21 November 2012; the Partners for
# Co-operation are six Mediterranean and five Asian States (osce.org, "Partners for Co-operation").
PARTICIPATING_STATE_COUNT = 57
PARTNER_COUNT = 11

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
# The registry's text columns are never longer than this; a longer value is a data error, caught
# before anything is written (SQLite would store it, PostgreSQL would refuse it mid-load).
_SOURCE_MAX_LENGTH = 500


class ReferenceDataError(ValueError):
    """A reference data file is missing, malformed or breaks a rule.

    `row` is the 1-based index of the row within its list (or a label such as `sources[2]`),
    `key` the row's natural key once it is known (`iso2=FR`), `field` the field at fault.
    """

    def __init__(
        self,
        file: str,
        row: int | str | None,
        field: str | None,
        message: str,
        *,
        key: str | None = None,
    ) -> None:
        self.file = file
        self.row = row
        self.field = field
        self.key = key
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}" if isinstance(self.row, int) else f", {self.row}"
        if self.key:
            where += f" ({self.key})"
        if self.field:
            where += f", field '{self.field}'"
        return f"{where}: {self.message}"


# ---------------------------------------------------------------------------------------------
# What comes in and what goes out


@dataclass(frozen=True, kw_only=True)
class Country:
    """What ISO 3166 and CLDR say about a country: codes and names by language code."""

    iso3: str
    numeric: str
    names: Mapping[str, str]


@dataclass(frozen=True, kw_only=True)
class Source:
    id: str
    title: str
    site: str = ""
    document: str = ""

    @property
    def citation(self) -> str:
        """`Title (document, site)`: what a reader needs to find the source again."""
        extras = [part for part in (self.document, self.site) if part and part not in self.title]
        return f"{self.title} ({', '.join(extras)})" if extras else self.title


@dataclass(frozen=True, kw_only=True)
class FileHeader:
    file: str
    schema_version: int
    data_as_of: dt.date
    sources: Mapping[str, Source]


@dataclass(frozen=True, kw_only=True)
class Sourced:
    """Every row: where it comes from and how sure that is."""

    source_ids: tuple[str, ...]
    # The sources' citations joined with "; ", as shown beside the row.
    source: str
    confidence: str
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class NameOverride(Sourced):
    iso2: str
    language: str
    name: str


@dataclass(frozen=True, kw_only=True)
class StatusEventRecord(Sourced):
    kind: str
    # The first day of the month or year where the source gives no more (`date_precision`).
    date: dt.date
    date_precision: str
    end_date: dt.date | None
    description: str


@dataclass(frozen=True, kw_only=True)
class StateRecord(Sourced):
    iso2: str
    iso3: str
    numeric: str
    names: Mapping[str, str]
    joined: dt.date
    status_events: tuple[StatusEventRecord, ...] = ()


@dataclass(frozen=True, kw_only=True)
class PartnerRecord(Sourced):
    iso2: str
    iso3: str
    numeric: str
    names: Mapping[str, str]
    group: str
    since: str


@dataclass(frozen=True, kw_only=True)
class ChairmanshipRecord(Sourced):
    year: int
    state: str  # iso2 of a participating State, or "" with `historical_name`
    historical_name: str
    start_date: dt.date | None
    end_date: dt.date | None


@dataclass(frozen=True, kw_only=True)
class InstitutionRecord(Sourced):
    code: str
    names: Mapping[str, str]
    acronym: str
    seat: str
    established: str


@dataclass(frozen=True, kw_only=True)
class SecretariatUnitRecord(Sourced):
    code: str
    names: Mapping[str, str]
    acronym: str
    parent: str  # code of the parent unit, or ""


@dataclass(frozen=True, kw_only=True)
class FieldOperationRecord(Sourced):
    code: str
    names: Mapping[str, str]
    region: str
    host: str  # iso2 of a participating State, or "" with `host_label`
    host_label: str
    seat: str
    basis: str
    established: dt.date | None
    closed: dt.date | None
    closed_label: str

    @property
    def is_current(self) -> bool:
        return self.closed is None and not self.closed_label


@dataclass(frozen=True, kw_only=True)
class ParticipantRecord:
    state: str  # iso2 of a participating State, or "" with `name`
    name: str
    role: str


@dataclass(frozen=True, kw_only=True)
class NegotiationFormatRecord(Sourced):
    code: str
    names: Mapping[str, str]
    started: str
    ended: str
    status: str
    is_osce_body: bool
    participants: tuple[ParticipantRecord, ...]


@dataclass(frozen=True, kw_only=True)
class ConflictRecord(Sourced):
    code: str
    names: Mapping[str, str]
    formats: tuple[NegotiationFormatRecord, ...]


@dataclass(frozen=True, kw_only=True)
class ReferenceData:
    """Everything the registry loads, validated across files."""

    headers: Mapping[str, FileHeader]
    name_overrides: tuple[NameOverride, ...]
    participating_states: tuple[StateRecord, ...]
    partners: tuple[PartnerRecord, ...]
    chairmanships: tuple[ChairmanshipRecord, ...]
    institutions: tuple[InstitutionRecord, ...]
    # Parents before their units, so they can be written in this order.
    secretariat_units: tuple[SecretariatUnitRecord, ...]
    field_operations: tuple[FieldOperationRecord, ...]
    conflicts: tuple[ConflictRecord, ...]


# ---------------------------------------------------------------------------------------------
# Reading YAML


class _ReferenceLoader(yaml.SafeLoader):
    """YAML without two YAML 1.1 surprises: dates stay text, so a bad date is reported with its
    row and field rather than as a bare ValueError, and only true/false are booleans, so
    Norway's `NO` stays a country code."""


_ReferenceLoader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_ReferenceLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


def read_document(text: str, file: str) -> dict[str, Any]:
    """Parse one file's YAML text into a mapping; malformed YAML names the file and the line."""
    try:
        document = yaml.load(text, Loader=_ReferenceLoader)  # noqa: S506 (a SafeLoader subclass)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise ReferenceDataError(file, None, None, f"not valid YAML{line}: {problem}") from error
    if not isinstance(document, dict):
        raise ReferenceDataError(file, None, None, "the file must hold a mapping of top-level keys")
    return document


# ---------------------------------------------------------------------------------------------
# Reading one row


class _Row:
    """One mapping from a file, with typed accessors that raise errors naming file, row, field."""

    def __init__(
        self,
        file: str,
        row: int | str,
        data: object,
        allowed: Iterable[str],
        *,
        prefix: str = "",
        key: str | None = None,
    ) -> None:
        self.file = file
        self.row = row
        self.prefix = prefix
        self.key = key
        if not isinstance(data, dict):
            self.fail(None, f"must be a mapping of fields, not {_show(data)}")
        self.data: dict[str, Any] = data
        known = set(allowed)
        unknown = sorted(str(name) for name in data if name not in known)
        if unknown:
            self.fail(unknown[0], "unknown field")

    def fail(self, name: str | None, message: str) -> NoReturn:
        field_name = f"{self.prefix}{name}" if name else (self.prefix.rstrip(".") or None)
        raise ReferenceDataError(self.file, self.row, field_name, message, key=self.key)

    def child(self, prefix: str, data: object, allowed: Iterable[str]) -> _Row:
        return _Row(self.file, self.row, data, allowed, prefix=self.prefix + prefix, key=self.key)

    def text(self, name: str, *, required: bool = True, max_length: int | None = None) -> str:
        value = self.data.get(name)
        if value is None or value == "":
            if required:
                self.fail(name, "required")
            return ""
        if not isinstance(value, str):
            self.fail(name, f"not a text: {_show(value)}")
        value = value.strip()
        if max_length is not None and len(value) > max_length:
            self.fail(name, f"{len(value)} characters; the limit is {max_length}")
        return value

    def pattern(
        self, name: str, regexp: re.Pattern[str], what: str, *, required: bool = True
    ) -> str:
        value = self.text(name, required=required)
        if value and not regexp.fullmatch(value):
            self.fail(name, f"not {what}: {_show(value)}")
        return value

    def choice(self, name: str, choices: Sequence[str]) -> str:
        value = self.text(name)
        if value not in choices:
            self.fail(name, f"{_show(value)} is not one of {', '.join(choices)}")
        return value

    def integer(self, name: str) -> int:
        value = self.data.get(name)
        if value is None:
            self.fail(name, "required")
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(name, f"not a whole number: {_show(value)}")
        return value

    def boolean(self, name: str) -> bool:
        value = self.data.get(name)
        if value is None:
            self.fail(name, "required")
        if not isinstance(value, bool):
            self.fail(name, f"not true or false: {_show(value)}")
        return value

    def date(self, name: str, *, required: bool = True) -> dt.date | None:
        value = self.data.get(name)
        if value is None or value == "":
            if required:
                self.fail(name, "required")
            return None
        parsed = _parse_day(value)
        if parsed is None:
            self.fail(name, f"not a date: {_show(value)}")
        return parsed

    def required_date(self, name: str) -> dt.date:
        value = self.date(name)
        assert value is not None  # date() raises for a missing required value
        return value

    def partial_date(self, name: str) -> tuple[dt.date, str]:
        """A date that may be known only to the month (`1991-12`) or the year (`1990`)."""
        value = self.data.get(name)
        if value is None or value == "":
            self.fail(name, "required")
        day = _parse_day(value)
        if day is not None:
            return day, "day"
        text = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
        if isinstance(text, str):
            month = _MONTH.fullmatch(text)
            if month and 1 <= int(month[2]) <= 12:
                return dt.date(int(month[1]), int(month[2]), 1), "month"
            if _YEAR.fullmatch(text):
                return dt.date(int(text), 1, 1), "year"
        self.fail(name, f"not a date, a year-month or a year: {_show(value)}")

    def names(self, *, required_languages: Sequence[str] = ("en",)) -> dict[str, str]:
        value = self.data.get("names")
        if not isinstance(value, dict) or not value:
            self.fail("names", "required: a mapping of language code to name, e.g. {en: ...}")
        names: dict[str, str] = {}
        for language, name in value.items():
            if language not in OFFICIAL_LANGUAGES:
                self.fail(f"names.{language}", "not one of the six official languages")
            if not isinstance(name, str) or not name.strip():
                self.fail(f"names.{language}", f"not a name: {_show(name)}")
            names[language] = name.strip()
        for language in required_languages:
            if language not in names:
                self.fail(f"names.{language}", "required")
        return names

    def sourced(self, sources: Mapping[str, Source]) -> dict[str, Any]:
        """The fields every row carries: `source_ids`, `confidence`, `note`."""
        ids = self.data.get("source_ids")
        if not isinstance(ids, list) or not ids:
            self.fail("source_ids", "required: a list of ids from this file's sources")
        for source_id in ids:
            if not isinstance(source_id, str) or source_id not in sources:
                self.fail("source_ids", f"{_show(source_id)} is not among this file's sources")
        if len(set(ids)) != len(ids):
            self.fail("source_ids", "lists a source twice")
        citation = "; ".join(sources[source_id].citation for source_id in ids)
        if len(citation) > _SOURCE_MAX_LENGTH:
            self.fail(
                "source_ids",
                f"the citations run to {len(citation)} characters; the limit is "
                f"{_SOURCE_MAX_LENGTH}",
            )
        return {
            "source_ids": tuple(ids),
            "source": citation,
            "confidence": self.choice("confidence", CONFIDENCE_LABELS),
            "note": self.text("note", required=False),
        }


_SOURCED_FIELDS = ("source_ids", "confidence", "note")


def _parse_day(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return None
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        match = _DAY.fullmatch(value.strip())
        if match:
            try:
                return dt.date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                return None
    return None


def _show(value: object) -> str:
    return f"'{value}'" if isinstance(value, str) else repr(value)


# ---------------------------------------------------------------------------------------------
# Reading a file


def parse_header(
    document: Mapping[str, Any], file: str, rows_key: str
) -> tuple[FileHeader, list[Any]]:
    """The file's header (version, date, sources) and its list of rows under `rows_key`."""
    allowed = {"schema_version", "data_as_of", "sources", rows_key}
    unknown = sorted(str(key) for key in document if key not in allowed)
    if unknown:
        raise ReferenceDataError(file, None, unknown[0], "unknown top-level key")
    version = document.get("schema_version")
    if isinstance(version, bool) or version != SCHEMA_VERSION:
        raise ReferenceDataError(
            file, None, "schema_version", f"must be {SCHEMA_VERSION}, not {_show(version)}"
        )
    as_of = _parse_day(document.get("data_as_of"))
    if as_of is None:
        raise ReferenceDataError(
            file, None, "data_as_of", f"not a date: {_show(document.get('data_as_of'))}"
        )
    raw_sources = document.get("sources")
    if not isinstance(raw_sources, list) or not raw_sources:
        raise ReferenceDataError(file, None, "sources", "required: a list of sources")
    sources: dict[str, Source] = {}
    for index, raw in enumerate(raw_sources, start=1):
        row = _Row(file, f"sources[{index}]", raw, ("id", "title", "site", "document"))
        source_id = row.pattern("id", _SOURCE_ID, "an id of lower-case letters, digits and '-'")
        row.key = f"id={source_id}"
        if source_id in sources:
            row.fail("id", "duplicate source id")
        sources[source_id] = Source(
            id=source_id,
            title=row.text("title"),
            site=row.text("site", required=False),
            document=row.text("document", required=False),
        )
    rows = document.get(rows_key)
    if not isinstance(rows, list) or not rows:
        raise ReferenceDataError(file, None, rows_key, "required: a list of rows")
    header = FileHeader(file=file, schema_version=version, data_as_of=as_of, sources=sources)
    return header, rows


def _key(row: _Row, name: str, regexp: re.Pattern[str], what: str, seen: set[str]) -> str:
    """Read the row's natural key, label the row with it, and refuse a duplicate."""
    value = row.pattern(name, regexp, what)
    row.key = f"{name}={value}"
    if value in seen:
        row.fail(name, f"duplicate {name}: {_show(value)}")
    seen.add(value)
    return value


def _country(row: _Row, iso2: str, countries: Mapping[str, Country]) -> Country:
    country = countries.get(iso2)
    if country is None:
        row.fail("iso2", f"not a known ISO 3166 alpha-2 code: {_show(iso2)}")
    return country


def _names_of(
    row: _Row, iso2: str, country: Country, overrides: Mapping[tuple[str, str], NameOverride]
) -> dict[str, str]:
    """The six official-language names: CLDR's, then the OSCE's own usage where it differs."""
    names = {}
    for language in OFFICIAL_LANGUAGES:
        override = overrides.get((iso2, language))
        name = override.name if override else country.names.get(language, "")
        if not name:
            row.fail("iso2", f"no name in '{language}' for {iso2} in CLDR and no override")
        names[language] = name
    return names


def parse_name_overrides(
    document: Mapping[str, Any], file: str = NAME_OVERRIDES_FILE
) -> tuple[FileHeader, tuple[NameOverride, ...]]:
    """Names that replace CLDR's, one per State (or Partner) and language."""
    header, rows = parse_header(document, file, "name_overrides")
    seen: set[str] = set()
    result = []
    for index, raw in enumerate(rows, start=1):
        row = _Row(file, index, raw, ("iso2", "language", "name", *_SOURCED_FIELDS))
        iso2 = row.pattern("iso2", _ISO2, "an ISO 3166 alpha-2 code")
        language = row.choice("language", OFFICIAL_LANGUAGES)
        row.key = f"iso2={iso2}, language={language}"
        if f"{iso2}/{language}" in seen:
            row.fail("language", "a second override for this State and language")
        seen.add(f"{iso2}/{language}")
        result.append(
            NameOverride(
                iso2=iso2, language=language, name=row.text("name"), **row.sourced(header.sources)
            )
        )
    return header, tuple(result)


def parse_participating_states(
    document: Mapping[str, Any],
    file: str = PARTICIPATING_STATES_FILE,
    *,
    countries: Mapping[str, Country],
    overrides: Iterable[NameOverride] = (),
) -> tuple[FileHeader, tuple[StateRecord, ...]]:
    """The participating States: exactly 57, each with its joining date and status events."""
    header, rows = parse_header(document, file, "participating_states")
    by_key = {(override.iso2, override.language): override for override in overrides}
    seen: set[str] = set()
    result = []
    for index, raw in enumerate(rows, start=1):
        row = _Row(file, index, raw, ("iso2", "joined", "status_events", *_SOURCED_FIELDS))
        iso2 = _key(row, "iso2", _ISO2, "an ISO 3166 alpha-2 code", seen)
        country = _country(row, iso2, countries)
        result.append(
            StateRecord(
                iso2=iso2,
                iso3=country.iso3,
                numeric=country.numeric,
                names=_names_of(row, iso2, country, by_key),
                joined=row.required_date("joined"),
                status_events=_status_events(row, header.sources),
                **row.sourced(header.sources),
            )
        )
    if len(result) != PARTICIPATING_STATE_COUNT:
        raise ReferenceDataError(
            file,
            None,
            "participating_states",
            f"{len(result)} participating States; there are {PARTICIPATING_STATE_COUNT}",
        )
    return header, tuple(result)


def _status_events(row: _Row, sources: Mapping[str, Source]) -> tuple[StatusEventRecord, ...]:
    raw_events = row.data.get("status_events")
    if raw_events is None:
        return ()
    if not isinstance(raw_events, list):
        row.fail("status_events", "must be a list of events")
    events = []
    seen: set[tuple[str, dt.date]] = set()
    for index, raw in enumerate(raw_events, start=1):
        event = row.child(
            f"status_events[{index}].",
            raw,
            ("kind", "date", "end_date", "description", *_SOURCED_FIELDS),
        )
        kind = event.choice("kind", STATUS_EVENT_KINDS)
        date, precision = event.partial_date("date")
        if (kind, date) in seen:
            event.fail("date", f"a second '{kind}' event on this date")
        seen.add((kind, date))
        end_date = event.date("end_date", required=False)
        if end_date is not None and end_date < date:
            event.fail("end_date", "before the event's date")
        events.append(
            StatusEventRecord(
                kind=kind,
                date=date,
                date_precision=precision,
                end_date=end_date,
                description=event.text("description", max_length=500),
                **event.sourced(sources),
            )
        )
    return tuple(events)


def parse_partners(
    document: Mapping[str, Any],
    file: str = PARTNERS_FILE,
    *,
    countries: Mapping[str, Country],
    overrides: Iterable[NameOverride] = (),
) -> tuple[FileHeader, tuple[PartnerRecord, ...]]:
    """The Partners for Co-operation: exactly 11, each Asian or Mediterranean."""
    header, rows = parse_header(document, file, "partners")
    by_key = {(override.iso2, override.language): override for override in overrides}
    seen: set[str] = set()
    result = []
    for index, raw in enumerate(rows, start=1):
        row = _Row(file, index, raw, ("iso2", "group", "since", *_SOURCED_FIELDS))
        iso2 = _key(row, "iso2", _ISO2, "an ISO 3166 alpha-2 code", seen)
        country = _country(row, iso2, countries)
        result.append(
            PartnerRecord(
                iso2=iso2,
                iso3=country.iso3,
                numeric=country.numeric,
                names=_names_of(row, iso2, country, by_key),
                group=row.choice("group", PARTNER_GROUPS),
                since=_since(row),
                **row.sourced(header.sources),
            )
        )
    if len(result) != PARTNER_COUNT:
        raise ReferenceDataError(
            file, None, "partners", f"{len(result)} Partners; there are {PARTNER_COUNT}"
        )
    return header, tuple(result)


def _since(row: _Row) -> str:
    # Written as the sources word it: a year ("1998") or a phrase; a bare YAML year is accepted.
    value = row.data.get("since")
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return row.text("since", max_length=120)


def parse_chairmanships(
    document: Mapping[str, Any], file: str = CHAIRMANSHIPS_FILE
) -> tuple[FileHeader, tuple[ChairmanshipRecord, ...]]:
    """One Chairmanship per year, held by a State (`state`) or a former one (`historical_name`)."""
    header, rows = parse_header(document, file, "chairmanships")
    seen: set[int] = set()
    result = []
    allowed = ("year", "state", "historical_name", "start_date", "end_date", *_SOURCED_FIELDS)
    for index, raw in enumerate(rows, start=1):
        row = _Row(file, index, raw, allowed)
        year = row.integer("year")
        row.key = f"year={year}"
        if not 1973 <= year <= 2100:
            row.fail("year", f"not a plausible year: {year}")
        if year in seen:
            row.fail("year", f"duplicate year: {year}")
        seen.add(year)
        state = row.pattern("state", _ISO2, "an ISO 3166 alpha-2 code", required=False)
        historical_name = row.text("historical_name", required=False, max_length=120)
        if bool(state) == bool(historical_name):
            row.fail("state", "give either a participating State or a historical_name")
        start_date = row.date("start_date", required=False)
        end_date = row.date("end_date", required=False)
        if start_date and end_date and end_date < start_date:
            row.fail("end_date", "before start_date")
        result.append(
            ChairmanshipRecord(
                year=year,
                state=state,
                historical_name=historical_name,
                start_date=start_date,
                end_date=end_date,
                **row.sourced(header.sources),
            )
        )
    return header, tuple(result)


def parse_institutions(
    document: Mapping[str, Any], file: str = INSTITUTIONS_FILE
) -> tuple[FileHeader, tuple[InstitutionRecord, ...]]:
    """The OSCE institutions and their seats."""
    header, rows = parse_header(document, file, "institutions")
    seen: set[str] = set()
    result = []
    allowed = ("code", "names", "acronym", "seat", "established", *_SOURCED_FIELDS)
    for index, raw in enumerate(rows, start=1):
        row = _Row(file, index, raw, allowed)
        code = _code(row, seen, max_length=40)
        result.append(
            InstitutionRecord(
                code=code,
                names=row.names(),
                acronym=row.text("acronym", required=False, max_length=20),
                seat=row.text("seat", max_length=120),
                established=row.text("established", required=False, max_length=200),
                **row.sourced(header.sources),
            )
        )
    return header, tuple(result)


def _code(row: _Row, seen: set[str], *, max_length: int) -> str:
    code = _key(row, "code", _CODE, "a code of lower-case letters, digits and '-'", seen)
    if len(code) > max_length:
        row.fail("code", f"{len(code)} characters; the limit is {max_length}")
    return code


def parse_secretariat_units(
    document: Mapping[str, Any], file: str = SECRETARIAT_UNITS_FILE
) -> tuple[FileHeader, tuple[SecretariatUnitRecord, ...]]:
    """The Secretariat's units; a unit's `parent` is another unit of the file. Parents first."""
    header, rows = parse_header(document, file, "secretariat_units")
    seen: set[str] = set()
    units: list[tuple[int, SecretariatUnitRecord]] = []
    for index, raw in enumerate(rows, start=1):
        row = _Row(file, index, raw, ("code", "names", "acronym", "parent", *_SOURCED_FIELDS))
        code = _code(row, seen, max_length=40)
        units.append(
            (
                index,
                SecretariatUnitRecord(
                    code=code,
                    names=row.names(),
                    acronym=row.text("acronym", required=False, max_length=20),
                    parent=row.pattern("parent", _CODE, "a unit code", required=False),
                    **row.sourced(header.sources),
                ),
            )
        )
    by_code = {unit.code: unit for _index, unit in units}
    for index, unit in units:
        if unit.parent and unit.parent not in by_code:
            raise ReferenceDataError(
                file, index, "parent", f"no unit with code '{unit.parent}'", key=f"code={unit.code}"
            )
        # Walk up the chain: a unit that reaches itself would never be written.
        ancestor, steps = unit.parent, 0
        while ancestor and steps <= len(units):
            if ancestor == unit.code:
                raise ReferenceDataError(
                    file, index, "parent", "the parents form a cycle", key=f"code={unit.code}"
                )
            ancestor, steps = by_code[ancestor].parent, steps + 1
    return header, tuple(sorted((unit for _i, unit in units), key=lambda u: _depth(u, by_code)))


def _depth(unit: SecretariatUnitRecord, by_code: Mapping[str, SecretariatUnitRecord]) -> int:
    depth = 0
    while unit.parent:
        unit, depth = by_code[unit.parent], depth + 1
    return depth


def parse_field_operations(
    document: Mapping[str, Any], file: str = FIELD_OPERATIONS_FILE
) -> tuple[FileHeader, tuple[FieldOperationRecord, ...]]:
    """Current and closed field operations, hosted by a participating State or a `host_label`."""
    header, rows = parse_header(document, file, "field_operations")
    seen: set[str] = set()
    result = []
    allowed = (
        "code", "names", "region", "host", "host_label", "seat", "basis", "established",
        "closed", "closed_label", *_SOURCED_FIELDS,
    )
    for index, raw in enumerate(rows, start=1):
        row = _Row(file, index, raw, allowed)
        code = _code(row, seen, max_length=60)
        host = row.pattern("host", _ISO2, "an ISO 3166 alpha-2 code", required=False)
        host_label = row.text("host_label", required=False, max_length=120)
        if host and host_label:
            row.fail("host_label", "give either host (a participating State) or host_label")
        established = row.date("established", required=False)
        closed = row.date("closed", required=False)
        if established and closed and closed < established:
            row.fail("closed", "before established")
        result.append(
            FieldOperationRecord(
                code=code,
                names=row.names(),
                region=row.text("region", required=False, max_length=60),
                host=host,
                host_label=host_label,
                seat=row.text("seat", required=False, max_length=120),
                basis=row.text("basis", required=False, max_length=300),
                established=established,
                closed=closed,
                closed_label=row.text("closed_label", required=False, max_length=120),
                **row.sourced(header.sources),
            )
        )
    return header, tuple(result)


def parse_conflicts(
    document: Mapping[str, Any], file: str = CONFLICTS_FILE
) -> tuple[FileHeader, tuple[ConflictRecord, ...]]:
    """Protracted conflicts, each with its negotiation formats and their participants."""
    header, rows = parse_header(document, file, "conflicts")
    conflict_codes: set[str] = set()
    format_codes: set[str] = set()
    result = []
    for index, raw in enumerate(rows, start=1):
        row = _Row(file, index, raw, ("code", "names", "formats", *_SOURCED_FIELDS))
        code = _code(row, conflict_codes, max_length=60)
        raw_formats = row.data.get("formats")
        if not isinstance(raw_formats, list) or not raw_formats:
            row.fail("formats", "required: a list of negotiation formats")
        formats = tuple(
            _negotiation_format(row, position, raw_format, header.sources, format_codes)
            for position, raw_format in enumerate(raw_formats, start=1)
        )
        result.append(
            ConflictRecord(
                code=code, names=row.names(), formats=formats, **row.sourced(header.sources)
            )
        )
    return header, tuple(result)


def _negotiation_format(
    row: _Row, position: int, raw: object, sources: Mapping[str, Source], seen: set[str]
) -> NegotiationFormatRecord:
    allowed = (
        "code", "names", "started", "ended", "status", "is_osce_body", "participants",
        *_SOURCED_FIELDS,
    )
    entry = row.child(f"formats[{position}].", raw, allowed)
    code = entry.pattern("code", _CODE, "a code of lower-case letters, digits and '-'")
    if len(code) > 60:
        entry.fail("code", f"{len(code)} characters; the limit is 60")
    if code in seen:
        entry.fail("code", f"duplicate code: '{code}'")
    seen.add(code)
    raw_participants = entry.data.get("participants")
    if not isinstance(raw_participants, list) or not raw_participants:
        entry.fail("participants", "required: a list of participants")
    participants = []
    keys: set[tuple[str, str, str]] = set()
    for number, raw_participant in enumerate(raw_participants, start=1):
        item = entry.child(f"participants[{number}].", raw_participant, ("state", "name", "role"))
        state = item.pattern("state", _ISO2, "an ISO 3166 alpha-2 code", required=False)
        name = item.text("name", required=False, max_length=200)
        if bool(state) == bool(name):
            item.fail("state", "give either a participating State or a name")
        role = item.choice("role", PARTICIPANT_ROLES)
        if (state, name, role) in keys:
            item.fail("role", f"listed twice as {role}")
        keys.add((state, name, role))
        participants.append(ParticipantRecord(state=state, name=name, role=role))
    return NegotiationFormatRecord(
        code=code,
        names=entry.names(),
        started=entry.text("started", required=False, max_length=120),
        ended=entry.text("ended", required=False, max_length=120),
        status=entry.text("status", required=False, max_length=300),
        is_osce_body=entry.boolean("is_osce_body"),
        participants=tuple(participants),
        **entry.sourced(sources),
    )


# ---------------------------------------------------------------------------------------------
# All files together


def parse_reference(
    documents: Mapping[str, Mapping[str, Any]], countries: Mapping[str, Country]
) -> ReferenceData:
    """Validate every file and the references between them; the first error is raised.

    `documents` maps each file name of `FILES` to its parsed YAML (see `read_document`);
    `countries` maps ISO 3166 alpha-2 codes to their codes and CLDR names.
    """
    for file in FILES:
        if file not in documents:
            raise ReferenceDataError(file, None, None, "file is missing")
    overrides_header, overrides = parse_name_overrides(documents[NAME_OVERRIDES_FILE])
    states_header, states = parse_participating_states(
        documents[PARTICIPATING_STATES_FILE], countries=countries, overrides=overrides
    )
    partners_header, partners = parse_partners(
        documents[PARTNERS_FILE], countries=countries, overrides=overrides
    )
    chairs_header, chairmanships = parse_chairmanships(documents[CHAIRMANSHIPS_FILE])
    institutions_header, institutions = parse_institutions(documents[INSTITUTIONS_FILE])
    units_header, units = parse_secretariat_units(documents[SECRETARIAT_UNITS_FILE])
    operations_header, operations = parse_field_operations(documents[FIELD_OPERATIONS_FILE])
    conflicts_header, conflicts = parse_conflicts(documents[CONFLICTS_FILE])

    state_codes = {state.iso2 for state in states}
    partner_codes = {partner.iso2 for partner in partners}
    for index, partner in enumerate(partners, start=1):
        if partner.iso2 in state_codes:
            _cross_error(PARTNERS_FILE, index, f"iso2={partner.iso2}", "iso2",
                         "is a participating State, not a Partner")
    for index, override in enumerate(overrides, start=1):
        if override.iso2 not in state_codes | partner_codes:
            _cross_error(NAME_OVERRIDES_FILE, index, f"iso2={override.iso2}", "iso2",
                         "is neither a participating State nor a Partner")
    for index, chair in enumerate(chairmanships, start=1):
        if chair.state and chair.state not in state_codes:
            _cross_error(CHAIRMANSHIPS_FILE, index, f"year={chair.year}", "state",
                         f"'{chair.state}' is not a participating State")
    for index, operation in enumerate(operations, start=1):
        if operation.host and operation.host not in state_codes:
            _cross_error(FIELD_OPERATIONS_FILE, index, f"code={operation.code}", "host",
                         f"'{operation.host}' is not a participating State")
    for index, conflict in enumerate(conflicts, start=1):
        for position, negotiation_format in enumerate(conflict.formats, start=1):
            for number, participant in enumerate(negotiation_format.participants, start=1):
                if participant.state and participant.state not in state_codes:
                    _cross_error(
                        CONFLICTS_FILE, index, f"code={conflict.code}",
                        f"formats[{position}].participants[{number}].state",
                        f"'{participant.state}' is not a participating State",
                    )
    headers = (
        overrides_header, states_header, partners_header, chairs_header, institutions_header,
        units_header, operations_header, conflicts_header,
    )
    return ReferenceData(
        headers={header.file: header for header in headers},
        name_overrides=overrides,
        participating_states=states,
        partners=partners,
        chairmanships=chairmanships,
        institutions=institutions,
        secretariat_units=units,
        field_operations=operations,
        conflicts=conflicts,
    )


def _cross_error(file: str, row: int, key: str, field_name: str, message: str) -> NoReturn:
    raise ReferenceDataError(file, row, field_name, message, key=key)
