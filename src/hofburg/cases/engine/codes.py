"""The hate-crime code lists (bias motivations, incident types), versioned by reporting year,
read from `data/cases/hate-crime-codes.yaml` with their sources and confidence labels."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

DATA_DIR = Path(__file__).resolve().parents[4] / "data" / "cases"
CONFIDENCE = ("confirmed", "secondary", "unconfirmed", "disputed")
TARGETS = ("person", "property")


class CodeListError(ValueError):
    """A malformed code file, or a code unknown for the year."""


@dataclass(frozen=True)
class Code:
    code: str
    label: str
    confidence: str
    target: str = ""


@dataclass(frozen=True)
class Version:
    from_year: int
    source: str
    bias_motivations: dict[str, Code]
    incident_types: dict[str, Code]


def _codes(raw: object, where: str, *, targeted: bool) -> dict[str, Code]:
    if not isinstance(raw, list) or not raw:
        raise CodeListError(f"{where}: a non-empty list of codes")
    found: dict[str, Code] = {}
    for item in raw:
        if not isinstance(item, dict) or not item.get("code") or not item.get("label"):
            raise CodeListError(f"{where}: each code has `code` and `label`")
        code = str(item["code"])
        if item.get("confidence") not in CONFIDENCE:
            raise CodeListError(f"{where} {code}: confidence is one of {', '.join(CONFIDENCE)}")
        target = str(item.get("target", ""))
        if targeted and target not in TARGETS:
            raise CodeListError(f"{where} {code}: target is person or property")
        if code in found:
            raise CodeListError(f"{where} {code}: listed twice")
        found[code] = Code(code, str(item["label"]), str(item["confidence"]), target)
    return found


def parse(text: str, name: str = "hate-crime-codes.yaml") -> list[Version]:
    data = yaml.safe_load(text)
    if not isinstance(data, dict) or not isinstance(data.get("versions"), list):
        raise CodeListError(f"{name}: a `versions` list")
    versions = []
    for item in data["versions"]:
        year = item.get("from_year") if isinstance(item, dict) else None
        if not isinstance(year, int) or not item.get("source"):
            raise CodeListError(f"{name}: each version has `from_year` and `source`")
        where = f"{name} version {year}"
        versions.append(Version(year, str(item["source"]),
                                _codes(item.get("bias_motivations"), where, targeted=False),
                                _codes(item.get("incident_types"), where, targeted=True)))
    years = [v.from_year for v in versions]
    if years != sorted(set(years)):
        raise CodeListError(f"{name}: versions in increasing `from_year`, each once")
    return versions


@lru_cache(maxsize=4)
def load(path: Path | None = None) -> tuple[Version, ...]:
    path = path or DATA_DIR / "hate-crime-codes.yaml"
    return tuple(parse(path.read_text(encoding="utf-8"), path.name))


def version_for(year: int, versions: tuple[Version, ...] | None = None) -> Version:
    versions = versions or load()
    applicable = [v for v in versions if v.from_year <= year]
    if not applicable:
        raise CodeListError(f"no code list applies to {year}")
    return applicable[-1]


def check_incident(year: int, incident_type: str, biases: list[str],
                   versions: tuple[Version, ...] | None = None) -> str:
    """The target (person or property) of a valid incident; CodeListError naming the field."""
    version = version_for(year, versions)
    if incident_type not in version.incident_types:
        raise CodeListError(f"incident_type: {incident_type!r} is not a code of {year}")
    if not biases:
        raise CodeListError("bias_motivations: at least one")
    unknown = [b for b in biases if b not in version.bias_motivations]
    if unknown:
        raise CodeListError(f"bias_motivations: {', '.join(unknown)} not codes of {year}")
    return version.incident_types[incident_type].target
