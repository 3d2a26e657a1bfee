"""Chapter IX quotas: the evaluation quota of (109), inspections, and the bookkeeping."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hofburg.csbm.engine.quotas import (
    Visit,
    VisitKind,
    check_declared_evaluation_quota,
    evaluation_board,
    evaluation_quota,
    evaluation_same_state_cap,
    inspection_board,
    inspection_quota,
    inspection_same_state_cap,
    obliged_to_accept,
)
from hofburg.csbm.engine.rulesets import NotDefinedError, Ruleset
from hofburg.csbm.engine.terms import VisitOutcome
from tests.csbm.engine.support import ALL

YEAR = 2026


def evaluation(by: str, day: int, unit: str | None = None, **details: Any) -> Visit:
    return Visit(kind=VisitKind.EVALUATION, receiving_state="AT", inspecting_state=by,
                 on=date(YEAR, 1, 1) + timedelta(days=day), unit=unit, **details)


def inspection(by: str, day: int, **details: Any) -> Visit:
    return Visit(kind=VisitKind.INSPECTION, receiving_state="AT", inspecting_state=by,
                 on=date(YEAR, 1, 1) + timedelta(days=day), **details)


@pytest.mark.parametrize(("units", "quota"), [
    (0, 0), (1, 1), (59, 1), (60, 1), (61, 2), (120, 2), (121, 3), (899, 15), (900, 15),
    (901, 15), (5000, 15)])
def test_109_one_visit_for_every_sixty_units_or_portion_thereof_at_most_fifteen(
        vd2011: Ruleset, units: int, quota: int) -> None:
    assert evaluation_quota(units, vd2011) == quota


@pytest.mark.parametrize(("quota", "cap"), [
    (0, 0), (1, 1), (4, 1), (5, 1), (9, 1), (10, 2), (14, 2), (15, 3)])
def test_109_not_more_than_one_fifth_from_one_state_and_one_below_five(
        vd2011: Ruleset, quota: int, cap: int) -> None:
    assert evaluation_same_state_cap(quota, vd2011) == cap


def test_109_a_unit_is_visited_at_most_twice_and_once_by_the_same_state(vd2011: Ruleset) -> None:
    board = evaluation_board("AT", YEAR, 900, [evaluation("FI", 10, "1st Brigade")], vd2011)
    again = obliged_to_accept(board, "FI", date(YEAR, 3, 1), vd2011, unit="1st Brigade")
    assert not again.obliged
    assert "(109)" in {c.paragraph for c in again.citations}
    assert obliged_to_accept(board, "CH", date(YEAR, 3, 1), vd2011, unit="1st Brigade").obliged
    board = evaluation_board("AT", YEAR, 900, [
        evaluation("FI", 10, "1st Brigade"), evaluation("CH", 20, "1st Brigade")], vd2011)
    third = obliged_to_accept(board, "MT", date(YEAR, 3, 1), vd2011, unit="1st Brigade")
    assert not third.obliged
    assert "visited 2 times" in third.reasons[0]


def test_109_1_a_filled_quota_says_so(vd2011: Ruleset) -> None:
    visits = [evaluation("FI", 1), evaluation("CH", 2)]
    board = evaluation_board("AT", YEAR, 120, visits, vd2011)
    assert (board.quota, board.used, board.remaining, board.filled) == (2, 2, 0, True)
    refusal = obliged_to_accept(board, "MT", date(YEAR, 6, 1), vd2011)
    assert not refusal.obliged
    assert "filled" in refusal.reasons[0]


def test_109_the_same_state_cap_binds_before_the_quota(vd2011: Ruleset) -> None:
    board = evaluation_board("AT", YEAR, 600, [evaluation("FI", 1)], vd2011)
    assert (board.quota, board.same_state_cap) == (10, 2)
    assert board.remaining_for("FI") == 1
    board = evaluation_board("AT", YEAR, 600, [evaluation("FI", 1), evaluation("FI", 5)], vd2011)
    assert board.remaining_for("FI") == 0
    assert not obliged_to_accept(board, "FI", date(YEAR, 6, 1), vd2011).obliged
    assert obliged_to_accept(board, "CH", date(YEAR, 6, 1), vd2011).obliged


def test_110_no_more_than_one_evaluation_visit_at_a_time(vd2011: Ruleset) -> None:
    board = evaluation_board("AT", YEAR, 900, [evaluation("FI", 10)], vd2011)
    same_day = obliged_to_accept(board, "CH", date(YEAR, 1, 11), vd2011)
    assert not same_day.obliged
    assert [c.paragraph for c in same_day.citations] == ["(110)"]


def test_108_1_a_visit_to_a_temporarily_activated_unit_counts(vd2011: Ruleset) -> None:
    board = evaluation_board("AT", YEAR, 60, [evaluation("FI", 1, temporarily_activated=True)],
                             vd2011)
    assert board.used == 1


def test_a_visit_declined_because_the_unit_is_away_does_not_count(vd2011: Ruleset) -> None:
    declined = evaluation("FI", 1, outcome=VisitOutcome.DECLINED_UNIT_AWAY)
    board = evaluation_board("AT", YEAR, 60, [declined], vd2011)
    assert (board.used, board.remaining, board.not_counted) == (0, 1, (declined,))


def test_76_an_inspection_prevented_by_force_majeure_does_not_count(vd2011: Ruleset) -> None:
    prevented = inspection("FI", 1, outcome=VisitOutcome.FORCE_MAJEURE)
    board = inspection_board("AT", YEAR, [prevented, inspection("CH", 30)], vd2011)
    assert (board.quota, board.used, board.remaining) == (3, 1, 2)
    assert board.remaining_for("FI") == 1


def test_an_evaluation_prevented_by_force_majeure_counts_where_the_text_says_nothing(
        vd2011: Ruleset) -> None:
    prevented = evaluation("FI", 1, outcome=VisitOutcome.FORCE_MAJEURE)
    assert evaluation_board("AT", YEAR, 60, [prevented], vd2011).used == 1


def test_three_inspections_a_year_and_one_from_each_state(vd2011: Ruleset) -> None:
    assert (inspection_quota(vd2011), inspection_same_state_cap(vd2011)) == (3, 1)
    board = inspection_board("AT", YEAR, [inspection("FI", 1)], vd2011)
    assert not obliged_to_accept(board, "FI", date(YEAR, 5, 1), vd2011).obliged
    assert obliged_to_accept(board, "CH", date(YEAR, 5, 1), vd2011).obliged
    full = inspection_board("AT", YEAR, [inspection(s, d) for s, d in
                                          (("FI", 1), ("CH", 2), ("MT", 3))], vd2011)
    assert full.filled
    assert not obliged_to_accept(full, "SE", date(YEAR, 5, 1), vd2011).obliged


def test_other_years_kinds_and_states_are_not_on_the_board(vd2011: Ruleset) -> None:
    visits = [
        inspection("FI", 1),
        Visit(kind=VisitKind.INSPECTION, receiving_state="AT", inspecting_state="CH",
              on=date(YEAR - 1, 12, 31)),
        Visit(kind=VisitKind.INSPECTION, receiving_state="FI", inspecting_state="AT",
              on=date(YEAR, 2, 1)),
        evaluation("MT", 3),
    ]
    assert inspection_board("AT", YEAR, visits, vd2011).used == 1


def test_10_1_1_the_declared_quota_is_checked_against_109(vd2011: Ruleset) -> None:
    assert check_declared_evaluation_quota(121, 3, vd2011).matches
    wrong = check_declared_evaluation_quota(121, 2, vd2011)
    assert not wrong.matches and wrong.computed == 3
    assert wrong.citations[0].paragraph == "(10.1.1)"


def test_a_proposal_without_a_quota_figure_says_it_is_not_defined(joint_2019: Ruleset) -> None:
    with pytest.raises(NotDefinedError, match=r"evaluation\.units_per_visit is not defined"):
        evaluation_quota(100, joint_2019)
    with pytest.raises(NotDefinedError, match=r"inspection\.max_per_year is not defined"):
        inspection_board("AT", YEAR, [], joint_2019)


def test_a_state_cannot_visit_itself() -> None:
    with pytest.raises(ValueError, match="itself"):
        inspection("AT", 1)


# -- boundaries generated from every ruleset -------------------------------------------------

def _evaluation_rulesets() -> list[Any]:
    return [pytest.param(r, id=r.id) for r in ALL
            if r.count("evaluation.units_per_visit").value is not None
            and r.count("evaluation.max_per_year").value is not None]


@pytest.mark.parametrize("ruleset", _evaluation_rulesets())
def test_every_quota_step_one_below_at_and_one_above(ruleset: Ruleset) -> None:
    per = ruleset.count("evaluation.units_per_visit").value
    most = ruleset.count("evaluation.max_per_year").value
    assert per is not None and most is not None
    for k in range(1, most + 1):
        assert evaluation_quota(k * per - 1, ruleset) == k
        assert evaluation_quota(k * per, ruleset) == k
        assert evaluation_quota(k * per + 1, ruleset) == min(k + 1, most)


@pytest.mark.parametrize("ruleset", _evaluation_rulesets())
def test_every_small_quota_limit_one_below_at_and_one_above(ruleset: Ruleset) -> None:
    below = ruleset.count("evaluation.small_quota_below").value
    small = ruleset.count("evaluation.small_quota_same_state_max").value
    share = ruleset.count("evaluation.same_state_share_denominator").value
    assert below is not None and small is not None and share is not None
    assert evaluation_same_state_cap(below - 1, ruleset) == small
    assert evaluation_same_state_cap(below, ruleset) == below // share
    assert evaluation_same_state_cap(below + 1, ruleset) == (below + 1) // share


@pytest.mark.parametrize("ruleset", [pytest.param(r, id=r.id) for r in ALL
                                     if r.count("inspection.max_per_year").value is not None])
def test_every_inspection_quota_one_below_at_and_one_above(ruleset: Ruleset) -> None:
    quota = inspection_quota(ruleset)
    states = [f"S{n}" for n in range(quota + 1)]
    for used in (quota - 1, quota, quota + 1):
        board = inspection_board("AT", YEAR, [inspection(s, n) for n, s in
                                              enumerate(states[:used])], ruleset)
        assert board.filled is (used >= quota)
        assert board.remaining == max(0, quota - used)


# -- properties ------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(units=st.integers(0, 100000), more=st.integers(0, 1000),
       ruleset=st.sampled_from([p.values[0] for p in _evaluation_rulesets()]))
def test_the_quota_never_exceeds_the_cap_and_never_falls_as_units_grow(
        units: int, more: int, ruleset: Ruleset) -> None:
    quota = evaluation_quota(units, ruleset)
    assert 0 <= quota <= ruleset.required(ruleset.count("evaluation.max_per_year"))
    assert evaluation_quota(units + more, ruleset) >= quota
    cap = evaluation_same_state_cap(quota, ruleset)
    assert cap <= quota
    assert (cap >= 1) is (quota >= 1)


@settings(max_examples=200, deadline=None)
@given(units=st.integers(0, 1200),
       requests=st.lists(st.tuples(st.sampled_from(["FI", "CH", "MT", "SE"]),
                                   st.integers(0, 364), st.sampled_from(["u1", "u2", "u3"])),
                         max_size=40),
       ruleset=st.sampled_from([p.values[0] for p in _evaluation_rulesets()]))
def test_accepting_only_what_is_obliged_keeps_every_cap(
        units: int, requests: list[tuple[str, int, str]], ruleset: Ruleset) -> None:
    accepted: list[Visit] = []
    for state, day, unit in requests:
        board = evaluation_board("AT", YEAR, units, accepted, ruleset)
        if obliged_to_accept(board, state, date(YEAR, 1, 1) + timedelta(days=day), ruleset,
                             unit=unit).obliged:
            accepted.append(evaluation(state, day, unit))
    board = evaluation_board("AT", YEAR, units, accepted, ruleset)
    assert board.used <= board.quota
    assert board.remaining >= 0
    for state in ("FI", "CH", "MT", "SE"):
        assert board.used_by(state) <= board.same_state_cap
        assert 0 <= board.remaining_for(state) <= board.remaining
    days = [v.on for v in accepted]
    assert len(days) == len(set(days))  # (110): one at a time
