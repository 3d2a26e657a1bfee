"""Media-freedom code lists: the desk's violation list (MapMF's attack types) with its mapping
to the Council of Europe platform's categories and CPJ's datasets, versioned by year, read from
`data/cases/media-freedom-codes.yaml` with sources and confidence labels."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from hofburg.cases.engine.codes import CONFIDENCE, DATA_DIR, CodeListError

SEVERITIES = ("low", "medium", "high", "critical")  # the desk's own scale, kept apart from counts
VERIFICATION = ("unverified", "verified", "disputed")
PERPETRATORS = ("state_actor", "non_state_actor", "unknown")  # CoE's exact values unconfirmed


@dataclass(frozen=True)
class Violation:
    code: str
    label: str
    confidence: str
    coe: str
    cpj: str
    mapping_confidence: str


@dataclass(frozen=True)
class MediaVersion:
    from_year: int
    source: str
    coe_categories: dict[str, str]
    cpj_datasets: dict[str, str]
    violations: dict[str, Violation]


def _labels(raw: object, where: str) -> dict[str, str]:
    if not isinstance(raw, list) or not raw:
        raise CodeListError(f"{where}: a non-empty list")
    found = {}
    for item in raw:
        if not isinstance(item, dict) or item.get("confidence") not in CONFIDENCE:
            raise CodeListError(f"{where}: each entry has code, label and a confidence label")
        found[str(item["code"])] = str(item["label"])
    return found


def parse(text: str, name: str = "media-freedom-codes.yaml") -> list[MediaVersion]:
    data = yaml.safe_load(text)
    if not isinstance(data, dict) or not isinstance(data.get("versions"), list):
        raise CodeListError(f"{name}: a `versions` list")
    versions = []
    for item in data["versions"]:
        year = item.get("from_year") if isinstance(item, dict) else None
        if not isinstance(year, int) or not item.get("source"):
            raise CodeListError(f"{name}: each version has `from_year` and `source`")
        where = f"{name} version {year}"
        coe = _labels(item.get("coe_categories"), f"{where} coe_categories")
        cpj = _labels(item.get("cpj_datasets"), f"{where} cpj_datasets")
        violations = {}
        for raw in item.get("violations") or []:
            code = str(raw.get("code", ""))
            if raw.get("coe") not in coe or raw.get("cpj", "") not in ("", *cpj):
                raise CodeListError(f"{where} {code}: maps to an unknown CoE or CPJ code")
            if raw.get("confidence") not in CONFIDENCE or \
                    raw.get("mapping_confidence") not in CONFIDENCE:
                raise CodeListError(f"{where} {code}: confidence labels are required")
            violations[code] = Violation(code, str(raw["label"]), raw["confidence"], raw["coe"],
                                         str(raw.get("cpj", "")), raw["mapping_confidence"])
        if not violations:
            raise CodeListError(f"{where}: no violation codes")
        versions.append(MediaVersion(year, str(item["source"]), coe, cpj, violations))
    return versions


@lru_cache(maxsize=4)
def load(path: Path | None = None) -> tuple[MediaVersion, ...]:
    path = path or DATA_DIR / "media-freedom-codes.yaml"
    return tuple(parse(path.read_text(encoding="utf-8"), path.name))


def version_for(year: int, versions: tuple[MediaVersion, ...] | None = None) -> MediaVersion:
    applicable = [v for v in (versions or load()) if v.from_year <= year]
    if not applicable:
        raise CodeListError(f"no media-freedom code list applies to {year}")
    return applicable[-1]


def coe_categories_of(year: int, violations: list[str]) -> list[str]:
    """The CoE categories an alert's violations fall under; CodeListError for unknown codes."""
    version = version_for(year)
    if not violations:
        raise CodeListError("violations: at least one")
    unknown = [v for v in violations if v not in version.violations]
    if unknown:
        raise CodeListError(f"violations: {', '.join(unknown)} not codes of {year}")
    return sorted({version.violations[v].coe for v in violations})
