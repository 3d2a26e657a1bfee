"""Shared fixtures: the shipped rulesets and the fictional exercise geometry."""

from __future__ import annotations

import pytest

from hofburg.monitoring.engine.merge_rules import MergeRules, load_merge_rules
from hofburg.monitoring.engine.withdrawal import (
    DisengagementArea,
    ReferenceLines,
    WithdrawalRules,
    load_disengagement_areas,
    load_reference_lines,
    load_withdrawal_rules,
)
from tests.monitoring.engine.synthetic import DATA


@pytest.fixture(scope="session")
def merge_rules() -> MergeRules:
    return load_merge_rules(DATA / "merge_rules.yaml")


@pytest.fixture(scope="session")
def withdrawal_rules() -> WithdrawalRules:
    return load_withdrawal_rules(DATA / "withdrawal_rules.yaml")


@pytest.fixture(scope="session")
def exercise_lines() -> ReferenceLines:
    return load_reference_lines(DATA / "exercise_lines.geojson")


@pytest.fixture(scope="session")
def exercise_areas() -> tuple[DisengagementArea, ...]:
    return load_disengagement_areas(DATA / "exercise_disengagement_areas.geojson")
