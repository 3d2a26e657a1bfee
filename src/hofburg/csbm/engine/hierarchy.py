"""The command organization of an annual exchange (10.1) as a tree, with counts per node.

An exchange gives "the designation and subordination of all formations and units at each
level of command down to and including brigade/regiment or equivalent level" (10.1): each
formation or unit names the one it is subordinate to. `build_hierarchy` turns that into a
tree (commands, formations, units: as many levels as the exchange holds) and counts, for
each node, the formations and units below it, the personnel and the holdings of its whole
branch. `walk` lays the tree out as a flat sequence of steps a page renders in one loop.

Pure: no Django. Iterative throughout, so a long chain of subordination (an upload may hold
20,000 rows) cannot exhaust the interpreter's stack.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True)
class Unit:
    """A formation or unit as the tree needs it. `parent` is the key of the formation it is
    subordinate to; `personnel` and `holdings` (items) are its own, not its branch's."""

    key: int
    parent: int | None
    is_formation: bool
    personnel: int = 0
    holdings: int = 0


@dataclass(frozen=True)
class Node:
    """A formation or unit in the tree, with the totals of its branch (itself included for
    personnel and holdings; the formations and units counted are those below it)."""

    unit: Unit
    depth: int
    children: tuple[Node, ...]
    formations: int
    units: int
    personnel: int
    holdings: int

    @property
    def key(self) -> int:
        return self.unit.key


def build_hierarchy(units: Sequence[Unit]) -> tuple[Node, ...]:
    """The exchange's top-level formations and units, each with its branch, in the order the
    exchange gives them.

    A unit whose `parent` is not in the exchange stands at the top. The services refuse a
    subordination that goes round in a circle; should one be stored all the same, its
    members are placed at the top where the circle is first met, so none is lost.
    """
    keys = {unit.key for unit in units}
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        parent = unit.parent if unit.parent in keys and unit.parent != unit.key else None
        children.setdefault(parent, []).append(unit)
    placed: set[int] = set()
    roots: list[Node] = []
    for unit in [*children.get(None, ()), *units]:
        if unit.key not in placed:
            roots.append(_branch(unit, children, placed))
    return tuple(roots)


def _branch(top: Unit, children: dict[int | None, list[Unit]], placed: set[int]) -> Node:
    """`top` and everything below it not yet placed, built bottom-up without recursion."""
    order: list[tuple[Unit, int]] = []  # (unit, depth) in pre-order
    stack = [(top, 0)]
    placed.add(top.key)
    while stack:
        unit, depth = stack.pop()
        order.append((unit, depth))
        below = [child for child in children.get(unit.key, ()) if child.key not in placed]
        placed.update(child.key for child in below)
        stack.extend((child, depth + 1) for child in reversed(below))
    built: dict[int, Node] = {}
    kids: dict[int, list[Node]] = {}
    parent_in_branch = {unit.key: unit.parent for unit, _depth in order}
    for unit, depth in reversed(order):  # every child is built before its parent
        built_below = tuple(reversed(kids.pop(unit.key, [])))
        node = Node(
            unit=unit, depth=depth, children=built_below,
            formations=sum(c.formations + c.unit.is_formation for c in built_below),
            units=sum(c.units + (not c.unit.is_formation) for c in built_below),
            personnel=unit.personnel + sum(c.personnel for c in built_below),
            holdings=unit.holdings + sum(c.holdings for c in built_below))
        built[unit.key] = node
        parent = parent_in_branch[unit.key]
        if unit is not top and parent is not None:
            kids.setdefault(parent, []).append(node)
    return built[top.key]


def ancestors(units: Sequence[Unit], key: int) -> set[int]:
    """The keys of the formations `key` is subordinate to, at every level (empty for a
    unit at the top or a key not in the exchange)."""
    parent_of = {unit.key: unit.parent for unit in units}
    found: set[int] = set()
    current = parent_of.get(key)
    while current is not None and current in parent_of and current not in found:
        found.add(current)
        current = parent_of[current]
    return found


class StepKind(StrEnum):
    OPEN = "open"    # a node with a branch: its line, then its children
    LEAF = "leaf"    # a node without one
    CLOSE = "close"  # the end of a branch opened before


@dataclass(frozen=True)
class Step:
    kind: StepKind
    node: Node
    expanded: bool = False


def walk(roots: Sequence[Node], expanded: Collection[int] = (), *,
         expand_all: bool = False) -> Iterator[Step]:
    """The tree in reading order: an OPEN step for each node with children (followed by its
    branch and a CLOSE step), a LEAF step for each node without. A branch is `expanded`
    when its key is in `expanded` or `expand_all` is set; by default all are collapsed."""
    stack: list[tuple[Node, bool]] = [(root, False) for root in reversed(roots)]
    while stack:
        node, closing = stack.pop()
        if closing:
            yield Step(StepKind.CLOSE, node)
        elif not node.children:
            yield Step(StepKind.LEAF, node)
        else:
            yield Step(StepKind.OPEN, node, expand_all or node.key in expanded)
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(node.children))
