"""The States a record of the mechanisms names: who invoked a mechanism, whose objection an
exception to consensus set aside.

A real record names participating States of the registry by their ISO alpha-2 code (`AT`),
never a Partner for Co-operation (Partners take no part in decisions, II(A)2, and invoke no
mechanism). An exercise record names exercise delegations by their affiliation code
(`exercise-north`), which stand for participating States in the exercise (decision 0033), and
never a real State: an exercise is not attributed to one. `resolve` turns codes into those
rows in three queries whatever their number, and refuses with `Invalid` naming the field and
the code it does not accept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from hofburg.core.errors import Invalid
from hofburg.core.models import Affiliation
from hofburg.registry.models import ParticipatingState, Partner

MAX_CODE_LENGTH = 64  # an affiliation's code (core.Affiliation.code); an ISO code has 2


@dataclass(frozen=True)
class Party:
    """A participating State (real records) or an exercise delegation (exercise records)."""

    state: ParticipatingState | None = None
    delegation: Affiliation | None = None

    @property
    def code(self) -> str:
        if self.state is not None:
            return self.state.iso2
        return self.delegation.code if self.delegation is not None else ""

    @property
    def name(self) -> str:
        if self.state is not None:
            return self.state.name
        return self.delegation.name if self.delegation is not None else ""


def normalised(codes: Sequence[str], *, is_exercise: bool) -> list[str]:
    """The codes as stored: trimmed, an ISO code in capitals (`at` is `AT`)."""
    cleaned = [code.strip() if isinstance(code, str) else "" for code in codes]
    return cleaned if is_exercise else [code.upper() for code in cleaned]


def resolve(codes: Sequence[str], *, is_exercise: bool, field: str) -> list[Party]:
    """The States `codes` name, in the order given; `Invalid` on `field` for a code that is not
    a participating State of the registry (real records) or an exercise delegation (exercise
    records)."""
    codes = normalised(codes, is_exercise=is_exercise)
    for code in codes:
        if not code or len(code) > MAX_CODE_LENGTH:
            raise Invalid("Name each State by its code (an ISO code such as AT; an exercise "
                          "delegation's code in exercise records).", field=field)
    if is_exercise:
        return _exercise_delegations(codes, field)
    return _participating_states(codes, field)


def _exercise_delegations(codes: list[str], field: str) -> list[Party]:
    found = {a.code: a for a in Affiliation.objects.filter(
        code__in=codes, kind=Affiliation.Kind.DELEGATION, is_exercise=True)}
    for code in codes:
        if code not in found:
            raise Invalid(f"{code!r} is not an exercise delegation: an exercise record names "
                          "exercise delegations only, never a real State.", field=field)
    return [Party(delegation=found[code]) for code in codes]


def _participating_states(codes: list[str], field: str) -> list[Party]:
    found = {s.iso2: s for s in ParticipatingState.objects.filter(iso2__in=codes)}
    partners = {p.iso2: p for p in Partner.objects.filter(iso2__in=codes)}
    for code in codes:
        if code in found:
            continue
        if code in partners:
            raise Invalid(f"{partners[code].name} is a Partner for Co-operation, not a "
                          "participating State: Partners take no part in decisions and invoke "
                          "no mechanism.", field=field)
        raise Invalid(f"{code[:MAX_CODE_LENGTH]!r} is not a participating State in the "
                      "registry.", field=field)
    return [Party(state=found[code]) for code in codes]


def choices(*, is_exercise: bool) -> list[tuple[str, str]]:
    """(code, name) of every State a record of that kind may name, by name: the registry's
    participating States, or the exercise delegations."""
    if is_exercise:
        delegations = Affiliation.objects.filter(kind=Affiliation.Kind.DELEGATION,
                                                 is_exercise=True)
        return sorted(((a.code, a.name) for a in delegations), key=lambda pair: pair[1])
    return sorted(((s.iso2, s.name) for s in ParticipatingState.objects.all()),
                  key=lambda pair: pair[1])


def own_code(affiliation: Affiliation | None) -> str:
    """The code of the State a delegation stands for: its ISO code, or an exercise delegation's
    own code; "" for any other affiliation or none."""
    if affiliation is None or affiliation.kind != Affiliation.Kind.DELEGATION:
        return ""
    return affiliation.code if affiliation.is_exercise else affiliation.state_iso2.upper()
