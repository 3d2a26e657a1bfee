"""Ruleset files: the shipped ones carry the domain reference's values and labels; malformed
files are refused with the file and the field named."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from hofburg.csbm.engine.rulesets import (
    SCHEMA,
    NotDefinedError,
    RulesetError,
    differences,
    load_ruleset,
    load_rulesets,
)
from hofburg.csbm.engine.terms import Confidence, MonthDay, Operator, Status, VisitOutcome
from tests.csbm.engine.support import RULESETS, RULESETS_DIR

C = Confidence

# key, value, paragraph, paragraph confidence, value confidence: as the domain reference gives
# them for VD11 (section numbers of the reference in the comments).
VD2011_PROVISIONS: list[tuple[str, Any, str | None, Confidence | None, Confidence]] = [
    # 1.1 annual exchange
    ("annual_exchange.deadline", MonthDay(12, 15), "(10)", C.CONFIRMED, C.CONFIRMED),
    ("annual_exchange.valid_from", MonthDay(1, 1), "(10)", C.CONFIRMED, C.CONFIRMED),
    ("annual_exchange.declares_evaluation_quota", True, "(10.1.1)", C.UNCONFIRMED,
     C.CONFIRMED_PRIOR_TEXT),
    ("deployment_plans.deadline", MonthDay(12, 15), "(13)-(14)", C.UNCONFIRMED, C.UNCONFIRMED),
    ("defence_planning.months_after_budget_approval", 2, "(15)", C.UNCONFIRMED, C.UNCONFIRMED),
    # 2.1, 2.4 risk reduction, contacts
    ("risk_reduction.reply_hours", 48, "(16)", C.UNCONFIRMED, C.SECONDARY),
    ("risk_reduction.meeting_hours", 48, "(16)", C.UNCONFIRMED, C.UNCONFIRMED),
    ("contacts.air_base_visit_interval_years", 5, None, None, C.UNCONFIRMED),
    # 3 notification
    ("notification.lead_time_days", 42, "(38)", C.UNCONFIRMED, C.SECONDARY),
    ("notification.operator", Operator.AT_LEAST, "(40)", C.UNCONFIRMED, C.UNCONFIRMED),
    ("notification.thresholds.land_forces.troops", 9000, "(40.1.1)", C.UNCONFIRMED, C.SECONDARY),
    ("notification.thresholds.land_forces.battle_tanks", 250, "(40.1.1)", C.UNCONFIRMED,
     C.UNCONFIRMED),
    ("notification.thresholds.land_forces.acvs", 500, "(40.1.1)", C.UNCONFIRMED, C.UNCONFIRMED),
    ("notification.thresholds.land_forces.artillery", 250, "(40.1.1)", C.UNCONFIRMED,
     C.UNCONFIRMED),
    ("notification.formation_qualifier.min_brigades_or_regiments", 2, "(40.1.1)", C.UNCONFIRMED,
     C.UNCONFIRMED),
    ("notification.air_component_sorties", 200, "(40.1.2)", C.UNCONFIRMED, C.UNCONFIRMED),
    ("notification.thresholds.landing.amphibious_troops", 3000, "(40.2.1)", C.UNCONFIRMED,
     C.UNCONFIRMED),
    ("notification.thresholds.landing.airborne_troops", 3000, "(40.2.1)", C.UNCONFIRMED,
     C.UNCONFIRMED),
    ("notification.formation_qualifier.transfer_min_brigades_or_regiments", 2, "(40.3.1)",
     C.UNCONFIRMED, C.UNCONFIRMED),
    ("notification.thresholds.transfer.troops", 9000, "(40.3)", C.UNCONFIRMED, C.UNCONFIRMED),
    ("notification.alert_at_start", True, "(41)", C.UNCONFIRMED, C.UNCONFIRMED),
    # 4 observation
    ("observation.operator", Operator.AT_LEAST, "(47.4)", C.UNCONFIRMED, C.UNCONFIRMED),
    ("observation.thresholds.land_forces.troops", 13000, "(47.4)", C.UNCONFIRMED, C.SECONDARY),
    ("observation.thresholds.land_forces.battle_tanks", 300, "(47.4)", C.UNCONFIRMED,
     C.UNCONFIRMED),
    ("observation.thresholds.land_forces.acvs", 500, "(47.4)", C.UNCONFIRMED, C.UNCONFIRMED),
    ("observation.thresholds.land_forces.artillery", 250, "(47.4)", C.UNCONFIRMED,
     C.UNCONFIRMED),
    ("observation.thresholds.landing.amphibious_troops", 3500, "(47.4)", C.UNCONFIRMED,
     C.UNCONFIRMED),
    ("observation.thresholds.landing.airborne_troops", 3500, "(47.4)", C.UNCONFIRMED,
     C.UNCONFIRMED),
    ("observation.transfer_at_concentration", True, "(47.3)", C.UNCONFIRMED, C.UNCONFIRMED),
    ("observation.invitation_lead_time_days", 42, None, None, C.SECONDARY),
    ("observation.reply_days", 21, "(51)", C.UNCONFIRMED, C.UNCONFIRMED),
    ("observation.observers_per_state", 2, "(49)", C.UNCONFIRMED, C.UNCONFIRMED),
    ("observation.alert_more_than_hours", 72, "(47.5)", C.UNCONFIRMED, C.UNCONFIRMED),
    # 5 calendars and constraining provisions
    ("calendar.deadline", MonthDay(11, 15), "(61)", C.UNCONFIRMED, C.UNCONFIRMED),
    ("constraints.outside_calendar_as_few_as_possible", True, "(72)", C.UNCONFIRMED,
     C.UNCONFIRMED),
    ("constraints.operator", Operator.MORE_THAN, "(67)", C.UNCONFIRMED, C.UNCONFIRMED),
    ("constraints.large.troops", 40000, "(67)", C.UNCONFIRMED, C.UNCONFIRMED),
    ("constraints.large.battle_tanks", 900, "(67)", C.UNCONFIRMED, C.UNCONFIRMED),
    ("constraints.large.max_activities", 1, "(67)", C.UNCONFIRMED, C.UNCONFIRMED),
    ("constraints.large.window_years", 3, "(67)", C.UNCONFIRMED, C.UNCONFIRMED),
    ("constraints.medium.troops", 13000, "(68)", C.UNCONFIRMED, C.UNCONFIRMED),
    ("constraints.medium.battle_tanks", 300, "(68)", C.UNCONFIRMED, C.UNCONFIRMED),
    ("constraints.medium.max_per_year", 6, "(68)", C.UNCONFIRMED, C.UNCONFIRMED),
    ("constraints.medium_upper.troops", 25000, "(68.1)", C.UNCONFIRMED, C.UNCONFIRMED),
    ("constraints.medium_upper.battle_tanks", 400, "(68.1)", C.UNCONFIRMED, C.UNCONFIRMED),
    ("constraints.medium_upper.max_per_year", 3, "(68.1)", C.UNCONFIRMED, C.UNCONFIRMED),
    ("constraints.simultaneous.troops", 13000, "(69)", C.UNCONFIRMED, C.UNCONFIRMED),
    ("constraints.simultaneous.battle_tanks", 300, "(69)", C.UNCONFIRMED, C.UNCONFIRMED),
    ("constraints.simultaneous.max_at_once", 3, "(69)", C.UNCONFIRMED, C.UNCONFIRMED),
    ("constraints.advance_notice.deadline", MonthDay(11, 15), "(70)", C.UNCONFIRMED,
     C.UNCONFIRMED),
    ("constraints.advance_notice.years_ahead", 2, "(70)", C.UNCONFIRMED, C.UNCONFIRMED),
    ("constraints.calendar_inclusion.deadline", MonthDay(11, 15), "(71)", C.UNCONFIRMED,
     C.UNCONFIRMED),
    # 6.2 evaluation: VD1994 text, VD11 numbers inferred
    ("evaluation.units_per_visit", 60, "(109)", C.UNCONFIRMED, C.CONFIRMED_PRIOR_TEXT),
    ("evaluation.max_per_year", 15, "(109)", C.UNCONFIRMED, C.CONFIRMED_PRIOR_TEXT),
    ("evaluation.same_state_share_denominator", 5, "(109)", C.UNCONFIRMED,
     C.CONFIRMED_PRIOR_TEXT),
    ("evaluation.small_quota_below", 5, "(109)", C.UNCONFIRMED, C.CONFIRMED_PRIOR_TEXT),
    ("evaluation.small_quota_same_state_max", 1, "(109)", C.UNCONFIRMED, C.CONFIRMED_PRIOR_TEXT),
    ("evaluation.max_per_unit_per_year", 2, "(109)", C.UNCONFIRMED, C.CONFIRMED_PRIOR_TEXT),
    ("evaluation.max_per_unit_per_state_per_year", 1, "(109)", C.UNCONFIRMED,
     C.CONFIRMED_PRIOR_TEXT),
    ("evaluation.max_at_once", 1, "(110)", C.UNCONFIRMED, C.CONFIRMED_PRIOR_TEXT),
    ("evaluation.activated_units_count", True, "(108.1)", C.UNCONFIRMED, C.CONFIRMED_PRIOR_TEXT),
    ("evaluation.not_counted", (VisitOutcome.DECLINED_UNIT_AWAY,), None, None, C.UNCONFIRMED),
    ("evaluation.request_days_ahead", 5, None, None, C.UNCONFIRMED),
    ("evaluation.reply_hours", 48, None, None, C.UNCONFIRMED),
    ("evaluation.max_hours", 12, None, None, C.UNCONFIRMED),
    ("evaluation.team_size", 3, None, None, C.UNCONFIRMED),
    # 6.1 inspection
    ("inspection.max_per_year", 3, None, None, C.SECONDARY),
    ("inspection.max_per_state_per_year", 1, "(75)", C.UNCONFIRMED, C.UNCONFIRMED),
    ("inspection.not_counted", (VisitOutcome.FORCE_MAJEURE,), "(76)", C.UNCONFIRMED,
     C.UNCONFIRMED),
    ("inspection.reply_hours", 24, None, None, C.UNCONFIRMED),
    ("inspection.entry_hours", 36, None, None, C.UNCONFIRMED),
    ("inspection.max_hours", 48, None, None, C.UNCONFIRMED),
    ("inspection.team_size", 4, None, None, C.UNCONFIRMED),
]


def test_the_shipped_rulesets_load() -> None:
    assert set(RULESETS) == {
        "vd1999", "vd2011", "vd2011-vdplus", "proposal-2016", "joint-proposal-2019"}
    assert {r.id for r in RULESETS.values() if r.status is Status.PROPOSAL} == {
        "proposal-2016", "joint-proposal-2019"}


@pytest.mark.parametrize(("key", "value", "paragraph", "paragraph_confidence", "confidence"),
                         VD2011_PROVISIONS, ids=[row[0] for row in VD2011_PROVISIONS])
def test_vd2011_carries_the_domain_references_value_and_labels(
        key: str, value: Any, paragraph: str | None, paragraph_confidence: Confidence | None,
        confidence: Confidence) -> None:
    provision = RULESETS["vd2011"].provision(key)
    assert provision.value == value
    assert provision.paragraph == paragraph
    assert provision.paragraph_confidence == paragraph_confidence
    assert provision.confidence == confidence


def test_vd2011_states_every_number_of_the_reference() -> None:
    stated = {p.key for p in RULESETS["vd2011"]}
    assert {row[0] for row in VD2011_PROVISIONS} <= stated


def test_vd2011_adoption_date_is_taken_from_the_title_page_of_fsc_doc_1_11() -> None:
    adopted = RULESETS["vd2011"].provision("dates.adopted")
    assert adopted.value == date(2011, 11, 30)
    assert adopted.confidence is Confidence.CONFIRMED
    assert adopted.sources == ("S1",)
    assert "20 November" in adopted.note  # S7's other date is named, not hidden


def test_vd1999_confirms_chapter_i_and_paragraph_109_by_its_own_text() -> None:
    """VD1999 (10.1.1) (S3) points to the evaluation quota as paragraph (109)."""
    vd1999 = RULESETS["vd1999"]
    declared = vd1999.provision("annual_exchange.declares_evaluation_quota")
    assert (declared.paragraph_confidence, declared.confidence) == (
        Confidence.CONFIRMED, Confidence.CONFIRMED)
    quota = vd1999.provision("evaluation.units_per_visit")
    assert (quota.paragraph, quota.paragraph_confidence) == ("(109)", Confidence.CONFIRMED)
    # (110) is VD1994 (108) + 2: inferred, not seen
    assert vd1999.provision("evaluation.max_at_once").paragraph_confidence is (
        Confidence.UNCONFIRMED)


def test_vd1999_has_its_own_dates_labelled_unconfirmed() -> None:
    vd1999 = RULESETS["vd1999"]
    adopted, in_force = (vd1999.provision("dates.adopted"), vd1999.provision("dates.in_force"))
    assert (adopted.value, in_force.value) == (date(1999, 11, 16), date(2000, 1, 1))
    assert {adopted.confidence, in_force.confidence} == {Confidence.UNCONFIRMED}
    assert vd1999.document is None


def test_vd2011_changed_no_number_of_vd1999() -> None:
    """S6's list of VD11 changes touches no threshold, time limit or quota."""
    changed = {d.key for d in differences(RULESETS["vd1999"], RULESETS["vd2011"])}
    assert changed == {"dates.adopted", "dates.in_force"}


def test_the_2019_joint_proposal_keeps_reported_ranges_and_gives_no_invented_figure() -> None:
    joint = RULESETS["joint-proposal-2019"]
    troops = joint.provision("notification.thresholds.land_forces.troops")
    assert troops.value is None
    assert troops.reported_range == (4000, 5000)
    assert joint.provision("observation.thresholds.land_forces.troops").reported_range == (
        6000, 9000)
    for measure in ("battle_tanks", "acvs", "artillery"):
        lowered = joint.provision(f"notification.thresholds.land_forces.{measure}")
        assert not lowered.defined
        assert "no figure" in lowered.note
    assert joint.provision("evaluation.team_size").value == 4


def test_the_2016_proposal_states_its_themes_without_figures() -> None:
    proposal = RULESETS["proposal-2016"]
    own = [p for p in proposal if p.ruleset_id == "proposal-2016"]
    assert own
    assert all(not p.defined for p in own)


def test_proposals_state_no_confirmed_figure_of_their_own() -> None:
    for ruleset in RULESETS.values():
        if ruleset.is_proposal:
            for provision in ruleset:
                if provision.ruleset_id == ruleset.id:
                    assert provision.confidence in (Confidence.UNCONFIRMED, Confidence.SECONDARY)


def test_a_proposal_inherits_what_it_does_not_restate(joint_2019: Any) -> None:
    lead = joint_2019.provision("notification.lead_time_days")
    assert (lead.value, lead.ruleset_id) == (42, "vd2011")
    assert "as in vd2011" in str(joint_2019.cite(lead))
    assert "(proposal)" in str(joint_2019.cite(lead))


def test_every_stated_provision_has_a_confidence_and_known_sources() -> None:
    for ruleset in RULESETS.values():
        for provision in ruleset:
            assert provision.confidence is not None
            assert provision.paragraph is None or provision.paragraph_confidence is not None
            assert set(provision.sources) <= set(ruleset.sources)


def test_differences_list_what_a_proposal_changes() -> None:
    changed = {d.key for d in differences(RULESETS["vd2011"], RULESETS["joint-proposal-2019"])}
    assert "notification.thresholds.land_forces.troops" in changed
    assert "evaluation.team_size" in changed
    assert "notification.lead_time_days" not in changed


def test_a_missing_value_is_reported_as_not_defined_in_this_ruleset(joint_2019: Any) -> None:
    with pytest.raises(NotDefinedError, match="not defined in this ruleset"):
        joint_2019.required(joint_2019.count("evaluation.units_per_visit"))


def test_load_ruleset_reads_one_file_and_the_file_it_extends() -> None:
    ruleset = load_ruleset(RULESETS_DIR / "vd2011-vdplus.yaml")
    assert ruleset.provision("notification.sub_threshold_major_activity").value is True
    assert ruleset.provision("notification.lead_time_days").value == 42


def test_unknown_keys_in_code_are_a_key_error(vd2011: Any) -> None:
    with pytest.raises(KeyError):
        vd2011.provision("notification.lead_time")
    with pytest.raises(KeyError):
        vd2011.month_day("notification.lead_time_days")


# -- malformed rulesets -------------------------------------------------------------------

def six(title: str) -> dict[str, str]:
    """A title's names in the six languages (the test's own stand-ins)."""
    return {"en": title, **{language: f"{title} ({language})"
                            for language in ("fr", "de", "it", "ru", "es")}}


GOOD: dict[str, Any] = {
    "id": "mine",
    "title": "A test ruleset",
    "names": six("A test ruleset"),
    "status": "agreed",
    "sources": {"S1": "a source"},
    "notification": {
        "lead_time_days": {
            "value": 42, "paragraph": "(38)", "paragraph_confidence": "unconfirmed",
            "confidence": "secondary", "sources": ["S1"],
        },
    },
}


def write(directory: Path, data: Any, name: str = "mine") -> Path:
    path = directory / f"{name}.yaml"
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data), encoding="utf-8")
    return path


def with_provision(key: str, provision: Any) -> dict[str, Any]:
    """GOOD plus one provision at a dotted key."""
    data = yaml.safe_load(yaml.safe_dump(GOOD))
    node = data
    *sections, last = key.split(".")
    for section in sections:
        node = node.setdefault(section, {})
    node[last] = provision
    return data


DROP: Any = object()  # a provision field to leave out


def lead_time(**changes: Any) -> dict[str, Any]:
    """GOOD with its one provision changed; a field given as DROP is left out."""
    provision = dict(GOOD["notification"]["lead_time_days"])
    for name, value in changes.items():
        if value is DROP:
            provision.pop(name, None)
        else:
            provision[name] = value
    return with_provision("notification.lead_time_days", provision)


def refused(path: Path) -> RulesetError:
    with pytest.raises(RulesetError) as caught:
        load_ruleset(path)
    error = caught.value
    assert path.name in str(error) or error.path.name in str(error)
    if error.field:
        assert error.field in str(error)
    return error


def test_the_good_example_loads(tmp_path: Path) -> None:
    assert load_ruleset(write(tmp_path, GOOD)).provision("notification.lead_time_days").value == 42


@pytest.mark.parametrize(("data", "field"), [
    ({**GOOD, "id": None}, "id"),
    ({**GOOD, "id": "other"}, "id"),
    ({**GOOD, "id": "Mine"}, "id"),
    ({**GOOD, "title": ""}, "title"),
    ({**GOOD, "names": None}, "names"),
    ({**GOOD, "names": {k: v for k, v in six("A test ruleset").items() if k != "ru"}},
     "names.ru"),
    ({**GOOD, "names": {**six("A test ruleset"), "es": " "}}, "names.es"),
    ({**GOOD, "names": {**six("A test ruleset"), "pt": "Um conjunto"}}, "names.pt"),
    ({**GOOD, "names": six("Another title")}, "names.en"),
    ({**GOOD, "status": "draft"}, "status"),
    ({**GOOD, "colour": "blue"}, "colour"),
    ({**GOOD, "sources": ["S1"]}, "sources"),
    ({**GOOD, "notification": 5}, "notification"),
    ({**GOOD, "extends": "mine"}, "extends"),
    ({**GOOD, "extends": "nowhere"}, "extends"),
    (with_provision("notification.lead_time", {}), "notification.lead_time"),
    (with_provision("notification.thresholds.sea.troops", {}), "notification.thresholds.sea"),
    (with_provision("notification.thresholds.land_forces.ships", {}),
     "notification.thresholds.land_forces.ships"),
    (with_provision("notification.lead_time_days", 42), "notification.lead_time_days"),
    (lead_time(confidence=DROP), "notification.lead_time_days.confidence"),
    (lead_time(confidence="sure"), "notification.lead_time_days.confidence"),
    (lead_time(confidence="CONFIRMED"), "notification.lead_time_days.confidence"),
    (lead_time(paragraph=DROP), "notification.lead_time_days.paragraph"),
    (lead_time(paragraph=38), "notification.lead_time_days.paragraph"),
    (lead_time(paragraph_confidence=DROP), "notification.lead_time_days.paragraph_confidence"),
    (lead_time(paragraph_confidence="likely"),
     "notification.lead_time_days.paragraph_confidence"),
    (lead_time(value=DROP), "notification.lead_time_days.value"),
    (lead_time(value="42 days"), "notification.lead_time_days.value"),
    (lead_time(value=-1), "notification.lead_time_days.value"),
    (lead_time(value=True), "notification.lead_time_days.value"),
    (lead_time(value=42.5), "notification.lead_time_days.value"),
    (lead_time(valeu=42), "notification.lead_time_days.valeu"),
    (lead_time(range=[30, 40]), "notification.lead_time_days"),
    (lead_time(value=DROP, range=[30, 40]), "notification.lead_time_days.range"),
    (lead_time(sources="S1"), "notification.lead_time_days.sources"),
    (lead_time(sources=["S99"]), "notification.lead_time_days.sources"),
    (lead_time(note=["a", "list"]), "notification.lead_time_days.note"),
    (with_provision("notification.thresholds.land_forces.troops", {
        "range": [5000, 4000], "paragraph": None, "confidence": "unconfirmed"}),
     "notification.thresholds.land_forces.troops.range"),
    (with_provision("notification.thresholds.land_forces.troops", {
        "range": [4000], "paragraph": None, "confidence": "unconfirmed"}),
     "notification.thresholds.land_forces.troops.range"),
    (with_provision("evaluation.units_per_visit", {
        "value": 0, "paragraph": None, "confidence": "unconfirmed"}),
     "evaluation.units_per_visit.value"),
    (with_provision("calendar.deadline", {
        "value": "31 November", "paragraph": None, "confidence": "unconfirmed"}),
     "calendar.deadline.value"),
    (with_provision("calendar.deadline", {
        "value": "November 15", "paragraph": None, "confidence": "unconfirmed"}),
     "calendar.deadline.value"),
    (with_provision("calendar.deadline", {
        "value": "29 February", "paragraph": None, "confidence": "unconfirmed"}),
     "calendar.deadline.value"),
    (with_provision("notification.operator", {
        "value": ">=", "paragraph": None, "confidence": "unconfirmed"}),
     "notification.operator.value"),
    (with_provision("notification.operator", {
        "value": ["at_least"], "paragraph": None, "confidence": "unconfirmed"}),
     "notification.operator.value"),
    ({**GOOD, "status": ["agreed"]}, "status"),
    (with_provision("notification.alert_at_start", {
        "value": "yes", "paragraph": None, "confidence": "unconfirmed"}),
     "notification.alert_at_start.value"),
    (with_provision("inspection.not_counted", {
        "value": ["bad_weather"], "paragraph": None, "confidence": "unconfirmed"}),
     "inspection.not_counted.value"),
    (with_provision("inspection.not_counted", {
        "value": ["force_majeure", "force_majeure"], "paragraph": None,
        "confidence": "unconfirmed"}),
     "inspection.not_counted.value"),
    (with_provision("dates.adopted", {
        "value": "last autumn", "paragraph": None, "confidence": "unconfirmed"}),
     "dates.adopted.value"),
], ids=lambda v: v if isinstance(v, str) else "")
def test_a_malformed_ruleset_is_refused_naming_the_file_and_the_field(
        tmp_path: Path, data: dict[str, Any], field: str) -> None:
    error = refused(write(tmp_path, data))
    assert error.path.name == "mine.yaml"
    assert error.field == field
    assert str(error).startswith(f"mine.yaml: {field}: ")


@pytest.mark.parametrize("text", ["id: [unclosed\n", "- a list\n- of things\n", ""])
def test_a_file_that_is_not_a_yaml_mapping_is_refused_naming_the_file(
        tmp_path: Path, text: str) -> None:
    error = refused(write(tmp_path, text))
    assert error.path.name == "mine.yaml"
    assert error.field is None


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    error = refused(write(tmp_path, "id: mine\ntitle: [unclosed\nstatus: agreed\n"))
    assert "line" in str(error)


def test_an_error_in_a_base_file_names_the_base_file(tmp_path: Path) -> None:
    write(tmp_path, lead_time(confidence="sure") | {"id": "base"}, name="base")
    child = write(tmp_path, {**GOOD, "extends": "base"})
    error = refused(child)
    assert error.path.name == "base.yaml"
    assert error.field == "notification.lead_time_days.confidence"


def test_an_unknown_source_is_named_in_the_file_that_cites_it(tmp_path: Path) -> None:
    write(tmp_path, {**GOOD, "id": "base"}, name="base")
    child = lead_time(sources=["S2"]) | {"extends": "base", "sources": {}}
    error = refused(write(tmp_path, child))
    assert (error.path.name, error.field) == ("mine.yaml", "notification.lead_time_days.sources")


def test_a_child_may_cite_the_sources_of_the_file_it_extends(tmp_path: Path) -> None:
    write(tmp_path, {**GOOD, "id": "base"}, name="base")
    child = lead_time(value=30) | {"extends": "base", "sources": {}}
    assert load_ruleset(write(tmp_path, child)).provision("notification.lead_time_days").value == 30


def test_extends_may_not_loop(tmp_path: Path) -> None:
    write(tmp_path, {**GOOD, "id": "base", "extends": "mine"}, name="base")
    error = refused(write(tmp_path, {**GOOD, "extends": "base"}))
    assert error.field == "extends"
    assert "mine -> base -> mine" in str(error)


def test_an_agreed_ruleset_may_not_extend_a_proposal(tmp_path: Path) -> None:
    write(tmp_path, {**GOOD, "id": "base", "status": "proposal"}, name="base")
    error = refused(write(tmp_path, {**GOOD, "extends": "base"}))
    assert (error.path.name, error.field) == ("mine.yaml", "extends")


def test_a_directory_refuses_two_files_with_one_id(tmp_path: Path) -> None:
    write(tmp_path, GOOD)
    (tmp_path / "mine.yml").write_text(yaml.safe_dump(GOOD), encoding="utf-8")
    with pytest.raises(RulesetError) as caught:
        load_rulesets(tmp_path)
    assert caught.value.field == "id"
    assert caught.value.path.name == "mine.yml"


def test_a_directory_names_the_missing_base(tmp_path: Path) -> None:
    write(tmp_path, {**GOOD, "extends": "nowhere"})
    with pytest.raises(RulesetError, match=r"mine\.yaml: extends: no ruleset 'nowhere'"):
        load_rulesets(tmp_path)


def test_a_user_can_add_a_ruleset_file_without_code(tmp_path: Path) -> None:
    """A regional arrangement restating one threshold, next to the shipped files."""
    for path in RULESETS_DIR.glob("*.yaml"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    write(tmp_path, {
        "id": "regional-example", "title": "A regional measure with a lower troop threshold",
        "names": six("A regional measure with a lower troop threshold"),
        "status": "agreed", "extends": "vd2011",
        "notification": {"thresholds": {"land_forces": {"troops": {
            "value": 6000, "paragraph": None, "confidence": "unconfirmed"}}}},
    }, name="regional-example")
    rulesets = load_rulesets(tmp_path)
    regional = rulesets["regional-example"]
    assert regional.provision("notification.thresholds.land_forces.troops").value == 6000
    assert regional.provision("observation.thresholds.land_forces.troops").value == 13000


def test_the_schema_keys_are_the_yaml_paths() -> None:
    assert "notification.thresholds.land_forces.troops" in SCHEMA
    assert all(key == key.strip(".") and ".." not in key for key in SCHEMA)
