"""The decision-making bodies and their document series, as data (data/decisions/).

`bodies.yaml` says, for the PC, FSC, MC and Summit, their names, whether they may adopt by
silence (Annex 1(A) for the PC and FSC, Annex 1(B) for the MC) and the series they number
(`PC.DEC/1307`, `PC.DD/8/19`, `MC.DD/1/19/Rev.1`: osce-organization.md §1.8). `mechanisms.yaml`
lists consensus, its two exceptions and the mechanisms a State or a group of States can invoke
alone. Every row carries a `confidence` label and a `source`; the format is in
data/decisions/README.md. A malformed file raises `DecisionRulesError` naming the file, the row
and the field.

The engine reads no settings: a caller that keeps its reference data elsewhere passes the path
(`settings.REFERENCE_DATA_DIR / "decisions" / "bodies.yaml"`); without one, the files of this
repository are read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import ErrorDetails, PydanticCustomError

# libyaml's parser where PyYAML was built with it (ten times faster), Python's otherwise.
try:
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover (PyYAML without libyaml)
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

# src/hofburg/decisions/engine/rules.py -> the repository's data/decisions/
DATA_DIR = Path(__file__).resolve().parents[4] / "data" / "decisions"

SCHEMA_VERSION = 1

# The domain reference's labels: confirmed = seen in the cited source, secondary = reported by
# a third party, unconfirmed = not confirmed by a cited source, disputed = sources disagree.
Confidence = Literal["confirmed", "secondary", "unconfirmed", "disputed"]
CONFIDENCE_LABELS: tuple[str, ...] = ("confirmed", "secondary", "unconfirmed", "disputed")

# The six official languages (osce-organization.md §1.6).
OFFICIAL_LANGUAGES = ("en", "fr", "de", "it", "ru", "es")

# Revision, corrigendum, addendum: `/Rev.n`, `/Corr.n`, `/Add.n` (§1.8, notes).
SUFFIX_KINDS = ("Rev", "Corr", "Add")
_SUFFIX = re.compile(r"(Rev|Corr|Add)\.([1-9][0-9]{0,2})")

MechanismKind = Literal["adoption", "exception", "invoked_alone"]
# The kinds that are ways of adopting a decision at a meeting, as opposed to the mechanisms a
# State or a group of States can set in motion alone.
ADOPTION_KINDS: tuple[str, ...] = ("adoption", "exception")
# The most States' objections a rule sets aside: two, for consensus-minus-two (Annex 2).
MAX_STATES_CONCERNED = 2

_Text = Annotated[str, Field(min_length=1)]
# A body and a series as they appear in a symbol; at most five letters each, the longest the
# document library's symbol parser reads (`hofburg.documents.engine.symbols`).
_BodyCode = Annotated[str, Field(pattern=r"^[A-Z]{2,5}$")]
_SeriesCode = Annotated[str, Field(pattern=r"^[A-Z]{2,5}$")]


class DecisionRulesError(ValueError):
    """A decisions data file is missing or malformed: names the file, the row and the field."""

    def __init__(self, file: str, row: str | None, field: str | None, message: str) -> None:
        self.file = file
        self.row = row
        self.field = field
        self.message = message
        where = file + (f", {row}" if row else "") + (f", field '{field}'" if field else "")
        super().__init__(f"{where}: {message}")


def _problem(message: str) -> PydanticCustomError:
    return PydanticCustomError("decision_rules", "{message}", {"message": message})


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, defer_build=True)


# -- the public models ---------------------------------------------------------------------


class SeriesRule(_Model):
    """How one series of one body is numbered: `PC.DEC/1307` (sequential) or `PC.DD/8/19`
    (numbered afresh each year, the year written with two digits)."""

    body: _BodyCode
    series: _SeriesCode
    per_year: bool
    confidence: Confidence
    source: _Text
    start: int = Field(default=1, ge=1)
    note: str = ""

    @property
    def prefix(self) -> str:
        """`PC.DEC`: the body and the series, as a symbol begins."""
        return f"{self.body}.{self.series}"

    def format(self, number: int, year: int | None = None, suffixes: Sequence[str] = ()) -> str:
        """The symbol: `PC.DEC/1307`, `PC.DD/8/19`, `MC.DD/1/19/Rev.1`.

        `year` is the full year (2019), written as its last two digits; it is required for a
        series numbered per year and refused for a sequential one. `suffixes` are `Rev.n`,
        `Corr.n` or `Add.n`, in the order given. Anything else raises ValueError.
        """
        if isinstance(number, bool) or not isinstance(number, int) or number < 1:
            raise ValueError(f"{self.prefix}: the number must be a whole number from 1, "
                             f"not {number!r}")
        symbol = f"{self.prefix}/{number}"
        if self.per_year:
            if year is None:
                raise ValueError(f"{self.prefix} is numbered per year: give the year")
            if isinstance(year, bool) or not isinstance(year, int) or not 1000 <= year <= 9999:
                raise ValueError(f"{self.prefix}: the year must be a full year such as 2019, "
                                 f"not {year!r}")
            symbol += f"/{year % 100:02d}"
        elif year is not None:
            raise ValueError(f"{self.prefix} is numbered sequentially, not per year: "
                             f"give no year")
        for suffix in suffixes:
            if not isinstance(suffix, str) or _SUFFIX.fullmatch(suffix) is None:
                raise ValueError(f"{suffix!r} is not a suffix such as Rev.1, Corr.1 or Add.1")
            symbol += f"/{suffix}"
        return symbol


class BodyRules(_Model):
    """A decision-making body: its names, whether it may adopt by silence, its series."""

    code: Annotated[str, Field(pattern=r"^[A-Z]{2,6}$")]
    names: dict[str, _Text]
    names_confidence: Confidence
    names_source: _Text
    silence: bool
    silence_confidence: Confidence
    silence_source: _Text
    series: dict[str, SeriesRule] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _series_by_code(cls, data: Any) -> Any:
        """In the file, `series` is a list of rows without `body`: key them by series code and
        give each its body."""
        if not isinstance(data, Mapping) or not isinstance(data.get("series"), list):
            return data
        keyed: dict[object, object] = {}
        for position, row in enumerate(data["series"], start=1):
            if not isinstance(row, Mapping):
                raise _problem(f"series row {position} must be a mapping of fields")
            code = row.get("series", f"#{position}")
            if code in keyed:
                raise _problem(f"series {code} is listed twice")
            keyed[code] = {"body": data.get("code"), **row}
        return {**data, "series": keyed}

    @model_validator(mode="after")
    def _check(self) -> BodyRules:
        unknown = sorted(set(self.names) - set(OFFICIAL_LANGUAGES))
        if unknown:
            raise _problem(f"names: {', '.join(unknown)} is not one of the official languages "
                           f"{', '.join(OFFICIAL_LANGUAGES)}")
        if "en" not in self.names:
            raise _problem("names: the English name (en) is required")
        for key, rule in self.series.items():
            if key != rule.series or rule.body != self.code:
                raise _problem(f"series {key}: belongs to {rule.prefix}, not {self.code}.{key}")
        return self

    def name(self, lang: str) -> str:
        """The body's name in `lang` (`de`, `de-AT`), or in English where none is known."""
        return self.names.get(lang.split("-")[0].lower(), self.names["en"])


class SuffixKind(_Model):
    """A suffix a symbol may carry: `Rev` (revision), `Corr` (corrigendum), `Add` (addendum)."""

    kind: Literal["Rev", "Corr", "Add"]
    meaning: _Text
    confidence: Confidence
    source: _Text


class Mechanism(_Model):
    """How a decision is taken, or what a State or a group of States can set in motion alone.

    `kind`: `adoption` (consensus), `exception` (consensus-minus-one, -two) or `invoked_alone`
    (Moscow, Vienna, Berlin, Vienna Document Chapter III, Valletta). `objections_disregarded`
    is how many States' objections the rule sets aside (0 for consensus); None where the rule
    is not a way of adopting a decision.
    """

    code: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    kind: MechanismKind
    name: _Text
    basis: _Text
    basis_confidence: Confidence
    who_may_invoke: _Text
    confidence: Confidence
    source: _Text
    wording: str = ""
    objections_disregarded: int | None = Field(default=None, ge=0, le=MAX_STATES_CONCERNED)
    note: str = ""

    @model_validator(mode="after")
    def _objections_fit_the_kind(self) -> Mechanism:
        """A way of adopting says how many objections it sets aside (none for consensus, at
        least one for an exception); a mechanism invoked alone adopts nothing and says none."""
        count = self.objections_disregarded
        if self.kind == "invoked_alone":
            if count is not None:
                raise _problem("objections_disregarded: a mechanism invoked alone adopts no "
                               "decision and sets no objection aside")
        elif count is None:
            raise _problem(f"objections_disregarded: required for a rule of kind {self.kind}")
        elif (count == 0) != (self.kind == "adoption"):
            raise _problem(f"objections_disregarded: {count} does not fit kind {self.kind} "
                           "(0 for adoption, 1 or more for an exception)")
        return self

    @property
    def adopts(self) -> bool:
        """Whether this is a way of adopting a decision at a meeting (consensus, an
        exception), not a mechanism invoked alone."""
        return self.kind in ADOPTION_KINDS


# -- the files -----------------------------------------------------------------------------


class _BodiesFile(_Model):
    schema_version: Literal[1]
    bodies: list[BodyRules]
    suffixes: list[SuffixKind]

    @model_validator(mode="after")
    def _unique(self) -> _BodiesFile:
        _refuse_duplicates("body", (body.code for body in self.bodies))
        _refuse_duplicates("suffix", (suffix.kind for suffix in self.suffixes))
        return self


class _MechanismsFile(_Model):
    schema_version: Literal[1]
    mechanisms: list[Mechanism]

    @model_validator(mode="after")
    def _unique(self) -> _MechanismsFile:
        _refuse_duplicates("mechanism", (mechanism.code for mechanism in self.mechanisms))
        return self


def _refuse_duplicates(what: str, codes: Iterable[str]) -> None:
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            raise _problem(f"{what} {code} is listed twice")
        seen.add(code)


def load_bodies(path: Path | None = None) -> dict[str, BodyRules]:
    """The bodies of `bodies.yaml` by code (`PC`, `FSC`, `MC`, `SUMMIT`), in the file's order."""
    model = _read(path or DATA_DIR / "bodies.yaml", _BodiesFile)
    return {body.code: body for body in model.bodies}


def load_suffixes(path: Path | None = None) -> dict[str, SuffixKind]:
    """The suffix kinds of `bodies.yaml` by kind (`Rev`, `Corr`, `Add`)."""
    model = _read(path or DATA_DIR / "bodies.yaml", _BodiesFile)
    return {suffix.kind: suffix for suffix in model.suffixes}


def load_mechanisms(path: Path | None = None) -> dict[str, Mechanism]:
    """The mechanisms of `mechanisms.yaml` by code (`consensus`, `moscow`...)."""
    model = _read(path or DATA_DIR / "mechanisms.yaml", _MechanismsFile)
    return {mechanism.code: mechanism for mechanism in model.mechanisms}


_File = TypeVar("_File", _BodiesFile, _MechanismsFile)


def _read(path: Path, model: type[_File]) -> _File:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise DecisionRulesError(str(path), None, None,
                                 f"cannot be read: {error.strerror}") from error
    try:
        document = yaml.load(text, Loader=_SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise DecisionRulesError(path.name, None, None, f"is not valid YAML{where}") from error
    if not isinstance(document, dict):
        raise DecisionRulesError(path.name, None, None, "must hold a mapping of top-level keys")
    try:
        return model.model_validate(document)
    except ValidationError as error:
        raise _told(path.name, document, error.errors()[0]) from None


def _told(file: str, document: Mapping[str, Any], detail: ErrorDetails) -> DecisionRulesError:
    """pydantic's first error in the file's terms: `bodies.yaml, bodies[2] (code=FSC), field
    'series.DEC.per_year': ...`."""
    location = list(detail["loc"])
    row = None
    if len(location) >= 2 and isinstance(location[1], int):
        rows = document.get(str(location[0]))
        raw = rows[location[1]] if isinstance(rows, list) and location[1] < len(rows) else None
        key = next((f" ({name}={raw[name]})" for name in ("code", "kind")
                    if isinstance(raw, dict) and isinstance(raw.get(name), str)), "")
        row = f"{location[0]}[{location[1] + 1}]{key}"
        location = location[2:]
    field = ".".join(str(part) for part in location) or None
    message = str(detail.get("ctx", {}).get("message", detail["msg"]))
    if detail["type"] == "missing":
        message = "required"
    elif detail["type"] == "extra_forbidden":
        message = "unknown field"
    return DecisionRulesError(file, row, field, message)
