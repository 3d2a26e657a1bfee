"""What changed between two versions of an exchange: units matched by designation, added,
removed, and changed field by field."""

from __future__ import annotations

from hofburg.csbm.engine.exchange_diff import (
    FieldChange,
    UnitRecord,
    diff_fields,
    diff_units,
    natural_key,
)


def unit(designation: str, **fields: object) -> UnitRecord:
    return UnitRecord(designation, {"level": "unit", "personnel": 3000, **fields})


def test_units_only_in_the_newer_version_are_added_and_only_in_the_older_removed() -> None:
    diff = diff_units([unit("1. Brigade"), unit("2. Brigade")],
                      [unit("2. Brigade"), unit("3. Brigade")])
    assert [u.designation for u in diff.added] == ["3. Brigade"]
    assert [u.designation for u in diff.removed] == ["1. Brigade"]
    assert diff.changed == () and diff.unchanged == 1


def test_a_changed_unit_names_each_field_with_its_old_and_new_value() -> None:
    diff = diff_units([unit("1. Brigade", personnel=3000, subordinate_to="1. Division")],
                      [unit("1. Brigade", personnel=3200, subordinate_to="2. Division")])
    (change,) = diff.changed
    assert change.designation == "1. Brigade"
    assert change.changes == (FieldChange("personnel", 3000, 3200),
                              FieldChange("subordinate_to", "1. Division", "2. Division"))
    assert not diff.is_empty


def test_a_field_on_one_side_only_counts_as_none_on_the_other() -> None:
    assert diff_fields({"holding:acvs:": 50}, {"holding:battle_tanks:": 40}) == (
        FieldChange("holding:battle_tanks:", None, 40), FieldChange("holding:acvs:", 50, None))


def test_the_same_units_in_another_order_are_no_change() -> None:
    units = [unit("1. Brigade"), unit("2. Brigade", latitude=48.2)]
    diff = diff_units(units, list(reversed(units)))
    assert diff.is_empty and diff.unchanged == 2


def test_a_renamed_unit_reads_as_one_removed_and_one_added() -> None:
    diff = diff_units([unit("1. Brigade")], [unit("1st Brigade")])
    assert ([u.designation for u in diff.removed], [u.designation for u in diff.added]) == (
        ["1. Brigade"], ["1st Brigade"])


def test_lists_follow_the_natural_order_of_designations() -> None:
    diff = diff_units([], [unit("10. Brigade"), unit("2. Brigade"), unit("b Wing"),
                           unit("A Wing")])
    assert [u.designation for u in diff.added] == ["2. Brigade", "10. Brigade", "A Wing",
                                                   "b Wing"]
    assert natural_key("2. Brigade") < natural_key("10. Brigade")
