"""Named code lists in versions, read from the YAML files of `data/cases/`: each version has a
name and a source, each list its codes with a label and a confidence label. The protection
cases (`protection.py`) and the HCNM situations (`situations.py`) keep their codes this way."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from hofburg.cases.engine.codes import CONFIDENCE, CodeListError


@dataclass(frozen=True)
class ListedCode:
    code: str
    label: str
    confidence: str
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class CodeVersion:
    version: str
    source: str
    lists: dict[str, dict[str, ListedCode]]

    def codes(self, name: str) -> dict[str, ListedCode]:
        return self.lists[name]

    def check(self, name: str, value: str) -> str:
        """`value` if it is a code of list `name`, else CodeListError naming the list."""
        if value not in self.lists[name]:
            raise CodeListError(f"{name}: {value!r} is not a code of version {self.version}")
        return value

    def check_all(self, name: str, values: list[str]) -> list[str]:
        """The distinct codes of `values`, in the list's order; CodeListError for any other."""
        unknown = [v for v in values if v not in self.lists[name]]
        if unknown:
            raise CodeListError(f"{name}: {', '.join(unknown)} not codes of version "
                                f"{self.version}")
        return [c for c in self.lists[name] if c in values]


def _list(raw: object, where: str) -> dict[str, ListedCode]:
    if not isinstance(raw, list) or not raw:
        raise CodeListError(f"{where}: a non-empty list of codes")
    found: dict[str, ListedCode] = {}
    for item in raw:
        if not isinstance(item, dict) or not item.get("code") or not item.get("label"):
            raise CodeListError(f"{where}: each code has `code` and `label`")
        code = str(item["code"])
        if item.get("confidence") not in CONFIDENCE:
            raise CodeListError(f"{where} {code}: confidence is one of {', '.join(CONFIDENCE)}")
        if code in found:
            raise CodeListError(f"{where} {code}: listed twice")
        extra = {str(k): str(v) for k, v in item.items()
                 if k not in ("code", "label", "confidence")}
        found[code] = ListedCode(code, str(item["label"]), str(item["confidence"]), extra)
    return found


def parse(text: str, name: str, required: tuple[str, ...]) -> list[CodeVersion]:
    """The versions of a code file; CodeListError naming the file, version and code."""
    data: Any = yaml.safe_load(text)
    if not isinstance(data, dict) or not isinstance(data.get("versions"), list) or \
            not data["versions"]:
        raise CodeListError(f"{name}: a `versions` list")
    versions: list[CodeVersion] = []
    for item in data["versions"]:
        if not isinstance(item, dict) or not item.get("version") or not item.get("source"):
            raise CodeListError(f"{name}: each version has `version` and `source`")
        label = str(item["version"])
        if any(v.version == label for v in versions):
            raise CodeListError(f"{name}: version {label} listed twice")
        where = f"{name} version {label}"
        lists = {key: _list(item.get(key), f"{where} {key}") for key in required}
        versions.append(CodeVersion(label, str(item["source"]), lists))
    return versions


def pick(versions: tuple[CodeVersion, ...], version: str | None) -> CodeVersion:
    """The named version, or the last one for None."""
    if version is None:
        return versions[-1]
    for candidate in versions:
        if candidate.version == version:
            return candidate
    raise CodeListError(f"no code list version {version!r}")
