"""One model per kind of row in the reference data files, with the checks within a row.

A model is both the row as the file writes it and the record the loader writes to the database.
A few fields are *derived*: the loader fills them in (`source` from the file's sources, a State's
codes and names from ISO 3166 and CLDR, an event's date precision) and a file that writes them is
refused like any unknown field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, ClassVar, Self

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    ValidationInfo,
    model_validator,
)

from hofburg.registry.engine.reference.fields import (
    OFFICIAL_LANGUAGES,
    PARTICIPANT_ROLES,
    PARTNER_GROUPS,
    STATUS_EVENT_KINDS,
    Confidence,
    Day,
    Iso2,
    Language,
    Names,
    OptionalDay,
    OptionalIso2,
    SourceId,
    TrueOrFalse,
    code,
    listed,
    one_of,
    optional_code,
    partial_date,
    problem,
    read_text,
    show,
    text,
    whole_number,
)

# The registry's `source` column holds no more: a longer citation is a data error, caught before
# anything is written (SQLite would store it, PostgreSQL would refuse it mid-load).
SOURCE_MAX_LENGTH = 500


@dataclass(frozen=True, kw_only=True)
class Country:
    """What ISO 3166 and CLDR say about a country: codes and names by language code."""

    iso3: str
    numeric: str
    names: Mapping[str, str]


@dataclass
class Context:
    """What the rows need beyond themselves, passed to pydantic as the validation context.

    `countries` comes from the caller. The files fill in the rest as they are read, in the order
    of `ReferenceData`'s fields: each file its `sources` (for its own rows), the name overrides
    file its `overrides` (for the States and Partners after it).
    """

    countries: Mapping[str, Country] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    overrides: dict[tuple[str, str], str] = field(default_factory=dict)


def context_of(info: ValidationInfo) -> Context:
    return info.context if isinstance(info.context, Context) else Context()


class Record(BaseModel):
    """A mapping of known fields: an unknown one is refused, and a record never changes."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    # Fields the loader fills in; a file may not write them.
    DERIVED: ClassVar[tuple[str, ...]] = ()

    @model_validator(mode="before")
    @classmethod
    def _refuse_derived_fields(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for name in cls.DERIVED:
                if name in data:
                    raise problem("unknown field", name)
        return data


class Source(Record):
    id: SourceId
    title: Annotated[str, text(required=True)]
    site: Annotated[str, text()] = ""
    document: Annotated[str, text()] = ""

    @property
    def citation(self) -> str:
        """`Title (document, site)`: what a reader needs to find the source again."""
        extras = [part for part in (self.document, self.site) if part and part not in self.title]
        return f"{self.title} ({', '.join(extras)})" if extras else self.title


class Sourced(Record):
    """Every row: where it comes from (ids of the file's sources) and how sure that is."""

    DERIVED: ClassVar[tuple[str, ...]] = ("source",)

    source_ids: Annotated[
        tuple[Annotated[str, text(required=True)], ...], listed("ids from this file's sources")
    ]
    confidence: Confidence
    note: Annotated[str, text()] = ""
    # Derived: the sources' citations joined with "; ", as shown beside the row.
    source: str = ""

    @model_validator(mode="after")
    def _cite_the_sources(self, info: ValidationInfo) -> Self:
        sources = context_of(info).sources
        for source_id in self.source_ids:
            if source_id not in sources:
                raise problem(f"{show(source_id)} is not among this file's sources", "source_ids")
        if len(set(self.source_ids)) != len(self.source_ids):
            raise problem("lists a source twice", "source_ids")
        citation = "; ".join(sources[source_id].citation for source_id in self.source_ids)
        if len(citation) > SOURCE_MAX_LENGTH:
            raise problem(
                f"the citations run to {len(citation)} characters; the limit is "
                f"{SOURCE_MAX_LENGTH}",
                "source_ids",
            )
        return self.model_copy(update={"source": citation})


class NameOverride(Sourced):
    """A name that replaces CLDR's, for one State (or Partner) and one language."""

    iso2: Iso2
    language: Language
    name: Annotated[str, text(required=True)]


class StatusEventRecord(Sourced):
    DERIVED: ClassVar[tuple[str, ...]] = (*Sourced.DERIVED, "date_precision")

    kind: Annotated[str, one_of(STATUS_EVENT_KINDS)]
    # The first day of the month or year where the source gives no more (`date_precision`).
    date: Annotated[dt.date, BeforeValidator(lambda value: partial_date(value)[0])]
    end_date: OptionalDay = None
    description: Annotated[str, text(500, required=True)]
    # Derived from how `date` is written: day, month or year.
    date_precision: str = "day"

    @model_validator(mode="wrap")
    @classmethod
    def _note_the_precision(
        cls, data: Any, handler: ModelWrapValidatorHandler[StatusEventRecord]
    ) -> StatusEventRecord:
        event = handler(data)
        if event.end_date is not None and event.end_date < event.date:
            raise problem("before the event's date", "end_date")
        return event.model_copy(update={"date_precision": partial_date(data["date"])[1]})


def _events(value: object) -> object:
    if value is None:
        return []
    if not isinstance(value, list):
        raise problem("must be a list of events")
    return value


class CountryRow(Sourced):
    """A State or a Partner: typed by its alpha-2 code; the rest comes from ISO 3166 and CLDR."""

    DERIVED: ClassVar[tuple[str, ...]] = (*Sourced.DERIVED, "iso3", "numeric", "names")

    iso2: Iso2
    # Derived from the code: pycountry's alpha-3 and numeric codes, CLDR's names in the six
    # official languages with the OSCE's own usage from name_overrides.yaml where it differs.
    iso3: str = ""
    numeric: str = ""
    names: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _look_up_the_country(self, info: ValidationInfo) -> Self:
        context = context_of(info)
        country = context.countries.get(self.iso2)
        if country is None:
            raise problem(f"not a known ISO 3166 alpha-2 code: {show(self.iso2)}", "iso2")
        names = {}
        for language in OFFICIAL_LANGUAGES:
            name = context.overrides.get((self.iso2, language)) or country.names.get(language, "")
            if not name:
                raise problem(
                    f"no name in '{language}' for {self.iso2} in CLDR and no override", "iso2"
                )
            names[language] = name
        return self.model_copy(
            update={"iso3": country.iso3, "numeric": country.numeric, "names": names}
        )


class StateRecord(CountryRow):
    joined: Day
    status_events: Annotated[tuple[StatusEventRecord, ...], BeforeValidator(_events)] = ()

    @model_validator(mode="after")
    def _one_event_of_a_kind_a_day(self) -> Self:
        seen: set[tuple[str, dt.date]] = set()
        for index, event in enumerate(self.status_events):
            if (event.kind, event.date) in seen:
                raise problem(
                    f"a second '{event.kind}' event on this date", "status_events", index, "date"
                )
            seen.add((event.kind, event.date))
        return self


def _since(value: object) -> str:
    # Written as the sources word it: a year ("1998") or a phrase; a bare YAML year is accepted.
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return read_text(value, 120, required=True)


class PartnerRecord(CountryRow):
    group: Annotated[str, one_of(PARTNER_GROUPS)]
    since: Annotated[str, BeforeValidator(_since)]


def _year(value: object) -> int:
    year = whole_number(value)
    if not 1973 <= year <= 2100:
        raise problem(f"not a plausible year: {year}")
    return year


class ChairmanshipRecord(Sourced):
    """One Chairmanship a year, held by a State (`state`) or a former one (`historical_name`)."""

    year: Annotated[int, BeforeValidator(_year)]
    state: OptionalIso2 = ""
    historical_name: Annotated[str, text(120)] = ""
    start_date: OptionalDay = None
    end_date: OptionalDay = None

    @model_validator(mode="after")
    def _held_by_one(self) -> Self:
        if bool(self.state) == bool(self.historical_name):
            raise problem("give either a participating State or a historical_name", "state")
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise problem("before start_date", "end_date")
        return self


class InstitutionRecord(Sourced):
    code: Annotated[str, code(40)]
    names: Names
    acronym: Annotated[str, text(20)] = ""
    seat: Annotated[str, text(120, required=True)]
    established: Annotated[str, text(200)] = ""


class SecretariatUnitRecord(Sourced):
    code: Annotated[str, code(40)]
    names: Names
    acronym: Annotated[str, text(20)] = ""
    parent: Annotated[str, optional_code("a unit code")] = ""  # another unit's code, or ""


class FieldOperationRecord(Sourced):
    """A field operation, hosted by a participating State (`host`) or a `host_label`."""

    code: Annotated[str, code(60)]
    names: Names
    region: Annotated[str, text(60)] = ""
    host: OptionalIso2 = ""
    host_label: Annotated[str, text(120)] = ""
    seat: Annotated[str, text(120)] = ""
    basis: Annotated[str, text(300)] = ""
    established: OptionalDay = None
    closed: OptionalDay = None
    closed_label: Annotated[str, text(120)] = ""

    @property
    def is_current(self) -> bool:
        return self.closed is None and not self.closed_label

    @model_validator(mode="after")
    def _hosted_and_dated(self) -> Self:
        if self.host and self.host_label:
            raise problem("give either host (a participating State) or host_label", "host_label")
        if self.established and self.closed and self.closed < self.established:
            raise problem("before established", "closed")
        return self


class ParticipantRecord(Record):
    state: OptionalIso2 = ""  # a participating State, or "" with `name`
    name: Annotated[str, text(200)] = ""
    role: Annotated[str, one_of(PARTICIPANT_ROLES)]

    @model_validator(mode="after")
    def _a_state_or_a_name(self) -> Self:
        if bool(self.state) == bool(self.name):
            raise problem("give either a participating State or a name", "state")
        return self


class NegotiationFormatRecord(Sourced):
    code: Annotated[str, code(60)]
    names: Names
    started: Annotated[str, text(120)] = ""
    ended: Annotated[str, text(120)] = ""
    status: Annotated[str, text(300)] = ""
    is_osce_body: TrueOrFalse
    participants: Annotated[tuple[ParticipantRecord, ...], listed("participants")]

    @model_validator(mode="after")
    def _each_party_once_in_each_role(self) -> Self:
        seen: set[tuple[str, str, str]] = set()
        for index, party in enumerate(self.participants):
            if (party.state, party.name, party.role) in seen:
                raise problem(f"listed twice as {party.role}", "participants", index, "role")
            seen.add((party.state, party.name, party.role))
        return self


class ConflictRecord(Sourced):
    code: Annotated[str, code(60)]
    names: Names
    formats: Annotated[tuple[NegotiationFormatRecord, ...], listed("negotiation formats")]
