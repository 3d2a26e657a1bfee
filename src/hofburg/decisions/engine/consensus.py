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
to seek conciliation (Stockholm 1992).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import NamedTuple

# The ways a decision may be adopted; `silence` is Annex 1(A) (PC, FSC) and 1(B) (MC).
ADOPTION_BASES = ("consensus", "consensus_minus_one", "consensus_minus_two", "silence")

# How many States' objections each exception sets aside.
_CONCERNED = {"consensus_minus_one": 1, "consensus_minus_two": 2}


class Participant(NamedTuple):
    """Who speaks: a participating State (`participating=True`), or a Partner for Co-operation,
    an institution or the Secretariat (`participating=False`)."""

    code: str
    participating: bool


def may_object(p: Participant) -> bool:
    """Whether `p` can block consensus: only a participating State can (II(A)2)."""
    return p.participating


def consensus_reached(objections: Iterable[Participant]) -> bool:
    """True when no participating State among those who objected: II(A)2. A Partner's
    objection does not count."""
    return not any(may_object(p) for p in objections)


def adoption_reached(
    basis: str, objections: Iterable[Participant], *, concerned: Collection[str] = ()
) -> bool:
    """Whether a decision taken on `basis` passes despite `objections`.

    `consensus` and `silence`: no participating State objects. `consensus_minus_one` and
    `consensus_minus_two`: the objections of the States `concerned` (their codes: exactly one,
    or exactly two) are set aside, every other participating State's counts. ValueError for an
    unknown basis or the wrong number of States concerned.
    """
    if basis not in ADOPTION_BASES:
        raise ValueError(f"{basis!r} is not one of {', '.join(ADOPTION_BASES)}")
    wanted = _CONCERNED.get(basis, 0)
    if len(set(concerned)) != wanted or len(concerned) != wanted:
        raise ValueError(f"{basis} concerns exactly {wanted} State(s), not {len(concerned)}")
    return consensus_reached(p for p in objections if p.code not in concerned)
