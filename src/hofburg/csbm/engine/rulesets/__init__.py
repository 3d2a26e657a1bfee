"""Rulesets: every threshold, time limit, quota and cap of one version of the rules, as data.

A ruleset is a YAML file (format in data/csbm/README.md). Each value is a *provision* that
carries the paragraph it comes from and how far value and paragraph number have been checked.
A ruleset may `extends:` another one and restate only what it changes. A malformed file raises
`RulesetError` naming the file and the field.

Where to read what:
- `schema.py`: every provision a ruleset may state (`SCHEMA`) and the kind of its value;
- `values.py`: `Ruleset`, `Provision`, `Citation`: what the engine asks a ruleset;
- `models.py`: the pydantic models a file is validated with;
- `loading.py`: reading files and resolving `extends:`.
"""

from hofburg.csbm.engine.rulesets.loading import RulesetError, load_ruleset, load_rulesets
from hofburg.csbm.engine.rulesets.schema import SCHEMA, Kind
from hofburg.csbm.engine.rulesets.values import (
    Citation,
    Difference,
    NotDefinedError,
    Provision,
    Ruleset,
    differences,
)

__all__ = [
    "SCHEMA", "Citation", "Difference", "Kind", "NotDefinedError", "Provision", "Ruleset",
    "RulesetError", "differences", "load_ruleset", "load_rulesets",
]
