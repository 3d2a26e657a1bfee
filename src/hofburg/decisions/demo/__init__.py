"""Demo data of the decisions desk: a few real, sourced records and an EXERCISE cycle."""

from __future__ import annotations

from hofburg.core.demo import register_loader
from hofburg.decisions.demo import rounds


def register() -> None:
    register_loader("decisions", load_decisions_demo)


def load_decisions_demo() -> None:
    """Each part adds its records; every part is idempotent."""
    rounds.load()
