"""The mechanisms of `mechanisms.yaml` as the desk uses them, read once per process from the
deployment's reference data (`settings.REFERENCE_DATA_DIR`) and validated by the engine's
pydantic model (`engine.rules.load_mechanisms`): a malformed file stops the desk with an error
naming the file, the row and the field, never a half-read list.

`adoption_bases()` are the ways a body adopts at a meeting (consensus and its exceptions), in
the adoption forms of the page and the API; `invocable()` the mechanisms States invoke alone.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.conf import settings

from hofburg.decisions.engine import consensus, invocations, rules


@cache
def all_mechanisms() -> dict[str, rules.Mechanism]:
    """Every row of the data file by code, in its order."""
    return rules.load_mechanisms(
        Path(settings.REFERENCE_DATA_DIR) / "decisions" / "mechanisms.yaml")


def adoption_bases() -> dict[str, int]:
    """`{"consensus": 0, "consensus_minus_one": 1, ...}`: each basis of adoption at a meeting
    and how many States' objections it sets aside."""
    return consensus.adoption_bases(all_mechanisms().values())


def invocable() -> dict[str, rules.Mechanism]:
    """The mechanisms of kind `invoked_alone`, by code."""
    return invocations.invoked_alone(all_mechanisms().values())


def name_of(code: str) -> str:
    """The mechanism's name as the data gives it (`Consensus-minus-one`); the code itself for
    one the data does not list (`silence`, a code a deployment removed)."""
    found = all_mechanisms().get(code)
    return found.name if found is not None else code
