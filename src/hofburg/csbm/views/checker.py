"""The activity checker and the what-if page: the engine and the ruleset files only.

Nothing is read from or written to the database here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from hofburg.csbm import queries, whatif
from hofburg.csbm.engine.activities import Activity
from hofburg.csbm.engine.classify import (
    NOTIFICATION,
    Classification,
    ThresholdCheck,
    ThresholdResult,
    classify,
)
from hofburg.csbm.engine.rulesets import (
    Citation,
    Provision,
    Ruleset,
    differences,
)
from hofburg.csbm.engine.terms import Category, Confidence, Measure, Operator
from hofburg.csbm.forms import (
    CheckerForm,
    WhatIfForm,
)
from hofburg.csbm.models import Activity as StoredActivity
from hofburg.csbm.rulesets import all_rulesets
from hofburg.csbm.services import engine_activity

# -- words for the engine's terms ----------------------------------------------------------

CATEGORY_LABELS = {
    Category.LAND_FORCES: _("land forces (40.1)"),
    Category.LANDING: _("landing or assault (40.2)"),
    Category.TRANSFER: _("transfer or concentration (40.3)"),
    Category.AIR: _("air activity"),
}
MEASURE_LABELS = {
    Measure.TROOPS: _("troops"),
    Measure.BATTLE_TANKS: _("battle tanks"),
    Measure.ACVS: _("armoured combat vehicles"),
    Measure.ARTILLERY: _("artillery, mortars and MRLs of 100 mm and above"),
    Measure.AMPHIBIOUS_TROOPS: _("troops in the amphibious landing"),
    Measure.AIRBORNE_TROOPS: _("troops in the parachute drop or heliborne landing"),
    Measure.SORTIES: _("aircraft sorties"),
}
OPERATOR_LABELS = {Operator.AT_LEAST: _("at least"), Operator.MORE_THAN: _("more than")}
RESULT_LABELS = {
    ThresholdResult.CROSSED: _("crossed"),
    ThresholdResult.NOT_CROSSED: _("not crossed"),
    ThresholdResult.UNDETERMINED: _("undetermined"),
}
# The answers a citation can stand behind (Classification.citations keys), in reading order.
CITED_ANSWERS = [
    ("subject", _("Zone of application")),
    ("notifiable", _("Prior notification (Chapter V)")),
    ("notify_by", _("Notification time limit")),
    ("air_component", _("Air component")),
    ("observable", _("Observation (Chapter VI)")),
    ("invite_by", _("Invitation of observers")),
    ("calendar_by", _("Annual calendar (Chapter VII)")),
    ("advance_notice_by", _("Announcement two years ahead (Chapter VIII)")),
]


@dataclass(frozen=True)
class Threshold:
    """A threshold as a page shows it: the figure, or the range, or "not defined"."""

    value: int | None
    low: int | None = None
    high: int | None = None

    @classmethod
    def of(cls, provision: Provision[Any]) -> Threshold:
        if provision.reported_range is not None:
            low, high = provision.reported_range
            return cls(value=None, low=low, high=high)
        return cls(value=provision.value if isinstance(provision.value, int) else None)

    @property
    def is_range(self) -> bool:
        return self.low is not None


@dataclass(frozen=True)
class CheckRow:
    """One line of the thresholds table."""

    category: str
    measure: str
    count: int
    operator: str
    threshold: Threshold
    result: ThresholdResult
    result_label: str
    paragraph: str | None
    paragraph_confidence: str | None
    confidence: str | None
    note: str
    given: bool = True  # False: the user left the figure blank, and the engine counted none

    @classmethod
    def of(cls, check: ThresholdCheck, given: bool = True) -> CheckRow:
        provision = check.provision
        return cls(
            category=str(CATEGORY_LABELS[check.category]),
            measure=str(MEASURE_LABELS[check.measure]),
            count=check.count,
            given=given,
            operator=str(OPERATOR_LABELS[check.operator]),
            threshold=Threshold.of(provision),
            result=check.result,
            result_label=str(RESULT_LABELS[check.result]),
            paragraph=provision.paragraph,
            paragraph_confidence=_label(provision.paragraph_confidence),
            confidence=_label(provision.confidence),
            note=provision.note,
        )


def _label(confidence: object) -> str | None:
    return str(confidence) if confidence is not None else None


@dataclass(frozen=True)
class CitedAnswer:
    key: str
    label: str
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class Answer:
    """A classification laid out for the checker's answer."""

    ruleset: Ruleset
    activity: Activity
    classification: Classification
    notification_rows: list[CheckRow] = field(default_factory=list)
    observation_rows: list[CheckRow] = field(default_factory=list)
    cited: list[CitedAnswer] = field(default_factory=list)

    @classmethod
    def of(cls, activity: Activity, ruleset: Ruleset,
           given: frozenset[Measure] | None = None) -> Answer:
        """The answer; `given` names the figures the user gave (None: all of them), so that a
        blank figure reads "not given" rather than the 0 the engine counts for it."""
        classification = classify(activity, ruleset)
        rows = [CheckRow.of(check, given is None or check.measure in given)
                for check in classification.checks]
        chapters = [check.chapter for check in classification.checks]
        return cls(
            ruleset=ruleset,
            activity=activity,
            classification=classification,
            notification_rows=[r for r, c in zip(rows, chapters, strict=True)
                               if c == NOTIFICATION],
            observation_rows=[r for r, c in zip(rows, chapters, strict=True)
                              if c != NOTIFICATION],
            cited=[CitedAnswer(key, str(label), tuple(classification.citations[key]))
                   for key, label in CITED_ANSWERS if classification.citations.get(key)],
        )

    def citations(self, key: str) -> tuple[Citation, ...]:
        return tuple(self.classification.citations.get(key, ()))

    @property
    def citations_for_zone(self) -> tuple[Citation, ...]:
        return self.citations("subject")

    @property
    def notification_citations(self) -> tuple[Citation, ...]:
        return self.citations("notifiable")

    @property
    def observation_citations(self) -> tuple[Citation, ...]:
        return self.citations("observable")

    # -- the answer in plain words: what decided it, and the paragraphs it rests on --------

    @property
    def notification_reasons(self) -> list[CheckRow]:
        return _deciding(self.notification_rows)

    @property
    def observation_reasons(self) -> list[CheckRow]:
        return _deciding(self.observation_rows)

    @property
    def notification_paragraphs(self) -> list[str]:
        return _paragraphs(self.citations("notifiable") + self.citations("notify_by"))

    @property
    def observation_paragraphs(self) -> list[str]:
        return _paragraphs(self.citations("observable") + self.citations("invite_by"))

    @property
    def calendar_paragraphs(self) -> list[str]:
        return _paragraphs(self.citations("calendar_by") + self.citations("advance_notice_by"))

    @property
    def zone_paragraphs(self) -> list[str]:
        return _paragraphs(self.citations("subject"))

    @property
    def paragraphs_unconfirmed(self) -> bool:
        """True when a paragraph number named in the answer is not checked against the text."""
        return any(citation.paragraph
                   and citation.paragraph_confidence is not Confidence.CONFIRMED
                   for group in self.cited for citation in group.citations)

    @property
    def not_given(self) -> list[str]:
        """The checked figures the user left blank, each named once, in the table's order."""
        names: list[str] = []
        for row in self.notification_rows + self.observation_rows:
            if not row.given and row.measure not in names:
                names.append(row.measure)
        return names


def _deciding(rows: list[CheckRow]) -> list[CheckRow]:
    """The thresholds that decide a chapter's answer: those crossed, else those undetermined."""
    crossed = [row for row in rows if row.result == ThresholdResult.CROSSED]
    return crossed or [row for row in rows if row.result == ThresholdResult.UNDETERMINED]


def _paragraphs(citations: tuple[Citation, ...]) -> list[str]:
    """The paragraphs the citations name, each once, in their order."""
    seen: list[str] = []
    for citation in citations:
        if citation.paragraph and citation.paragraph not in seen:
            seen.append(citation.paragraph)
    return seen


# -- activity checker ----------------------------------------------------------------------


def _checked(form: CheckerForm) -> Answer | None:
    """The answer for a valid form; None (and the form's errors) otherwise. Stores nothing."""
    if not form.is_bound or not form.is_valid():
        return None
    ruleset = form.chosen_ruleset()
    return Answer.of(form.activity(), ruleset, form.given_measures())


@require_http_methods(["GET", "POST"])
def checker(request: HttpRequest) -> HttpResponse:
    """The activity checker. Without JavaScript the form posts here and the page answers."""
    form = CheckerForm(request.POST or None, rulesets=all_rulesets())
    return render(request, "csbm/checker.html", {"form": form, "answer": _checked(form)})


@require_POST
def checker_answer(request: HttpRequest) -> HttpResponse:
    """The answer alone, for htmx to swap in while the form is being filled."""
    form = CheckerForm(request.POST, rulesets=all_rulesets())
    return render(request, "csbm/includes/checker_answer.html",
                  {"form": form, "answer": _checked(form)})


# -- what if: the same activities under two rulesets --------------------------------------


@dataclass(frozen=True)
class Verdict:
    """One activity under one ruleset, as the what-if table shows it."""

    classification: Classification

    @property
    def notification(self) -> str:
        c = self.classification
        return "yes" if c.notifiable else ("open" if c.notification_undetermined else "no")

    @property
    def observation(self) -> str:
        c = self.classification
        return "yes" if c.observable else ("open" if c.observation_undetermined else "no")


@dataclass(frozen=True)
class Compared:
    """One row of the what-if table: an activity, its answers under A and B, what changes."""

    label: str
    activity: Activity
    a: Verdict
    b: Verdict
    changed: tuple[str, ...]
    record: StoredActivity | None = None  # the stored activity, when the row comes from one
    troops_given: bool = True  # False: the user's own activity left its troops blank

    @property
    def changes(self) -> bool:
        return bool(self.changed)


TYPED_ACTIVITY = "typed-activity"


def _compared(row: whatif.ActivityDifference, activity: Activity, *,
              record: StoredActivity | None = None, label: str | None = None,
              troops_given: bool = True) -> Compared:
    return Compared(label=label or row.activity_id, activity=activity, a=Verdict(row.a),
                    b=Verdict(row.b), changed=row.changed, record=record,
                    troops_given=troops_given)


@require_http_methods(["GET"])
def what_if(request: HttpRequest) -> HttpResponse:
    """The same activities under two rulesets side by side, and how the rulesets differ.

    The activities are the stored ones the user may see (real, sourced exercises for the
    public), optionally of one year, and one activity typed into the form, which leads the
    page apart from them (decision 0045).
    """
    form = WhatIfForm(request.GET or None, rulesets=all_rulesets(), activity_required=False)
    context: dict[str, Any] = {"form": form}
    if form.is_bound and not form.is_valid():
        return render(request, "csbm/what_if.html", context)
    ruleset_a, ruleset_b = (form.chosen() if form.is_bound else
                            (all_rulesets()[form.initial["ruleset_a"]],
                             all_rulesets()[form.initial["ruleset_b"]]))
    stored = queries.visible_activities(request.user).exclude(
        status=StoredActivity.Status.CANCELLED).order_by("start", "pk")
    if form.is_bound and form.cleaned_data.get("year"):
        stored = stored.filter(start__year=form.cleaned_data["year"])
    records = list(stored)
    activities = [engine_activity(record) for record in records]
    result = whatif.compare_rulesets(activities, ruleset_a, ruleset_b)
    # A reference names an activity within its State only.
    by_reference = {(record.state_id, record.reference): record for record in records}
    rows = [_compared(row, activity, record=by_reference.get((row.state, row.activity_id)))
            for row, activity in zip(result.rows, activities, strict=True)]
    # The user's own activity is the question asked: it leads the page, apart from the table.
    typed = None
    if form.is_bound and form.has_activity():
        own = form.activity(TYPED_ACTIVITY)
        typed = _compared(whatif.compare_rulesets([own], ruleset_a, ruleset_b).rows[0], own,
                          label=str(_("The activity typed in")),
                          troops_given=Measure.TROOPS in form.given_measures())
    context.update({
        "ruleset_a": ruleset_a,
        "ruleset_b": ruleset_b,
        "rows": rows,
        "typed": typed,
        "summary": result.summary,
        "differences": differences(ruleset_a, ruleset_b),
        "shows_exercise_data": any(record.is_exercise for record in records),
    })
    return render(request, "csbm/what_if.html", context)
