"""The code lists of HCNM situations (escalation levels, observation levels, indicators), read
from `data/cases/hcnm-codes.yaml`, and the rule of the current escalation: the latest
assessment, never a stored field."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from hofburg.cases.engine.codelists import CodeVersion, parse, pick
from hofburg.cases.engine.codes import DATA_DIR

LISTS = ("escalation_levels", "observation_levels", "indicators")


@lru_cache(maxsize=4)
def load(path: Path | None = None) -> tuple[CodeVersion, ...]:
    path = path or DATA_DIR / "hcnm-codes.yaml"
    return tuple(parse(path.read_text(encoding="utf-8"), path.name, LISTS))


def version(name: str | None = None) -> CodeVersion:
    return pick(load(), name)


def current_level(assessments: Sequence[tuple[datetime, int, str]]) -> str | None:
    """The level of the latest of (assessed at, sequence, level): the history is kept, the
    last assessment holds; two made in the same instant are told apart by their sequence."""
    if not assessments:
        return None
    return max(assessments, key=lambda item: (item[0], item[1]))[2]
