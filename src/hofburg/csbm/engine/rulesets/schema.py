"""Every provision a ruleset may state: its dotted key (the path in the YAML file) and its kind."""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from types import MappingProxyType

from hofburg.csbm.engine.terms import Category, Measure, VisitOutcome


class Kind(Enum):
    """What a provision's value is."""

    COUNT = "a whole number of 0 or more"
    POSITIVE = "a whole number of 1 or more"
    THRESHOLD = "a whole number of 0 or more, or a reported range [low, high]"
    MONTH_DAY = "a day and a month such as '15 December'"
    OPERATOR = "one of: at_least, more_than"
    FLAG = "true or false"
    OUTCOMES = "a list of: " + ", ".join(o.value for o in VisitOutcome)
    DATE = "a date such as 2011-12-01"


def _threshold_keys(chapter: str) -> dict[str, Kind]:
    return {
        f"{chapter}.thresholds.{category}.{measure}": Kind.THRESHOLD
        for category in Category
        for measure in Measure
    }


# Every provision a ruleset may state. The dotted key is the path in the YAML file.
SCHEMA: Mapping[str, Kind] = MappingProxyType({
    "dates.adopted": Kind.DATE,
    "dates.in_force": Kind.DATE,
    # Where the measures apply: the zone of application for CSBMs
    "zone_of_application.inside_only": Kind.FLAG,
    # Chapter I: annual exchange of military information
    "annual_exchange.deadline": Kind.MONTH_DAY,
    "annual_exchange.valid_from": Kind.MONTH_DAY,
    "annual_exchange.declares_evaluation_quota": Kind.FLAG,
    "deployment_plans.deadline": Kind.MONTH_DAY,
    # Chapter II
    "defence_planning.months_after_budget_approval": Kind.COUNT,
    # Chapter III
    "risk_reduction.reply_hours": Kind.COUNT,
    "risk_reduction.meeting_hours": Kind.COUNT,
    # Chapter IV
    "contacts.air_base_visit_interval_years": Kind.POSITIVE,
    # Chapter V
    "notification.lead_time_days": Kind.COUNT,
    "notification.operator": Kind.OPERATOR,
    **_threshold_keys("notification"),
    "notification.formation_qualifier.min_brigades_or_regiments": Kind.COUNT,
    "notification.formation_qualifier.transfer_min_brigades_or_regiments": Kind.COUNT,
    "notification.air_component_sorties": Kind.COUNT,
    "notification.alert_at_start": Kind.FLAG,
    "notification.sub_threshold_major_activity": Kind.FLAG,
    # Chapter VI
    "observation.operator": Kind.OPERATOR,
    **_threshold_keys("observation"),
    "observation.invitation_lead_time_days": Kind.COUNT,
    "observation.reply_days": Kind.COUNT,
    "observation.observers_per_state": Kind.COUNT,
    "observation.alert_more_than_hours": Kind.COUNT,
    "observation.transfer_at_concentration": Kind.FLAG,
    # Chapter VII
    "calendar.deadline": Kind.MONTH_DAY,
    # Chapter VIII
    "constraints.operator": Kind.OPERATOR,
    "constraints.large.troops": Kind.COUNT,
    "constraints.large.battle_tanks": Kind.COUNT,
    "constraints.large.max_activities": Kind.COUNT,
    "constraints.large.window_years": Kind.POSITIVE,
    "constraints.medium.troops": Kind.COUNT,
    "constraints.medium.battle_tanks": Kind.COUNT,
    "constraints.medium.max_per_year": Kind.COUNT,
    "constraints.medium_upper.troops": Kind.COUNT,
    "constraints.medium_upper.battle_tanks": Kind.COUNT,
    "constraints.medium_upper.max_per_year": Kind.COUNT,
    "constraints.simultaneous.troops": Kind.COUNT,
    "constraints.simultaneous.battle_tanks": Kind.COUNT,
    "constraints.simultaneous.max_at_once": Kind.COUNT,
    "constraints.advance_notice.deadline": Kind.MONTH_DAY,
    "constraints.advance_notice.years_ahead": Kind.COUNT,
    "constraints.calendar_inclusion.deadline": Kind.MONTH_DAY,
    "constraints.outside_calendar_as_few_as_possible": Kind.FLAG,
    # Chapter IX: evaluation
    "evaluation.units_per_visit": Kind.POSITIVE,
    "evaluation.max_per_year": Kind.COUNT,
    "evaluation.same_state_share_denominator": Kind.POSITIVE,
    "evaluation.small_quota_below": Kind.COUNT,
    "evaluation.small_quota_same_state_max": Kind.COUNT,
    "evaluation.max_per_unit_per_year": Kind.COUNT,
    "evaluation.max_per_unit_per_state_per_year": Kind.COUNT,
    "evaluation.max_at_once": Kind.COUNT,
    "evaluation.activated_units_count": Kind.FLAG,
    "evaluation.not_counted": Kind.OUTCOMES,
    "evaluation.request_days_ahead": Kind.COUNT,
    "evaluation.reply_hours": Kind.COUNT,
    "evaluation.max_hours": Kind.COUNT,
    "evaluation.team_size": Kind.COUNT,
    # Chapter IX: inspection
    "inspection.max_per_year": Kind.COUNT,
    "inspection.max_per_state_per_year": Kind.COUNT,
    "inspection.not_counted": Kind.OUTCOMES,
    "inspection.reply_hours": Kind.COUNT,
    "inspection.entry_hours": Kind.COUNT,
    "inspection.max_hours": Kind.COUNT,
    "inspection.team_size": Kind.COUNT,
})
