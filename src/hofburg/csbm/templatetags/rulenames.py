"""`{% load rulenames %}`: a ruleset's title and a provision's name in the reader's language.

`{{ ruleset|ruleset_name }}` ("Венский документ 2011 года …"), `{{ citation.key|provision_name }}`
("Prior notification: lead time (days)"); English where a language has no name.
"""

from __future__ import annotations

from django import template

from hofburg.csbm import rulesets
from hofburg.csbm.engine.rulesets import Ruleset

register = template.Library()


@register.filter
def ruleset_name(ruleset: Ruleset | None) -> str:
    return "" if ruleset is None else rulesets.ruleset_name(ruleset)


@register.filter
def provision_name(key: str | None) -> str:
    return "" if not key else rulesets.provision_name(key)
