"""Correcting and removing what was recorded on a project, keeping the history (decision 0049).

Every correction gives its reason and leaves a `Correction` (what, who, when, why, before and
after) and an audit entry. Money is never rewritten: a corrected transaction or budget line is
kept, superseded by the row that replaces it, and a reversed one is kept, superseded by none;
balances, burn rate, totals and the IATI export count only the rows that stand. Logframe items
(elements, indicators, periods' targets) are changed in place or deleted, their values before
and after kept in the correction; a reported actual value is corrected by a new entry in its
history. Removing something other records depend on is refused, naming them.

A correction repeated (same values, same reason) changes nothing and answers what the first
stored, so a client may retry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from hofburg.core.access import AnyUser
from hofburg.core.errors import Conflict, Invalid, NotFound
from hofburg.core.models import User
from hofburg.core.services.audit import record_change, snapshot
from hofburg.projects import bounds
from hofburg.projects.models import (
    ActualChange,
    BudgetLine,
    Correction,
    Indicator,
    IndicatorPeriod,
    LogframeElement,
    Project,
    Transaction,
)
from hofburg.projects.services.common import day, measure, money, project_for_editing, text, year
from hofburg.projects.services.money import TransactionIn, checked_transaction

MAX_REASON = bounds.MAX_REASON
KIND, ACTION = Correction.Kind, Correction.Action


def reason_of(value: str) -> str:
    return text(value, "reason", max_length=MAX_REASON, required=True)


def _by(user: AnyUser) -> User | None:
    return user if isinstance(user, User) else None


@dataclass(frozen=True)
class Change:
    kind: str
    action: str
    label: str
    before: dict[str, Any]
    after: dict[str, Any] | None


def _note(user: AnyUser, project: Project, record: Any, change: Change, reason: str,
          replacement: Any = None) -> Correction:
    """Keep the correction (what, who, when, why, before and after) and its audit entry."""
    kind, action, label, before, after = (change.kind, change.action, change.label,
                                          change.before, change.after)
    correction = Correction.objects.create(
        project=project, kind=kind, action=action, record_id=record.pk,
        replacement_id=replacement.pk if replacement is not None else None, label=label[:300],
        before=before, after=after, reason=reason, by=_by(user), at=timezone.now())
    record_change(user, {"correct": "update"}.get(action, action), record, before,
                  {**(after or {}), "reason": reason, "correction": correction.pk})
    return correction


def _already(project: Project, kind: str, record_id: int, action: str) -> Correction | None:
    return (Correction.objects.filter(project=project, kind=kind, record_id=record_id,
                                      action=action).order_by("-at", "-pk").first())


# -- money -------------------------------------------------------------------------------------


def transaction_label(record: Transaction, currency: str) -> str:
    donor = f" from {record.donor.name}" if record.donor_id and record.donor else ""
    return f"{record.flow} {record.value:,.2f} {currency} on {record.value_date}{donor}"


def _transaction(project: Project, transaction_id: int) -> Transaction:
    # Only the transaction's row is locked: its donor may be null, and PostgreSQL cannot lock
    # the missing side of an outer join.
    record = (Transaction.with_history.select_for_update(of=("self",)).select_related("donor")
              .filter(project=project, pk=transaction_id).first())
    if record is None:
        raise NotFound("No such transaction.", field="transaction")
    return record


def _same_values(record: Transaction, other: Transaction) -> bool:
    fields = ("flow", "donor_id", "value", "value_date", "original_value", "original_currency",
              "rate", "rate_date", "period_start", "period_end", "earmark", "donor_activity_id",
              "description")
    return all(getattr(record, name) == getattr(other, name) for name in fields)


def correct_transaction(user: AnyUser, project_id: int, transaction_id: int,
                        given: TransactionIn, *, reason: str) -> tuple[Transaction, bool]:
    """Replace a transaction that stands by a corrected one: the first is kept, superseded by
    the second, and no longer counts. (the transaction that stands now, True if new)."""
    reason = reason_of(reason)
    with transaction.atomic():
        project = project_for_editing(user, project_id)
        record = _transaction(project, transaction_id)
        values = checked_transaction(given, project)
        if record.superseded_at is not None:
            replacement = (Transaction.with_history.filter(pk=record.superseded_by_id).first()
                           if record.superseded_by_id else None)
            done = _already(project, Correction.Kind.TRANSACTION, record.pk,
                            Correction.Action.CORRECT)
            if (replacement is not None and done is not None and done.reason == reason
                    and _same_values(replacement, Transaction(project=project, **values))):
                return replacement, False
            raise Conflict("This transaction no longer stands: it was corrected or reversed. "
                           "Correct the one that stands.", field="transaction")
        if _same_values(record, Transaction(project=project, **values)):
            raise Invalid("The correction changes nothing.", field="value")
        before = snapshot(record)
        now = timezone.now()
        replacement = Transaction.objects.create(project=project, recorded_by=_by(user),
                                                 **values)
        replacement.refresh_from_db()  # the values as stored (160000 -> 160000.00)
        record.superseded_at, record.superseded_by = now, replacement
        record.save(update_fields=["superseded_at", "superseded_by"])
        record_change(user, "create", replacement, None, snapshot(replacement))
        _note(user, project, record, Change(
            KIND.TRANSACTION, ACTION.CORRECT, transaction_label(record, project.currency),
            before, snapshot(replacement)), reason, replacement=replacement)
    return replacement, True


def reverse_transaction(user: AnyUser, project_id: int, transaction_id: int, *,
                        reason: str) -> Transaction:
    """Reverse a transaction recorded in error: it is kept, marked reversed, and no longer
    counts. Reversing it again changes nothing."""
    reason = reason_of(reason)
    with transaction.atomic():
        project = project_for_editing(user, project_id)
        record = _transaction(project, transaction_id)
        if record.superseded_at is not None:
            if record.superseded_by_id is None:
                return record
            raise Conflict("This transaction was corrected; reverse the one that stands.",
                           field="transaction")
        before = snapshot(record)
        record.superseded_at = timezone.now()
        record.save(update_fields=["superseded_at"])
        _note(user, project, record, Change(
            KIND.TRANSACTION, ACTION.REVERSE, transaction_label(record, project.currency),
            before, snapshot(record)), reason)
    return record


def _budget_line(project: Project, year_: int) -> BudgetLine:
    line = BudgetLine.objects.select_for_update().filter(project=project, year=year_).first()
    if line is None:
        raise NotFound(f"No budget for {year_}.", field="year")
    return line


def budget_label(line: BudgetLine, currency: str) -> str:
    revised = f", revised {line.revised:,.2f}" if line.revised is not None else ""
    return f"budget {line.year}: original {line.original:,.2f}{revised} {currency}"


def correct_budget_line(user: AnyUser, project_id: int, year_: int, *, original: Decimal,
                        revised: Decimal | None, reason: str) -> tuple[BudgetLine, bool]:
    """Correct a year's budget: the line is kept, superseded by the corrected one.
    (the line that stands now, True if new); the same correction again changes nothing."""
    reason = reason_of(reason)
    year(year_, "year")
    original = money(original, "original")
    revised = money(revised, "revised") if revised is not None else None
    with transaction.atomic():
        project = project_for_editing(user, project_id)
        line = _budget_line(project, year_)
        if (line.original, line.revised) == (original, revised):
            last = Correction.objects.filter(project=project, replacement_id=line.pk,
                                             kind=Correction.Kind.BUDGET_LINE).first()
            if last is not None and last.reason == reason:
                return line, False  # the same correction again
            raise Invalid("The correction changes nothing.", field="original")
        before = snapshot(line)
        line.superseded_at = timezone.now()
        line.save(update_fields=["superseded_at"])
        replacement = BudgetLine.objects.create(project=project, year=year_, original=original,
                                                revised=revised)
        replacement.refresh_from_db()
        line.superseded_by = replacement
        line.save(update_fields=["superseded_by"])
        record_change(user, "create", replacement, None, snapshot(replacement))
        _note(user, project, line, Change(
            KIND.BUDGET_LINE, ACTION.CORRECT, budget_label(line, project.currency), before,
            snapshot(replacement)), reason, replacement=replacement)
    return replacement, True


def reverse_budget_line(user: AnyUser, project_id: int, year_: int, *, reason: str) -> None:
    """Reverse the budget of a year set in error: the line is kept, marked reversed, and the
    year has no budget. Reversing a year that has none any more changes nothing."""
    reason = reason_of(reason)
    year(year_, "year")
    with transaction.atomic():
        project = project_for_editing(user, project_id)
        line = BudgetLine.objects.select_for_update().filter(project=project,
                                                             year=year_).first()
        if line is None:
            if BudgetLine.with_history.filter(project=project, year=year_).exists():
                return
            raise NotFound(f"No budget for {year_}.", field="year")
        before = snapshot(line)
        line.superseded_at = timezone.now()
        line.save(update_fields=["superseded_at"])
        _note(user, project, line, Change(
            KIND.BUDGET_LINE, ACTION.REVERSE, budget_label(line, project.currency), before,
            snapshot(line)), reason)


# -- the logframe ------------------------------------------------------------------------------


def _element(project: Project, element_id: int) -> LogframeElement:
    element = (LogframeElement.objects.select_for_update()
               .filter(project=project, pk=element_id).first())
    if element is None:
        raise NotFound("No such logframe element.", field="element")
    return element


def correct_element(user: AnyUser, project_id: int, element_id: int, *, code: str, title: str,
                    description: str = "", reason: str) -> LogframeElement:
    """Correct an element's code, title or description (its level and place stay: delete it
    and add it again to move it)."""
    reason = reason_of(reason)
    code = text(code, "code", max_length=bounds.MAX_LOGFRAME_CODE, required=True)
    title = text(title, "title", max_length=bounds.MAX_LOGFRAME_TITLE, required=True)
    description = text(description, "description", max_length=bounds.MAX_DESCRIPTION)
    with transaction.atomic():
        project = project_for_editing(user, project_id)
        element = _element(project, element_id)
        if (element.code, element.title, element.description) == (code, title, description):
            return element
        if code != element.code and LogframeElement.objects.filter(
                project=project, code=code).exists():
            raise Conflict(f"The logframe already has an element {code}.", field="code")
        before = snapshot(element)
        label = f"{element.level} {element.code} {element.title}"
        element.code, element.title, element.description = code, title, description
        element.save(update_fields=["code", "title", "description"])
        _note(user, project, element, Change(
            KIND.ELEMENT, ACTION.CORRECT, label, before, snapshot(element)), reason)
    return element


def delete_element(user: AnyUser, project_id: int, element_id: int, *, reason: str) -> None:
    """Delete an element that nothing depends on: no element under it, no indicator."""
    reason = reason_of(reason)
    with transaction.atomic():
        project = project_for_editing(user, project_id)
        element = LogframeElement.objects.filter(project=project, pk=element_id).first()
        if element is None:
            if _already(project, Correction.Kind.ELEMENT, element_id, Correction.Action.DELETE):
                return
            raise NotFound("No such logframe element.", field="element")
        children = list(element.children.order_by("code").values_list("code", flat=True))
        if children:
            raise Conflict(f"Elements stand under {element.code}: {', '.join(children)}. "
                           "Delete them first.", field="element")
        indicators = element.indicators.count()
        if indicators:
            raise Conflict(f"{element.code} has {indicators} indicator(s). Delete them first.",
                           field="element")
        before = snapshot(element)
        _note(user, project, element, Change(
            KIND.ELEMENT, ACTION.DELETE, f"{element.level} {element.code} {element.title}",
            before, None), reason)
        element.delete()


def _indicator(project: Project, indicator_id: int) -> Indicator | None:
    return (Indicator.objects.select_for_update().select_related("element")
            .filter(element__project=project, pk=indicator_id).first())


@dataclass(frozen=True)
class IndicatorFix:
    title: str
    baseline: Decimal
    baseline_year: int
    measure: str = "1"
    ascending: bool = True
    means_of_verification: str = ""


def correct_indicator(user: AnyUser, project_id: int, indicator_id: int, given: IndicatorFix,
                      *, reason: str) -> Indicator:
    """Correct an indicator's title, baseline, measure, direction or means of verification;
    progress is computed again from the corrected baseline."""
    reason = reason_of(reason)
    title = text(given.title, "title", max_length=bounds.MAX_LOGFRAME_TITLE, required=True)
    base = measure(given.baseline, "baseline")
    year(given.baseline_year, "baseline_year")
    if given.measure not in Indicator.Measure.values:
        raise Invalid(f"Unknown measure {given.measure!r}.", field="measure")
    means = text(given.means_of_verification, "means_of_verification",
                 max_length=bounds.MAX_DESCRIPTION)
    with transaction.atomic():
        project = project_for_editing(user, project_id)
        indicator = _indicator(project, indicator_id)
        if indicator is None:
            raise NotFound("No such indicator.", field="indicator")
        values = {"title": title, "baseline": base, "baseline_year": given.baseline_year,
                  "measure": given.measure, "ascending": given.ascending,
                  "means_of_verification": means}
        if all(getattr(indicator, name) == value for name, value in values.items()):
            return indicator
        before = snapshot(indicator)
        label = f"{indicator.element.code} {indicator.title}"
        for name, value in values.items():
            setattr(indicator, name, value)
        indicator.save(update_fields=list(values))
        _note(user, project, indicator, Change(
            KIND.INDICATOR, ACTION.CORRECT, label, before, snapshot(indicator)), reason)
    return indicator


def delete_indicator(user: AnyUser, project_id: int, indicator_id: int, *, reason: str) -> None:
    """Delete an indicator that has no periods (targets) yet."""
    reason = reason_of(reason)
    with transaction.atomic():
        project = project_for_editing(user, project_id)
        indicator = _indicator(project, indicator_id)
        if indicator is None:
            if _already(project, Correction.Kind.INDICATOR, indicator_id,
                        Correction.Action.DELETE):
                return
            raise NotFound("No such indicator.", field="indicator")
        periods = indicator.periods.count()
        if periods:
            raise Conflict(f"The indicator has {periods} period(s) with targets. Delete them "
                           "first.", field="indicator")
        _note(user, project, indicator, Change(
            KIND.INDICATOR, ACTION.DELETE, f"{indicator.element.code} {indicator.title}",
            snapshot(indicator), None), reason)
        indicator.delete()


def _period(project: Project, period_id: int) -> IndicatorPeriod | None:
    return (IndicatorPeriod.objects.select_for_update().select_related("indicator__element")
            .filter(indicator__element__project=project, pk=period_id).first())


def period_label(period: IndicatorPeriod) -> str:
    return (f"{period.indicator.element.code} {period.indicator.title}, "
            f"{period.start}–{period.end}")


def correct_period(user: AnyUser, project_id: int, period_id: int, *, start: date, end: date,
                   target: Decimal | None, reason: str) -> IndicatorPeriod:
    """Correct a period's dates or target; periods of an indicator still may not overlap."""
    reason = reason_of(reason)
    day(start, "start")
    day(end, "end")
    if end < start:
        raise Invalid("The period ends before it starts.", field="end")
    value = measure(target, "target") if target is not None else None
    with transaction.atomic():
        project = project_for_editing(user, project_id)
        period = _period(project, period_id)
        if period is None:
            raise NotFound("No such period.", field="period")
        if (period.start, period.end, period.target) == (start, end, value):
            return period
        if IndicatorPeriod.objects.filter(indicator=period.indicator, start__lte=end,
                                          end__gte=start).exclude(pk=period.pk).exists():
            raise Conflict("The period overlaps another period of this indicator.",
                           field="start")
        before = snapshot(period)
        label = period_label(period)
        period.start, period.end, period.target = start, end, value
        period.save(update_fields=["start", "end", "target"])
        _note(user, project, period, Change(
            KIND.PERIOD, ACTION.CORRECT, label, before, snapshot(period)), reason)
    return period


def delete_period(user: AnyUser, project_id: int, period_id: int, *, reason: str) -> None:
    """Delete a period of which no actual value was ever reported (the reports keep their
    history, which depends on it)."""
    reason = reason_of(reason)
    with transaction.atomic():
        project = project_for_editing(user, project_id)
        period = _period(project, period_id)
        if period is None:
            if _already(project, Correction.Kind.PERIOD, period_id, Correction.Action.DELETE):
                return
            raise NotFound("No such period.", field="period")
        reported = period.changes.count()
        if reported or period.actual is not None:
            raise Conflict(f"Actual values of this period were reported ({reported} in its "
                           "history): it stays. Correct its target or actual value instead.",
                           field="period")
        _note(user, project, period, Change(
            KIND.PERIOD, ACTION.DELETE, period_label(period), snapshot(period), None), reason)
        period.delete()


def correct_actual(user: AnyUser, project_id: int, period_id: int, *,
                   actual: Decimal | None, reason: str) -> IndicatorPeriod:
    """Correct the actual value reported for a period (None withdraws it): the history of the
    actual keeps the value replaced, with who, when and why."""
    reason = reason_of(reason)
    value = measure(actual, "actual") if actual is not None else None
    with transaction.atomic():
        project = project_for_editing(user, project_id)
        period = _period(project, period_id)
        if period is None:
            raise NotFound("No such period.", field="period")
        if period.actual == value:
            return period
        if period.actual is None and not period.changes.exists():
            raise Conflict("No actual value was reported for this period: report it in a "
                           "progress report.", field="actual")
        before = snapshot(period)
        label = period_label(period)
        previous = period.actual
        period.actual = value
        period.save(update_fields=["actual"])
        correction = _note(user, project, period, Change(
            KIND.ACTUAL, ACTION.CORRECT, label, before, snapshot(period)), reason)
        ActualChange.objects.create(correction=correction, period=period, before=previous,
                                    after=value)
    return period


def corrections_of(project: Project) -> list[Correction]:
    """The project's corrections, newest first."""
    return list(project.corrections.select_related("by"))

