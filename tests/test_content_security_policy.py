"""No data reaches the DOM as markup, and the Content-Security-Policy allows no inline script
(decision 0019).

A guard over the sources: templates carry no inline script, no inline event handler, no
style= attribute and no eval-based htmx attribute; the page scripts build no markup from
strings and hand Leaflet text elements, never strings, for tooltips and popups. The browser
tests show the same pages running under the policy; this one fails at once when someone adds
one of these back, before any browser starts.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = sorted((ROOT / "src" / "hofburg").glob("*/templates/**/*.html"))
SCRIPTS = sorted((ROOT / "static" / "hofburg").glob("*.js"))

# Rendered by WeasyPrint into a PDF on the server, never served to a browser: the policy does
# not apply, and the report's print styles must travel inside the document.
PRINT_ONLY = {"monitoring/templates/monitoring/print_base.html"}

TAG = re.compile(r"<[a-zA-Z][^>]*>", re.DOTALL)
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
TEMPLATE_RULES = [
    (re.compile(r"\son[a-z]+\s*=", re.IGNORECASE), "an inline event handler (on...=)"),
    (re.compile(r"\sstyle\s*=", re.IGNORECASE), "a style= attribute"),
    (re.compile(r"\shx-on[:-]", re.IGNORECASE), "an hx-on attribute (htmx runs it with eval)"),
    (re.compile(r"""=\s*["']\s*(js|javascript):""", re.IGNORECASE),
     "a javascript: value (an address, or htmx's js: evaluation)"),
]
SCRIPT_RULES = [
    (re.compile(r"\.innerHTML\b"), "innerHTML"),
    (re.compile(r"\.outerHTML\s*="), "outerHTML ="),
    (re.compile(r"\binsertAdjacentHTML\b"), "insertAdjacentHTML"),
    (re.compile(r"\bdocument\.write"), "document.write"),
    (re.compile(r"\beval\s*\(|\bnew\s+Function\b"), "eval"),
    (re.compile(r"\bcreateContextualFragment\b|\bparseFromString\b"),
     "markup parsed from a string"),
    (re.compile(r"\.bind(Tooltip|Popup)\((?!hofburg\.(text|textAndLink)\()"),
     "a Leaflet tooltip or popup from a string (Leaflet reads it as markup)"),
    (re.compile(r"\.set(Tooltip|Popup)?Content\((?!hofburg\.text\()"),
     "Leaflet content from a string (Leaflet reads it as markup)"),
]


def _relative(path: Path) -> str:
    return str(path.relative_to(ROOT / "src" / "hofburg"))


def _line(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def test_the_guard_sees_the_templates_and_the_scripts() -> None:
    assert len(TEMPLATES) > 50 and len(SCRIPTS) > 5
    assert {_relative(path) for path in TEMPLATES} >= PRINT_ONLY


@pytest.mark.parametrize("template", TEMPLATES, ids=_relative)
def test_a_template_has_no_inline_script_handler_or_style(template: Path) -> None:
    text = template.read_text(encoding="utf-8")
    offences = []
    for match in SCRIPT_TAG.finditer(text):
        attributes = match.group(1)
        if "src=" not in attributes and 'type="application/json"' not in attributes:
            offences.append(f"line {_line(text, match.start())}: an inline <script>")
    for tag in TAG.finditer(text):
        for rule, what in TEMPLATE_RULES:
            if rule.search(tag.group(0)):
                offences.append(f"line {_line(text, tag.start())}: {what}")
    if _relative(template) not in PRINT_ONLY and re.search(r"<style\b", text, re.IGNORECASE):
        offences.append("a <style> element")
    if re.search(r"\|\s*safe\b|{%\s*autoescape\s+off", text):
        offences.append("escaping switched off (|safe or autoescape off)")
    assert offences == [], f"{_relative(template)}: {offences}"


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
def test_a_page_script_builds_no_markup_from_strings(script: Path) -> None:
    # Comments may name what is forbidden; only code counts.
    code = re.sub(r"/\*.*?\*/|//[^\n]*", "", script.read_text(encoding="utf-8"), flags=re.DOTALL)
    offences = [f"line {_line(code, m.start())}: {what}"
                for rule, what in SCRIPT_RULES for m in rule.finditer(code)]
    assert offences == [], f"{script.name}: {offences}"


@pytest.mark.parametrize("bad", [
    '<select onchange="this.form.submit()">', "<span style=\"width: 3%\">",
    "<button hx-on:click=\"alert(1)\">", '<a href="javascript:void(0)">',
])
def test_the_template_rules_catch_what_they_are_for(bad: str) -> None:
    assert any(rule.search(bad) for rule, _what in TEMPLATE_RULES)


@pytest.mark.parametrize("bad", [
    "node.innerHTML = label;", "node.outerHTML = x;", 'el.insertAdjacentHTML("beforeend", x);',
    "marker.bindTooltip(observer.label);", "layer.bindPopup('<b>' + name + '</b>');",
    "tooltip.setContent(text);",
])
def test_the_script_rules_catch_what_they_are_for(bad: str) -> None:
    assert any(rule.search(bad) for rule, _what in SCRIPT_RULES)


@pytest.mark.django_db
def test_every_page_carries_a_policy_without_inline_script_or_eval() -> None:
    response = Client().get("/")
    policy = {name: sources for name, *sources in
              (part.split() for part in response["Content-Security-Policy"].split(";"))}
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert not {"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'"} & {
        source for sources in policy.values() for source in sources}
