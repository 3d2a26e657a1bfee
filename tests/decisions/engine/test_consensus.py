"""Consensus is the absence of objection by a participating State (II(A)2)."""

from __future__ import annotations

import pytest

from hofburg.decisions.engine.consensus import (
    ADOPTION_BASES,
    Participant,
    adoption_reached,
    consensus_reached,
    may_object,
)

STATE_A = Participant("XA", participating=True)
STATE_B = Participant("XB", participating=True)
STATE_C = Participant("XC", participating=True)
PARTNER = Participant("XP", participating=False)
SECRETARIAT = Participant("SEC", participating=False)


def test_only_a_participating_state_may_object() -> None:
    assert may_object(STATE_A)
    assert not may_object(PARTNER)
    assert not may_object(SECRETARIAT)


def test_no_objection_is_consensus() -> None:
    assert consensus_reached([])


def test_one_states_objection_blocks_consensus() -> None:
    assert not consensus_reached([STATE_A])
    assert not consensus_reached(iter([PARTNER, STATE_B]))


def test_a_partners_objection_does_not_count() -> None:
    assert consensus_reached([PARTNER, SECRETARIAT])


def test_the_adoption_bases() -> None:
    assert ADOPTION_BASES == (
        "consensus", "consensus_minus_one", "consensus_minus_two", "silence")


def test_consensus_minus_one_sets_aside_the_objection_of_the_state_concerned() -> None:
    assert adoption_reached("consensus_minus_one", [STATE_A], concerned=["XA"])
    assert not adoption_reached("consensus_minus_one", [STATE_A, STATE_B], concerned=["XA"])


def test_consensus_minus_two_sets_aside_the_objections_of_the_two_states_in_dispute() -> None:
    assert adoption_reached("consensus_minus_two", [STATE_A, STATE_B], concerned=["XA", "XB"])
    assert not adoption_reached(
        "consensus_minus_two", [STATE_A, STATE_C], concerned=["XA", "XB"])


@pytest.mark.parametrize("basis", ["consensus", "silence"])
def test_consensus_and_silence_set_nothing_aside(basis: str) -> None:
    assert adoption_reached(basis, [PARTNER])
    assert not adoption_reached(basis, [STATE_A])


@pytest.mark.parametrize(("basis", "concerned"), [
    ("consensus", ["XA"]),
    ("consensus_minus_one", []),
    ("consensus_minus_one", ["XA", "XB"]),
    ("consensus_minus_two", ["XA"]),
    ("consensus_minus_two", ["XA", "XA"]),
    ("majority", []),
])
def test_a_basis_with_the_wrong_number_of_states_concerned_is_an_error(
    basis: str, concerned: list[str]
) -> None:
    with pytest.raises(ValueError, match=basis):
        adoption_reached(basis, [], concerned=concerned)
