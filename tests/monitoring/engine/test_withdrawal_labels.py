"""Every withdrawal rule carries its labels, the loader insists on them, every explanation shows
them, and mortars above 120 mm are decided from the texts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from hofburg.monitoring.engine.withdrawal import (
    ReferenceLines,
    Sighting,
    WithdrawalError,
    WithdrawalRules,
    check_sighting,
    withdrawal_rules_from_mapping,
)

DATA = Path(__file__).resolve().parents[3] / "data" / "monitoring"


def _data() -> dict[str, Any]:
    return yaml.safe_load((DATA / "withdrawal_rules.yaml").read_text())


def test_the_package_figures_are_confirmed_and_the_per_side_distances_derived(
        withdrawal_rules: WithdrawalRules) -> None:
    for weapon_class in ("artillery_100mm_and_above", "mlrs",
                         "long_range_mlrs_and_tactical_missiles"):
        rule = withdrawal_rules.rule_for(weapon_class)
        assert rule.instrument.confidence == "confirmed"
        assert rule.zone_width_confidence == "confirmed"
        assert rule.confidence == "derived"
        assert "equal distances" in rule.distance_basis
        assert rule.reference_line_confidence == "confirmed"


def test_the_addendum_figures_are_secondary(withdrawal_rules: WithdrawalRules) -> None:
    for weapon_class in ("tank", "artillery_below_100mm", "mortar_up_to_120mm"):
        rule = withdrawal_rules.rule_for(weapon_class)
        assert rule.instrument.confidence == "secondary"
        assert rule.confidence == "secondary"


@pytest.mark.parametrize("field", ["confidence", "reference_line_confidence",
                                   "zone_width_confidence"])
def test_the_loader_refuses_a_rule_without_a_label(field: str) -> None:
    data = _data()
    del data["rules"][0][field]
    with pytest.raises(WithdrawalError, match=f"artillery_100mm_and_above.{field}"):
        withdrawal_rules_from_mapping(data)


def test_the_loader_refuses_an_unknown_label() -> None:
    data = _data()
    data["rules"][3]["confidence"] = "unlabelled"
    with pytest.raises(WithdrawalError, match=r"tank\.confidence: must be one of"):
        withdrawal_rules_from_mapping(data)
    data = _data()
    data["instruments"][0]["confidence"] = "sure"
    with pytest.raises(WithdrawalError, match=r"instruments\.package-2015\.confidence"):
        withdrawal_rules_from_mapping(data)


@pytest.mark.parametrize("weapon_class", [
    "artillery_100mm_and_above", "mlrs", "long_range_mlrs_and_tactical_missiles", "tank",
    "artillery_below_100mm", "mortar_up_to_120mm", "mortar_above_120mm"])
def test_every_explanation_shows_the_rules_labels(
        withdrawal_rules: WithdrawalRules, exercise_lines: ReferenceLines,
        weapon_class: str) -> None:
    check = check_sighting(Sighting(-29.5, 48.2, weapon_class), withdrawal_rules,
                           exercise_lines)
    rule = withdrawal_rules.rule_for(weapon_class)
    assert f"Labels: {rule.labels}." in check.explanation
    assert f"per side {rule.confidence.upper()}" in check.explanation


def test_the_package_explanation_names_the_confirmed_zone_and_the_derived_distance(
        withdrawal_rules: WithdrawalRules, exercise_lines: ReferenceLines) -> None:
    check = check_sighting(Sighting(-29.5, 48.2, "mlrs"), withdrawal_rules, exercise_lines)
    assert ("Labels: zone width 70 km CONFIRMED; 35 km per side DERIVED; reference line "
            "CONFIRMED.") in check.explanation


def test_mortars_above_120_mm_fall_under_the_package_artillery_rule_unconfirmed(
        withdrawal_rules: WithdrawalRules) -> None:
    rule = withdrawal_rules.classify(kind="mortar", calibre_mm=240)
    assert rule is not None
    assert rule.weapon_class == "mortar_above_120mm"
    assert (rule.instrument.instrument_id, rule.paragraph) == ("package-2015", "point 2")
    assert rule.distance_km == withdrawal_rules.rule_for("artillery_100mm_and_above").distance_km
    assert rule.confidence == "unconfirmed"
    entry = next(r for r in _data()["rules"] if r["weapon_class"] == "mortar_above_120mm")
    assert "Memorandum" in entry["calibre_note"]
    at_120 = withdrawal_rules.classify(kind="mortar", calibre_mm=120)
    assert at_120 is not None and at_120.weapon_class == "mortar_up_to_120mm"
