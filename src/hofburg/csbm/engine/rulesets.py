"""Rulesets: every threshold, time limit, quota and cap of one version of the rules, as data.

A ruleset is a YAML file (format in data/csbm/README.md). Each value is a *provision* that
carries the paragraph it comes from and how far value and paragraph number have been checked.
A ruleset may `extends:` another one and restate only what it changes; a provision restated
with `value: null` is "not defined in this ruleset" (for example a proposal that lowers a
threshold without a published figure). A malformed file raises `RulesetError` naming the file
and the field.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from types import MappingProxyType
from typing import Any, Generic, TypeVar, cast

import yaml

from hofburg.csbm.engine.terms import (
    Category,
    Confidence,
    Measure,
    MonthDay,
    Operator,
    Status,
    VisitOutcome,
)

V = TypeVar("V")


class Kind(Enum):
    """What a provision's value is."""

    COUNT = "a whole number of 0 or more"
    POSITIVE = "a whole number of 1 or more"
    THRESHOLD = "a whole number of 0 or more, or a reported range [low, high]"
    MONTH_DAY = "a day and a month such as '15 December'"
    OPERATOR = "one of: at_least, more_than"
    FLAG = "true or false"
    OUTCOMES = "a list of: " + ", ".join(o.value for o in VisitOutcome)
    DATE = "a date such as 2011-12-01"


def _threshold_keys(chapter: str) -> dict[str, Kind]:
    return {
        f"{chapter}.thresholds.{category}.{measure}": Kind.THRESHOLD
        for category in Category
        for measure in Measure
    }


# Every provision a ruleset may state. The dotted key is the path in the YAML file.
SCHEMA: Mapping[str, Kind] = MappingProxyType({
    "dates.adopted": Kind.DATE,
    "dates.in_force": Kind.DATE,
    # Where the measures apply: the zone of application for CSBMs
    "zone_of_application.inside_only": Kind.FLAG,
    # Chapter I: annual exchange of military information
    "annual_exchange.deadline": Kind.MONTH_DAY,
    "annual_exchange.valid_from": Kind.MONTH_DAY,
    "annual_exchange.declares_evaluation_quota": Kind.FLAG,
    "deployment_plans.deadline": Kind.MONTH_DAY,
    # Chapter II
    "defence_planning.months_after_budget_approval": Kind.COUNT,
    # Chapter III
    "risk_reduction.reply_hours": Kind.COUNT,
    "risk_reduction.meeting_hours": Kind.COUNT,
    # Chapter IV
    "contacts.air_base_visit_interval_years": Kind.POSITIVE,
    # Chapter V
    "notification.lead_time_days": Kind.COUNT,
    "notification.operator": Kind.OPERATOR,
    **_threshold_keys("notification"),
    "notification.formation_qualifier.min_brigades_or_regiments": Kind.COUNT,
    "notification.formation_qualifier.transfer_min_brigades_or_regiments": Kind.COUNT,
    "notification.air_component_sorties": Kind.COUNT,
    "notification.alert_at_start": Kind.FLAG,
    "notification.sub_threshold_major_activity": Kind.FLAG,
    # Chapter VI
    "observation.operator": Kind.OPERATOR,
    **_threshold_keys("observation"),
    "observation.invitation_lead_time_days": Kind.COUNT,
    "observation.reply_days": Kind.COUNT,
    "observation.observers_per_state": Kind.COUNT,
    "observation.alert_more_than_hours": Kind.COUNT,
    "observation.transfer_at_concentration": Kind.FLAG,
    # Chapter VII
    "calendar.deadline": Kind.MONTH_DAY,
    # Chapter VIII
    "constraints.operator": Kind.OPERATOR,
    "constraints.large.troops": Kind.COUNT,
    "constraints.large.battle_tanks": Kind.COUNT,
    "constraints.large.max_activities": Kind.COUNT,
    "constraints.large.window_years": Kind.POSITIVE,
    "constraints.medium.troops": Kind.COUNT,
    "constraints.medium.battle_tanks": Kind.COUNT,
    "constraints.medium.max_per_year": Kind.COUNT,
    "constraints.medium_upper.troops": Kind.COUNT,
    "constraints.medium_upper.battle_tanks": Kind.COUNT,
    "constraints.medium_upper.max_per_year": Kind.COUNT,
    "constraints.simultaneous.troops": Kind.COUNT,
    "constraints.simultaneous.battle_tanks": Kind.COUNT,
    "constraints.simultaneous.max_at_once": Kind.COUNT,
    "constraints.advance_notice.deadline": Kind.MONTH_DAY,
    "constraints.advance_notice.years_ahead": Kind.COUNT,
    "constraints.calendar_inclusion.deadline": Kind.MONTH_DAY,
    "constraints.outside_calendar_as_few_as_possible": Kind.FLAG,
    # Chapter IX: evaluation
    "evaluation.units_per_visit": Kind.POSITIVE,
    "evaluation.max_per_year": Kind.COUNT,
    "evaluation.same_state_share_denominator": Kind.POSITIVE,
    "evaluation.small_quota_below": Kind.COUNT,
    "evaluation.small_quota_same_state_max": Kind.COUNT,
    "evaluation.max_per_unit_per_year": Kind.COUNT,
    "evaluation.max_per_unit_per_state_per_year": Kind.COUNT,
    "evaluation.max_at_once": Kind.COUNT,
    "evaluation.activated_units_count": Kind.FLAG,
    "evaluation.not_counted": Kind.OUTCOMES,
    "evaluation.request_days_ahead": Kind.COUNT,
    "evaluation.reply_hours": Kind.COUNT,
    "evaluation.max_hours": Kind.COUNT,
    "evaluation.team_size": Kind.COUNT,
    # Chapter IX: inspection
    "inspection.max_per_year": Kind.COUNT,
    "inspection.max_per_state_per_year": Kind.COUNT,
    "inspection.not_counted": Kind.OUTCOMES,
    "inspection.reply_hours": Kind.COUNT,
    "inspection.entry_hours": Kind.COUNT,
    "inspection.max_hours": Kind.COUNT,
    "inspection.team_size": Kind.COUNT,
})

_HEADER_FIELDS = ("id", "title", "status", "extends", "document", "note", "sources")
_SECTIONS = frozenset(key.split(".", 1)[0] for key in SCHEMA)
_PROVISION_FIELDS = (
    "value", "range", "paragraph", "paragraph_confidence", "confidence", "sources", "note",
)
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class RulesetError(ValueError):
    """A ruleset file is malformed; names the file and, where there is one, the field."""

    def __init__(self, path: Path | str, field: str | None, message: str) -> None:
        self.path = Path(path)
        self.field = field
        self.message = message
        where = f"{self.path.name}: {field}" if field else self.path.name
        super().__init__(f"{where}: {message}")


class NotDefinedError(LookupError):
    """The ruleset does not define a value the question needs."""

    def __init__(self, provision: Provision[Any], ruleset_id: str) -> None:
        self.provision = provision
        self.ruleset_id = ruleset_id
        super().__init__(provision.not_defined_message(ruleset_id))


@dataclass(frozen=True)
class Citation:
    """Where an answer comes from: a provision of a ruleset and how far it has been checked.

    `ruleset_id` is the ruleset asked; `stated_in` the file that states the provision (the
    ruleset it extends, when it does not restate it).
    """

    ruleset_id: str
    proposal: bool
    stated_in: str
    key: str
    value: str
    paragraph: str | None
    paragraph_confidence: Confidence | None
    confidence: Confidence | None
    sources: tuple[str, ...] = ()

    def __str__(self) -> str:
        ruleset = self.ruleset_id + (" (proposal)" if self.proposal else "")
        if self.stated_in != self.ruleset_id:
            ruleset += f" as in {self.stated_in}"
        if self.paragraph is None:
            where = "paragraph not identified"
        elif self.paragraph_confidence is Confidence.CONFIRMED:
            where = self.paragraph
        else:
            where = f"{self.paragraph} (paragraph number {self.paragraph_confidence})"
        label = self.confidence.value if self.confidence else "not stated"
        if self.sources:
            label += "; " + ", ".join(self.sources)
        return f"{ruleset} {where}: {self.key} = {self.value} ({label})"


@dataclass(frozen=True)
class Provision(Generic[V]):
    """One value of a ruleset with its paragraph and confidence labels.

    `value` is None when the ruleset does not define it; a reported range (a proposal's
    "about 4,000-5,000") is kept in `reported_range` instead of a single value.
    `stated` is False when the ruleset file does not mention the provision at all.
    """

    key: str
    value: V | None
    paragraph: str | None = None
    paragraph_confidence: Confidence | None = None
    confidence: Confidence | None = None
    sources: tuple[str, ...] = ()
    note: str = ""
    reported_range: tuple[int, int] | None = None
    ruleset_id: str = ""
    stated: bool = True

    @property
    def defined(self) -> bool:
        return self.value is not None or self.reported_range is not None

    def value_text(self) -> str:
        if self.reported_range is not None:
            low, high = self.reported_range
            return f"reported range {low:,}-{high:,}"
        if self.value is None:
            return "not defined"
        if isinstance(self.value, bool):
            return "yes" if self.value else "no"
        if isinstance(self.value, int):
            return f"{self.value:,}"
        if isinstance(self.value, tuple):
            return ", ".join(str(v) for v in self.value) or "none"
        return str(self.value)

    def not_defined_message(self, ruleset_id: str) -> str:
        message = f"{self.key} is not defined in this ruleset ({ruleset_id})"
        return f"{message}: {self.note}" if self.note else message


@dataclass(frozen=True, repr=False)
class Ruleset:
    """One version of the rules (VD1999, VD2011, a proposal), after `extends:` is resolved."""

    id: str
    title: str
    status: Status
    path: Path
    provisions: Mapping[str, Provision[Any]]
    sources: Mapping[str, str] = field(default_factory=dict)
    extends: str | None = None
    document: str | None = None
    note: str = ""

    @property
    def is_proposal(self) -> bool:
        return self.status is Status.PROPOSAL

    def provision(self, key: str) -> Provision[Any]:
        """The provision at `key`; an unstated placeholder when the file does not mention it.

        Raises KeyError for a key that no ruleset can hold (a typing error in code).
        """
        if key not in SCHEMA:
            raise KeyError(f"{key} is not a ruleset provision")
        found = self.provisions.get(key)
        if found is not None:
            return found
        return Provision(key=key, value=None, ruleset_id=self.id, stated=False)

    def count(self, key: str) -> Provision[int]:
        return cast(Provision[int], self._of_kind(key, Kind.COUNT, Kind.POSITIVE, Kind.THRESHOLD))

    def month_day(self, key: str) -> Provision[MonthDay]:
        return cast(Provision[MonthDay], self._of_kind(key, Kind.MONTH_DAY))

    def operator(self, key: str) -> Provision[Operator]:
        return cast(Provision[Operator], self._of_kind(key, Kind.OPERATOR))

    def flag(self, key: str) -> Provision[bool]:
        return cast(Provision[bool], self._of_kind(key, Kind.FLAG))

    def outcomes(self, key: str) -> Provision[tuple[VisitOutcome, ...]]:
        return cast(Provision[tuple[VisitOutcome, ...]], self._of_kind(key, Kind.OUTCOMES))

    def required(self, provision: Provision[V]) -> V:
        """The provision's single value, or NotDefinedError naming what is missing."""
        if provision.value is None:
            raise NotDefinedError(provision, self.id)
        return provision.value

    def cite(self, provision: Provision[Any] | str) -> Citation:
        if isinstance(provision, str):
            provision = self.provision(provision)
        return Citation(
            ruleset_id=self.id,
            proposal=self.is_proposal,
            stated_in=provision.ruleset_id or self.id,
            key=provision.key,
            value=provision.value_text(),
            paragraph=provision.paragraph,
            paragraph_confidence=provision.paragraph_confidence,
            confidence=provision.confidence,
            sources=provision.sources,
        )

    def __iter__(self) -> Iterator[Provision[Any]]:
        return iter(self.provisions.values())

    def __repr__(self) -> str:
        return f"Ruleset({self.id!r}, {self.status.value})"

    def _of_kind(self, key: str, *kinds: Kind) -> Provision[Any]:
        if key not in SCHEMA:
            raise KeyError(f"{key} is not a ruleset provision")
        if SCHEMA[key] not in kinds:
            raise KeyError(f"{key} holds {SCHEMA[key].value}")
        return self.provision(key)


@dataclass(frozen=True)
class Difference:
    """A provision whose value differs between two rulesets."""

    key: str
    before: Provision[Any]
    after: Provision[Any]


def differences(before: Ruleset, after: Ruleset) -> list[Difference]:
    """The provisions whose values differ between two rulesets, in schema order (what-if)."""
    found = []
    for key in SCHEMA:
        a, b = before.provision(key), after.provision(key)
        if (a.value, a.reported_range) != (b.value, b.reported_range):
            found.append(Difference(key=key, before=a, after=b))
    return found


# -- loading ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _File:
    """One ruleset file, checked on its own (before `extends:` is resolved)."""

    path: Path
    id: str
    title: str
    status: Status
    extends: str | None
    document: str | None
    note: str
    sources: dict[str, str]
    provisions: dict[str, Provision[Any]]


def load_ruleset(path: Path | str) -> Ruleset:
    """Load one ruleset file; a ruleset it extends is read from the same directory."""
    path = Path(path)
    directory = path.parent
    read: dict[str, _File] = {}

    def lookup(ruleset_id: str, wanted_by: _File) -> _File:
        if ruleset_id not in read:
            candidates = [directory / f"{ruleset_id}.yaml", directory / f"{ruleset_id}.yml"]
            found = next((c for c in candidates if c.is_file()), None)
            if found is None:
                raise RulesetError(
                    wanted_by.path, "extends", f"no ruleset {ruleset_id!r} in {directory}")
            read[ruleset_id] = _read_file(found)
        return read[ruleset_id]

    top = _read_file(path)
    read[top.id] = top
    return _resolve(top, lookup)


def load_rulesets(directory: Path | str) -> dict[str, Ruleset]:
    """Load every *.yaml / *.yml ruleset in `directory`, keyed and sorted by id."""
    directory = Path(directory)
    if not directory.is_dir():
        raise RulesetError(directory, None, "is not a directory")
    files: dict[str, _File] = {}
    paths = sorted([*directory.glob("*.yaml"), *directory.glob("*.yml")])
    for path in paths:
        one = _read_file(path)
        if one.id in files:
            other = files[one.id].path.name
            raise RulesetError(path, "id", f"{one.id!r} is also the id of {other}")
        files[one.id] = one

    def lookup(ruleset_id: str, wanted_by: _File) -> _File:
        if ruleset_id not in files:
            raise RulesetError(
                wanted_by.path, "extends", f"no ruleset {ruleset_id!r} in {directory}")
        return files[ruleset_id]

    return {ruleset_id: _resolve(files[ruleset_id], lookup) for ruleset_id in sorted(files)}


def _resolve(top: _File, lookup: Callable[[str, _File], _File]) -> Ruleset:
    chain = [top]
    while chain[-1].extends is not None:
        base = lookup(chain[-1].extends, chain[-1])
        if base in chain:
            names = " -> ".join(f.id for f in [*chain, base])
            raise RulesetError(chain[-1].path, "extends", f"extends itself: {names}")
        if chain[-1].status is Status.AGREED and base.status is Status.PROPOSAL:
            raise RulesetError(
                chain[-1].path, "extends",
                f"an agreed ruleset cannot extend the proposal {base.id!r}")
        chain.append(base)
    sources: dict[str, str] = {}
    provisions: dict[str, Provision[Any]] = {}
    for one in reversed(chain):  # the base first, so that each file overrides what it extends
        sources.update(one.sources)
        provisions.update(one.provisions)
    files = {one.id: one for one in chain}
    for provision in provisions.values():
        for source in provision.sources:
            if source not in sources:
                raise RulesetError(
                    files[provision.ruleset_id].path, f"{provision.key}.sources",
                    f"{source!r} is not listed under 'sources'")
    ordered = {key: provisions[key] for key in SCHEMA if key in provisions}
    return Ruleset(
        id=top.id,
        title=top.title,
        status=top.status,
        path=top.path,
        provisions=MappingProxyType(ordered),
        sources=MappingProxyType(sources),
        extends=top.extends,
        document=top.document,
        note=top.note,
    )


def _read_file(path: Path) -> _File:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise RulesetError(path, None, f"cannot be read: {error.strerror}") from error
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise RulesetError(path, None, f"is not valid YAML{where}") from error
    if not isinstance(data, dict):
        raise RulesetError(path, None, "must be a mapping of fields")

    for key in data:
        if key not in _HEADER_FIELDS and key not in _SECTIONS:
            raise RulesetError(path, str(key), "is not a ruleset field or section")
    ruleset_id = _required_text(path, data, "id")
    if not _ID.match(ruleset_id):
        raise RulesetError(path, "id", "must be lower-case letters, digits and hyphens")
    if ruleset_id != path.stem:
        raise RulesetError(path, "id", f"{ruleset_id!r} must match the file name {path.stem!r}")
    title = _required_text(path, data, "title")
    status_text = _required_text(path, data, "status")
    try:
        status = Status(status_text)
    except ValueError:
        raise RulesetError(path, "status", "must be 'agreed' or 'proposal'") from None
    extends = _text(path, data, "extends")
    if extends == ruleset_id:
        raise RulesetError(path, "extends", "a ruleset cannot extend itself")

    sources = data.get("sources") or {}
    if not isinstance(sources, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in sources.items()
    ):
        raise RulesetError(path, "sources", "must map source ids (S1, S2, ...) to descriptions")

    provisions: dict[str, Provision[Any]] = {}
    for section in _SECTIONS:
        if section in data:
            _walk(path, ruleset_id, section, data[section], provisions)
    return _File(
        path=path,
        id=ruleset_id,
        title=title,
        status=status,
        extends=extends,
        document=_text(path, data, "document"),
        note=_text(path, data, "note") or "",
        sources=dict(sources),
        provisions=provisions,
    )


def _text(path: Path, data: dict[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise RulesetError(path, key, "must be a non-empty text")
    return value.strip()


def _required_text(path: Path, data: dict[str, Any], key: str) -> str:
    value = _text(path, data, key)
    if value is None:
        raise RulesetError(path, key, "is required")
    return value


def _walk(path: Path, ruleset_id: str, key: str, node: object,
          into: dict[str, Provision[Any]]) -> None:
    if key in SCHEMA:
        into[key] = _provision(path, ruleset_id, key, SCHEMA[key], node)
        return
    if not isinstance(node, dict):
        raise RulesetError(path, key, "must be a mapping")
    for child, value in node.items():
        child_key = f"{key}.{child}"
        if child_key not in SCHEMA and not any(k.startswith(child_key + ".") for k in SCHEMA):
            raise RulesetError(path, child_key, "is not a known provision")
        _walk(path, ruleset_id, child_key, value, into)


def _provision(path: Path, ruleset_id: str, key: str, kind: Kind, node: object) -> Provision[Any]:
    if not isinstance(node, dict):
        raise RulesetError(
            path, key, "must be a mapping with value, paragraph and confidence")
    for name in node:
        if name not in _PROVISION_FIELDS:
            raise RulesetError(path, f"{key}.{name}", "is not a provision field")
    if "value" in node and "range" in node:
        raise RulesetError(path, key, "gives both 'value' and 'range'; give one")
    if "value" not in node and "range" not in node:
        raise RulesetError(path, f"{key}.value", "is required (null when not defined)")
    for required in ("paragraph", "confidence"):
        if required not in node:
            raise RulesetError(path, f"{key}.{required}", "is required (paragraph may be null)")

    paragraph = node["paragraph"]
    if paragraph is not None and (not isinstance(paragraph, str) or not paragraph.strip()):
        raise RulesetError(path, f"{key}.paragraph", "must be a text such as '(40.1.1)' or null")
    confidence = _confidence(path, f"{key}.confidence", node["confidence"])
    paragraph_confidence = None
    if paragraph is not None:
        if "paragraph_confidence" not in node:
            raise RulesetError(path, f"{key}.paragraph_confidence",
                               "is required when a paragraph is given")
        paragraph_confidence = _confidence(
            path, f"{key}.paragraph_confidence", node["paragraph_confidence"])
    sources = node.get("sources") or []
    if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
        raise RulesetError(path, f"{key}.sources", "must be a list of source ids")
    note = node.get("note") or ""
    if not isinstance(note, str):
        raise RulesetError(path, f"{key}.note", "must be a text")

    reported_range = None
    value: object = None
    if "range" in node:
        if kind is not Kind.THRESHOLD:
            raise RulesetError(path, f"{key}.range", "only thresholds may give a reported range")
        reported_range = _range(path, f"{key}.range", node["range"])
    else:
        value = _value(path, f"{key}.value", kind, node["value"])
    return Provision(
        key=key,
        value=value,
        paragraph=paragraph.strip() if isinstance(paragraph, str) else None,
        paragraph_confidence=paragraph_confidence,
        confidence=confidence,
        sources=tuple(sources),
        note=note.strip(),
        reported_range=reported_range,
        ruleset_id=ruleset_id,
    )


def _confidence(path: Path, key: str, value: object) -> Confidence:
    labels = {c.value: c for c in Confidence}
    if not isinstance(value, str) or value not in labels:
        raise RulesetError(path, key, f"{value!r} is not one of: {', '.join(labels)}")
    return labels[value]


def _is_count(value: object) -> bool:
    # YAML's true/false are Python bools, which are ints: refuse them as counts.
    return isinstance(value, int) and not isinstance(value, bool)


def _range(path: Path, key: str, value: object) -> tuple[int, int]:
    if (
        not isinstance(value, list) or len(value) != 2
        or not all(_is_count(v) and v >= 0 for v in value)
    ):
        raise RulesetError(path, key, "must be [low, high], two whole numbers of 0 or more")
    low, high = value
    if low >= high:
        raise RulesetError(path, key, f"low {low} must be below high {high}")
    return (low, high)


def _value(path: Path, key: str, kind: Kind, value: object) -> object:
    if value is None:
        return None
    problem = f"must be {kind.value}, not {value!r}"
    if kind in (Kind.COUNT, Kind.THRESHOLD, Kind.POSITIVE):
        minimum = 1 if kind is Kind.POSITIVE else 0
        if not _is_count(value) or cast(int, value) < minimum:
            raise RulesetError(path, key, problem)
        return value
    if kind is Kind.MONTH_DAY:
        if not isinstance(value, str):
            raise RulesetError(path, key, problem)
        try:
            return MonthDay.parse(value)
        except ValueError as error:
            raise RulesetError(path, key, str(error)) from None
    if kind is Kind.OPERATOR:
        operators = {o.value: o for o in Operator}
        if not isinstance(value, str) or value not in operators:
            raise RulesetError(path, key, problem)
        return operators[value]
    if kind is Kind.FLAG:
        if not isinstance(value, bool):
            raise RulesetError(path, key, problem)
        return value
    if kind is Kind.OUTCOMES:
        if not isinstance(value, list):
            raise RulesetError(path, key, problem)
        known = {o.value: o for o in VisitOutcome}
        if not all(isinstance(v, str) and v in known for v in value):
            raise RulesetError(path, key, problem)
        outcomes = tuple(known[v] for v in value)
        if len(set(outcomes)) != len(outcomes):
            raise RulesetError(path, key, "lists an outcome twice")
        return outcomes
    # Kind.DATE: YAML reads 2011-12-01 as a date already.
    if isinstance(value, datetime) or not isinstance(value, date):
        raise RulesetError(path, key, problem)
    return value
