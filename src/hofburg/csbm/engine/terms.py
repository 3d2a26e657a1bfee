"""The vocabulary shared by ruleset files and the engine: labels, operators, measures, outcomes."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Confidence(StrEnum):
    """How far a value or a paragraph number has been checked (the domain reference's labels)."""

    CONFIRMED = "confirmed"
    # Wording seen in the VD1994 or VD1999 text and understood to carry into VD11 unchanged.
    CONFIRMED_PRIOR_TEXT = "confirmed-prior-text"
    SECONDARY = "secondary"
    UNCONFIRMED = "unconfirmed"
    DISPUTED = "disputed"


class Status(StrEnum):
    """Whether a ruleset is agreed text or a proposal that was never adopted."""

    AGREED = "agreed"
    PROPOSAL = "proposal"


class Operator(StrEnum):
    """How a count is compared with a threshold.

    Chapters V and VI say "at least" / "meets or exceeds"; Chapter VIII says "more than".
    """

    AT_LEAST = "at_least"
    MORE_THAN = "more_than"

    def holds(self, count: int, threshold: int) -> bool:
        if self is Operator.AT_LEAST:
            return count >= threshold
        return count > threshold

    @property
    def words(self) -> str:
        return "at least" if self is Operator.AT_LEAST else "more than"


class Category(StrEnum):
    """The kinds of notifiable activity of Chapter V, each with its own thresholds."""

    LAND_FORCES = "land_forces"  # (40.1) land forces exercise
    LANDING = "landing"  # (40.2) amphibious landing, heliborne landing or parachute assault
    TRANSFER = "transfer"  # (40.3) arrival from outside the zone, or concentration inside it
    AIR = "air"  # air activities on their own; VD1999 and VD2011 set no threshold for them


class Measure(StrEnum):
    """A peak number of an activity that a threshold can be set on."""

    TROOPS = "troops"
    BATTLE_TANKS = "battle_tanks"
    ACVS = "acvs"  # armoured combat vehicles
    ARTILLERY = "artillery"  # artillery pieces, mortars and MRLs of 100 mm calibre and above
    # (40.2.1) counts each landing on its own: an amphibious landing, and a parachute drop or
    # heliborne landing, each against its own figure; the two are never added together.
    AMPHIBIOUS_TROOPS = "amphibious_troops"  # troops in an amphibious landing
    AIRBORNE_TROOPS = "airborne_troops"  # troops in a parachute drop or heliborne landing
    SORTIES = "sorties"  # aircraft sorties, helicopters excluded

    @property
    def words(self) -> str:
        return _MEASURE_WORDS[self]


_MEASURE_WORDS = {
    Measure.TROOPS: "troops",
    Measure.BATTLE_TANKS: "battle tanks",
    Measure.ACVS: "armoured combat vehicles",
    Measure.ARTILLERY: "artillery pieces, mortars and MRLs of 100 mm and above",
    Measure.AMPHIBIOUS_TROOPS: "troops in the amphibious landing",
    Measure.AIRBORNE_TROOPS: "troops in the parachute drop or heliborne landing",
    Measure.SORTIES: "aircraft sorties (helicopters excluded)",
}


class VisitOutcome(StrEnum):
    """What became of an inspection or an evaluation visit."""

    CONDUCTED = "conducted"
    FORCE_MAJEURE = "force_majeure"  # prevented by force majeure
    DECLINED_UNIT_AWAY = "declined_unit_away"  # unit away from its peacetime location


_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}


@dataclass(frozen=True, order=True)
class MonthDay:
    """A day that recurs every year, such as "15 December"."""

    month: int
    day: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"month {self.month} is not between 1 and 12")
        # 29 February is refused: a yearly deadline must exist in every year.
        if not 1 <= self.day <= calendar.monthrange(2001, self.month)[1]:
            raise ValueError(f"day {self.day} does not exist in {calendar.month_name[self.month]}")

    @classmethod
    def parse(cls, text: str) -> MonthDay:
        """Read "15 December" (day, then the English month name)."""
        parts = text.split()
        if len(parts) != 2 or not parts[0].isdigit() or parts[1].lower() not in _MONTHS:
            raise ValueError(f"{text!r} is not a day and a month such as '15 December'")
        return cls(month=_MONTHS[parts[1].lower()], day=int(parts[0]))

    def in_year(self, year: int) -> date:
        return date(year, self.month, self.day)

    def __str__(self) -> str:
        return f"{self.day} {calendar.month_name[self.month]}"
