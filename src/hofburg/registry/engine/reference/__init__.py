"""The registry's reference data: parse and validate the files under `data/registry/`.

Pure: the functions take the parsed YAML documents (plain dicts and lists) and return frozen
pydantic models, or raise `ReferenceDataError` naming the file, the row and the field. ISO codes
and the names of States in the six official languages come in as plain data (`Country`),
computed by the caller from pycountry and CLDR; this package knows no library for them.

The rules every file follows are written down in `data/registry/README.md`:
- a header of `schema_version: 1`, `data_as_of` and a list of `sources`;
- every row has `source_ids` (ids from the same file's sources) and a `confidence` label;
- no unknown field, no duplicate key, no reference to a State that is not a participating State.

Where to read what:
- `fields.py`: the field types (codes, dates, names, labels) and their messages;
- `rows.py`: one model per kind of row, with the checks within a row;
- `files.py`: one model per file, with the checks across its rows;
- `data.py`: every file together and the references between files; `parse_reference`;
- `errors.py`: `ReferenceDataError`, and how pydantic's errors are told to a reader;
- `reading.py`: YAML text to plain data.
"""

from hofburg.registry.engine.reference.data import FILES, ReferenceData, parse_reference
from hofburg.registry.engine.reference.errors import ReferenceDataError
from hofburg.registry.engine.reference.fields import CONFIDENCE_LABELS, OFFICIAL_LANGUAGES
from hofburg.registry.engine.reference.reading import read_document
from hofburg.registry.engine.reference.rows import (
    ChairmanshipRecord,
    ConflictRecord,
    Country,
    FieldOperationRecord,
    InstitutionRecord,
    NameOverride,
    NegotiationFormatRecord,
    ParticipantRecord,
    PartnerRecord,
    SecretariatUnitRecord,
    Sourced,
    StateRecord,
    StatusEventRecord,
)

__all__ = [
    "CONFIDENCE_LABELS", "FILES", "OFFICIAL_LANGUAGES", "ChairmanshipRecord", "ConflictRecord",
    "Country", "FieldOperationRecord", "InstitutionRecord", "NameOverride",
    "NegotiationFormatRecord", "ParticipantRecord", "PartnerRecord", "ReferenceData",
    "ReferenceDataError", "SecretariatUnitRecord", "Sourced", "StateRecord", "StatusEventRecord",
    "parse_reference", "read_document",
]
