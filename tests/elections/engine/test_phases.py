"""A mission's phases: forward, one at a time, never back."""

import pytest

from hofburg.elections.engine.phases import ORDER, PhaseError, check_move, next_phase


def test_the_phases_follow_the_odihr_mission() -> None:
    assert [p.value for p in ORDER] == ["needs_assessment", "deployment", "election_day",
                                        "post_election"]
    assert next_phase("election_day") == "post_election"
    assert next_phase("post_election") is None


def test_a_mission_moves_to_the_next_phase() -> None:
    assert check_move("needs_assessment", "deployment") == "deployment"
    assert check_move("deployment", "election_day") == "election_day"


@pytest.mark.parametrize(("current", "wanted", "says"), [
    ("deployment", "deployment", "already"),
    ("election_day", "deployment", "does not go back"),
    ("needs_assessment", "election_day", "moves to deployment first"),
    ("post_election", "needs_assessment", "last one"),
])
def test_any_other_move_is_refused(current: str, wanted: str, says: str) -> None:
    with pytest.raises(PhaseError, match=says) as refused:
        check_move(current, wanted)
    assert not refused.value.unknown


def test_an_unknown_phase_is_named_as_such() -> None:
    with pytest.raises(PhaseError, match="No phase 'tabulation'") as refused:
        check_move("election_day", "tabulation")
    assert refused.value.unknown
