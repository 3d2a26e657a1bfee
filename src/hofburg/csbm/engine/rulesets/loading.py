"""Reading ruleset files: YAML to the models of `models.py`, then `extends:` resolved.

A malformed file raises `RulesetError` naming the file and the field, in the file's own terms
(`notification.lead_time_days.confidence`), whichever check found it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from hofburg.csbm.engine.rulesets.models import Header, Rule, RulesetFile
from hofburg.csbm.engine.rulesets.schema import SCHEMA
from hofburg.csbm.engine.rulesets.values import Provision, Ruleset
from hofburg.csbm.engine.terms import Status

# libyaml's parser where PyYAML was built with it (ten times faster), Python's otherwise.
try:
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover (PyYAML without libyaml)
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]


class RulesetError(ValueError):
    """A ruleset file is malformed; names the file and, where there is one, the field."""

    def __init__(self, path: Path | str, field: str | None, message: str) -> None:
        self.path = Path(path)
        self.field = field
        self.message = message
        where = f"{self.path.name}: {field}" if field else self.path.name
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class _File:
    """One ruleset file, checked on its own (before `extends:` is resolved)."""

    path: Path
    header: Header
    provisions: dict[str, Provision[Any]]

    @property
    def id(self) -> str:
        return self.header.id


def load_ruleset(path: Path | str) -> Ruleset:
    """Load one ruleset file; a ruleset it extends is read from the same directory."""
    path = Path(path)
    directory = path.parent
    read: dict[str, _File] = {}

    def lookup(ruleset_id: str, wanted_by: _File) -> _File:
        if ruleset_id not in read:
            candidates = [directory / f"{ruleset_id}.yaml", directory / f"{ruleset_id}.yml"]
            found = next((c for c in candidates if c.is_file()), None)
            if found is None:
                raise RulesetError(
                    wanted_by.path, "extends", f"no ruleset {ruleset_id!r} in {directory}")
            read[ruleset_id] = _read_file(found)
        return read[ruleset_id]

    top = _read_file(path)
    read[top.id] = top
    return _resolve(top, lookup)


def load_rulesets(directory: Path | str) -> dict[str, Ruleset]:
    """Load every *.yaml / *.yml ruleset in `directory`, keyed and sorted by id."""
    directory = Path(directory)
    if not directory.is_dir():
        raise RulesetError(directory, None, "is not a directory")
    files: dict[str, _File] = {}
    for path in sorted([*directory.glob("*.yaml"), *directory.glob("*.yml")]):
        one = _read_file(path)
        if one.id in files:
            other = files[one.id].path.name
            raise RulesetError(path, "id", f"{one.id!r} is also the id of {other}")
        files[one.id] = one

    def lookup(ruleset_id: str, wanted_by: _File) -> _File:
        if ruleset_id not in files:
            raise RulesetError(
                wanted_by.path, "extends", f"no ruleset {ruleset_id!r} in {directory}")
        return files[ruleset_id]

    return {ruleset_id: _resolve(files[ruleset_id], lookup) for ruleset_id in sorted(files)}


# -- extends: across files -----------------------------------------------------------------


def _resolve(top: _File, lookup: Callable[[str, _File], _File]) -> Ruleset:
    chain = [top]
    while chain[-1].header.extends is not None:
        base = lookup(chain[-1].header.extends, chain[-1])
        if base in chain:
            names = " -> ".join(f.id for f in [*chain, base])
            raise RulesetError(chain[-1].path, "extends", f"extends itself: {names}")
        if chain[-1].header.status is Status.AGREED and base.header.status is Status.PROPOSAL:
            raise RulesetError(
                chain[-1].path, "extends",
                f"an agreed ruleset cannot extend the proposal {base.id!r}")
        chain.append(base)
    sources: dict[str, str] = {}
    provisions: dict[str, Provision[Any]] = {}
    for one in reversed(chain):  # the base first, so that each file overrides what it extends
        sources.update(one.header.sources)
        provisions.update(one.provisions)
    files = {one.id: one for one in chain}
    for provision in provisions.values():
        for source in provision.sources:
            if source not in sources:
                raise RulesetError(
                    files[provision.ruleset_id].path, f"{provision.key}.sources",
                    f"{source!r} is not listed under 'sources'")
    header = top.header
    return Ruleset(
        id=header.id,
        title=header.title,
        status=header.status,
        path=top.path,
        provisions=MappingProxyType({key: provisions[key] for key in SCHEMA if key in provisions}),
        sources=MappingProxyType(sources),
        extends=header.extends,
        document=header.document,
        note=header.note or "",
        names=MappingProxyType(dict(header.names)),
    )


# -- one file ------------------------------------------------------------------------------


def _read_file(path: Path) -> _File:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise RulesetError(path, None, f"cannot be read: {error.strerror}") from error
    try:
        data = yaml.load(text, Loader=_SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise RulesetError(path, None, f"is not valid YAML{where}") from error
    if not isinstance(data, dict):
        raise RulesetError(path, None, "must be a mapping of fields")
    try:
        model = RulesetFile.model_validate(data, context={"stem": path.stem})
    except ValidationError as error:
        raise _error(path, error.errors()[0]) from None
    provisions: dict[str, Provision[Any]] = {}
    for key in SCHEMA:
        rule = _rule_at(model, key)
        if rule is not None:
            provisions[key] = Provision(
                key=key,
                value=rule.value,
                paragraph=rule.paragraph,
                paragraph_confidence=rule.paragraph_confidence,
                confidence=rule.confidence,
                sources=tuple(rule.sources),
                note=rule.note,
                reported_range=rule.range,
                ruleset_id=model.id,
            )
    return _File(path=path, header=model, provisions=provisions)


def _rule_at(model: Header, key: str) -> Rule | None:
    node: object = model
    for part in key.split("."):
        node = getattr(node, part, None)
        if node is None:
            return None
    return node if isinstance(node, Rule) else None


def _error(path: Path, detail: ErrorDetails) -> RulesetError:
    """pydantic's error in the file's terms: the dotted field and a message."""
    context = detail.get("ctx", {})
    parts = [str(part) for part in (*detail["loc"], *context.get("at", ()))]
    field = ".".join(parts) or None
    parent = ".".join(parts[:-1])
    if "message" in context:
        return RulesetError(path, field, str(context["message"]))
    if detail["type"] == "missing":
        required = {"value": "is required (null when not defined)", "paragraph": (
            "is required (paragraph may be null)"), "confidence": "is required"}
        message = required.get(parts[-1], "is required") if parent in SCHEMA else "is required"
    elif detail["type"] == "extra_forbidden":
        message = (
            "is not a ruleset field or section" if not parent
            else "is not a provision field" if parent in SCHEMA
            else "is not a known provision"
        )
    elif detail["type"] in ("model_type", "model_attributes_type", "dict_type"):
        message = (
            "must be a mapping with value, paragraph and confidence" if field in SCHEMA
            else "must be a mapping"
        )
    else:
        message = detail["msg"]
    return RulesetError(path, field, message)
