"""The command organization of an exchange as a tree (10.1): branches, counts per node, the
reading order a page renders, and what happens with data the services would refuse."""

from __future__ import annotations

from hofburg.csbm.engine.hierarchy import (
    StepKind,
    Unit,
    ancestors,
    build_hierarchy,
    walk,
)

# A corps over two divisions; the first division has two brigades, the second one; an air
# wing at the top on its own.
CORPS, DIV1, DIV2, BDE1, BDE2, BDE3, WING = range(1, 8)
UNITS = [
    Unit(CORPS, None, True, personnel=400),
    Unit(DIV1, CORPS, True, personnel=1000),
    Unit(DIV2, CORPS, True, personnel=900),
    Unit(BDE1, DIV1, False, personnel=3000, holdings=40),
    Unit(BDE2, DIV1, False, personnel=2500, holdings=10),
    Unit(BDE3, DIV2, False, personnel=2000, holdings=5),
    Unit(WING, None, False, personnel=800, holdings=24),
]


def test_the_tree_keeps_the_subordination_and_the_exchange_s_order() -> None:
    corps, wing = build_hierarchy(UNITS)
    assert (corps.key, wing.key) == (CORPS, WING)
    assert [d.key for d in corps.children] == [DIV1, DIV2]
    assert [b.key for b in corps.children[0].children] == [BDE1, BDE2]
    assert [n.depth for n in (corps, corps.children[0], corps.children[0].children[0])] == [0, 1, 2]


def test_each_node_counts_its_branch() -> None:
    corps, wing = build_hierarchy(UNITS)
    assert (corps.formations, corps.units) == (2, 3)
    assert corps.personnel == 400 + 1000 + 900 + 3000 + 2500 + 2000
    assert corps.holdings == 40 + 10 + 5
    division = corps.children[0]
    assert (division.formations, division.units, division.personnel, division.holdings) == (
        0, 2, 6500, 50)
    assert (wing.formations, wing.units, wing.personnel, wing.holdings) == (0, 0, 800, 24)


def test_a_unit_whose_formation_is_not_in_the_exchange_stands_at_the_top() -> None:
    roots = build_hierarchy([Unit(1, 99, False), Unit(2, None, True), Unit(3, 3, False)])
    assert [r.key for r in roots] == [1, 2, 3]


def test_a_circle_of_subordination_loses_no_unit() -> None:
    roots = build_hierarchy([Unit(1, 2, True), Unit(2, 1, True), Unit(3, 1, False)])
    assert len(roots) == 1
    top = roots[0]
    assert top.key == 1 and top.formations + top.units == 2  # 2 and 3 below it


def test_a_long_chain_is_built_without_exhausting_the_stack() -> None:
    chain = [Unit(1, None, True), *(Unit(n, n - 1, True) for n in range(2, 20_001))]
    (top,) = build_hierarchy(chain)
    assert top.formations == 19_999
    assert sum(1 for _ in walk([top], expand_all=True)) == 19_999 * 2 + 1  # opens, closes, leaf


def test_the_walk_opens_and_closes_each_branch_around_its_children() -> None:
    steps = [(s.kind, s.node.key) for s in walk(build_hierarchy(UNITS))]
    assert steps == [
        (StepKind.OPEN, CORPS), (StepKind.OPEN, DIV1), (StepKind.LEAF, BDE1),
        (StepKind.LEAF, BDE2), (StepKind.CLOSE, DIV1), (StepKind.OPEN, DIV2),
        (StepKind.LEAF, BDE3), (StepKind.CLOSE, DIV2), (StepKind.CLOSE, CORPS),
        (StepKind.LEAF, WING)]


def test_branches_are_collapsed_unless_asked_for() -> None:
    roots = build_hierarchy(UNITS)
    opened = {s.node.key for s in walk(roots) if s.expanded}
    assert opened == set()
    assert {s.node.key for s in walk(roots, {CORPS}) if s.expanded} == {CORPS}
    assert {s.node.key for s in walk(roots, expand_all=True)
            if s.kind is StepKind.OPEN and s.expanded} == {CORPS, DIV1, DIV2}


def test_the_formations_above_a_unit_at_every_level() -> None:
    assert ancestors(UNITS, BDE3) == {DIV2, CORPS}
    assert ancestors(UNITS, WING) == set()
    assert ancestors(UNITS, 999) == set()
    assert ancestors([Unit(1, 2, True), Unit(2, 1, True)], 1) == {1, 2}  # a circle ends
