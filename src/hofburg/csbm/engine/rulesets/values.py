"""What a ruleset is once read: its provisions, each with its paragraph and confidence labels.

A ruleset is a YAML file (format in data/csbm/README.md; read by `loading.py`). Each value is a
*provision* that carries the paragraph it comes from and how far value and paragraph number have
been checked. A provision restated with `value: null` is "not defined in this ruleset" (for
example a proposal that lowers a threshold without a published figure).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar, cast

from hofburg.csbm.engine.rulesets.schema import SCHEMA, Kind
from hofburg.csbm.engine.terms import Confidence, MonthDay, Operator, Status, VisitOutcome
from hofburg.notes import Note, gettext_noop

V = TypeVar("V")


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
        if self.note:
            # The note is the ruleset file's own English.
            return Note(gettext_noop("{key} is not defined in this ruleset ({ruleset}): "
                                     "{note}"), key=self.key, ruleset=ruleset_id, note=self.note)
        return Note(gettext_noop("{key} is not defined in this ruleset ({ruleset})"),
                    key=self.key, ruleset=ruleset_id)


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
    names: Mapping[str, str] = field(default_factory=dict)  # the title in the six languages

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
