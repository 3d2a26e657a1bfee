"""The public table of protection cases, without a database: strata below k are left out,
small counts are suppressed with a second cell where a line's total would give one back, a
suppressed count never names its value, and only whitelisted fields are counted."""

from __future__ import annotations

import itertools

import pytest

from hofburg.cases.engine import fields
from hofburg.cases.engine.protection_publication import (
    COLUMNS,
    DIMENSIONS,
    NOT_RECORDED,
    SUPPRESSED,
    CountedCase,
    age_band,
    protection_table,
    published_dimensions,
)


def _cases(count: int, **values: object) -> list[CountedCase]:
    base: dict[str, object] = {"year": 2024, "concern": "trafficking", "country": "XE"}
    return [CountedCase(**(base | values)) for _ in range(count)]  # type: ignore[arg-type]


def _line(rows: list[list[object]], dimension: str, country: str = "XE") -> dict[object, object]:
    return {r[4]: r[5] for r in rows if r[3] == dimension and r[2] == country}


def test_a_stratum_below_k_is_left_out_whole() -> None:
    assert protection_table(2024, _cases(10, gender="feminine", age=19), k=11) == []
    assert protection_table(2024, _cases(1), k=11) == []


def test_a_stratum_of_k_cases_is_broken_down_by_every_whitelisted_dimension() -> None:
    cases = _cases(11, gender="feminine", age=19, citizenship=("XE",),
                   exploitation_types=("forced_labour",))
    rows = protection_table(2024, cases, k=11)
    assert rows[0] == [2024, "trafficking", "XE", "cases", "all", 11, False]
    assert {r[3] for r in rows[1:]} == {"gender", "age_band", "citizenship",
                                        "exploitation_type"}
    assert _line(rows, "gender") == {"feminine": 11}
    assert _line(rows, "age_band") == {"18-24": 11}
    assert all(len(r) == len(COLUMNS) for r in rows)


def test_a_lone_small_cell_takes_the_next_smallest_with_it() -> None:
    cases = (_cases(14, gender="feminine") + _cases(3, gender="masculine")
             + _cases(20, gender="not_specified"))
    rows = protection_table(2024, cases, k=11)
    assert rows[0][5] == 37
    # masculine (3) is below k; the total minus the others would give it back, so feminine
    # (14, the next smallest) goes too; the largest stays. The suppressed values are one row
    # that names neither.
    assert _line(rows, "gender") == {"not_specified": 20, SUPPRESSED: SUPPRESSED}
    assert [r[4] for r in rows if r[3] == "gender"] == ["not_specified", SUPPRESSED]


def test_two_small_cells_need_no_second_suppression() -> None:
    cases = (_cases(4, gender="feminine") + _cases(3, gender="masculine")
             + _cases(20, gender="not_specified"))
    rows = protection_table(2024, cases, k=11)
    assert _line(rows, "gender") == {"not_specified": 20, SUPPRESSED: SUPPRESSED}


def test_a_suppressed_count_never_names_its_value() -> None:
    """A row naming a value with its count withheld would still publish that a case of that
    value exists: the values below k are not listed, one row says that some were withheld."""
    cases = (_cases(20, gender="feminine", citizenship=("XE",))
             + _cases(1, gender="masculine", citizenship=("XE", "XF"))
             + _cases(1, gender="not_specified", citizenship=("XE", "XG")))
    rows = protection_table(2024, cases, k=11)
    values = {r[4] for r in rows}
    assert not values & {"masculine", "not_specified", "XF", "XG"}
    assert _line(rows, "gender") == {"feminine": 20, SUPPRESSED: SUPPRESSED}
    assert _line(rows, "citizenship") == {"XE": 22, SUPPRESSED: SUPPRESSED}
    assert rows.count([2024, "trafficking", "XE", "gender", SUPPRESSED, SUPPRESSED, False]) == 1


@pytest.mark.parametrize("k", [1, 5, 11, 15])
def test_no_suppressed_cell_can_be_worked_back_from_its_line_total(k: int) -> None:
    """Every single-valued line adds up to its shown total: it must hold no suppressed cell or
    at least two, and every shown count is at least k."""
    genders = ("feminine", "masculine", "not_specified", "")
    for counts in itertools.product((0, 1, 3, 10, 11, 12, 25), repeat=len(genders)):
        cases = [c for g, n in zip(genders, counts, strict=True) for c in _cases(n, gender=g)]
        rows = protection_table(2024, cases, k=k)
        if not rows:
            assert len(cases) < k
            continue
        assert rows[0][5] == len(cases) >= k
        line = _line(rows, "gender")
        present = {g or NOT_RECORDED for g, n in zip(genders, counts, strict=True) if n}
        # Every value named has its count, at least k; those withheld are one unnamed row,
        # and never a single value (the total minus the others would give it back).
        assert all(isinstance(n, int) and n >= k for v, n in line.items() if v != SUPPRESSED)
        withheld = present - set(line)
        assert (SUPPRESSED in line) == bool(withheld) and len(withheld) != 1, (counts, line)
        shown = sum(n for n in line.values() if n != SUPPRESSED)
        assert isinstance(rows[0][5], int) and shown <= rows[0][5]


def test_cases_without_a_value_are_counted_as_not_recorded() -> None:
    cases = _cases(12, gender="feminine") + _cases(12)
    rows = protection_table(2024, cases, k=11)
    assert _line(rows, "gender") == {"feminine": 12, NOT_RECORDED: 12}
    assert _line(rows, "age_band") == {NOT_RECORDED: 24}
    assert sum(_line(rows, "gender").values()) == rows[0][5]  # type: ignore[arg-type]


def test_several_values_of_a_case_each_count_once() -> None:
    cases = _cases(12, exploitation_types=("forced_labour", "sexual_exploitation",
                                           "forced_labour"))
    rows = protection_table(2024, cases, k=11)
    assert _line(rows, "exploitation_type") == {"forced_labour": 12, "sexual_exploitation": 12}


def test_strata_are_kept_apart_and_no_total_adds_them_up() -> None:
    cases = (_cases(12, gender="feminine") + _cases(5, country="XF")
             + _cases(12, concern="roma_sinti") + _cases(30, year=2023))
    rows = protection_table(2024, cases, k=11)
    totals = [(r[1], r[2], r[5]) for r in rows if r[3] == "cases"]
    assert totals == [("roma_sinti", "XE", 12), ("trafficking", "XE", 12)]
    assert not any(r[0] != 2024 for r in rows)


def test_every_row_of_an_exercise_table_is_marked() -> None:
    rows = protection_table(2024, _cases(12, gender="feminine"), k=11, exercise=True)
    assert rows and all(r[-1] is True for r in rows)


def test_age_bands_put_children_apart() -> None:
    assert [age_band(a) for a in (None, 0, 17, 18, 24, 25, 44, 45, 90)] == [
        NOT_RECORDED, "0-17", "0-17", "18-24", "18-24", "25-34", "35-44", "45+", "45+"]


def test_k_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        protection_table(2024, [], k=0)


def test_only_whitelisted_fields_are_counted(monkeypatch: pytest.MonkeyPatch) -> None:
    assert set(DIMENSIONS.values()) <= set(fields.countable_fields("protection"))
    monkeypatch.setitem(fields.COUNTABLE, "protection",
                        ("opened_on", "concern", "country", "gender"))
    assert published_dimensions() == ["gender"]
    rows = protection_table(2024, _cases(12, gender="feminine", age=30), k=11)
    assert {r[3] for r in rows} == {"cases", "gender"}


def test_the_whitelist_names_declared_fields_and_never_a_vault_field(
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert fields.countable_fields("situation") == ()
    monkeypatch.setitem(fields.COUNTABLE, "protection", ("name",))
    with pytest.raises(fields.UnknownField, match="vault"):
        fields.countable_fields("protection")
    monkeypatch.setitem(fields.COUNTABLE, "protection", ("shoe_size",))
    with pytest.raises(fields.UnknownField):
        fields.countable_fields("protection")
