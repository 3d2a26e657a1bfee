import pytest

from hofburg.elections.engine.sample import allocate, draw


def test_proportional_allocation_with_a_minimum() -> None:
    sizes = {"North": 600, "South": 300, "Islands": 20}
    assert allocate(sizes, 92) == {"North": 60, "South": 30, "Islands": 2}
    with_floor = allocate(sizes, 92, minimum=5)
    assert with_floor["Islands"] == 5
    assert sum(with_floor.values()) == 92
    assert with_floor["North"] > with_floor["South"] > 5


def test_minimum_capped_at_a_small_stratum_and_impossible_requests_refused() -> None:
    assert allocate({"a": 100, "b": 2}, 20, minimum=5)["b"] == 2
    with pytest.raises(ValueError, match="more than the sample size"):
        allocate({"a": 10, "b": 10, "c": 10}, 5, minimum=2)
    with pytest.raises(ValueError, match="exceeds"):
        allocate({"a": 3}, 4)


def test_draw_is_reproducible_whatever_the_row_order() -> None:
    frame = [(f"P{i:03}", "N" if i % 3 else "S") for i in range(90)]
    first = draw(frame, 30, minimum=3, seed=7)
    again = draw(list(reversed(frame)), 30, minimum=3, seed=7)
    other = draw(frame, 30, minimum=3, seed=8)
    assert first == again
    assert first != other
    assert len(first) == 30 == len(set(first))
    assert sum(1 for _, h in first if h == "S") == 10  # 30 of 90 stations are in S
