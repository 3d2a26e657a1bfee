"""The Vienna Document rules read back to the texts: landings counted per landing, the zone of
application, transfers and concentrations, and the labels the ruleset files give."""

from __future__ import annotations

from datetime import date

import pytest

from hofburg.csbm.engine.activities import Activity, ActivityType
from hofburg.csbm.engine.classify import NOTIFICATION, OBSERVATION, classify
from hofburg.csbm.engine.constraints import check_constraints
from hofburg.csbm.engine.rulesets import Ruleset
from hofburg.csbm.engine.terms import Category, Confidence, Measure
from tests.csbm.engine.support import AGREED, RULESETS, make_activity

# -- (40.2.1): each landing against its own figure ----------------------------------------


def test_2000_airborne_and_1500_amphibious_troops_are_not_notifiable_on_landings_alone(
        vd2011: Ruleset) -> None:
    found = classify(make_activity(type=ActivityType.AIRBORNE, troops=2000,
                                   amphibious_troops=1500), vd2011)
    assert not found.notifiable
    assert not found.observable
    counted = {c.measure: c.count for c in found.checks if c.chapter == NOTIFICATION}
    assert counted == {Measure.AMPHIBIOUS_TROOPS: 1500, Measure.AIRBORNE_TROOPS: 2000}


def test_an_amphibious_landing_of_3000_troops_is_notifiable(vd2011: Ruleset) -> None:
    found = classify(make_activity(type=ActivityType.AMPHIBIOUS, troops=3000), vd2011)
    assert found.notifiable
    crossed = found.thresholds_crossed[NOTIFICATION]
    assert [(c.measure, c.provision.paragraph) for c in crossed] == [
        (Measure.AMPHIBIOUS_TROOPS, "(40.2.1)")]


def test_each_landing_is_observed_at_3500_of_its_own_troops(vd2011: Ruleset) -> None:
    both = make_activity(troops=5000, amphibious_troops=3499, airborne_troops=3499)
    assert not classify(both, vd2011).observable
    one = make_activity(troops=5000, amphibious_troops=0, airborne_troops=3500)
    found = classify(one, vd2011)
    assert found.observable
    assert [c.measure for c in found.thresholds_crossed[OBSERVATION]] == [
        Measure.AIRBORNE_TROOPS]


def test_a_landing_activity_counts_its_troops_as_its_own_kind_of_landing(
        vd2011: Ruleset) -> None:
    airborne = make_activity(type=ActivityType.AIRBORNE, troops=3000)
    assert airborne.count(Measure.AIRBORNE_TROOPS) == 3000
    assert airborne.count(Measure.AMPHIBIOUS_TROOPS) == 0


# -- the zone of application ---------------------------------------------------------------


@pytest.mark.parametrize("ruleset", AGREED, ids=lambda r: r.id)
def test_an_activity_outside_the_zone_of_application_is_not_subject(ruleset: Ruleset) -> None:
    outside = make_activity(troops=60000, battle_tanks=1000, outside_zone=True)
    found = classify(outside, ruleset)
    assert not found.subject
    assert not (found.notifiable or found.observable or found.calendar_required)
    assert "outside the zone of application" in found.not_subject_reason
    assert "United States and Canada" in found.not_subject_reason
    [citation] = found.citations["subject"]
    assert citation.key == "zone_of_application.inside_only"
    assert citation.confidence in (Confidence.SECONDARY, Confidence.UNCONFIRMED)
    assert citation.confidence.value in found.not_subject_reason


def test_the_zone_rule_is_secondary_for_vd2011_and_unconfirmed_for_vd1999() -> None:
    assert RULESETS["vd2011"].provision("zone_of_application.inside_only").confidence is (
        Confidence.SECONDARY)
    assert RULESETS["vd1999"].provision("zone_of_application.inside_only").confidence is (
        Confidence.UNCONFIRMED)


def test_the_constraints_ignore_activities_outside_the_zone(vd2011: Ruleset) -> None:
    big = [make_activity(id=f"big-{n}", start=date(2026, 9, n), end=date(2026, 9, 10),
                         troops=20000, outside_zone=n > 1, in_calendar_on=date(2025, 11, 1),
                         announced_on=date(2024, 11, 1), notified_on=date(2026, 7, 1))
           for n in (1, 2, 3, 4)]
    assert check_constraints(big, vd2011).kept
    inside = [Activity(**{**a.__dict__, "outside_zone": False}) for a in big]
    assert any(b.rule == "simultaneous" for b in check_constraints(inside, vd2011).breaches)


# -- (40.3): transfers and concentrations --------------------------------------------------


def test_40_3_1_a_transfer_of_one_brigade_is_not_notifiable(vd2011: Ruleset) -> None:
    transfer = make_activity(type=ActivityType.TRANSFER, troops=9500, brigades_or_regiments=1,
                             divisional_structure=False)
    found = classify(transfer, vd2011)
    assert not found.notifiable
    note = next(n for n in found.notes if n.startswith("transfer thresholds do not apply"))
    assert "(40.3.1), unconfirmed" in note
    two = make_activity(type=ActivityType.TRANSFER, troops=9500, brigades_or_regiments=2)
    assert classify(two, vd2011).notifiable


def test_47_3_arrival_is_notified_but_observed_only_at_the_concentration(
        vd2011: Ruleset) -> None:
    arrival = classify(make_activity(type=ActivityType.TRANSFER, troops=20000), vd2011)
    assert arrival.notifiable
    assert not arrival.observable
    assert not [c for c in arrival.checks if c.chapter == OBSERVATION
                and c.category is Category.TRANSFER]
    assert any("(47.3); unconfirmed" in n for n in arrival.notes)
    assert "observation.transfer_at_concentration" in {
        c.key for c in arrival.citations["observable"]}
    concentration = classify(
        make_activity(type=ActivityType.CONCENTRATION, troops=20000), vd2011)
    assert concentration.notifiable and concentration.observable


# -- dates, citations and labels in the data ----------------------------------------------


def test_the_as_few_as_possible_advisory_cites_paragraph_72(vd2011: Ruleset) -> None:
    late = make_activity(troops=10000, notified_on=date(2026, 7, 1))
    [advisory] = check_constraints([late], vd2011).advisories
    assert advisory.paragraph == "(72)"
    assert [c.paragraph for c in advisory.citations] == ["(72)", "(61)"]


def test_vd1999_values_on_sources_describing_vd2011_are_unconfirmed() -> None:
    later_sources = {"S13", "S14", "S17", "S19", "S20"}
    for provision in RULESETS["vd1999"]:
        if later_sources & set(provision.sources):
            assert provision.confidence is Confidence.UNCONFIRMED, provision.key
    assert RULESETS["vd2011"].provision(
        "notification.lead_time_days").confidence is Confidence.SECONDARY


def test_the_vd_plus_sub_threshold_rule_says_it_rests_on_wikipedia_alone() -> None:
    rule = RULESETS["vd2011-vdplus"].provision("notification.sub_threshold_major_activity")
    assert rule.confidence is Confidence.UNCONFIRMED
    assert "Wikipedia alone" in rule.note


def test_every_provision_of_the_2016_proposals_says_it_rests_on_wikipedia_alone() -> None:
    proposal = RULESETS["proposal-2016"]
    assert "Wikipedia alone" in proposal.note
    own = [p for p in proposal if p.ruleset_id == "proposal-2016"]
    assert own
    for provision in own:
        assert provision.confidence is Confidence.UNCONFIRMED, provision.key
        assert "Wikipedia alone" in provision.note, provision.key
