"""The withdrawal rules' weapons, instruments, sides and lines named in the six languages in the
data (decision 0058), refused without them, and shown in the reader's language: the daily
report's weapons and their explanation, and the map's zone labels. The API's explanation stays
English."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.test import Client
from django.utils import translation

from hofburg.core.notes import explain
from hofburg.monitoring.engine.withdrawal import (
    WithdrawalError,
    load_withdrawal_rules,
    withdrawal_rules_from_mapping,
)
from hofburg.monitoring.intake.patrol_reports import submit_weapon_sighting
from hofburg.notes import LANGUAGES, Names, note_data, note_from_data
from tests.conftest import Cast
from tests.monitoring.test_pages import REPORT_DATE, WHEN

RULES = Path(__file__).resolve().parents[2] / "data" / "monitoring" / "withdrawal_rules.yaml"
MLRS_RU = "реактивные системы залпового огня"
MLRS_FR = "lance-roquettes multiples"


def _data() -> dict[str, Any]:
    return yaml.safe_load(RULES.read_text(encoding="utf-8"))


def test_every_name_users_read_is_given_in_the_six_languages() -> None:
    rules = load_withdrawal_rules(RULES)
    named: list[Names] = [*rules.sides.values(), *rules.line_labels.values()]
    named += [rule.description for rule in rules.rules]
    named += [rule.instrument.title for rule in rules.rules]
    for name in named:
        assert isinstance(name, Names)
        assert set(name.names) == set(LANGUAGES)
        assert name.names["en"] == str(name)
        # A translation, not the English copied.
        assert all(name.names[lang] != str(name) for lang in LANGUAGES if lang != "en"), name
    mlrs = rules.rule_for("mlrs").description.names
    assert mlrs["ru"].startswith(MLRS_RU) and mlrs["fr"].startswith(MLRS_FR)
    assert rules.line_labels["line_of_contact"].names["ru"] == "фактическая линия соприкосновения"
    assert rules.rule_for("mlrs").instrument.title.names["ru"] == \
        "Комплекс мер по выполнению Минских соглашений"


def test_names_leave_the_sources_and_labels_as_they_were() -> None:
    rules = load_withdrawal_rules(RULES)
    assert [(r.weapon_class, r.confidence, r.reference_line_confidence) for r in rules.rules] == [
        ("artillery_100mm_and_above", "derived", "confirmed"), ("mlrs", "derived", "confirmed"),
        ("long_range_mlrs_and_tactical_missiles", "derived", "confirmed"),
        ("tank", "secondary", "unconfirmed"), ("artillery_below_100mm", "secondary", "unconfirmed"),
        ("mortar_up_to_120mm", "secondary", "unconfirmed"),
        ("mortar_above_120mm", "unconfirmed", "confirmed")]
    assert [r["source_ids"] for r in _data()["rules"]][1] == ["package-text-unsc-2202"]


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d["rules"][1]["names"].pop("ru"), r"rules\.mlrs\.names\.ru: is required"),
    (lambda d: d["rules"][1].pop("names"), r"rules\.mlrs\.names: must name it in each"),
    (lambda d: d["sides"][0]["names"].update(uk="українські війська"),
     r"sides\.ukrainian_forces\.names\.uk: is not one of the six languages"),
    (lambda d: d["reference_lines"][0]["names"].update(en="the line"),
     r"reference_lines\.line_of_contact\.names\.en: must be the label as given"),
    (lambda d: d["instruments"][0]["names"].update(fr="  "),
     r"instruments\.package-2015\.names\.fr: is required"),
])
def test_a_file_missing_a_name_or_a_language_is_refused(change: Any, message: str) -> None:
    data = _data()
    change(data)
    with pytest.raises(WithdrawalError, match=message):
        withdrawal_rules_from_mapping(data)


def test_a_name_is_english_text_that_keeps_its_languages_when_stored() -> None:
    name = load_withdrawal_rules(RULES).rule_for("mlrs").description
    assert name == "multiple-launch rocket systems (e.g. BM-21 Grad), other than those of " \
                   "the 140 km zone"
    assert pickle.loads(pickle.dumps(name)).names == name.names  # noqa: S301 (our own bytes)
    with translation.override("fr"):
        assert explain(name).startswith(MLRS_FR)
    with translation.override("pt"):  # not an OSCE language: the English
        assert explain(name) == str(name)


@pytest.mark.django_db
def test_a_check_explains_itself_in_english_and_keeps_the_names_for_other_languages(
        cast: Cast) -> None:
    sighting, _ = submit_weapon_sighting(cast.mona, "ws-names", observed_at=WHEN, lon=-31.5,
                                         lat=48.2, weapon_class="mlrs", count=2,
                                         is_exercise=True)
    explanation = sighting.compliance["explanation"]
    assert explanation.startswith("multiple-launch rocket systems")
    assert "Package of Measures for the Implementation of the Minsk Agreements" in explanation
    notes = [note_from_data(item) for item in sighting.compliance["notes"]]
    assert all(note is not None for note in notes)
    with translation.override("ru"):
        said = " ".join(explain(note) for note in notes)
    assert MLRS_RU in said and "Комплекс мер по выполнению Минских соглашений" in said
    assert "multiple-launch" not in said
    assert note_data(notes[0]) == sighting.compliance["notes"][0]


@pytest.mark.django_db
def test_the_daily_report_names_the_weapons_in_russian_and_french(cast: Cast) -> None:
    submit_weapon_sighting(cast.mona, "ws-names", observed_at=WHEN, lon=-31.5, lat=48.2,
                           weapon_class="mlrs", count=2, is_exercise=True)
    reader = cast.client(cast.carol)
    russian = reader.get(f"/monitoring/reports/{REPORT_DATE}/", HTTP_ACCEPT_LANGUAGE="ru")
    assert russian.status_code == 200
    page = russian.content.decode()
    assert page.count(MLRS_RU) >= 2  # the weapons column and the explanation
    assert "Комплекс мер по выполнению Минских соглашений" in page
    french = reader.get(f"/monitoring/reports/{REPORT_DATE}/",
                        HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert MLRS_FR in french and "Ensemble de mesures en vue de" in french
    english = reader.get(f"/monitoring/reports/{REPORT_DATE}/").content.decode()
    assert "multiple-launch rocket systems" in english and MLRS_RU not in english


@pytest.mark.parametrize(("language", "weapons", "side", "line"), [
    ("ru", MLRS_RU, "украинские войска", "фактическая линия соприкосновения"),
    ("fr", MLRS_FR, "troupes ukrainiennes", "la ligne de contact de facto"),
])
def test_the_map_labels_its_zones_in_the_readers_language(
        language: str, weapons: str, side: str, line: str) -> None:
    layers = Client(HTTP_ACCEPT_LANGUAGE=language).get("/monitoring/map/layers.json").json()
    labels = " ".join(f["properties"]["label"] for f in layers["zones"]["features"])
    assert weapons in labels and side in labels and line in labels
    assert "multiple-launch" not in labels
