"""The names users see for the provisions, in the six official languages (data/csbm/
provision_names.yaml; format in data/csbm/README.md).

A provision's name is the same in every ruleset, so the names live in one file beside the
rulesets rather than in each of them. Every provision of `SCHEMA` must be named: a threshold
through its chapter, category and measure ("Notification threshold — land forces, troops"),
every other provision on its own line. A file that leaves one out, names a key the schema does
not know, or misses a language is refused with the key and the language named.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Any, Self

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError, model_validator

from hofburg.csbm.engine.rulesets.loading import RulesetError, _error
from hofburg.csbm.engine.rulesets.models import LANGUAGES, Names, problem
from hofburg.csbm.engine.rulesets.schema import SCHEMA, Kind
from hofburg.csbm.engine.terms import Category, Measure

try:
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover (PyYAML without libyaml)
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

SCHEMA_VERSION = 1
CHAPTERS = ("notification", "observation")  # the chapters whose provisions hold thresholds


def _version(value: object) -> int:
    if isinstance(value, bool) or value != SCHEMA_VERSION:
        raise problem(f"must be {SCHEMA_VERSION}, not {value!r}")
    return SCHEMA_VERSION


def _named(value: object) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise problem("must map keys to names in the six languages")
    return value


NameMap = Annotated[dict[str, Names], BeforeValidator(_named)]


def _is_threshold(key: str) -> bool:
    return SCHEMA[key] is Kind.THRESHOLD


class ProvisionNamesFile(BaseModel):
    """The file: plain provisions by key, and the three parts of a threshold's name."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    schema_version: Annotated[int, BeforeValidator(_version)]
    provisions: NameMap
    thresholds: NameMap
    categories: NameMap
    measures: NameMap

    @model_validator(mode="after")
    def _every_key_named_once(self) -> Self:
        plain = [key for key in SCHEMA if not _is_threshold(key)]
        for listed, expected in (
            ("provisions", plain), ("thresholds", list(CHAPTERS)),
            ("categories", [c.value for c in Category]), ("measures", [m.value for m in Measure]),
        ):
            given: dict[str, Any] = getattr(self, listed)
            for key in given:
                if key not in expected:
                    raise problem(
                        "is a threshold: named through 'thresholds', 'categories' and 'measures'"
                        if key in SCHEMA else "is not a key this list names", listed, key)
            for key in expected:
                if key not in given:
                    raise problem("has no name", listed, key)
        return self


def read_provision_names(path: Path | str) -> Mapping[str, Mapping[str, str]]:
    """Every provision's name by key, each in the six languages (`{"en": ..., "fr": ...}`)."""
    path = Path(path)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_SafeLoader)
    except OSError as error:
        raise RulesetError(path, None, f"cannot be read: {error.strerror}") from error
    except yaml.YAMLError as error:
        raise RulesetError(path, None, "is not valid YAML") from error
    try:
        model = ProvisionNamesFile.model_validate(data)
    except ValidationError as error:
        raise _error(path, error.errors()[0]) from None
    names: dict[str, Mapping[str, str]] = {}
    for key in SCHEMA:
        if _is_threshold(key):
            chapter, _, category, measure = key.split(".")
            names[key] = MappingProxyType({
                language: (f"{model.thresholds[chapter][language]} — "
                           f"{model.categories[category][language]}, "
                           f"{model.measures[measure][language]}")
                for language in LANGUAGES})
        else:
            names[key] = MappingProxyType(dict(model.provisions[key]))
    return MappingProxyType(names)
