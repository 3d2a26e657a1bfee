"""Classifying one activity under a ruleset: notification, observation, calendar, deadlines.

Chapters V and VI compare with "at least" / "meets or exceeds"; the operator is a provision of
the ruleset, not code. A threshold the ruleset states without a figure (a proposal's "lowered")
or gives only as a reported range leaves the answer *undetermined* rather than guessed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from hofburg.csbm.engine.activities import Activity, ActivityType
from hofburg.csbm.engine.notes import confidence_words, paragraph_words
from hofburg.csbm.engine.rulesets import Citation, Provision, Ruleset
from hofburg.csbm.engine.terms import Category, Measure, Operator
from hofburg.notes import Note, gettext_noop

NOTIFICATION = "notification"
OBSERVATION = "observation"
# (40.1.1) and (40.3.1): the forces count only if organized into a divisional structure or at
# least two brigades/regiments; each category's condition is a provision of its own.
_QUALIFIERS = {
    Category.LAND_FORCES: "notification.formation_qualifier.min_brigades_or_regiments",
    Category.TRANSFER: "notification.formation_qualifier.transfer_min_brigades_or_regiments",
}
# The thresholds' name and the forces' name in the notes.
_QUALIFIED_FORCES = {
    Category.LAND_FORCES: (gettext_noop("land forces"), gettext_noop("land forces")),
    Category.TRANSFER: (gettext_noop("transfer"), gettext_noop("transferred forces")),
}
# The chapters' and categories' names in the notes.
_CHAPTER_WORDS = {"notification": gettext_noop("notification"),
                  "observation": gettext_noop("observation")}
_CATEGORY_WORDS = {
    Category.LAND_FORCES: gettext_noop("land forces"),
    Category.LANDING: gettext_noop("landing"),
    Category.TRANSFER: gettext_noop("transfer"),
    Category.AIR: gettext_noop("air"),
}
_ZONE = "zone_of_application.inside_only"
_AT_CONCENTRATION = "observation.transfer_at_concentration"


class ThresholdResult(StrEnum):
    CROSSED = "crossed"
    NOT_CROSSED = "not_crossed"
    # The count lies inside a reported range, or the ruleset states the threshold without a figure.
    UNDETERMINED = "undetermined"


def check_threshold(count: int, provision: Provision[int], operator: Operator) -> ThresholdResult:
    """Compare a peak number with a threshold provision."""
    if provision.reported_range is not None:
        low, high = provision.reported_range
        if operator.holds(count, high):
            return ThresholdResult.CROSSED
        if not operator.holds(count, low):
            return ThresholdResult.NOT_CROSSED
        return ThresholdResult.UNDETERMINED
    if provision.value is None:
        # A threshold with no known figure could be crossed by any number above zero.
        return ThresholdResult.UNDETERMINED if count > 0 else ThresholdResult.NOT_CROSSED
    return ThresholdResult.CROSSED if operator.holds(count, provision.value) else (
        ThresholdResult.NOT_CROSSED)


@dataclass(frozen=True)
class ThresholdCheck:
    """One comparison of an activity's number with one threshold."""

    chapter: str  # "notification" or "observation"
    category: Category
    measure: Measure
    count: int
    operator: Operator
    provision: Provision[int]
    result: ThresholdResult

    def __str__(self) -> str:
        paragraph = self.provision.paragraph or "paragraph not identified"
        return (f"{self.chapter} {paragraph}: {self.count:,} {self.measure.words} against "
                f"{self.operator.words} {self.provision.value_text()}: {self.result}")


@dataclass(frozen=True)
class Classification:
    """What the ruleset says about one activity, with the citations behind each answer.

    `notifiable` and `observable` are True only when a threshold is certainly met; the
    `*_undetermined` flags say the answer could still turn (a reported range, a figure the
    ruleset does not give, an alert activity of unknown length). `not_defined` lists what the
    ruleset does not define. `citations` is keyed by answer: subject, notifiable, observable,
    notify_by, invite_by, calendar_by, advance_notice_by, air_component.

    `subject` is False for an activity outside the zone of application for CSBMs:
    `not_subject_reason` then says why, and nothing else is asked of it.
    """

    activity_id: str
    ruleset_id: str
    proposal: bool
    notifiable: bool
    observable: bool
    notification_undetermined: bool
    observation_undetermined: bool
    checks: tuple[ThresholdCheck, ...]
    notify_by: date | None
    invite_by: date | None
    calendar_required: bool
    calendar_by: date | None
    advance_notice_by: date | None
    air_component_included: bool
    not_defined: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    citations: Mapping[str, tuple[Citation, ...]] = field(default_factory=dict)
    subject: bool = True
    not_subject_reason: str = ""

    @property
    def thresholds_crossed(self) -> dict[str, list[ThresholdCheck]]:
        return self._checks_with(ThresholdResult.CROSSED)

    @property
    def thresholds_undetermined(self) -> dict[str, list[ThresholdCheck]]:
        return self._checks_with(ThresholdResult.UNDETERMINED)

    def _checks_with(self, result: ThresholdResult) -> dict[str, list[ThresholdCheck]]:
        return {
            chapter: [c for c in self.checks if c.chapter == chapter and c.result is result]
            for chapter in (NOTIFICATION, OBSERVATION)
        }


class _Answer:
    """Collects the notes, gaps and citations while one activity is classified."""

    def __init__(self, ruleset: Ruleset) -> None:
        self.ruleset = ruleset
        self.not_defined: list[str] = []
        self.notes: list[str] = []
        self.citations: dict[str, list[Citation]] = {}

    def cite(self, answer: str, provision: Provision[Any]) -> None:
        citation = self.ruleset.cite(provision)
        cited = self.citations.setdefault(answer, [])
        if citation not in cited:
            cited.append(citation)

    def missing(self, provision: Provision[Any]) -> None:
        message = provision.not_defined_message(self.ruleset.id)
        if message not in self.not_defined:
            self.not_defined.append(message)


def classify(activity: Activity, ruleset: Ruleset) -> Classification:
    """Decide notification, observation, calendar and their dates for `activity` under `ruleset`."""
    answer = _Answer(ruleset)
    if activity.outside_zone:
        reason = _outside_zone(ruleset, answer)
        if reason is not None:
            return _not_subject(activity, ruleset, answer, reason)
    alert = activity.without_advance_notice

    notification = _threshold_checks(activity, ruleset, NOTIFICATION, answer)
    notifiable = any(c.result is ThresholdResult.CROSSED for c in notification)
    notification_open = not notifiable and any(
        c.result is ThresholdResult.UNDETERMINED for c in notification)
    _cite_checks(answer, "notifiable", notification, notifiable)

    observation = _threshold_checks(activity, ruleset, OBSERVATION, answer)
    observed_numbers = any(c.result is ThresholdResult.CROSSED for c in observation)
    observation_open = not observed_numbers and any(
        c.result is ThresholdResult.UNDETERMINED for c in observation)
    _cite_checks(answer, "observable", observation, observed_numbers)
    observable = observed_numbers
    if alert and (observed_numbers or observation_open):
        long_enough = _alert_long_enough(activity, ruleset, answer)
        if long_enough is False:
            observable, observation_open = False, False
        elif long_enough is None:
            observable, observation_open = False, True
    if observable and not notifiable:
        answer.notes.append(Note(gettext_noop(
            "the activity meets an observation threshold while no notification threshold "
            "is known to be met")))

    notify_date = (_notification_date(activity, ruleset, answer)
                   if notifiable or notification_open else None)
    if notification_open and notify_date is not None:
        answer.notes.append(Note(gettext_noop(
            "if the final figures make it notifiable, notification is due by {day}"),
            day=notify_date))
    invite_by = _invitation_date(activity, ruleset, answer) if observable else None
    calendar_by = _calendar_date(activity, ruleset, answer) if notifiable else None
    advance_notice_by = _advance_notice_date(activity, ruleset, answer) if notifiable else None
    air = notifiable and _air_component(activity, ruleset, answer)
    if not notifiable:
        _note_sub_threshold(ruleset, answer)
    if activity.type is ActivityType.AIR:
        _note_air_activity(ruleset, answer)
    if ruleset.is_proposal:
        answer.notes.append(_proposal(ruleset))

    return Classification(
        activity_id=activity.id,
        ruleset_id=ruleset.id,
        proposal=ruleset.is_proposal,
        notifiable=notifiable,
        observable=observable,
        notification_undetermined=notification_open,
        observation_undetermined=observation_open,
        checks=(*notification, *observation),
        notify_by=notify_date if notifiable else None,
        invite_by=invite_by,
        calendar_required=notifiable,
        calendar_by=calendar_by,
        advance_notice_by=advance_notice_by,
        air_component_included=air,
        not_defined=tuple(answer.not_defined),
        notes=tuple(answer.notes),
        citations={k: tuple(v) for k, v in answer.citations.items()},
    )


def _outside_zone(ruleset: Ruleset, answer: _Answer) -> str | None:
    """Why an activity outside the zone of application is not subject, or None when the
    ruleset does not say that the measures apply inside the zone only."""
    zone = ruleset.flag(_ZONE)
    if not zone.value:
        if zone.stated:
            answer.missing(zone)
        answer.notes.append(Note(gettext_noop(
            "the activity is outside the zone of application; this ruleset ({ruleset}) does "
            "not state where its measures apply, so it is classified as if inside"),
            ruleset=ruleset.id))
        return None
    answer.cite("subject", zone)
    return Note(gettext_noop(
        "not subject: the activity is outside the zone of application for CSBMs. "
        "Notification, observation and the constraining provisions apply to activities "
        "in the zone; for the United States and Canada only activities inside it count "
        "({paragraph}; {confidence})"),
        paragraph=paragraph_words(zone.paragraph), confidence=confidence_words(zone.confidence))


def _proposal(ruleset: Ruleset) -> Note:
    return Note(gettext_noop("{ruleset} is a proposal, not agreed text"), ruleset=ruleset.id)


def _not_subject(activity: Activity, ruleset: Ruleset, answer: _Answer,
                 reason: str) -> Classification:
    notes = [reason]
    if ruleset.is_proposal:
        notes.append(_proposal(ruleset))
    return Classification(
        activity_id=activity.id, ruleset_id=ruleset.id, proposal=ruleset.is_proposal,
        notifiable=False, observable=False, notification_undetermined=False,
        observation_undetermined=False, checks=(), notify_by=None, invite_by=None,
        calendar_required=False, calendar_by=None, advance_notice_by=None,
        air_component_included=False, not_defined=tuple(answer.not_defined),
        notes=tuple(notes), citations={k: tuple(v) for k, v in answer.citations.items()},
        subject=False, not_subject_reason=reason)


def size_exceeds(activity: Activity, ruleset: Ruleset, band: str) -> bool | None:
    """Whether the activity is above a Chapter VIII size band, e.g. "constraints.large".

    Chapter VIII counts troops *or* battle tanks, compared with the constraints operator
    ("more than"). None when the ruleset does not define the band.
    """
    operator = ruleset.operator("constraints.operator").value
    troops = ruleset.count(f"{band}.troops").value
    tanks = ruleset.count(f"{band}.battle_tanks").value
    if operator is None or (troops is None and tanks is None):
        return None
    return (troops is not None and operator.holds(activity.troops, troops)) or (
        tanks is not None and operator.holds(activity.battle_tanks, tanks))


def _threshold_checks(activity: Activity, ruleset: Ruleset, chapter: str,
                      answer: _Answer) -> list[ThresholdCheck]:
    operator_provision = ruleset.operator(f"{chapter}.operator")
    operator = operator_provision.value
    checks: list[ThresholdCheck] = []
    for category in activity.categories:
        provisions = [
            (measure, ruleset.count(f"{chapter}.thresholds.{category}.{measure}"))
            for measure in Measure
        ]
        stated = [(m, p) for m, p in provisions if p.stated]
        if not stated:
            answer.not_defined.append(Note(gettext_noop(
                "this ruleset ({ruleset}) defines no {chapter} threshold for {category} "
                "activities"), ruleset=ruleset.id, chapter=Note(_CHAPTER_WORDS[chapter]),
                category=Note(_CATEGORY_WORDS[category])))
            continue
        if operator is None:
            answer.missing(operator_provision)
            continue
        if category in _QUALIFIERS and not _organized_as_formations(
                activity, ruleset, answer, chapter, category):
            continue
        if (chapter == OBSERVATION and category is Category.TRANSFER
                and activity.type is ActivityType.TRANSFER
                and _observed_at_concentration(ruleset, answer)):
            continue
        for measure, provision in stated:
            if not provision.defined:
                answer.missing(provision)
            result = check_threshold(activity.count(measure), provision, operator)
            checks.append(ThresholdCheck(
                chapter=chapter, category=category, measure=measure,
                count=activity.count(measure), operator=operator, provision=provision,
                result=result))
        answer.cite("notifiable" if chapter == NOTIFICATION else "observable", operator_provision)
    return checks


def _observed_at_concentration(ruleset: Ruleset, answer: _Answer) -> bool:
    """(47.3): transferred forces are observed at their concentration, not on arrival.

    True when the ruleset says so: the arrival is then notified under (40.3) but not observed.
    """
    rule = ruleset.flag(_AT_CONCENTRATION)
    if not rule.value:
        return False
    answer.cite("observable", rule)
    note = Note(gettext_noop(
        "observation of transferred forces applies to their concentration, not to their "
        "arrival ({paragraph}; {confidence}): record the concentration as an activity of its "
        "own"), paragraph=paragraph_words(rule.paragraph),
        confidence=confidence_words(rule.confidence))
    if note not in answer.notes:
        answer.notes.append(note)
    return True


def _organized_as_formations(activity: Activity, ruleset: Ruleset, answer: _Answer,
                             chapter: str, category: Category) -> bool:
    """(40.1.1), (40.3.1): land forces and transferred forces count only if organized into a
    divisional structure or at least two brigades/regiments (each qualifier is a provision;
    observation follows (40.1) and (40.3))."""
    qualifier = ruleset.count(_QUALIFIERS[category])
    thresholds, forces = _QUALIFIED_FORCES[category]
    if qualifier.value is None:
        if qualifier.stated:
            answer.missing(qualifier)
        return True
    cited_as = "notifiable" if chapter == NOTIFICATION else "observable"
    answer.cite(cited_as, qualifier)
    if activity.divisional_structure:
        return True
    if activity.brigades_or_regiments is None:
        note = Note(gettext_noop(
            "the organization of the {forces} is not given; the activity is taken to be "
            "organized in a divisional structure or at least {least} brigades/regiments"),
            forces=Note(forces), least=qualifier.value)
        if note not in answer.notes:
            answer.notes.append(note)
        return True
    if activity.brigades_or_regiments >= qualifier.value:
        return True
    note = Note(gettext_noop(
        "{thresholds} thresholds do not apply: {given} brigades/regiments and no divisional "
        "structure (fewer than {least}; {paragraph}, {confidence})"),
        thresholds=Note(thresholds), given=activity.brigades_or_regiments, least=qualifier.value,
        paragraph=paragraph_words(qualifier.paragraph),
        confidence=confidence_words(qualifier.confidence))
    if note not in answer.notes:
        answer.notes.append(note)
    return False


def _cite_checks(answer: _Answer, key: str, checks: list[ThresholdCheck], crossed: bool) -> None:
    # When a threshold is crossed, it is the reason; otherwise every threshold checked is.
    for check in checks:
        if not crossed or check.result is ThresholdResult.CROSSED:
            answer.cite(key, check.provision)


def _alert_long_enough(activity: Activity, ruleset: Ruleset, answer: _Answer) -> bool | None:
    """(47.5): an alert activity is observed only if it lasts more than the set hours.

    With no `duration_hours`, the dates bound the length: whole days between start and end
    minus one, up to that plus one. None when the answer lies between the bounds.
    """
    limit = ruleset.count("observation.alert_more_than_hours")
    if not limit.stated:
        return True  # the ruleset has no exception for alert activities
    answer.cite("observable", limit)
    if limit.value is None:
        answer.missing(limit)
        return None
    if activity.duration_hours is not None:
        shortest = longest = activity.duration_hours
    else:
        between = (activity.end - activity.start).days
        shortest, longest = max(0, between - 1) * 24, (between + 1) * 24
    if shortest > limit.value:
        answer.notes.append(Note(gettext_noop(
            "alert activity lasting more than {hours} hours: observed from then on, while the "
            "thresholds are met"), hours=limit.value))
        return True
    if longest <= limit.value:
        answer.notes.append(Note(gettext_noop(
            "alert activity of at most {hours} hours: no observers need be invited"),
            hours=limit.value))
        return False
    answer.notes.append(Note(gettext_noop(
        "alert activity: observation depends on whether it lasts more than {hours} hours; "
        "give its duration in hours"), hours=limit.value))
    return None


def _notification_date(activity: Activity, ruleset: Ruleset, answer: _Answer) -> date | None:
    if activity.without_advance_notice:
        at_start = ruleset.flag("notification.alert_at_start")
        if at_start.value:
            answer.cite("notify_by", at_start)
            return activity.start
        if at_start.stated:
            answer.missing(at_start)
    lead = ruleset.count("notification.lead_time_days")
    answer.cite("notify_by", lead)
    if lead.value is None:
        answer.missing(lead)
        return None
    return activity.start - timedelta(days=lead.value)


def _invitation_date(activity: Activity, ruleset: Ruleset, answer: _Answer) -> date | None:
    if activity.without_advance_notice:
        answer.notes.append(Note(gettext_noop(
            "no time limit for inviting observers to an alert activity is defined in this "
            "ruleset ({ruleset})"), ruleset=ruleset.id))
        return None
    lead = ruleset.count("observation.invitation_lead_time_days")
    answer.cite("invite_by", lead)
    if lead.value is None:
        answer.missing(lead)
        return None
    return activity.start - timedelta(days=lead.value)


def _calendar_date(activity: Activity, ruleset: Ruleset, answer: _Answer) -> date | None:
    # (61): the calendar for a year is sent by the deadline in the year before.
    deadline = ruleset.month_day("calendar.deadline")
    answer.cite("calendar_by", deadline)
    if deadline.value is None:
        answer.missing(deadline)
        return None
    return deadline.value.in_year(activity.start.year - 1)


def _advance_notice_date(activity: Activity, ruleset: Ruleset, answer: _Answer) -> date | None:
    # (70): activities above the large band are announced in the second year before.
    large = size_exceeds(activity, ruleset, "constraints.large")
    if not large:
        return None
    deadline = ruleset.month_day("constraints.advance_notice.deadline")
    years = ruleset.count("constraints.advance_notice.years_ahead")
    for provision in (ruleset.count("constraints.large.troops"),
                      ruleset.count("constraints.large.battle_tanks"), deadline, years):
        answer.cite("advance_notice_by", provision)
    if deadline.value is None or years.value is None:
        answer.missing(deadline if deadline.value is None else years)
        return None
    return deadline.value.in_year(activity.start.year - years.value)


def _air_component(activity: Activity, ruleset: Ruleset, answer: _Answer) -> bool:
    # (40.1.2): an air component of enough sorties is included in a land forces notification.
    if Category.LAND_FORCES not in activity.categories:
        return False
    sorties = ruleset.count("notification.air_component_sorties")
    operator = ruleset.operator("notification.operator").value
    if sorties.value is None or operator is None:
        if sorties.stated:
            answer.missing(sorties)
        return False
    answer.cite("air_component", sorties)
    return operator.holds(activity.sorties, sorties.value)


def _note_sub_threshold(ruleset: Ruleset, answer: _Answer) -> None:
    flag = ruleset.flag("notification.sub_threshold_major_activity")
    if flag.value:
        answer.cite("notifiable", flag)
        answer.notes.append(Note(gettext_noop(
            "below the thresholds; under the VD Plus decision a State notifies at least one "
            "major military activity below the thresholds each year (content unconfirmed)")))


def _note_air_activity(ruleset: Ruleset, answer: _Answer) -> None:
    sorties = ruleset.count("notification.air_component_sorties")
    if sorties.value is not None:
        answer.cite("air_component", sorties)
        answer.notes.append(Note(gettext_noop(
            "an air component of {sorties} or more sorties is included in the notification "
            "of the land forces activity it belongs to ({paragraph})"),
            sorties=sorties.value, paragraph=paragraph_words(sorties.paragraph)))
