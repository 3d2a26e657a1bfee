"""The bodies, their series and the mechanisms, read from data/decisions/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from hofburg.decisions.engine.rules import (
    CONFIDENCE_LABELS,
    DATA_DIR,
    OFFICIAL_LANGUAGES,
    BodyRules,
    DecisionRulesError,
    SeriesRule,
    load_bodies,
    load_mechanisms,
    load_suffixes,
)

BODIES = load_bodies()


# -- the shipped files -----------------------------------------------------------------------


def test_the_four_decision_making_bodies() -> None:
    assert list(BODIES) == ["PC", "FSC", "MC", "SUMMIT"]
    assert BODIES["PC"].name("en") == "Permanent Council"
    assert BODIES["FSC"].name("en") == "Forum for Security Co-operation"
    assert BODIES["MC"].name("en") == "Ministerial Council"


def test_a_name_falls_back_to_english_where_none_is_known() -> None:
    assert BODIES["PC"].name("de") == "Ständiger Rat"
    assert BODIES["PC"].name("de-AT") == "Ständiger Rat"
    assert BODIES["PC"].name("ru") == "Permanent Council"


def test_silence_is_for_the_pc_and_fsc_confirmed_and_the_mc_unconfirmed() -> None:
    assert (BODIES["PC"].silence, BODIES["PC"].silence_confidence) == (True, "confirmed")
    assert (BODIES["FSC"].silence, BODIES["FSC"].silence_confidence) == (True, "confirmed")
    assert (BODIES["MC"].silence, BODIES["MC"].silence_confidence) == (True, "unconfirmed")
    assert BODIES["SUMMIT"].silence is False


def test_the_series_and_how_they_are_numbered() -> None:
    per_year = {rule.prefix: rule.per_year for body in BODIES.values()
                for rule in body.series.values()}
    assert per_year == {
        "PC.DEC": False, "PC.DD": True, "PC.JOUR": False, "PC.DEL": True,
        "FSC.DEC": True, "FSC.DD": True, "FSC.JOUR": False, "FSC.DEL": True,
        "MC.DEC": True, "MC.DD": True, "MC.DOC": True, "MC.JOUR": False,
    }


def test_the_series_the_reference_does_not_confirm_are_labelled_so() -> None:
    labels = {rule.prefix: rule.confidence for body in BODIES.values()
              for rule in body.series.values()}
    assert {prefix for prefix, label in labels.items() if label != "confirmed"} == {
        "FSC.DEC", "FSC.DD", "FSC.JOUR", "FSC.DEL", "MC.DEC", "MC.JOUR"}


def test_every_row_has_a_confidence_label_and_a_source() -> None:
    for body in BODIES.values():
        assert body.names_confidence in CONFIDENCE_LABELS and body.names_source
        assert body.silence_confidence in CONFIDENCE_LABELS and body.silence_source
        assert set(body.names) <= set(OFFICIAL_LANGUAGES)
        for rule in body.series.values():
            assert rule.confidence in CONFIDENCE_LABELS and rule.source, rule.prefix
            assert rule.start == 1
    for suffix in load_suffixes().values():
        assert suffix.confidence in CONFIDENCE_LABELS and suffix.source
    for mechanism in load_mechanisms().values():
        assert mechanism.confidence in CONFIDENCE_LABELS and mechanism.source, mechanism.code
        assert mechanism.basis_confidence in CONFIDENCE_LABELS


def test_the_suffix_kinds() -> None:
    assert {kind: s.meaning for kind, s in load_suffixes().items()} == {
        "Rev": "revision", "Corr": "corrigendum", "Add": "addendum"}


def test_the_mechanisms() -> None:
    mechanisms = load_mechanisms()
    assert list(mechanisms) == [
        "consensus", "consensus_minus_one", "consensus_minus_two", "vienna_human_dimension",
        "moscow", "berlin_emergency", "vd_chapter_iii", "valletta"]
    consensus = mechanisms["consensus"]
    assert consensus.confidence == "confirmed"
    assert "II(A)2" in consensus.basis
    assert consensus.wording.startswith("Consensus shall be understood to mean the absence")
    assert mechanisms["consensus_minus_one"].basis_confidence == "disputed"
    assert mechanisms["consensus_minus_one"].objections_disregarded == 1
    assert mechanisms["consensus_minus_two"].objections_disregarded == 2
    alone = [m for m in mechanisms.values() if m.kind == "invoked_alone"]
    assert len(alone) == 5
    assert all(m.confidence == "unconfirmed" for m in alone)


def test_the_default_files_are_the_repositorys() -> None:
    assert load_bodies(DATA_DIR / "bodies.yaml") == BODIES


# -- formatting symbols ----------------------------------------------------------------------


@pytest.mark.parametrize(("body", "series", "number", "year", "suffixes", "symbol"), [
    ("PC", "DEC", 1307, None, (), "PC.DEC/1307"),
    ("PC", "JOUR", 1296, None, (), "PC.JOUR/1296"),
    ("PC", "DD", 8, 2019, (), "PC.DD/8/19"),
    ("MC", "DD", 1, 2019, ("Rev.1",), "MC.DD/1/19/Rev.1"),
    ("MC", "DOC", 1, 2006, (), "MC.DOC/1/06"),
    ("PC", "DEL", 1346, 2018, ("Corr.1",), "PC.DEL/1346/18/Corr.1"),
    ("PC", "DEC", 1307, None, ("Add.1",), "PC.DEC/1307/Add.1"),
    ("MC", "DD", 8, 2019, ("Rev.2", "Corr.1"), "MC.DD/8/19/Rev.2/Corr.1"),
    ("FSC", "DEC", 3, 2100, (), "FSC.DEC/3/00"),
])
def test_symbols(body: str, series: str, number: int, year: int | None,
                 suffixes: tuple[str, ...], symbol: str) -> None:
    assert BODIES[body].series[series].format(number, year, suffixes) == symbol


def test_a_year_is_required_for_a_series_numbered_per_year() -> None:
    with pytest.raises(ValueError, match=r"PC\.DD is numbered per year"):
        BODIES["PC"].series["DD"].format(8)


def test_a_year_is_refused_for_a_sequential_series() -> None:
    with pytest.raises(ValueError, match=r"PC\.DEC is numbered sequentially"):
        BODIES["PC"].series["DEC"].format(1307, 2018)


@pytest.mark.parametrize("year", [19, 0, True])
def test_the_year_is_a_full_year(year: int) -> None:
    with pytest.raises(ValueError, match="full year"):
        BODIES["PC"].series["DD"].format(8, year)


@pytest.mark.parametrize("number", [0, -3, True])
def test_the_number_is_a_whole_number_from_one(number: int) -> None:
    with pytest.raises(ValueError, match="from 1"):
        BODIES["PC"].series["DEC"].format(number)


@pytest.mark.parametrize("suffix", ["Rev1", "rev.1", "Rev.0", "Amend.1", "/Rev.1", "Rev.1000"])
def test_an_unknown_suffix_is_refused(suffix: str) -> None:
    with pytest.raises(ValueError, match="is not a suffix"):
        BODIES["PC"].series["DEC"].format(1307, suffixes=[suffix])


# -- malformed files -------------------------------------------------------------------------


def _bodies_document() -> Any:
    return yaml.safe_load((DATA_DIR / "bodies.yaml").read_text(encoding="utf-8"))


def _write(tmp_path: Path, document: object, name: str = "bodies.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


def test_a_series_row_without_confidence_names_the_file_the_row_and_the_field(
    tmp_path: Path
) -> None:
    document = _bodies_document()
    del document["bodies"][1]["series"][0]["confidence"]
    with pytest.raises(DecisionRulesError) as caught:
        load_bodies(_write(tmp_path, document))
    assert str(caught.value) == (
        "bodies.yaml, bodies[2] (code=FSC), field 'series.DEC.confidence': required")
    assert (caught.value.file, caught.value.row, caught.value.field) == (
        "bodies.yaml", "bodies[2] (code=FSC)", "series.DEC.confidence")


def test_a_label_outside_the_references_is_refused(tmp_path: Path) -> None:
    document = _bodies_document()
    document["bodies"][0]["series"][0]["confidence"] = "sure"
    with pytest.raises(DecisionRulesError, match=(
            r"bodies\.yaml, bodies\[1\] \(code=PC\), field 'series\.DEC\.confidence': "
            r"Input should be 'confirmed', 'secondary', 'unconfirmed' or 'disputed'")):
        load_bodies(_write(tmp_path, document))


def test_a_per_year_that_is_not_a_boolean_is_refused(tmp_path: Path) -> None:
    document = _bodies_document()
    document["bodies"][0]["series"][0]["per_year"] = "no"
    with pytest.raises(DecisionRulesError, match=(
            r"bodies\[1\] \(code=PC\), field 'series\.DEC\.per_year': "
            r"Input should be a valid boolean")):
        load_bodies(_write(tmp_path, document))


def test_a_series_listed_twice_is_refused(tmp_path: Path) -> None:
    document = _bodies_document()
    series = document["bodies"][0]["series"]
    series.append(dict(series[0]))
    with pytest.raises(DecisionRulesError, match=r"bodies\[1\] \(code=PC\): series DEC is "
                                                 r"listed twice"):
        load_bodies(_write(tmp_path, document))


def test_a_body_listed_twice_is_refused(tmp_path: Path) -> None:
    document = _bodies_document()
    document["bodies"].append(document["bodies"][0])
    with pytest.raises(DecisionRulesError, match=r"bodies\.yaml: body PC is listed twice"):
        load_bodies(_write(tmp_path, document))


def test_a_name_in_a_language_that_is_not_official_is_refused(tmp_path: Path) -> None:
    document = _bodies_document()
    document["bodies"][0]["names"]["pl"] = "Rada Stała"
    with pytest.raises(DecisionRulesError, match=r"bodies\[1\] \(code=PC\): names: pl is not "
                                                 r"one of the official languages"):
        load_bodies(_write(tmp_path, document))


def test_a_body_without_an_english_name_is_refused(tmp_path: Path) -> None:
    document = _bodies_document()
    del document["bodies"][3]["names"]["en"]
    with pytest.raises(DecisionRulesError, match=r"\(code=SUMMIT\): names: the English name"):
        load_bodies(_write(tmp_path, document))


def test_an_unknown_field_is_refused(tmp_path: Path) -> None:
    document = _bodies_document()
    document["bodies"][2]["quorum"] = 10
    with pytest.raises(DecisionRulesError, match=r"bodies\[3\] \(code=MC\), field 'quorum': "
                                                 r"unknown field"):
        load_bodies(_write(tmp_path, document))


def test_a_mechanism_without_a_source_is_refused(tmp_path: Path) -> None:
    document = yaml.safe_load((DATA_DIR / "mechanisms.yaml").read_text(encoding="utf-8"))
    del document["mechanisms"][4]["source"]
    with pytest.raises(DecisionRulesError, match=(
            r"mechanisms\.yaml, mechanisms\[5\] \(code=moscow\), field 'source': required")):
        load_mechanisms(_write(tmp_path, document, "mechanisms.yaml"))


@pytest.mark.parametrize(("row", "count", "message"), [
    (0, None, r"\(code=consensus\): objections_disregarded: required for a rule of kind "
              r"adoption"),
    (1, 0, r"\(code=consensus_minus_one\): objections_disregarded: 0 does not fit kind "
           r"exception"),
    (0, 1, r"\(code=consensus\): objections_disregarded: 1 does not fit kind adoption"),
    (4, 1, r"\(code=moscow\): objections_disregarded: a mechanism invoked alone adopts no "
           r"decision"),
])
def test_the_objections_set_aside_must_fit_the_kind(tmp_path: Path, row: int, count: int | None,
                                                    message: str) -> None:
    document = yaml.safe_load((DATA_DIR / "mechanisms.yaml").read_text(encoding="utf-8"))
    if count is None:
        del document["mechanisms"][row]["objections_disregarded"]
    else:
        document["mechanisms"][row]["objections_disregarded"] = count
    with pytest.raises(DecisionRulesError, match=message):
        load_mechanisms(_write(tmp_path, document, "mechanisms.yaml"))


def test_no_rule_sets_aside_more_objections_than_the_engine_knows(tmp_path: Path) -> None:
    document = yaml.safe_load((DATA_DIR / "mechanisms.yaml").read_text(encoding="utf-8"))
    document["mechanisms"][2]["objections_disregarded"] = 3
    with pytest.raises(DecisionRulesError, match=r"\(code=consensus_minus_two\), field "
                                                 r"'objections_disregarded': Input should be "
                                                 r"less than or equal to 2"):
        load_mechanisms(_write(tmp_path, document, "mechanisms.yaml"))


def test_a_file_that_is_not_yaml_is_named(tmp_path: Path) -> None:
    path = tmp_path / "bodies.yaml"
    path.write_text("bodies: [\n  - code: PC\n", encoding="utf-8")
    with pytest.raises(DecisionRulesError, match=r"bodies\.yaml: is not valid YAML at line"):
        load_bodies(path)


def test_a_file_that_is_not_a_mapping_is_named(tmp_path: Path) -> None:
    with pytest.raises(DecisionRulesError, match=r"bodies\.yaml: must hold a mapping"):
        load_bodies(_write(tmp_path, ["PC", "FSC"]))


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(DecisionRulesError, match=r"nowhere\.yaml: cannot be read"):
        load_bodies(tmp_path / "nowhere.yaml")


def test_a_wrong_schema_version_is_refused(tmp_path: Path) -> None:
    document = _bodies_document()
    document["schema_version"] = 2
    with pytest.raises(DecisionRulesError, match="field 'schema_version'"):
        load_bodies(_write(tmp_path, document))


def test_a_series_rule_given_to_the_wrong_body_is_refused() -> None:
    rule = SeriesRule(body="FSC", series="DEC", per_year=True, confidence="unconfirmed",
                      source="x")
    with pytest.raises(ValueError, match=r"belongs to FSC\.DEC, not PC\.DEC"):
        BodyRules(code="PC", names={"en": "Permanent Council"}, names_confidence="confirmed",
                  names_source="x", silence=True, silence_confidence="confirmed",
                  silence_source="x", series={"DEC": rule})
