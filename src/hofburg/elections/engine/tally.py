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
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain
from operator import itemgetter
from typing import Any

import numpy as np
from numpy.typing import NDArray

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


def classify(question: Question, value: Any) -> tuple[str, tuple[str, ...]]:
    """What one answer to `question` counts as: ("blank", ()), ("excluded", ()) or
    ("counted", the choice names it counts for).

    A select_multiple answer is the space-separated choice names, as XForms store it: each
    chosen name counts once for the form, and the form once in `n`, unless every name chosen
    is an excluded one. Any other answer counts for its text, stripped."""
    if _is_blank(value):
        return "blank", ()
    if question.kind == "select_multiple":
        chosen = [part for part in str(value).split() if part]
        if chosen and all(part in EXCLUDED for part in chosen):
            return "excluded", ()
        return "counted", tuple(part for part in dict.fromkeys(chosen) if part not in EXCLUDED)
    text = str(value).strip()
    if text in EXCLUDED:
        return "excluded", ()
    return "counted", (text,)


def _empty_counts(question: Question) -> dict[str, int]:
    return {name: 0 for name in question.choices if name not in EXCLUDED}


def tally_question(question: Question, answers: Iterable[Any]) -> QuestionFigures:
    """Count one question over the forms' answers (one answer per form; None = unanswered).

    The answers are counted once by distinct value (a checklist has few), then each value is
    classified (`classify`). The choices come first in `counts`, in the form's order; an
    answer that is not one of them follows, in the order first met."""
    figures = QuestionFigures(question.name, question.four_point, counts=_empty_counts(question))
    for value, times in Counter(answers).items():
        figures.forms += times
        kind, names = classify(question, value)
        if kind == "blank":
            figures.blank += times
        elif kind == "excluded":
            figures.excluded += times
        for name in names:
            figures.counts[name] = figures.counts.get(name, 0) + times
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
        groups.setdefault(group_label(form.get(key)), []).append(form)
    return {group: tally(questions, members) for group, members in sorted(groups.items())}


def group_label(value: Any) -> str:
    """The group a form falls in for a breakdown: its value as text, or "" when it has none."""
    return "" if _is_blank(value) else str(value)


def _groups(labels: Sequence[Any]) -> tuple[list[str], NDArray[np.int64]]:
    """The groups of a breakdown in sorted order (`group_label`) and each form's group number;
    each distinct label is read once."""
    raw = _Index()
    try:
        codes = np.fromiter(map(raw.__getitem__, labels), dtype=np.int64, count=len(labels))
        read_once = all(label is None or type(label) is str for label in raw)
    except TypeError:  # a label that cannot be a key
        read_once = False
    if not read_once:  # (1 and True are one key, yet not one group): read each one
        raw = _Index()
        codes = np.fromiter(map(raw.__getitem__, map(group_label, labels)), dtype=np.int64,
                            count=len(labels))
    texts = [group_label(label) for label in raw]
    names = sorted(set(texts))
    number = {name: i for i, name in enumerate(names)}
    renumber = np.asarray([number[text] for text in texts], dtype=np.int64)
    return names, renumber[codes]


@dataclass
class Tallied:
    """Every question's figures over all the forms, and per group of each breakdown."""

    overall: list[QuestionFigures]
    breakdowns: dict[str, dict[str, list[QuestionFigures]]]


class _Index(dict[Any, int]):
    """Numbers distinct values as they are first met (0, 1, 2 ...)."""

    def __missing__(self, key: Any) -> int:
        self[key] = number = len(self)
        return number


class CodedAnswers:
    """The answers of many forms to the questions, coded once as integers, then counted overall
    and per group of several breakdowns in one vectorised pass (numpy): the figures of `tally`
    and `breakdown`, exactly, without re-tallying each group's forms.

    Each question receives few distinct answers: each is classified once (`classify`) into a
    row of a small matrix (blank, excluded, one column per name counted), and a group's
    figures are its histogram of answers times that matrix. The forms are read once, by
    C-level lookups. Only answers that are text or None are coded; anything else is counted
    the straightforward way (`tally`, `breakdown`), which also decides what to make of it
    (`vectorised` says which way was taken)."""

    def __init__(self, questions: Sequence[Question], forms: Sequence[Mapping[str, Any]]):
        self.questions = list(questions)
        self.forms = forms
        self.count = len(forms)
        # Per question: its answers renumbered among those it received (`_local`); for each
        # of those its row of the question's matrix; the matrix's column of each name; and the
        # names beyond the choices that an answer brings (they follow the choices, in the
        # order first met).
        self._local = np.zeros((len(self.questions), self.count), dtype=np.int32)
        self._weights: list[NDArray[np.int64]] = []
        self._choices = [tuple(_empty_counts(q)) for q in self.questions]
        self._four_point = [q.four_point for q in self.questions]
        self._columns: list[dict[str, int]] = []
        self._extra: list[dict[int, tuple[str, ...]]] = []
        self.vectorised = bool(self.questions) and self._code()

    def _codes(self, names: list[str]) -> tuple[NDArray[np.int32], list[Any]] | None:
        """Every answer's number, form by form (row-major), and the values numbered; None
        when an answer is neither text nor None."""
        get: Callable[[Mapping[str, Any]], tuple[Any, ...]] = (
            itemgetter(*names) if len(names) > 1 else lambda form: (form[names[0]],))

        def lenient(form: Mapping[str, Any]) -> tuple[Any, ...]:
            try:
                return get(form)
            except KeyError:  # a form of a version without some of the questions
                return tuple(form.get(name) for name in names)

        for reader in (get, lenient):
            index = _Index()
            try:
                codes = np.fromiter(map(index.__getitem__, chain.from_iterable(
                    map(reader, self.forms))), dtype=np.int32, count=self.count * len(names))
            except KeyError:
                continue
            except TypeError:  # an answer that cannot be a key: not text
                return None
            values = list(index)
            if not all(value is None or type(value) is str for value in values):
                return None
            return codes, values
        raise AssertionError("unreachable: the lenient reader raises no KeyError")

    def _code(self) -> bool:
        coded = self._codes([q.name for q in self.questions])
        if coded is None:
            return False
        codes, values = coded
        by_question = np.ascontiguousarray(codes.reshape(self.count, len(self.questions)).T)
        for number, question in enumerate(self.questions):
            seen = np.flatnonzero(np.bincount(by_question[number], minlength=len(values)))
            renumber = np.zeros(len(values), dtype=np.int32)
            renumber[seen] = np.arange(len(seen), dtype=np.int32)
            self._local[number] = renumber[by_question[number]]
            choices = self._choices[number]
            column = {name: 2 + i for i, name in enumerate(choices)}
            meanings = [classify(question, values[code]) for code in seen]
            extra: dict[int, tuple[str, ...]] = {}
            for local, (_kind, chosen) in enumerate(meanings):
                beyond = tuple(name for name in chosen if name not in choices)
                if beyond:
                    extra[local] = beyond
                for name in beyond:
                    column.setdefault(name, len(column) + 2)
            weights = np.zeros((len(seen), len(column) + 2), dtype=np.int64)
            for local, (kind, chosen) in enumerate(meanings):
                weights[local, 0] = kind == "blank"
                weights[local, 1] = kind == "excluded"
                for name in chosen:
                    weights[local, column[name]] = 1
            self._weights.append(weights)
            self._columns.append(column)
            self._extra.append(extra)
        return True

    def tally(self) -> list[QuestionFigures]:
        """Every question's figures over all the forms, as `tally` gives them."""
        return self.figures({}).overall

    def breakdown(self, labels: Sequence[Any]) -> dict[str, list[QuestionFigures]]:
        """The figures per group, given each form's label, as `breakdown` gives them."""
        return self.figures({"": labels}).breakdowns[""]

    def figures(self, groupings: Mapping[str, Sequence[Any]]) -> Tallied:
        """The figures over all the forms and per group of each grouping (a label per form:
        `group_label`, no value is the group ""; groups in sorted order), counted in one
        histogram of the answers by the groupings' joint group."""
        for key, each in groupings.items():
            if len(each) != self.count:
                raise ValueError(f"{key}: {len(each)} labels for {self.count} forms.")
        if not self.vectorised:
            return self._straightforward({key: [group_label(label) for label in each]
                                          for key, each in groupings.items()})
        names: dict[str, list[str]] = {}
        ids: dict[str, NDArray[np.int64]] = {}
        # The joint group of each form (its groups in all the groupings), numbered 0..n-1.
        joint = np.zeros(self.count, dtype=np.int64)
        for key, each in groupings.items():
            names[key], ids[key] = _groups(each)
            joint = np.unique(joint * len(names[key]) + ids[key], return_inverse=True)[1]
            joint = joint.reshape(-1).astype(np.int64)
        cells = int(joint.max()) + 1 if self.count else 0
        counts = self._counts(joint, cells)
        forms = np.bincount(joint, minlength=cells)
        everyone = np.zeros(self.count, dtype=np.int64)
        overall = [self._question(number, per_cell.sum(axis=0), self.count,
                                  self._beyond(number, everyone).get(0, []))
                   for number, per_cell in enumerate(counts)]
        breakdowns: dict[str, dict[str, list[QuestionFigures]]] = {}
        for key in groupings:
            # Which joint groups make up each group of this grouping (groups x joint groups).
            member = np.zeros((len(names[key]), cells), dtype=np.int64)
            member[ids[key], joint] = 1
            sizes = member @ forms
            per_group: list[list[QuestionFigures]] = [[] for _ in names[key]]
            for number, per_cell in enumerate(counts):
                grouped = member @ per_cell
                beyond = self._beyond(number, ids[key])
                for group, figures in enumerate(per_group):
                    figures.append(self._question(number, grouped[group], int(sizes[group]),
                                                  beyond.get(group, [])))
            breakdowns[key] = dict(zip(names[key], per_group, strict=True))
        return Tallied(overall, breakdowns)

    def _straightforward(self, labels: Mapping[str, list[str]]) -> Tallied:
        breakdowns: dict[str, dict[str, list[QuestionFigures]]] = {}
        for key, texts in labels.items():
            members: dict[str, list[Mapping[str, Any]]] = {}
            for text, form in zip(texts, self.forms, strict=True):
                members.setdefault(text, []).append(form)
            breakdowns[key] = {group: tally(self.questions, forms)
                               for group, forms in sorted(members.items())}
        return Tallied(tally(self.questions, self.forms), breakdowns)

    def _counts(self, cell: NDArray[np.int64], cells: int) -> list[NDArray[np.int64]]:
        """Per question, its matrix's columns summed per joint group (cells x columns): one
        histogram of every question's answers by joint group, times each question's matrix."""
        sizes = np.asarray([w.shape[0] for w in self._weights], dtype=np.int64)
        starts = (np.cumsum(sizes) - sizes) * cells
        bins = cell[None, :] * sizes[:, None]
        bins += starts[:, None]
        bins += self._local
        histogram = np.bincount(bins.ravel(), minlength=cells * int(sizes.sum()))
        return [histogram[start:start + cells * size].reshape(cells, size) @ weights
                for start, size, weights in zip(starts.tolist(), sizes.tolist(),
                                                self._weights, strict=True)]

    def _question(self, number: int, row: NDArray[np.int64], forms: int,
                  beyond: list[str]) -> QuestionFigures:
        column = self._columns[number]
        figures = QuestionFigures(self.questions[number].name, self._four_point[number],
                                  forms=forms, blank=int(row[0]), excluded=int(row[1]))
        for name in (*self._choices[number], *beyond):
            figures.counts[name] = int(row[column[name]])
        return figures

    def _beyond(self, number: int, ids: NDArray[np.int64]) -> dict[int, list[str]]:
        """Per group (`ids`: each form's), the names beyond the question's choices that its
        forms gave, in the order first met (as counting the forms one by one meets them)."""
        extra = self._extra[number]
        if not extra:
            return {}
        local = self._local[number]
        firsts: list[tuple[int, int, int]] = []
        for value in extra:
            positions = np.flatnonzero(local == value)
            groups, first = np.unique(ids[positions], return_index=True)
            firsts.extend((int(group), int(at), value)
                          for group, at in zip(groups, positions[first], strict=True))
        order: dict[int, list[str]] = {}
        for group, _at, value in sorted(firsts):
            names = order.setdefault(group, [])
            names.extend(name for name in extra[value] if name not in names)
        return order


def hour_of(value: Any) -> str:
    """The hour of a visit ("07", "13" ...) from an ISO 8601 time or date-time, or ""."""
    text = "" if value is None else str(value).strip()
    if "T" in text:
        text = text.split("T", 1)[1]
    head = text[:2]
    return head if len(head) == 2 and head.isdigit() and (len(text) == 2 or text[2] == ":") else ""
