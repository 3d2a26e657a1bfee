"""The glossary: its data in six languages, its page, its filter and the links to it."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import yaml
from django.test import Client
from django.urls import reverse

from hofburg.core import glossary
from hofburg.core.glossary import CONFIDENCE_LABELS, LANGUAGES, GlossaryError, read_glossary

DATA = Path(__file__).resolve().parents[2] / "data" / "glossary" / "terms.yaml"
DOMAIN_REFERENCES = ("vienna-document.md", "osce-organization.md", "election-observation.md",
                     "field-monitoring.md", "human-dimension.md")
# The terms users meet across the desks that the glossary must explain.
REQUIRED = ("csbm", "aiam", "notification", "observation", "inspection", "evaluation-visit",
            "pc-dec", "silence-procedure", "interpretative-statement", "eom", "lto-sto", "pvt",
            "margin-of-error", "iati", "hxl", "k-anonymity-suppression", "participating-state",
            "annual-exchange", "reporting-period", "confidence-label")


# -- the data ----------------------------------------------------------------------------------


def test_every_term_is_complete_in_the_six_languages_with_its_source_and_label() -> None:
    data = read_glossary(DATA)
    ids = [row.id for row in data.terms]
    assert set(REQUIRED) <= set(ids)
    for row in data.terms:
        for field in (row.term, row.definition, *([row.abbreviation] if row.abbreviation else [])):
            assert tuple(field) == LANGUAGES, row.id
            assert all(text.strip() for text in field.values()), row.id
        # A translation, not a copy of the English (abbreviations may be the same everywhere).
        assert len(set(row.definition.values())) == len(LANGUAGES), row.id
        assert row.confidence in CONFIDENCE_LABELS
        assert row.source.strip()
    # Sources name a text's paragraph or a domain reference (or, for HXL, its standard).
    assert sum(any(ref in row.source for ref in DOMAIN_REFERENCES) for row in data.terms) >= 25
    # The official Russian terms.
    by_id = {row.id: row for row in data.terms}
    assert by_id["participating-state"].term["ru"] == "государство-участник"
    assert by_id["annual-exchange"].term["ru"] == "ежегодный обмен военной информацией"


def _file(tmp_path: Path, change: dict[str, object], index: int = 0) -> Path:
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    data["terms"][index].update(change)
    path = tmp_path / "terms.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(("change", "message"), [
    ({"definition": {"en": "Only English."}}, r"term 1 \(participating-state\)\.definition: "
                                              r"has no text in fr, de, it, ru, es"),
    ({"term": dict.fromkeys((*LANGUAGES, "pt"), "x")},
     r"term 1 \(participating-state\)\.term: pt is not one of the six languages"),
    ({"confidence": "sure"}, r"term 1 \(participating-state\)\.confidence: 'sure' is not one of"),
    ({"source": " "}, r"term 1 \(participating-state\)\.source: must be a non-empty text"),
    ({"id": "consensus"}, r"term 'consensus' is listed twice"),
    ({"colour": "blue"}, r"term 1 \(participating-state\)\.colour: Extra inputs"),
])
def test_a_malformed_glossary_is_refused_naming_the_term_and_field(
        tmp_path: Path, change: dict[str, object], message: str) -> None:
    with pytest.raises(GlossaryError, match=message):
        read_glossary(_file(tmp_path, change))


# -- the page ----------------------------------------------------------------------------------


def entries(page: str) -> list[str]:
    return re.findall(r'<div class="glossary-entry" id="term-([a-z0-9-]+)"', page)


@pytest.mark.django_db
def test_the_glossary_page_lists_every_term_as_a_definition_list() -> None:
    response = Client().get(reverse("core:glossary"))
    assert response.status_code == 200
    page = response.content.decode()
    assert len(entries(page)) == len(glossary.glossary().terms)
    assert '<dl class="glossary" id="glossary-terms">' in page
    assert '<abbr title="Annual Implementation Assessment Meeting">AIAM</abbr>' in page
    assert "paragraph IV.1(A)6" in page
    assert 'data-glossary-filter' in page and "hofburg/glossary.js" in page
    assert "<script>" not in page  # no inline script (decision 0019)
    assert "UNCONFIRMED" in page  # the annual calendar's deadline is labelled


@pytest.mark.django_db
def test_the_glossary_is_in_the_readers_language() -> None:
    page = Client(HTTP_ACCEPT_LANGUAGE="ru").get(reverse("core:glossary")).content.decode()
    assert 'lang="ru"' in page
    assert "Ежегодное совещание по оценке выполнения" in page
    assert "процедура умолчания" in page
    french = html.unescape(
        Client(HTTP_ACCEPT_LANGUAGE="fr").get(reverse("core:glossary")).content.decode())
    assert "Réunion annuelle d'évaluation de l'application" in french


@pytest.mark.django_db
def test_the_filter_works_without_script_and_folds_case_and_accents() -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    found = entries(client.get(reverse("core:glossary"), {"q": "REUNION annuelle"})
                    .content.decode())
    assert found == ["aiam"]  # « Réunion annuelle d'évaluation de l'application »
    assert entries(Client().get(reverse("core:glossary"), {"q": "AIAM"}).content.decode()) == [
        "aiam"]
    none = Client().get(reverse("core:glossary"), {"q": "no-such-term"}).content.decode()
    assert entries(none) == [] and "No term matches." in none
    too_long = Client().get(reverse("core:glossary"), {"q": "x" * 101})
    assert too_long.status_code == 400


@pytest.mark.django_db
def test_every_page_links_to_the_glossary_from_its_footer() -> None:
    for name in ("core:home", "csbm:home", "monitoring:home", "registry:states"):
        page = Client().get(reverse(name)).content.decode()
        footer = page.split('<footer class="site-footer">', 1)[1]
        assert f'href="{reverse("core:glossary")}"' in footer, name


@pytest.mark.django_db
def test_desk_pages_link_their_terms_to_the_glossary_in_the_readers_language() -> None:
    page = Client(HTTP_ACCEPT_LANGUAGE="ru").get(reverse("csbm:home")).content.decode()
    assert '<a class="term" href="/glossary/#term-evaluation-visit">посещение по оценке</a>' in page
    english = Client().get(reverse("monitoring:home")).content.decode()
    assert '<a class="term" href="/glossary/#term-reporting-period">reporting period</a>' in english
