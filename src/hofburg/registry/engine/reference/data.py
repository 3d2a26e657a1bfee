"""`ReferenceData`: every file of `data/registry/` together, and the references between files."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

from pydantic import ConfigDict, Field, ValidationError, model_validator

from hofburg.registry.engine.reference.errors import Layout, from_validation_error
from hofburg.registry.engine.reference.fields import problem
from hofburg.registry.engine.reference.files import (
    ChairmanshipsFile,
    ConflictsFile,
    FieldOperationsFile,
    InstitutionsFile,
    NameOverridesFile,
    PartnersFile,
    ReferenceFile,
    SecretariatUnitsFile,
    StatesFile,
)
from hofburg.registry.engine.reference.rows import (
    ChairmanshipRecord,
    ConflictRecord,
    Context,
    Country,
    FieldOperationRecord,
    InstitutionRecord,
    NameOverride,
    PartnerRecord,
    Record,
    SecretariatUnitRecord,
    StateRecord,
)


class ReferenceData(Record):
    """Everything the registry loads, validated file by file and across files.

    Validated from a mapping of file name to the file's parsed YAML; the fields are read in this
    order, so the name overrides are known before the States and Partners that take them.
    """

    model_config = ConfigDict(extra="ignore", frozen=True, defer_build=True)

    name_overrides_file: NameOverridesFile = Field(alias="name_overrides.yaml")
    states_file: StatesFile = Field(alias="participating_states.yaml")
    partners_file: PartnersFile = Field(alias="partners.yaml")
    chairmanships_file: ChairmanshipsFile = Field(alias="chairmanships.yaml")
    institutions_file: InstitutionsFile = Field(alias="institutions.yaml")
    secretariat_units_file: SecretariatUnitsFile = Field(alias="secretariat_units.yaml")
    field_operations_file: FieldOperationsFile = Field(alias="field_operations.yaml")
    conflicts_file: ConflictsFile = Field(alias="conflicts.yaml")

    @model_validator(mode="after")
    def _states_or_partners(self) -> Self:
        states = {state.iso2 for state in self.participating_states}
        partners = {partner.iso2 for partner in self.partners}
        for index, partner in enumerate(self.partners):
            if partner.iso2 in states:
                _refuse(PartnersFile, index, "iso2", "is a participating State, not a Partner")
        for index, override in enumerate(self.name_overrides):
            if override.iso2 not in states | partners:
                _refuse(NameOverridesFile, index, "iso2",
                        "is neither a participating State nor a Partner")
        return self

    @model_validator(mode="after")
    def _references_to_states(self) -> Self:
        states = {state.iso2 for state in self.participating_states}
        for index, chair in enumerate(self.chairmanships):
            if chair.state and chair.state not in states:
                _refuse(ChairmanshipsFile, index, "state",
                        f"'{chair.state}' is not a participating State")
        for index, operation in enumerate(self.field_operations):
            if operation.host and operation.host not in states:
                _refuse(FieldOperationsFile, index, "host",
                        f"'{operation.host}' is not a participating State")
        for index, conflict in enumerate(self.conflicts):
            for position, negotiation_format in enumerate(conflict.formats):
                for number, party in enumerate(negotiation_format.participants):
                    if party.state and party.state not in states:
                        _refuse(ConflictsFile, index, "formats", position, "participants",
                                number, "state", f"'{party.state}' is not a participating State")
        return self

    # -- the rows of each file -----------------------------------------------------------------

    @property
    def files(self) -> dict[str, ReferenceFile]:
        """Each file's model (its header and rows), by file name."""
        fields = type(self).model_fields
        return {info.alias or name: getattr(self, name) for name, info in fields.items()}

    @property
    def name_overrides(self) -> tuple[NameOverride, ...]:
        return self.name_overrides_file.name_overrides

    @property
    def participating_states(self) -> tuple[StateRecord, ...]:
        return self.states_file.participating_states

    @property
    def partners(self) -> tuple[PartnerRecord, ...]:
        return self.partners_file.partners

    @property
    def chairmanships(self) -> tuple[ChairmanshipRecord, ...]:
        return self.chairmanships_file.chairmanships

    @property
    def institutions(self) -> tuple[InstitutionRecord, ...]:
        return self.institutions_file.institutions

    @property
    def secretariat_units(self) -> tuple[SecretariatUnitRecord, ...]:
        """Parents before their units."""
        return self.secretariat_units_file.secretariat_units

    @property
    def field_operations(self) -> tuple[FieldOperationRecord, ...]:
        return self.field_operations_file.field_operations

    @property
    def conflicts(self) -> tuple[ConflictRecord, ...]:
        return self.conflicts_file.conflicts


def _refuse(file: type[ReferenceFile], index: int, *at_and_message: str | int) -> None:
    *at, message = at_and_message
    alias = _FILE_OF[file]
    raise problem(str(message), alias, file.ROWS, index, *at)


def _file_names() -> dict[type[ReferenceFile], str]:
    names: dict[type[ReferenceFile], str] = {}
    for name, info in ReferenceData.model_fields.items():
        model = info.annotation
        assert isinstance(model, type) and issubclass(model, ReferenceFile)
        names[model] = info.alias or name
    return names


_FILE_OF = _file_names()

# Every file the registry needs, in the order they are read.
FILES = tuple(_FILE_OF.values())

LAYOUTS: dict[str, Layout] = {alias: (file.ROWS, file.KEY) for file, alias in _FILE_OF.items()}


def parse_reference(
    documents: Mapping[str, Mapping[str, Any]], countries: Mapping[str, Country]
) -> ReferenceData:
    """Validate every file and the references between them; the first error is raised.

    `documents` maps each file name of `FILES` to its parsed YAML (see `read_document`);
    `countries` maps ISO 3166 alpha-2 codes to their codes and CLDR names.
    """
    try:
        return ReferenceData.model_validate(documents, context=Context(countries=countries))
    except ValidationError as error:
        raise from_validation_error(error, documents, LAYOUTS) from None
