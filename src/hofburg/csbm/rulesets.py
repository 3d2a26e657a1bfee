"""The engine's rulesets as the application sees them: read once from the reference data.

The files live under `settings.REFERENCE_DATA_DIR / "csbm" / "rulesets"` (see
data/csbm/README.md). They are parsed on first use and kept for the life of the process;
`clear_cache()` forgets them (tests that point REFERENCE_DATA_DIR elsewhere call it).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import get_language

from hofburg.core.i18n import localized
from hofburg.csbm.engine.classify import Classification, ThresholdCheck
from hofburg.csbm.engine.constraints import Breach
from hofburg.csbm.engine.rulesets import Citation, Ruleset, load_rulesets
from hofburg.csbm.engine.rulesets.names import read_provision_names

# The ruleset the desk judges records by unless told otherwise: the agreed text in force.
DEFAULT_RULESET = "vd2011"


class UnknownRuleset(LookupError):
    """A ruleset name that is not among the files; the message lists the known ones."""

    def __init__(self, name: str, known: list[str]) -> None:
        self.name = name
        self.known = known
        super().__init__(f"unknown ruleset {name!r}; known rulesets: {', '.join(known)}")


def rulesets_dir() -> Path:
    return Path(settings.REFERENCE_DATA_DIR) / "csbm" / "rulesets"


@cache
def _rulesets(directory: Path) -> dict[str, Ruleset]:
    return load_rulesets(directory)


def all_rulesets() -> dict[str, Ruleset]:
    """Every ruleset, keyed and sorted by id. A malformed file raises the engine's RulesetError."""
    return _rulesets(rulesets_dir())


def available_rulesets() -> list[str]:
    """The ids of the rulesets, sorted."""
    return list(all_rulesets())


def get_ruleset(name: str = DEFAULT_RULESET) -> Ruleset:
    """The ruleset with id `name`; UnknownRuleset (listing the known ones) for any other name."""
    rulesets = all_rulesets()
    try:
        return rulesets[name]
    except KeyError:
        raise UnknownRuleset(name, list(rulesets)) from None


def ruleset_in_force(on: date) -> Ruleset:
    """The agreed ruleset in force on `on`: the latest `dates.in_force` not after it.

    Falls back to DEFAULT_RULESET when no agreed ruleset states its entry into force.
    """
    best: tuple[date, Ruleset] | None = None
    for ruleset in all_rulesets().values():
        if ruleset.is_proposal:
            continue
        in_force = ruleset.provision("dates.in_force").value
        if isinstance(in_force, date) and in_force <= on and (best is None or in_force > best[0]):
            best = (in_force, ruleset)
    return best[1] if best else get_ruleset(DEFAULT_RULESET)


def provision_names_path() -> Path:
    return Path(settings.REFERENCE_DATA_DIR) / "csbm" / "provision_names.yaml"


@cache
def _provision_names(path: Path) -> Mapping[str, Mapping[str, str]]:
    return read_provision_names(path)


def provision_names() -> Mapping[str, Mapping[str, str]]:
    """Every provision's name in the six languages, by key (data/csbm/provision_names.yaml)."""
    return _provision_names(provision_names_path())


def ruleset_name(ruleset: Ruleset, language: str | None = None) -> str:
    """The ruleset's title in `language` (default: the request's), English when not given."""
    return localized(dict(ruleset.names), language or get_language(), fallback=ruleset.title)


def provision_name(key: str, language: str | None = None) -> str:
    """A provision's name in `language` (default: the request's); the key when it has none."""
    return localized(dict(provision_names().get(key, {})), language or get_language(),
                     fallback=key)


def clear_cache() -> None:
    _rulesets.cache_clear()
    _provision_names.cache_clear()


# -- the engine's answers as JSON-ready data (shared by the API and the CLI) ----------------


def citation_data(citation: Citation) -> dict[str, Any]:
    return {
        "ruleset": citation.ruleset_id,
        "stated_in": citation.stated_in,
        "key": citation.key,
        "name": provision_name(citation.key),
        "names": dict(provision_names().get(citation.key, {})),
        "value": citation.value,
        "paragraph": citation.paragraph,
        "paragraph_confidence": _label(citation.paragraph_confidence),
        "confidence": _label(citation.confidence),
        "sources": list(citation.sources),
        "text": str(citation),
    }


def classification_data(answer: Classification) -> dict[str, Any]:
    """One classification as JSON: the answers, the thresholds crossed (by field name), the
    undetermined ones, and the citations behind each answer."""
    def names(checks: Mapping[str, list[ThresholdCheck]]) -> dict[str, list[str]]:
        return {chapter: sorted({c.measure.value for c in found})
                for chapter, found in checks.items()}

    return {
        "ruleset": answer.ruleset_id,
        "proposal": answer.proposal,
        "subject": answer.subject,
        "not_subject_reason": answer.not_subject_reason or None,
        "notifiable": answer.notifiable,
        "observable": answer.observable,
        "notification_undetermined": answer.notification_undetermined,
        "observation_undetermined": answer.observation_undetermined,
        "notify_by": _iso(answer.notify_by),
        "invite_by": _iso(answer.invite_by),
        "calendar_required": answer.calendar_required,
        "calendar_by": _iso(answer.calendar_by),
        "advance_notice_by": _iso(answer.advance_notice_by),
        "air_component_included": answer.air_component_included,
        "thresholds_crossed": names(answer.thresholds_crossed),
        "thresholds_undetermined": names(answer.thresholds_undetermined),
        "checks": [str(check) for check in answer.checks],
        "not_defined": list(answer.not_defined),
        "notes": list(answer.notes),
        "citations": {key: [citation_data(c) for c in cited]
                      for key, cited in answer.citations.items()},
    }


def breach_data(breach: Breach) -> dict[str, Any]:
    return {
        "rule": breach.rule,
        "state": breach.state,
        "paragraph": breach.paragraph,
        "activities": list(breach.activities),
        "period": breach.period,
        "message": breach.message,
        "citations": [citation_data(c) for c in breach.citations],
    }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _label(value: Enum | None) -> str | None:
    return str(value.value) if value is not None else None
