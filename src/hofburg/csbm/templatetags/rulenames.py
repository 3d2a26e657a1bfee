"""`{% load rulenames %}`: a ruleset's title and a provision's name in the reader's language.

`{{ ruleset|ruleset_name }}` ("Венский документ 2011 года …"), `{{ citation.key|provision_name }}`
("Prior notification: lead time (days)"); English where a language has no name.
`{{ citation.value|provision_value }}` writes a yearly day ("15 December") as the reader's
language does ("15 декабря"); other values as they stand.
"""

from __future__ import annotations

from django import template

from hofburg.core import dates
from hofburg.csbm import rulesets
from hofburg.csbm.engine.rulesets import Ruleset
from hofburg.csbm.engine.terms import MonthDay

register = template.Library()


@register.filter
def ruleset_name(ruleset: Ruleset | None) -> str:
    return "" if ruleset is None else rulesets.ruleset_name(ruleset)


@register.filter
def provision_name(key: str | None) -> str:
    return "" if not key else rulesets.provision_name(key)


@register.filter
def provision_value(value: object) -> str:
    text = str(value)
    try:
        yearly = MonthDay.parse(text)
    except ValueError:
        return text
    return dates.day_of_year(yearly.month, yearly.day)
