"""`{% load withdrawal_names %}`: `{{ sighting.weapon_class|weapon_class_name }}`, the weapons a
withdrawal rule covers in the reader's language ("реактивные системы залпового огня …"), from
data/monitoring/withdrawal_rules.yaml; the class as given when no rule has it."""

from __future__ import annotations

from functools import cache

from django import template

from hofburg.core.notes import explain
from hofburg.monitoring.engine.withdrawal import WithdrawalRules, load_withdrawal_rules
from hofburg.monitoring.mission import monitoring_data

register = template.Library()


@cache
def _rules(path: str) -> WithdrawalRules:
    return load_withdrawal_rules(path)


@register.filter
def weapon_class_name(weapon_class: str | None) -> str:
    if not weapon_class:
        return ""
    rules = _rules(str(monitoring_data() / "withdrawal_rules.yaml"))
    rule = next((r for r in rules.rules if r.weapon_class == weapon_class), None)
    return weapon_class if rule is None else explain(rule.description)
