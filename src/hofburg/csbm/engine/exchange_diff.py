"""What changed between two versions of a State's annual exchange.

A correction is sent as a whole new version (10); a reader wants to know what it corrects.
Formations and units are matched by their designation, which is unique within an exchange:
a designation only in the newer version was added, one only in the older was removed, and
one in both is changed when any of its fields differs (each field with its old and new
value). Renaming a unit therefore reads as one removed and one added, which is what the two
versions say.

Pure: fields are compared as plain values, whatever they are; the caller decides which
fields a unit has (its holdings included) and how to show them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class UnitRecord:
    """A formation or unit of one version: its designation and the fields to compare."""

    designation: str
    fields: Mapping[str, object]


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: object
    new: object


@dataclass(frozen=True)
class UnitChange:
    designation: str
    changes: tuple[FieldChange, ...]


@dataclass(frozen=True)
class ExchangeDiff:
    """Units added, removed and changed from the older version to the newer, each list in
    the natural order of designations ("2. Brigade" before "10. Brigade")."""

    added: tuple[UnitRecord, ...]
    removed: tuple[UnitRecord, ...]
    changed: tuple[UnitChange, ...]
    unchanged: int

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def natural_key(text: str) -> tuple[tuple[int, object], ...]:
    """Sort key reading runs of digits as numbers: "2. Brigade" before "10. Brigade"."""
    return tuple((0, int(part)) if part.isdigit() else (1, part.casefold())
                 for part in re.split(r"(\d+)", text) if part)


def diff_fields(old: Mapping[str, object], new: Mapping[str, object]) -> tuple[FieldChange, ...]:
    """The fields whose values differ, a field missing on one side counting as None; in the
    order of `new`'s fields, then those only `old` has."""
    names = [*new, *(name for name in old if name not in new)]
    return tuple(FieldChange(name, old.get(name), new.get(name)) for name in names
                 if old.get(name) != new.get(name))


def diff_units(old: Iterable[UnitRecord], new: Iterable[UnitRecord]) -> ExchangeDiff:
    """What changed from the `old` version's units to the `new` version's."""
    before = {record.designation: record for record in old}
    after = {record.designation: record for record in new}

    def ordered(designations: Iterable[str]) -> list[str]:
        return sorted(designations, key=natural_key)

    changed = []
    unchanged = 0
    for designation in ordered(before.keys() & after.keys()):
        changes = diff_fields(before[designation].fields, after[designation].fields)
        if changes:
            changed.append(UnitChange(designation, changes))
        else:
            unchanged += 1
    return ExchangeDiff(
        added=tuple(after[d] for d in ordered(after.keys() - before.keys())),
        removed=tuple(before[d] for d in ordered(before.keys() - after.keys())),
        changed=tuple(changed),
        unchanged=unchanged,
    )
