"""The glossary of the terms users meet across the desks (data/glossary/terms.yaml).

Each term has its name, an abbreviation where it has one, and a short definition in the six
official languages, with its source and a confidence label. The file is validated by the
pydantic models below (decision 0031's pattern): a term missing a language, an unknown label or
a duplicate id is refused with the term and the field named. Read once per process.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Self

import yaml
from django.conf import settings
from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError, model_validator

from hofburg.core.i18n import localized

LANGUAGES = ("en", "fr", "de", "it", "ru", "es")
CONFIDENCE_LABELS = ("confirmed", "secondary", "unconfirmed", "disputed")
DESKS = ("general", "registry", "decisions", "csbm", "monitoring", "elections", "projects",
         "cases", "documents")
SCHEMA_VERSION = 1
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class GlossaryError(ValueError):
    """The glossary file is malformed; names the term and the field."""


def _six(value: object) -> dict[str, str]:
    if not isinstance(value, dict):
        raise ValueError("must map each of the six languages (en, fr, de, it, ru, es) to a text")
    unknown = [str(language) for language in value if language not in LANGUAGES]
    if unknown:
        raise ValueError(f"{', '.join(unknown)} is not one of the six languages")
    missing = [language for language in LANGUAGES
               if not isinstance(value.get(language), str) or not value[language].strip()]
    if missing:
        raise ValueError(f"has no text in {', '.join(missing)}")
    return {language: " ".join(value[language].split()) for language in LANGUAGES}


def _one_of(allowed: tuple[str, ...]) -> BeforeValidator:
    def read(value: object) -> str:
        if not isinstance(value, str) or value not in allowed:
            raise ValueError(f"{value!r} is not one of: {', '.join(allowed)}")
        return value

    return BeforeValidator(read)


def _text(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("must be a non-empty text")
    return " ".join(value.split())


def _term_id(value: object) -> str:
    if not isinstance(value, str) or not _ID.match(value):
        raise ValueError("must be lower-case letters and digits joined by hyphens")
    return value


Six = Annotated[dict[str, str], BeforeValidator(_six)]


class TermRow(BaseModel):
    """One term as the file writes it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[str, BeforeValidator(_term_id)]
    desk: Annotated[str, _one_of(DESKS)]
    abbreviation: Six | None = None
    term: Six
    definition: Six
    source: Annotated[str, BeforeValidator(_text)]
    confidence: Annotated[str, _one_of(CONFIDENCE_LABELS)]


class GlossaryFile(BaseModel):
    """The file: its schema version, when it was last revised, and its terms."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_version: int
    revised: dt.date
    terms: list[TermRow]

    @model_validator(mode="after")
    def _checked(self) -> Self:
        if self.schema_version != SCHEMA_VERSION:
            raise ValueError(f"schema_version must be {SCHEMA_VERSION}")
        seen: set[str] = set()
        for row in self.terms:
            if row.id in seen:
                raise ValueError(f"term {row.id!r} is listed twice")
            seen.add(row.id)
        return self


@dataclass(frozen=True)
class Entry:
    """A term in one language, ready for the page."""

    id: str
    desk: str
    term: str
    abbreviation: str
    definition: str
    source: str
    confidence: str

    @property
    def anchor(self) -> str:
        return f"term-{self.id}"

    @property
    def search_text(self) -> str:
        """What the page's filter matches: term, abbreviation and definition, folded."""
        return folded(" ".join((self.term, self.abbreviation, self.definition)))


def folded(text: str) -> str:
    """Lower case without accents, so that "etat" finds "État" and "ё" finds "е"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("ё", "е"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def read_glossary(path: Path) -> GlossaryFile:
    """The glossary file, validated; GlossaryError naming the term and field otherwise."""
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise GlossaryError(f"{path.name}: cannot be read: {error}") from error
    try:
        return GlossaryFile.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        location = list(first["loc"])
        where = ".".join(str(part) for part in location)
        if len(location) >= 2 and location[0] == "terms" and isinstance(location[1], int):
            rows = data.get("terms") if isinstance(data, dict) else None
            row = rows[location[1]] if isinstance(rows, list) else None
            term = row.get("id") if isinstance(row, dict) else None
            where = f"term {location[1] + 1} ({term})" + "".join(
                f".{part}" for part in location[2:])
        message = str(first["msg"]).removeprefix("Value error, ")
        raise GlossaryError(f"{path.name}: {where}: {message}" if where
                            else f"{path.name}: {message}") from None


def glossary_path() -> Path:
    return Path(settings.REFERENCE_DATA_DIR) / "glossary" / "terms.yaml"


@cache
def _glossary(path: Path) -> GlossaryFile:
    return read_glossary(path)


def glossary() -> GlossaryFile:
    return _glossary(glossary_path())


def entries(language: str | None) -> list[Entry]:
    """Every term in `language` (English where it has none), in that language's order."""
    found = []
    for row in glossary().terms:
        found.append(Entry(
            id=row.id, desk=row.desk,
            term=localized(row.term, language, row.id),
            abbreviation=localized(row.abbreviation, language, "") if row.abbreviation else "",
            definition=localized(row.definition, language, ""),
            source=row.source, confidence=row.confidence))
    return sorted(found, key=lambda entry: folded(entry.abbreviation or entry.term))


def clear_cache() -> None:
    _glossary.cache_clear()
