"""One date and time form per language across the platform, every time labelled with its zone.

Pages show dates with `{% load when %}` (`|day`, `|month`, `|moment`, `|clock`: CLDR through
Babel, `hofburg.core.dates`); machine-readable values (`<time datetime>`, inputs, links) keep
ISO 8601. A template that writes its own visible pattern ("j M Y", "H:i") is refused.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

SRC = Path(__file__).resolve().parents[2] / "src" / "hofburg"
TEMPLATES = sorted(SRC.glob("*/templates/**/*.html"))
VISIBLE_FORMATS = {"Y"}  # a year alone; every other shown date goes through `when`
DATE_FILTER = re.compile(r"\|date:([\"'])(.*?)\1")
IN_ATTRIBUTE = re.compile(r"\b[\w-]+=[\"'][^\"'<>]*$")


def visible_patterns(text: str) -> list[str]:
    """The `|date:` patterns of `text` that a reader sees (not inside an attribute value)."""
    found = []
    for match in DATE_FILTER.finditer(text):
        start = text.rfind("{{", 0, match.start())
        block = text.rfind("{%", 0, match.start())
        if block > start:  # {% blocktranslate with day=…|date:"…" %}: shown in the sentence
            found.append(match.group(2))
            continue
        if not IN_ATTRIBUTE.search(text[max(0, start - 200):start]):
            found.append(match.group(2))
    return found


def test_the_scan_tells_a_shown_pattern_from_an_attribute() -> None:
    text = ('<time datetime="{{ d|date:\'Y-m-d\' }}">{{ d|date:"j M Y" }}</time>'
            '{% blocktranslate with day=d|date:"Y-m-d" %}from {{ day }}{% endblocktranslate %}'
            '<input value="{{ d|date:\'c\' }}">{{ d|date:"DATE_FORMAT" }}')
    assert visible_patterns(text) == ["j M Y", "Y-m-d", "DATE_FORMAT"]


def test_templates_show_dates_in_the_language_s_own_form() -> None:
    assert len(TEMPLATES) > 50
    offences = [f"{path.relative_to(SRC)}: |date:{pattern!r}"
                for path in TEMPLATES
                for pattern in visible_patterns(path.read_text(encoding="utf-8"))
                if pattern not in VISIBLE_FORMATS]
    assert offences == [], "use |day, |month, |moment or |clock ({% load when %})"


def test_no_template_shows_a_time_without_its_zone() -> None:
    offences = [str(path.relative_to(SRC)) for path in TEMPLATES
                if re.search(r"\|(time|timezone)\b|DATETIME_FORMAT|TIME_FORMAT\"",
                             path.read_text(encoding="utf-8"))]
    assert offences == [], "a time is shown with |moment or |clock, which name its zone"


def render(source: str, language: str, **context: object) -> str:
    with translation.override(language):
        return Template("{% load when %}" + source).render(Context(context))


MOMENT = datetime(2026, 3, 6, 18, 30, tzinfo=UTC)


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "6 March 2026 · 6 Mar 2026 · March 2026"),
    ("ru", "6 марта 2026\u202fг. · 6 мар. 2026\u202fг. · март 2026\u202fг."),  # CLDR's narrow space
    ("de", "6. März 2026 · 06.03.2026 · März 2026"),
    ("fr", "6 mars 2026 · 6 mars 2026 · mars 2026"),
    ("it", "6 marzo 2026 · 6 mar 2026 · marzo 2026"),
    ("es", "6 de marzo de 2026 · 6 mar 2026 · marzo de 2026"),
])
def test_a_day_in_each_language(language: str, expected: str) -> None:
    assert render('{{ d|day }} · {{ d|day:"short" }} · {{ d|month }}', language,
                  d=date(2026, 3, 6)) == expected


def test_a_moment_is_labelled_with_its_zone() -> None:
    assert render("{{ m|moment }}", "en", m=MOMENT) == "6 March 2026, 19:30 CET"
    assert render('{{ m|moment:"Europe/Kyiv" }}', "ru", m=MOMENT) == (
        "6 марта 2026\u202fг., 20:30 EET")
    assert render('{{ m|clock:"Europe/Vienna" }}', "de", m=MOMENT) == "19:30 CET"
    summer = datetime(2026, 7, 1, 8, 0, tzinfo=UTC)
    assert render("{{ m|moment }}", "fr", m=summer) == "1 juillet 2026, 10:00 CEST"
    assert render("{{ m|day }}", "en", m=datetime(2026, 3, 6, 23, 30, tzinfo=UTC)) == \
        "7 March 2026"  # the day in the site's zone (Vienna), not in UTC
    assert render("{{ m|moment }}{{ m|day }}", "en", m=None) == ""
