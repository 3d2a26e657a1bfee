"""The tolerance mandates of the Chairperson-in-Office's three Personal Representatives, read
from `data/cases/tolerance-mandates.yaml` with their source and confidence label: the tags an
analyst puts on incidents and statements. Nothing here derives a mandate from a bias
motivation (decision 0056)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from hofburg.cases.engine.codelists import CodeVersion, parse, pick
from hofburg.cases.engine.codes import DATA_DIR

LISTS = ("mandates",)


@lru_cache(maxsize=4)
def load(path: Path | None = None) -> tuple[CodeVersion, ...]:
    path = path or DATA_DIR / "tolerance-mandates.yaml"
    return tuple(parse(path.read_text(encoding="utf-8"), path.name, LISTS))


def version(name: str | None = None) -> CodeVersion:
    return pick(load(), name)


def codes() -> list[str]:
    """The mandate codes of the current version, in the file's order."""
    return list(version().codes("mandates"))


def check_mandates(values: list[str]) -> list[str]:
    """The distinct mandate codes of `values`, in the file's order; CodeListError naming any
    other."""
    return version().check_all("mandates", values)
