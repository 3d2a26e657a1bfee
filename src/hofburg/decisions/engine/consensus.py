"""Consensus: a decision is adopted when no participating State objects.

Rules of Procedure (MC.DOC/1/06), II(A)2: "Consensus shall be understood to mean the absence of
any objection expressed by a participating State to the adoption of the decision in question."
It is not a vote: there is no abstention and no count of those present, and an absent
delegation does not block. Only participating States can object: Partners for Co-operation
attend the Permanent Council but take no part in its decisions (osce-organization.md §1.2), so
an objection from a Partner, or from a body that is not a State, does not count.

The two exceptions (Annex 2; data/decisions/mechanisms.yaml) set aside the objections of the
States concerned: consensus-minus-one, of the State in "clear, gross and uncorrected
violation" of its commitments (Prague 1992); consensus-minus-two, of the two States directed
to seek conciliation (Stockholm 1992). Which bases exist and how many objections each sets
aside is the data file's, passed in by the caller (`adoption_bases`): the engine reads no file
of its own here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

from hofburg.decisions.engine.rules import Mechanism

# The silence procedure (Annex 1(A) for the PC and FSC, 1(B) for the MC) is a way of adopting
# too, but not one a body chooses at a meeting: which bodies may use it is `bodies.yaml`'s, and
# a draft adopted by silence stores this basis. No State's objection is set aside.
SILENCE = "silence"


class Participant(NamedTuple):
    """Who speaks: a participating State (`participating=True`), or a Partner for Co-operation,
    an institution or the Secretariat (`participating=False`)."""

    code: str
    participating: bool


class ConcernedRefused(ValueError):
    """The States concerned do not fit the basis of adoption. `reason` is a stable code
    (`unknown_basis`, `wrong_count`, `named_twice`); the message says it in words."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


def adoption_bases(mechanisms: Iterable[Mechanism]) -> dict[str, int]:
    """The bases a body may adopt a decision on at a meeting, from the data file: each rule of
    kind `adoption` or `exception`, in the file's order, with how many States' objections it
    sets aside (`{"consensus": 0, "consensus_minus_one": 1, "consensus_minus_two": 2}`)."""
    return {m.code: m.objections_disregarded or 0 for m in mechanisms if m.adopts}


def may_object(p: Participant) -> bool:
    """Whether `p` can block consensus: only a participating State can (II(A)2)."""
    return p.participating


def consensus_reached(objections: Iterable[Participant]) -> bool:
    """True when no participating State among those who objected: II(A)2. A Partner's
    objection does not count."""
    return not any(may_object(p) for p in objections)


def check_concerned(basis: str, concerned: Sequence[str], bases: Mapping[str, int]
                    ) -> tuple[str, ...]:
    """The codes of the States `concerned` by an adoption on `basis`, checked against the rule:
    exactly as many as it sets objections aside (one for consensus-minus-one, two for
    consensus-minus-two, none for consensus and silence), each named once.

    `bases` is `adoption_bases(...)` of the data; `silence` is always known. Raises
    `ConcernedRefused` for an unknown basis or the wrong States."""
    if basis != SILENCE and basis not in bases:
        raise ConcernedRefused("unknown_basis",
                               f"{basis!r} is not one of {', '.join([*bases, SILENCE])}")
    wanted = 0 if basis == SILENCE else bases[basis]
    if len(set(concerned)) != len(concerned):
        raise ConcernedRefused("named_twice", f"{basis}: a State concerned is named twice")
    if len(concerned) != wanted:
        raise ConcernedRefused("wrong_count", f"{basis} concerns exactly {wanted} State(s), "
                                              f"not {len(concerned)}")
    return tuple(concerned)


def adoption_reached(basis: str, objections: Iterable[Participant], *,
                     bases: Mapping[str, int], concerned: Sequence[str] = ()) -> bool:
    """Whether a decision taken on `basis` passes despite `objections`.

    `consensus` and `silence`: no participating State objects. An exception
    (`consensus_minus_one`, `consensus_minus_two`): the objections of the States `concerned`
    (their codes, as many as the rule sets aside) are set aside, every other participating
    State's counts. `ConcernedRefused` (a ValueError) for an unknown basis or the wrong
    States concerned."""
    set_aside = set(check_concerned(basis, concerned, bases))
    return consensus_reached(p for p in objections if p.code not in set_aside)
