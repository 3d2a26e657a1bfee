"""The pydantic models of a ruleset file: its header, and one rule model per kind of value.

The sections are not written out by hand: `RulesetFile` has one nested model per section of
`SCHEMA`, built from it, so a key that SCHEMA does not list is refused as unknown and the file's
shape can never drift from the list of provisions. A model checks one file on its own; what
depends on other files (`extends:`, sources inherited from them) is checked in `loading.py`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any, ClassVar, Self

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    create_model,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from hofburg.csbm.engine.rulesets.schema import SCHEMA, Kind
from hofburg.csbm.engine.terms import Confidence, MonthDay, Operator, Status, VisitOutcome

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def problem(message: str, *at: str) -> PydanticCustomError:
    """A validation error with our wording; `at` names the field below the one validated."""
    return PydanticCustomError("ruleset", "{message}", {"message": message, "at": at})


# -- values ------------------------------------------------------------------------------------


def _is_count(value: object) -> bool:
    # YAML's true/false are Python bools, which are ints: refuse them as counts.
    return isinstance(value, int) and not isinstance(value, bool)


def _count(minimum: int) -> Callable[[object], object]:
    return lambda value: value if _is_count(value) and value >= minimum else None  # type: ignore[operator]


def _month_day(value: object) -> MonthDay | None:
    if not isinstance(value, str):
        return None
    try:
        return MonthDay.parse(value)
    except ValueError as error:
        raise problem(str(error)) from None


def _operator(value: object) -> Operator | None:
    return Operator(value) if isinstance(value, str) and value in set(Operator) else None


def _outcomes(value: object) -> tuple[VisitOutcome, ...] | None:
    if not isinstance(value, list) or not all(isinstance(v, str) and v in set(VisitOutcome)
                                              for v in value):
        return None
    if len(set(value)) != len(value):
        raise problem("lists an outcome twice")
    return tuple(VisitOutcome(v) for v in value)


def _date(value: object) -> date | None:
    # YAML reads 2011-12-01 as a date already.
    return value if isinstance(value, date) and not isinstance(value, datetime) else None


# Each kind's reader: the value, or None when it is not of the kind.
_READERS: dict[Kind, Callable[[object], object]] = {
    Kind.COUNT: _count(0),
    Kind.POSITIVE: _count(1),
    Kind.THRESHOLD: _count(0),
    Kind.MONTH_DAY: _month_day,
    Kind.OPERATOR: _operator,
    Kind.FLAG: lambda value: value if isinstance(value, bool) else None,
    Kind.OUTCOMES: _outcomes,
    Kind.DATE: _date,
}


def _reader(kind: Kind) -> BeforeValidator:
    """The value of a provision of `kind`; null stays None ("not defined in this ruleset")."""

    def read(value: object) -> object:
        if value is None:
            return None
        parsed = _READERS[kind](value)
        if parsed is None:
            raise problem(f"must be {kind.value}, not {value!r}")
        return parsed

    return BeforeValidator(read)


def _confidence(value: object) -> Confidence:
    labels = {c.value: c for c in Confidence}
    if not isinstance(value, str) or value not in labels:
        raise problem(f"{value!r} is not one of: {', '.join(labels)}")
    return labels[value]


def _paragraph(value: object) -> str | None:
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise problem("must be a text such as '(40.1.1)' or null")
    return value.strip() if isinstance(value, str) else None


def _source_ids(value: object) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(s, str) for s in value):
        raise problem("must be a list of source ids")
    return value


def _note(value: object) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise problem("must be a text")
    return value.strip()


def _range(value: object) -> tuple[int, int]:
    if (
        not isinstance(value, list) or len(value) != 2
        or not all(_is_count(v) and v >= 0 for v in value)
    ):
        raise problem("must be [low, high], two whole numbers of 0 or more")
    low, high = value
    if low >= high:
        raise problem(f"low {low} must be below high {high}")
    return (low, high)


Label = Annotated[Confidence, BeforeValidator(_confidence)]


# -- one provision -----------------------------------------------------------------------------


class Rule(BaseModel):
    """One provision as the file writes it: a value (or a reported range) and its labels."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    KIND: ClassVar[Kind]

    value: Any  # required, null when not defined; read by the subclass of its kind
    paragraph: Annotated[str | None, BeforeValidator(_paragraph)]  # required, may be null
    paragraph_confidence: Label | None = None  # required when a paragraph is given
    confidence: Label
    sources: Annotated[list[str], BeforeValidator(_source_ids)] = Field(default_factory=list)
    note: Annotated[str, BeforeValidator(_note)] = ""
    range: Annotated[tuple[int, int], BeforeValidator(_range)] | None = None

    @model_validator(mode="before")
    @classmethod
    def _a_value_or_a_range(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        if "value" in data and "range" in data:
            raise problem("gives both 'value' and 'range'; give one")
        if "range" in data:
            if cls.KIND is not Kind.THRESHOLD:
                raise problem("only thresholds may give a reported range", "range")
            return {**data, "value": None}
        return data

    @model_validator(mode="after")
    def _labelled_paragraph(self) -> Self:
        if self.paragraph is not None and "paragraph_confidence" not in self.model_fields_set:
            raise problem("is required when a paragraph is given", "paragraph_confidence")
        return self


def _rule_of(kind: Kind) -> type[Rule]:
    value_type = Annotated[Any, _reader(kind)]
    return create_model(
        f"{kind.name.title().replace('_', '')}Rule", __base__=Rule, KIND=(ClassVar[Kind], kind),
        value=(value_type, ...),
    )


RULES: dict[Kind, type[Rule]] = {kind: _rule_of(kind) for kind in Kind}


# -- the file ----------------------------------------------------------------------------------


def _text(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise problem("must be a non-empty text")
    return value.strip()


def _required_text(value: object) -> str:
    found = _text(value)
    if found is None:
        raise problem("is required")
    return found


def _status(value: object) -> Status:
    if not isinstance(value, str) or value not in {s.value for s in Status}:
        raise problem("must be 'agreed' or 'proposal'")
    return Status(value)


def _sources(value: object) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise problem("must map source ids (S1, S2, ...) to descriptions")
    return value


Text = Annotated[str | None, BeforeValidator(_text)]

# The OSCE's six official languages: a name users see is given in each of them.
LANGUAGES = ("en", "fr", "de", "it", "ru", "es")


def six_names(value: object) -> dict[str, str]:
    """A name in each of the six official languages: `{en: ..., fr: ..., ...}`, none blank."""
    if not isinstance(value, dict):
        raise problem("must map each of the six languages (en, fr, de, it, ru, es) to a name")
    for language in value:
        if language not in LANGUAGES:
            raise problem("is not one of the six languages: en, fr, de, it, ru, es",
                          str(language))
    for language in LANGUAGES:
        name = value.get(language)
        if not isinstance(name, str) or not name.strip():
            raise problem("is required: a name in each of the six languages", language)
    return {language: " ".join(value[language].split()) for language in LANGUAGES}


Names = Annotated[dict[str, str], BeforeValidator(six_names)]


class Header(BaseModel):
    """What every ruleset file says about itself (the sections follow, in `RulesetFile`)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    id: Annotated[str, BeforeValidator(_required_text)]
    title: Annotated[str, BeforeValidator(_required_text)]
    names: Names  # the title in the six languages; `en` is the title
    status: Annotated[Status, BeforeValidator(_status)]
    extends: Text = None
    document: Text = None
    note: Text = None
    sources: Annotated[dict[str, str], BeforeValidator(_sources)] = Field(default_factory=dict)

    @field_validator("id")
    @classmethod
    def _id_is_the_file_name(cls, ruleset_id: str, info: ValidationInfo) -> str:
        if not _ID.match(ruleset_id):
            raise problem("must be lower-case letters, digits and hyphens")
        stem = info.context.get("stem") if isinstance(info.context, dict) else None
        if stem is not None and ruleset_id != stem:
            raise problem(f"{ruleset_id!r} must match the file name {stem!r}")
        return ruleset_id

    @model_validator(mode="after")
    def _not_its_own_base(self) -> Self:
        if self.extends == self.id:
            raise problem("a ruleset cannot extend itself", "extends")
        if self.names["en"] != " ".join(self.title.split()):
            raise problem(f"must be the title, {self.title!r}", "names", "en")
        return self


def _section(path: str, keys: list[str]) -> Any:
    """The model of the section at `path` (e.g. "notification.thresholds"), built from SCHEMA."""
    children = dict.fromkeys(key.split(".")[0] for key in keys)
    fields: dict[str, Any] = {}
    for child in children:
        full = f"{path}.{child}"
        if full in SCHEMA:
            fields[child] = (RULES[SCHEMA[full]] | None, None)
        else:
            below = [key.split(".", 1)[1] for key in keys if key.split(".")[0] == child]
            fields[child] = (_section(full, below) | None, None)
    name = "".join(part.title() for part in re.split(r"[._]", path))
    config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    return create_model(name, __config__=config, **fields)


def _file_model() -> type[Header]:
    sections: dict[str, list[str]] = {}
    for key in SCHEMA:
        section, rest = key.split(".", 1)
        sections.setdefault(section, []).append(rest)
    fields: dict[str, Any] = {
        section: (_section(section, keys) | None, None) for section, keys in sections.items()
    }
    return create_model("RulesetFile", __base__=Header, **fields)


# A ruleset file: the header and one optional model per section of SCHEMA.
RulesetFile = _file_model()
