"""Consensus is the absence of objection by a participating State (II(A)2); its exceptions
(Annex 2) set aside the objections of as many States concerned as the data file says."""

from __future__ import annotations

import pytest

from hofburg.decisions.engine.consensus import (
    ConcernedRefused,
    Participant,
    adoption_bases,
    adoption_reached,
    check_concerned,
    consensus_reached,
    may_object,
)
from hofburg.decisions.engine.rules import Mechanism, load_mechanisms

BASES = adoption_bases(load_mechanisms().values())

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


def test_the_adoption_bases_come_from_the_data_file() -> None:
    # The invoked-alone mechanisms (Moscow, Vienna, ...) adopt nothing and are not bases.
    assert BASES == {"consensus": 0, "consensus_minus_one": 1, "consensus_minus_two": 2}


def test_a_basis_the_data_adds_is_known_to_the_engine_without_a_code_change() -> None:
    extra = Mechanism(code="consensus_minus_three", kind="exception", name="Hypothetical",
                      basis="a test", basis_confidence="unconfirmed", who_may_invoke="a test",
                      confidence="unconfirmed", source="a test", objections_disregarded=2)
    bases = adoption_bases([*load_mechanisms().values(), extra])
    assert bases["consensus_minus_three"] == 2
    assert adoption_reached("consensus_minus_three", [STATE_A, STATE_B], bases=bases,
                            concerned=["XA", "XB"])


def test_consensus_minus_one_sets_aside_the_objection_of_the_state_concerned() -> None:
    assert adoption_reached("consensus_minus_one", [STATE_A], bases=BASES, concerned=["XA"])
    assert not adoption_reached("consensus_minus_one", [STATE_A, STATE_B], bases=BASES,
                                concerned=["XA"])


def test_consensus_minus_two_sets_aside_the_objections_of_the_two_states_in_dispute() -> None:
    assert adoption_reached("consensus_minus_two", [STATE_A, STATE_B], bases=BASES,
                            concerned=["XA", "XB"])
    assert not adoption_reached(
        "consensus_minus_two", [STATE_A, STATE_C], bases=BASES, concerned=["XA", "XB"])


@pytest.mark.parametrize("basis", ["consensus", "silence"])
def test_consensus_and_silence_set_nothing_aside(basis: str) -> None:
    assert adoption_reached(basis, [PARTNER], bases=BASES)
    assert not adoption_reached(basis, [STATE_A], bases=BASES)


def test_the_states_concerned_are_given_back_in_their_order() -> None:
    assert check_concerned("consensus_minus_two", ["XB", "XA"], BASES) == ("XB", "XA")
    assert check_concerned("consensus", [], BASES) == ()


@pytest.mark.parametrize(("basis", "concerned", "reason"), [
    ("consensus", ["XA"], "wrong_count"),
    ("silence", ["XA"], "wrong_count"),
    ("consensus_minus_one", [], "wrong_count"),
    ("consensus_minus_one", ["XA", "XB"], "wrong_count"),
    ("consensus_minus_two", ["XA"], "wrong_count"),
    ("consensus_minus_two", ["XA", "XA"], "named_twice"),
    ("majority", [], "unknown_basis"),
    ("moscow", [], "unknown_basis"),  # a mechanism invoked alone is no way of adopting
])
def test_a_basis_with_the_wrong_states_concerned_is_an_error(
    basis: str, concerned: list[str], reason: str
) -> None:
    with pytest.raises(ConcernedRefused, match=basis) as refused:
        adoption_reached(basis, [], bases=BASES, concerned=concerned)
    assert refused.value.reason == reason
    assert isinstance(refused.value, ValueError)
