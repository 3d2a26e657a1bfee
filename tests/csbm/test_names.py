"""Ruleset titles and provision names in six languages: in the data, the pages and the API."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from django.test import Client
from django.urls import reverse

from hofburg.csbm import rulesets
from hofburg.csbm.engine.rulesets import SCHEMA, RulesetError
from hofburg.csbm.engine.rulesets.names import read_provision_names
from tests.csbm.engine.support import RULESETS
from tests.csbm.test_pages import Desk, desk, text  # noqa: F401 (the fixture)

LANGUAGES = ("en", "fr", "de", "it", "ru", "es")
NAMES_FILE = Path(__file__).resolve().parents[2] / "data" / "csbm" / "provision_names.yaml"
API = "/api/v1/csbm"


# -- the data ----------------------------------------------------------------------------------


@pytest.mark.parametrize("ruleset_id", sorted(RULESETS))
def test_every_ruleset_has_its_title_in_the_six_languages(ruleset_id: str) -> None:
    ruleset = RULESETS[ruleset_id]
    assert tuple(ruleset.names) == LANGUAGES
    assert ruleset.names["en"] == ruleset.title
    assert all(name.strip() for name in ruleset.names.values())
    # A translation, not the English copied: every language's title differs from the English.
    assert len({ruleset.names[language] for language in LANGUAGES}) == len(LANGUAGES)


def test_every_provision_has_a_name_in_the_six_languages() -> None:
    names = read_provision_names(NAMES_FILE)
    assert set(names) == set(SCHEMA)
    for key in SCHEMA:
        assert tuple(names[key]) == LANGUAGES, key
        assert all(name.strip() for name in names[key].values()), key
        assert names[key]["ru"] != names[key]["en"], key
    # No two provisions share a name in any language.
    for language in LANGUAGES:
        assert len({names[key][language] for key in SCHEMA}) == len(SCHEMA), language


def test_a_threshold_is_named_from_its_chapter_category_and_measure() -> None:
    names = read_provision_names(NAMES_FILE)
    key = "notification.thresholds.land_forces.troops"
    assert names[key]["en"] == "Notification threshold — land forces, troops"
    assert names[key]["ru"] == "Порог уведомления — сухопутные войска, войска"
    assert names["annual_exchange.deadline"]["ru"] == "Ежегодный обмен военной информацией: срок"


def _names_file(tmp_path: Path, change: dict[str, object]) -> Path:
    data = yaml.safe_load(NAMES_FILE.read_text(encoding="utf-8"))
    for dotted, value in change.items():
        section, key = dotted.split("/")
        if value is None:
            del data[section][key]
        else:
            data[section][key] = value
    path = tmp_path / "provision_names.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(("change", "field"), [
    ({"provisions/calendar.deadline": None}, "provisions.calendar.deadline"),
    ({"measures/sorties": None}, "measures.sorties"),
    ({"provisions/calendar.deadline": {"en": "Annual calendar: deadline"}},
     "provisions.calendar.deadline.fr"),
    ({"provisions/calendar.deadline": dict.fromkeys((*LANGUAGES, "pt"), "x")},
     "provisions.calendar.deadline.pt"),
    ({"provisions/calendar.dead_line": dict.fromkeys(LANGUAGES, "x")},
     "provisions.calendar.dead_line"),
    ({"provisions/notification.thresholds.air.sorties": dict.fromkeys(LANGUAGES, "x")},
     "provisions.notification.thresholds.air.sorties"),
])
def test_a_names_file_missing_a_name_or_a_language_is_refused(
        tmp_path: Path, change: dict[str, object], field: str) -> None:
    with pytest.raises(RulesetError) as caught:
        read_provision_names(_names_file(tmp_path, change))
    assert caught.value.field == field
    assert str(caught.value).startswith(f"provision_names.yaml: {field}: ")


# -- pages and API -----------------------------------------------------------------------------


def test_the_what_if_page_names_the_rulesets_and_provisions_in_the_readers_language(
        desk: Desk) -> None:  # noqa: F811 (the fixture)
    english = text(Client().get(reverse("csbm:what_if")))
    assert "Notification threshold — land forces, troops" in english
    assert "Joint Proposal to modernize the Vienna Document (2019)" in english
    russian = text(Client(HTTP_ACCEPT_LANGUAGE="ru").get(reverse("csbm:what_if")))
    assert "Порог уведомления — сухопутные войска, войска" in russian
    assert "Совместное предложение о модернизации Венского документа (2019 год)" in russian
    assert "<code>notification.thresholds.land_forces.troops</code>" in russian
    assert "Joint Proposal to modernize" not in russian


def test_the_checker_cites_provisions_by_name(desk: Desk) -> None:  # noqa: F811
    page = text(Client(HTTP_ACCEPT_LANGUAGE="de").post(reverse("csbm:checker_answer"), {
        "ruleset": "vd2011", "type": "land", "start": "2026-09-01", "end": "2026-09-05",
        "troops": "9500"}))
    assert "Ankündigungsschwelle — Landstreitkräfte, Truppen" in page
    assert "Wiener Dokument 2011 über vertrauens- und sicherheitsbildende Maßnahmen" in page


@pytest.mark.django_db
def test_the_api_gives_each_ruleset_a_name_beside_its_names(client: Client) -> None:
    by_id = {r["id"]: r for r in client.get(f"{API}/rulesets", {"lang": "fr"}).json()}
    vd2011 = by_id["vd2011"]
    assert vd2011["name"] == "Document de Vienne 2011 sur les mesures de confiance et de sécurité"
    assert vd2011["title"] == vd2011["names"]["en"]
    assert set(vd2011["names"]) == set(LANGUAGES)
    russian = Client(HTTP_ACCEPT_LANGUAGE="ru").get(f"{API}/rulesets").json()
    assert {r["id"]: r["name"] for r in russian}["vd1999"].startswith("Венский документ 1999")


@pytest.mark.django_db
def test_the_api_lists_every_provision_with_its_names(client: Client) -> None:
    body = client.get(f"{API}/provisions", {"lang": "es"}).json()
    assert [p["key"] for p in body] == list(SCHEMA)
    lead = {p["key"]: p for p in body}["notification.lead_time_days"]
    assert lead["name"] == "Notificación previa: antelación (días)"
    assert lead["names"]["en"] == "Prior notification: lead time (days)"
    figures = {"start": "2026-06-01", "end": "2026-06-10", "troops": 9500}
    cited = client.get(f"{API}/classify", figures).json()["citations"]["notifiable"][0]
    assert cited["names"]["it"] and cited["name"] == cited["names"]["en"]


def test_an_unknown_key_is_named_by_itself() -> None:
    assert rulesets.provision_name("no.such.key", "ru") == "no.such.key"
