"""One model per reference data file: its header, its rows and the checks across its rows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, ClassVar, Self

from pydantic import ValidationInfo, field_validator, model_validator

from hofburg.registry.engine.reference.fields import Day, SchemaVersion, listed, problem, show
from hofburg.registry.engine.reference.rows import (
    ChairmanshipRecord,
    ConflictRecord,
    FieldOperationRecord,
    InstitutionRecord,
    NameOverride,
    PartnerRecord,
    Record,
    SecretariatUnitRecord,
    Source,
    StateRecord,
    context_of,
)

# Mongolia became the 57th participating State on 21 November 2012; the Partners for
# Co-operation are six Mediterranean and five Asian States (osce.org, "Partners for Co-operation").
PARTICIPATING_STATE_COUNT = 57
PARTNER_COUNT = 11

Path = tuple[str | int, ...]


class ReferenceFile(Record):
    """The header every file starts with; each subclass adds its list of rows under `ROWS`."""

    ROWS: ClassVar[str]
    KEY: ClassVar[tuple[str, ...]]  # the fields of a row's natural key

    schema_version: SchemaVersion
    data_as_of: Day  # the date the file describes the world as of
    sources: Annotated[tuple[Source, ...], listed("sources")]

    @field_validator("sources")
    @classmethod
    def _sources_for_the_rows(
        cls, sources: tuple[Source, ...], info: ValidationInfo
    ) -> tuple[Source, ...]:
        unique([(source.id,) for source in sources], "duplicate source id", (), "id")
        # The rows come after the header: their `source_ids` are checked against these.
        context_of(info).sources = {source.id: source for source in sources}
        return sources


def unique(keys: Sequence[tuple[object, ...]], message: str, at: Path, field: str) -> None:
    """Refuse the first key seen twice, at `at[index].field`; `message` may show the key
    (`{0}`, `{1}`...)."""
    seen: set[tuple[object, ...]] = set()
    for index, key in enumerate(keys):
        if key in seen:
            raise problem(message.format(*(show(part) for part in key)), *at, index, field)
        seen.add(key)


class NameOverridesFile(ReferenceFile):
    ROWS, KEY = "name_overrides", ("iso2", "language")
    name_overrides: Annotated[tuple[NameOverride, ...], listed("rows")]

    @model_validator(mode="after")
    def _one_a_language(self, info: ValidationInfo) -> Self:
        keys = [(row.iso2, row.language) for row in self.name_overrides]
        unique(keys, "a second override for this State and language", (self.ROWS,), "language")
        # The States and Partners after this file take these names over CLDR's.
        context_of(info).overrides = {(o.iso2, o.language): o.name for o in self.name_overrides}
        return self


class StatesFile(ReferenceFile):
    """The participating States: exactly 57, each with its joining date and status events."""

    ROWS, KEY = "participating_states", ("iso2",)
    participating_states: Annotated[tuple[StateRecord, ...], listed("rows")]

    @model_validator(mode="after")
    def _all_57(self) -> Self:
        keys = [(state.iso2,) for state in self.participating_states]
        unique(keys, "duplicate iso2: {0}", (self.ROWS,), "iso2")
        if len(keys) != PARTICIPATING_STATE_COUNT:
            raise problem(
                f"{len(keys)} participating States; there are {PARTICIPATING_STATE_COUNT}",
                self.ROWS,
            )
        return self


class PartnersFile(ReferenceFile):
    """The Partners for Co-operation: exactly 11, each Asian or Mediterranean."""

    ROWS, KEY = "partners", ("iso2",)
    partners: Annotated[tuple[PartnerRecord, ...], listed("rows")]

    @model_validator(mode="after")
    def _all_11(self) -> Self:
        keys = [(partner.iso2,) for partner in self.partners]
        unique(keys, "duplicate iso2: {0}", (self.ROWS,), "iso2")
        if len(keys) != PARTNER_COUNT:
            raise problem(f"{len(keys)} Partners; there are {PARTNER_COUNT}", self.ROWS)
        return self


class ChairmanshipsFile(ReferenceFile):
    ROWS, KEY = "chairmanships", ("year",)
    chairmanships: Annotated[tuple[ChairmanshipRecord, ...], listed("rows")]

    @model_validator(mode="after")
    def _one_a_year(self) -> Self:
        keys = [(chair.year,) for chair in self.chairmanships]
        unique(keys, "duplicate year: {0}", (self.ROWS,), "year")
        return self


class InstitutionsFile(ReferenceFile):
    ROWS, KEY = "institutions", ("code",)
    institutions: Annotated[tuple[InstitutionRecord, ...], listed("rows")]

    @model_validator(mode="after")
    def _one_a_code(self) -> Self:
        keys = [(institution.code,) for institution in self.institutions]
        unique(keys, "duplicate code: {0}", (self.ROWS,), "code")
        return self


class SecretariatUnitsFile(ReferenceFile):
    """The Secretariat's units; a unit's `parent` is another unit of the file. Once read, the
    units are ordered parents first, so they can be written in this order."""

    ROWS, KEY = "secretariat_units", ("code",)
    secretariat_units: Annotated[tuple[SecretariatUnitRecord, ...], listed("rows")]

    @model_validator(mode="after")
    def _a_tree_of_units(self) -> Self:
        units = self.secretariat_units
        unique([(unit.code,) for unit in units], "duplicate code: {0}", (self.ROWS,), "code")
        by_code = {unit.code: unit for unit in units}
        depth: dict[str, int] = {}
        for index, unit in enumerate(units):
            if unit.parent and unit.parent not in by_code:
                raise problem(f"no unit with code '{unit.parent}'", self.ROWS, index, "parent")
        for index, unit in enumerate(units):
            # Walk up the chain: a unit that reaches itself would never be written.
            ancestor, steps = unit.parent, 0
            while ancestor:
                if ancestor == unit.code or steps > len(units):
                    raise problem("the parents form a cycle", self.ROWS, index, "parent")
                ancestor, steps = by_code[ancestor].parent, steps + 1
            depth[unit.code] = steps
        ordered = tuple(sorted(units, key=lambda unit: depth[unit.code]))
        return self.model_copy(update={self.ROWS: ordered})


class FieldOperationsFile(ReferenceFile):
    ROWS, KEY = "field_operations", ("code",)
    field_operations: Annotated[tuple[FieldOperationRecord, ...], listed("rows")]

    @model_validator(mode="after")
    def _one_a_code(self) -> Self:
        keys = [(operation.code,) for operation in self.field_operations]
        unique(keys, "duplicate code: {0}", (self.ROWS,), "code")
        return self


class ConflictsFile(ReferenceFile):
    """Protracted conflicts, each with its negotiation formats and their participants."""

    ROWS, KEY = "conflicts", ("code",)
    conflicts: Annotated[tuple[ConflictRecord, ...], listed("rows")]

    @model_validator(mode="after")
    def _one_a_code(self) -> Self:
        unique([(c.code,) for c in self.conflicts], "duplicate code: {0}", (self.ROWS,), "code")
        # A format's code is unique across the file, not only within its conflict.
        seen: set[str] = set()
        for index, conflict in enumerate(self.conflicts):
            for position, negotiation_format in enumerate(conflict.formats):
                if negotiation_format.code in seen:
                    raise problem(
                        f"duplicate code: '{negotiation_format.code}'",
                        self.ROWS, index, "formats", position, "code",
                    )
                seen.add(negotiation_format.code)
        return self
