"""Chapter VIII constraining provisions over each participating State's notifiable activities.

Chapter VIII compares with "more than" (the `constraints.operator` provision). A band counts
troops *or* battle tanks. An activity is counted in the calendar year in which it starts.
The three-year limit is read as any three consecutive calendar years (a sliding window), which
the domain reference labels an interpretation.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from hofburg.csbm.engine.activities import Activity
from hofburg.csbm.engine.classify import classify, size_exceeds
from hofburg.csbm.engine.rulesets import Citation, Provision, Ruleset
from hofburg.csbm.engine.terms import Operator
from hofburg.notes import Note, gettext_noop


@dataclass(frozen=True)
class Breach:
    """A constraining provision that a State's activities do not keep.

    `rule` is one of: large_activities (67), medium_activities (68), medium_upper (68.1),
    simultaneous (69), advance_notice (70), calendar_inclusion (71); advisories use
    calendar_omission (72, with the calendar deadline of (61)) and sub_threshold_notification
    (VD Plus).
    """

    rule: str
    state: str
    paragraph: str | None
    activities: tuple[str, ...]
    period: str
    message: str
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class ConstraintReport:
    breaches: tuple[Breach, ...]
    advisories: tuple[Breach, ...]  # "should be as few as possible": reported, not a breach
    not_defined: tuple[str, ...]

    @property
    def kept(self) -> bool:
        return not self.breaches


class _Report:
    def __init__(self, ruleset: Ruleset) -> None:
        self.ruleset = ruleset
        self.breaches: list[Breach] = []
        self.advisories: list[Breach] = []
        self.not_defined: list[str] = []

    def note_missing(self, *provisions: Provision[Any]) -> None:
        """Record the provisions a rule needs that the ruleset does not define."""
        for provision in provisions:
            if provision.value is None:
                message = provision.not_defined_message(self.ruleset.id)
                if message not in self.not_defined:
                    self.not_defined.append(message)

    def add(self, rule: str, state: str, main: Provision[Any], activities: Iterable[Activity],
            period: str, message: str, *also: Provision[Any], advisory: bool = False) -> None:
        breach = Breach(
            rule=rule, state=state, paragraph=main.paragraph,
            activities=tuple(a.id for a in activities), period=period, message=message,
            citations=tuple(self.ruleset.cite(p) for p in (main, *also)),
        )
        (self.advisories if advisory else self.breaches).append(breach)


def check_constraints(activities: Iterable[Activity], ruleset: Ruleset, *,
                      as_of: date | None = None,
                      years: Iterable[int] | None = None) -> ConstraintReport:
    """Check each State's notifiable activities against Chapter VIII.

    Activities are grouped by `Activity.state`. With `as_of`, a requirement whose deadline
    is still to come is not reported yet; without it every planned activity is judged as
    recorded. `years` are the calendar years for the VD Plus sub-threshold check (default:
    the years in which the State has activities).
    """
    report = _Report(ruleset)
    by_state: dict[str, list[Activity]] = defaultdict(list)
    for activity in activities:
        by_state[activity.state].append(activity)
    wanted_years = sorted(set(years)) if years is not None else None
    for state in sorted(by_state):
        # Activities outside the zone of application are not subject to the constraints.
        answers = {a.id: classify(a, ruleset) for a in by_state[state]}
        own = sorted((a for a in by_state[state] if answers[a.id].subject),
                     key=lambda a: (a.start, a.id))
        notifiable = [a for a in own if answers[a.id].notifiable]
        _large_activities(state, notifiable, report)
        _medium_activities(state, notifiable, report)
        _simultaneous(state, notifiable, report)
        _advance_notice(state, notifiable, report, as_of)
        _calendar(state, notifiable, report, as_of)
        _sub_threshold(state, own, notifiable, report,
                       wanted_years or sorted({a.start.year for a in own}))
    return ConstraintReport(tuple(report.breaches), tuple(report.advisories),
                            tuple(report.not_defined))


def _band(activities: Sequence[Activity], ruleset: Ruleset, band: str) -> list[Activity]:
    return [a for a in activities if size_exceeds(a, ruleset, band)]


_BAND = {
    Operator.MORE_THAN: gettext_noop("more than {troops} troops or {tanks} battle tanks"),
    Operator.AT_LEAST: gettext_noop("at least {troops} troops or {tanks} battle tanks"),
    None: gettext_noop("above {troops} troops or {tanks} battle tanks"),
}


def _band_words(ruleset: Ruleset, band: str) -> Note:
    troops = ruleset.count(f"{band}.troops").value_text()
    tanks = ruleset.count(f"{band}.battle_tanks").value_text()
    operator = ruleset.operator("constraints.operator").value
    return Note(_BAND[operator], troops=troops, tanks=tanks)


def _joined(failures: list[Note]) -> Note:
    """Reasons joined by "; " (one or two of them)."""
    if len(failures) == 1:
        return failures[0]
    return Note(gettext_noop("{first}; {second}"), first=failures[0], second=failures[1])


def _maximal(groups: list[tuple[Activity, ...]]) -> list[tuple[Activity, ...]]:
    """Drop repeated groups and groups contained in a larger one, keeping their order."""
    kept: list[tuple[Activity, ...]] = []
    for group in groups:
        ids = {a.id for a in group}
        if any(ids <= {a.id for a in other} and len(other) > len(group) for other in groups):
            continue
        if any(ids == {a.id for a in other} for other in kept):
            continue
        kept.append(group)
    return kept


def _large_activities(state: str, notifiable: list[Activity], report: _Report) -> None:
    # (67): at most N activities above the large band within W calendar years.
    r = report.ruleset
    operator = r.operator("constraints.operator")
    troops, tanks = r.count("constraints.large.troops"), r.count("constraints.large.battle_tanks")
    most, window = r.count("constraints.large.max_activities"), r.count(
        "constraints.large.window_years")
    report.note_missing(operator, most, window)
    if troops.value is None and tanks.value is None:
        report.note_missing(troops, tanks)
        return
    if operator.value is None or most.value is None or window.value is None:
        return
    large = _band(notifiable, r, "constraints.large")
    if not large:
        return
    first_years = range(min(a.start.year for a in large) - window.value + 1,
                        max(a.start.year for a in large) + 1)
    groups = [
        tuple(a for a in large if first <= a.start.year < first + window.value)
        for first in first_years
    ]
    for group in _maximal([g for g in groups if len(g) > most.value]):
        first, last = group[0].start.year, group[-1].start.year
        period = str(first) if first == last else f"{first}-{last}"
        report.add(
            "large_activities", state, most, group, period,
            Note(gettext_noop("{count} notifiable activities {band} within {years} calendar "
                              "years ({period}); at most {most}"),
                 count=len(group), band=_band_words(r, "constraints.large"),
                 years=window.value, period=period, most=most.value),
            troops, tanks, window, operator)


def _medium_activities(state: str, notifiable: list[Activity], report: _Report) -> None:
    # (68): at most N per calendar year above the medium band and not above the large band;
    # (68.1): of those, at most M above the upper band.
    r = report.ruleset
    operator = r.operator("constraints.operator")
    most = r.count("constraints.medium.max_per_year")
    upper_most = r.count("constraints.medium_upper.max_per_year")
    report.note_missing(operator, most, upper_most)
    if operator.value is None or most.value is None:
        return
    large = {a.id for a in _band(notifiable, r, "constraints.large")}
    medium = [a for a in _band(notifiable, r, "constraints.medium") if a.id not in large]
    for year in sorted({a.start.year for a in medium}):
        in_year = [a for a in medium if a.start.year == year]
        if len(in_year) > most.value:
            report.add(
                "medium_activities", state, most, in_year, str(year),
                Note(gettext_noop("{count} notifiable activities {band} (and not {large}) in "
                                  "{year}; at most {most}"),
                     count=len(in_year), band=_band_words(r, "constraints.medium"),
                     large=_band_words(r, "constraints.large"), year=year, most=most.value),
                r.count("constraints.medium.troops"), r.count("constraints.medium.battle_tanks"))
        upper = _band(in_year, r, "constraints.medium_upper")
        if upper_most.value is not None and len(upper) > upper_most.value:
            report.add(
                "medium_upper", state, upper_most, upper, str(year),
                Note(gettext_noop("{count} of the year's activities are {band} in {year}; "
                                  "at most {most}"),
                     count=len(upper), band=_band_words(r, "constraints.medium_upper"),
                     year=year, most=upper_most.value),
                r.count("constraints.medium_upper.troops"),
                r.count("constraints.medium_upper.battle_tanks"))


def _simultaneous(state: str, notifiable: list[Activity], report: _Report) -> None:
    # (69): at most N activities above the band running at the same time.
    r = report.ruleset
    operator = r.operator("constraints.operator")
    most = r.count("constraints.simultaneous.max_at_once")
    report.note_missing(operator, most)
    if operator.value is None or most.value is None:
        return
    band = _band(notifiable, r, "constraints.simultaneous")
    # The largest overlaps of date ranges always begin on some activity's first day.
    groups = [tuple(a for a in band if a.start <= day <= a.end)
              for day in sorted({a.start for a in band})]
    for group in _maximal([g for g in groups if len(g) > most.value]):
        first, last = max(a.start for a in group), min(a.end for a in group)
        period = f"{first.isoformat()}/{last.isoformat()}"
        report.add(
            "simultaneous", state, most, group, period,
            Note(gettext_noop("{count} notifiable activities {band} run at the same time "
                              "({period}); at most {most}"),
                 count=len(group), band=_band_words(r, "constraints.simultaneous"),
                 period=period, most=most.value),
            r.count("constraints.simultaneous.troops"),
            r.count("constraints.simultaneous.battle_tanks"))


def _advance_notice(state: str, notifiable: list[Activity], report: _Report,
                    as_of: date | None) -> None:
    # (70) announce large activities by the deadline of the second year before;
    # (71) they may not be carried out unless announced so and in the annual calendar.
    r = report.ruleset
    large = _band(notifiable, r, "constraints.large")
    if not large:
        return
    deadline = r.month_day("constraints.advance_notice.deadline")
    years = r.count("constraints.advance_notice.years_ahead")
    calendar = r.month_day("constraints.calendar_inclusion.deadline")
    report.note_missing(deadline, years, calendar)
    for activity in large:
        failures = []
        if deadline.value is not None and years.value is not None:
            due = deadline.value.in_year(activity.start.year - years.value)
            late = activity.announced_on is None or activity.announced_on > due
            if late and (as_of is None or as_of > due):
                report.add(
                    "advance_notice", state, deadline, [activity], str(activity.start.year),
                    Note(gettext_noop("{activity} ({band}) was not announced by {day}"),
                         activity=activity.id, band=_band_words(r, "constraints.large"),
                         day=due), years)
                failures.append(Note(gettext_noop("not announced by {day}"), day=due))
        if calendar.value is not None:
            due = calendar.value.in_year(activity.start.year - 1)
            late = activity.in_calendar_on is None or activity.in_calendar_on > due
            if late and (as_of is None or as_of > due):
                failures.append(Note(gettext_noop("not in the annual calendar by {day}"),
                                     day=due))
        if failures:
            report.add(
                "calendar_inclusion", state, calendar, [activity], str(activity.start.year),
                Note(gettext_noop("{activity} may not be carried out: {failures}"),
                     activity=activity.id, failures=_joined(failures)),
                deadline, years)


def _calendar(state: str, notifiable: list[Activity], report: _Report, as_of: date | None) -> None:
    # (61): notifiable activities belong in the annual calendar sent by the deadline; (72):
    # those added outside it "should be as few as possible", so an omission is an advisory,
    # not a breach, and it is (72) that says so.
    r = report.ruleset
    deadline = r.month_day("calendar.deadline")
    few = r.flag("constraints.outside_calendar_as_few_as_possible")
    if not notifiable or not few.value:
        return
    report.note_missing(deadline)
    if deadline.value is None:
        return
    for activity in notifiable:
        due = deadline.value.in_year(activity.start.year - 1)
        late = activity.in_calendar_on is None or activity.in_calendar_on > due
        if late and (as_of is None or as_of > due):
            report.add(
                "calendar_omission", state, few, [activity], str(activity.start.year),
                Note(gettext_noop("{activity} is notifiable but was not in the annual calendar "
                                  "sent by {day}; activities outside the calendar should be as "
                                  "few as possible"), activity=activity.id, day=due),
                deadline, advisory=True)


def _sub_threshold(state: str, own: list[Activity], notifiable: list[Activity], report: _Report,
                   years: list[int]) -> None:
    # VD Plus: a State with no notifiable activity in a year notifies one major activity below
    # the thresholds (content unconfirmed; an advisory).
    r = report.ruleset
    flag = r.flag("notification.sub_threshold_major_activity")
    if not flag.value:
        return
    for year in years:
        if any(a.start.year == year for a in notifiable):
            continue
        if any(a.start.year == year and a.notified_on is not None for a in own):
            continue
        report.add(
            "sub_threshold_notification", state, flag, [], str(year),
            Note(gettext_noop("no notifiable activity in {year} and no activity below the "
                              "thresholds notified"), year=year),
            advisory=True)
