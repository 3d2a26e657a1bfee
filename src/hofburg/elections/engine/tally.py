"""Statement figures the ODIHR way (election-observation.md §1.3, §1.4 and "Implications").

The unit is the form: a station visited twice counts twice. For each question the denominator
`n` excludes the choices named `na` and `not_observed` and unanswered questions; every
percentage is given with its `n`. A four-point assessment (a select_one whose choices are
`very_good, good, bad, very_bad`, plus the excluded names) also gets `negative_pct`, the share
assessed negatively (bad + very bad). No weights, no margins of error: an observation
deployment is not a probability sample.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

EXCLUDED = frozenset({"na", "not_observed"})
FOUR_POINT = ("very_good", "good", "bad", "very_bad")
NEGATIVE = frozenset({"bad", "very_bad"})


@dataclass(frozen=True)
class Question:
    """A question the tally counts: its XLSForm name, its type (`select_one`,
    `select_multiple`, or anything else, counted by value) and its choice names in order."""

    name: str
    kind: str = "select_one"
    choices: tuple[str, ...] = ()

    @property
    def four_point(self) -> bool:
        rated = tuple(c for c in self.choices if c not in EXCLUDED)
        return self.kind == "select_one" and rated == FOUR_POINT


@dataclass
class QuestionFigures:
    name: str
    four_point: bool
    forms: int = 0
    excluded: int = 0
    blank: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def n(self) -> int:
        """The denominator: forms that answered with something other than na/not_observed."""
        return self.forms - self.excluded - self.blank

    def pct(self, count: int) -> float | None:
        return None if self.n == 0 else round(100.0 * count / self.n, 1)

    @property
    def negative(self) -> int:
        return sum(self.counts.get(name, 0) for name in NEGATIVE)

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "question": self.name,
            "forms": self.forms,
            "n": self.n,
            "excluded": self.excluded,
            "blank": self.blank,
            "counts": dict(self.counts),
            "percentages": {name: self.pct(count) for name, count in self.counts.items()},
        }
        if self.four_point:
            data["negative"] = self.negative
            data["negative_pct"] = self.pct(self.negative)
        return data


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def tally_question(question: Question, answers: Iterable[Any]) -> QuestionFigures:
    """Count one question over the forms' answers (one answer per form; None = unanswered).

    A select_multiple answer is the space-separated choice names, as XForms store it: each
    chosen name counts once for the form, and the form once in `n`. The answers are counted
    once by distinct value (a checklist has few), then each value is classified."""
    figures = QuestionFigures(question.name, question.four_point)
    for name in question.choices:
        if name not in EXCLUDED:
            figures.counts[name] = 0
    for value, times in Counter(answers).items():
        figures.forms += times
        if _is_blank(value):
            figures.blank += times
            continue
        if question.kind == "select_multiple":
            chosen = [part for part in str(value).split() if part]
            if chosen and all(part in EXCLUDED for part in chosen):
                figures.excluded += times
                continue
            for part in dict.fromkeys(chosen):
                if part not in EXCLUDED:
                    figures.counts[part] = figures.counts.get(part, 0) + times
            continue
        text = str(value).strip()
        if text in EXCLUDED:
            figures.excluded += times
            continue
        figures.counts[text] = figures.counts.get(text, 0) + times
    return figures


def tally(questions: Sequence[Question], forms: Sequence[Mapping[str, Any]]
          ) -> list[QuestionFigures]:
    """Every question's figures over `forms` (each a mapping of field name to answer)."""
    return [tally_question(q, (form.get(q.name) for form in forms)) for q in questions]


def breakdown(questions: Sequence[Question], forms: Sequence[Mapping[str, Any]],
              key: str) -> dict[str, list[QuestionFigures]]:
    """The tally per value of `key` (region, urban_rural, hour of visit ...); forms without a
    value for `key` are grouped under the empty string. Unweighted, like the totals."""
    groups: dict[str, list[Mapping[str, Any]]] = {}
    for form in forms:
        value = form.get(key)
        groups.setdefault("" if _is_blank(value) else str(value), []).append(form)
    return {group: tally(questions, members) for group, members in sorted(groups.items())}


def hour_of(value: Any) -> str:
    """The hour of a visit ("07", "13" ...) from an ISO 8601 time or date-time, or ""."""
    text = "" if value is None else str(value).strip()
    if "T" in text:
        text = text.split("T", 1)[1]
    head = text[:2]
    return head if len(head) == 2 and head.isdigit() and (len(text) == 2 or text[2] == ":") else ""
