"""Demo data of the decisions desk: a few real, sourced records, an EXERCISE cycle and two
EXERCISE invocations of mechanisms by the exercise delegations."""

from __future__ import annotations

from hofburg.core.demo import DemoError, register_loader
from hofburg.core.errors import ServiceError


def register() -> None:
    register_loader("decisions", load_decisions_demo)


def load_decisions_demo() -> None:
    """Each part adds its records; every part is idempotent. The real records name the
    delegations `hofburg init` creates from the registry: without them they wait for it."""
    from hofburg.core.models import Affiliation
    from hofburg.decisions import reference
    from hofburg.decisions.demo import cycle, invocations, rounds

    try:
        if Affiliation.objects.filter(code__startswith="delegation-").exists():
            reference.load_records()
        cycle.load()
        invocations.load()
    except ServiceError as exc:
        raise DemoError(f"decisions: {exc}") from exc
    rounds.load()
