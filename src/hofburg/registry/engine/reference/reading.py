"""Reading a reference data file's YAML text into plain mappings and lists."""

from __future__ import annotations

import re
from typing import Any

import yaml

from hofburg.registry.engine.reference.errors import ReferenceDataError

# libyaml's parser where PyYAML was built with it (ten times faster), Python's otherwise.
try:
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover (PyYAML without libyaml)
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]


class _ReferenceLoader(_SafeLoader):
    """YAML without two YAML 1.1 surprises: dates stay text, so a bad date is reported with its
    row and field rather than as a bare ValueError, and only true/false are booleans, so
    Norway's `NO` stays a country code."""


_ReferenceLoader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_ReferenceLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


def read_document(text: str, file: str) -> dict[str, Any]:
    """Parse one file's YAML text into a mapping; malformed YAML names the file and the line."""
    try:
        document = yaml.load(text, Loader=_ReferenceLoader)  # noqa: S506 (a SafeLoader subclass)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise ReferenceDataError(file, None, None, f"not valid YAML{line}: {problem}") from error
    if not isinstance(document, dict):
        raise ReferenceDataError(file, None, None, "the file must hold a mapping of top-level keys")
    return document
