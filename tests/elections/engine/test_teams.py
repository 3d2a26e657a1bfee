"""Teams of two observers of one kind."""

import pytest

from hofburg.elections.engine.teams import TEAM_SIZE, TeamError, TeamStatus, check_observer


def test_a_team_is_complete_with_two_and_says_what_it_lacks() -> None:
    assert TEAM_SIZE == 2
    assert [(TeamStatus(n).complete, TeamStatus(n).missing, TeamStatus(n).extra)
            for n in range(4)] == [(False, 2, 0), (False, 1, 0), (True, 0, 0), (False, 0, 1)]


def test_a_team_takes_observers_of_its_kind_while_it_has_room() -> None:
    check_observer("sto", "sto", 0)
    check_observer("lto", "lto", 1)
    with pytest.raises(TeamError, match="its 2 observers already"):
        check_observer("sto", "sto", 2)


@pytest.mark.parametrize(("kind", "role"), [("sto", "lto"), ("lto", "sto"), ("sto", "core"),
                                            ("sto", "clerk")])
def test_a_team_refuses_anyone_else(kind: str, role: str) -> None:
    with pytest.raises(TeamError, match="takes"):
        check_observer(kind, role, 0)


def test_an_unknown_kind_of_team_is_refused() -> None:
    with pytest.raises(TeamError, match="No kind of team 'mobile'"):
        check_observer("mobile", "sto", 0)
