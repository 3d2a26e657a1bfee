"""The mechanisms a State or a group of States can set in motion alone, checked against the data
file the caller passes in."""

from __future__ import annotations

import pytest

from hofburg.decisions.engine.invocations import (
    InvocationRefused,
    check_invocation,
    invoked_alone,
)
from hofburg.decisions.engine.rules import load_mechanisms

MECHANISMS = load_mechanisms()


def test_the_mechanisms_invoked_alone_are_the_data_files() -> None:
    assert list(invoked_alone(MECHANISMS.values())) == [
        "vienna_human_dimension", "moscow", "berlin_emergency", "vd_chapter_iii", "valletta"]


def test_one_state_or_a_group_may_invoke_a_mechanism_alone() -> None:
    assert check_invocation("moscow", ["XA"], MECHANISMS, most=60).name == "Moscow Mechanism"
    found = check_invocation("vienna_human_dimension", ["XA", "XB", "XC"], MECHANISMS, most=60)
    assert found.code == "vienna_human_dimension"


@pytest.mark.parametrize(("mechanism", "states", "reason", "field"), [
    ("majority_vote", ["XA"], "unknown_mechanism", "mechanism"),
    ("consensus_minus_one", ["XA"], "not_invoked_alone", "mechanism"),
    ("consensus", ["XA"], "not_invoked_alone", "mechanism"),
    ("moscow", [], "no_state", "states"),
    ("moscow", ["XA", "XB", "XC"], "too_many_states", "states"),
    ("valletta", ["XA", "XA"], "named_twice", "states"),
])
def test_what_the_rules_refuse(mechanism: str, states: list[str], reason: str,
                               field: str) -> None:
    with pytest.raises(InvocationRefused) as refused:
        check_invocation(mechanism, states, MECHANISMS, most=2)
    assert (refused.value.reason, refused.value.field) == (reason, field)


def test_an_exception_to_consensus_is_pointed_to_the_adoption() -> None:
    with pytest.raises(InvocationRefused, match="record it as the basis of the decision"):
        check_invocation("consensus_minus_two", ["XA", "XB"], MECHANISMS, most=60)


def test_an_unknown_code_is_answered_with_the_codes_the_data_knows() -> None:
    with pytest.raises(InvocationRefused, match="vienna_human_dimension, moscow, "
                                                "berlin_emergency, vd_chapter_iii, valletta"):
        check_invocation("helsinki", ["XA"], MECHANISMS, most=60)
