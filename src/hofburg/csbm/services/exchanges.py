"""Annual exchanges of military information (Chapter I) and annual calendars (Chapter VII).

Refusals are notes with their parameters (`hofburg.notes.Note`, decision 0074): English in the
API's problem answers, in the reader's language on the upload page (`uploads.refusal`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction

from hofburg.core import access
from hofburg.core.idempotency import as_replay
from hofburg.core.models import Classification, User
from hofburg.core.services.audit import record_change, snapshot
from hofburg.csbm.models import (
    Activity,
    AnnualCalendar,
    AnnualExchange,
    EquipmentCategory,
    ExchangeHolding,
    ExchangeUnit,
)
from hofburg.csbm.services.common import (
    Actor,
    CsbmError,
    classification_of,
    exercise_of,
    owner_of,
    require_state_actor,
    state_named,
    supersede,
)
from hofburg.notes import Note, gettext_noop
from hofburg.registry.models import ParticipatingState

# -- annual exchange (Chapter I) ------------------------------------------------------------


@dataclass(frozen=True)
class UnitIn:
    """A formation or unit to report. `parent` is the designation of the formation it is
    subordinate to, in the same exchange; designations are unique within an exchange."""

    designation: str
    level: str = ExchangeUnit.Level.UNIT
    service: str = ExchangeUnit.Service.LAND
    parent: str | None = None
    unit_type: str = ""
    is_combat_unit: bool = True
    is_active: bool = True
    latitude: float | None = None
    longitude: float | None = None
    personnel: int = 0


@dataclass(frozen=True)
class HoldingIn:
    """Holdings of one equipment type; `unit` is the designation of the holding unit, if any."""

    category: str
    quantity: int
    type_name: str = ""
    unit: str | None = None


@dataclass(frozen=True)
class ExchangeSubmission:
    """A State's annual exchange as sent: its formations and units, holdings and quota."""

    state: str
    year: int
    submitted_on: date
    units: Sequence[UnitIn] = ()
    holdings: Sequence[HoldingIn] = ()
    declared_evaluation_quota: int | None = None
    is_nil: bool = False
    note: str = ""
    classification: str = Classification.RESTRICTED
    is_exercise: bool = False


def submit_exchange(actor: Actor, submission: ExchangeSubmission) -> AnnualExchange:
    """Record a State's annual exchange valid from 1 January of `submission.year`.

    A second submission for the same State and year is a correction: a new version that
    supersedes the current one (which stays on file). A submission reporting the same as the
    current version (units, holdings, quota, note, level; in any order) is a re-submission:
    the current version is returned, marked as a replay, and no version is added.
    `units_reported` is the number of units (brigades, regiments and equivalents) in `units`,
    as (10.1.1) counts them; the declared quota is kept as sent, and pages compare it with
    the engine's. A nil report (`is_nil`) carries no units or holdings (9).
    """
    participating_state = state_named("state", submission.state)
    require_state_actor(actor, participating_state.iso2)
    classification_of(submission.classification)
    year, units, holdings = submission.year, submission.units, submission.holdings
    if year < 1990 or year > 2999:
        raise CsbmError("year", Note(gettext_noop(
            "Give the calendar year the exchange is valid for, e.g. 2026.")))
    if submission.is_nil and (units or holdings):
        raise CsbmError("is_nil", Note(gettext_noop(
            "A nil report carries no formations, units or holdings.")))
    _check_units(units)
    designations = {u.designation for u in units}
    for index, holding in enumerate(holdings):
        if holding.category not in EquipmentCategory.values:
            raise CsbmError(f"holdings[{index}].category", Note(
                gettext_noop("{value} is not one of: {choices}."),
                value=repr(holding.category), choices=", ".join(EquipmentCategory.values)))
        if holding.quantity < 0:
            raise CsbmError(f"holdings[{index}].quantity", _NOT_NEGATIVE)
        if holding.unit is not None and holding.unit not in designations:
            raise CsbmError(f"holdings[{index}].unit", Note(
                gettext_noop("No formation or unit {unit} in this exchange."),
                unit=repr(holding.unit)))
    quota = submission.declared_evaluation_quota
    if quota is not None and quota < 0:
        raise CsbmError("declared_evaluation_quota", _NOT_NEGATIVE)

    content = _exchange_content(
        is_nil=submission.is_nil, units=units, holdings=holdings,
        declared_evaluation_quota=quota, note=submission.note,
        classification=submission.classification,
        is_exercise=exercise_of(actor, submission.is_exercise))

    def submit() -> AnnualExchange:
        with transaction.atomic():
            previous = (AnnualExchange.objects.select_for_update()
                        .filter(state=participating_state, year=year, is_current=True).first())
            # Only a version the submitter may see answers a re-submission: a hidden one is
            # answered as if absent (a new version), never handed back (decision 0020).
            if (previous is not None and _stored_exchange_content(previous) == content
                    and (actor is None or access.can_view(actor, previous))):
                return as_replay(previous)
            return _store_exchange(actor, previous, state=participating_state, year=year,
                                   submitted_on=submission.submitted_on, units=units,
                                   holdings=holdings, content=content)

    try:
        return submit()
    except IntegrityError:
        # A concurrent first submission took version 1 (there was no row to lock): look again.
        return submit()


def _store_exchange(actor: Actor, previous: AnnualExchange | None, *,
                    state: ParticipatingState, year: int, submitted_on: date,
                    units: Sequence[UnitIn], holdings: Sequence[HoldingIn],
                    content: dict[str, Any]) -> AnnualExchange:
    if previous is not None:
        supersede(actor, previous)
    exchange = AnnualExchange.objects.create(
        state=state,
        year=year,
        version=(previous.version + 1) if previous else 1,
        submitted_on=submitted_on,
        supersedes=previous,
        is_nil=content["is_nil"],
        units_reported=sum(1 for u in units if u.level == ExchangeUnit.Level.UNIT),
        declared_evaluation_quota=content["declared_evaluation_quota"],
        note=content["note"],
        submitted_by=actor if isinstance(actor, User) else None,
        classification=content["classification"],
        owner_affiliation=owner_of(actor),
        is_exercise=content["is_exercise"],
    )
    _store_units_and_holdings(exchange, units, holdings)
    after = snapshot(exchange)
    after["formations_and_units"] = len(units)
    after["holdings_rows"] = len(holdings)
    record_change(actor, "create", exchange, None, after)
    return exchange


def _exchange_content(*, is_nil: bool, units: Sequence[UnitIn], holdings: Sequence[HoldingIn],
                      declared_evaluation_quota: int | None, note: str, classification: str,
                      is_exercise: bool) -> dict[str, Any]:
    """What an exchange reports, in an order-free form: two submissions with equal contents
    report the same thing, whatever order their units and holdings came in."""
    return {
        "is_nil": is_nil,
        "units": sorted((asdict(u) for u in units), key=lambda u: u["designation"]),
        "holdings": sorted((asdict(h) for h in holdings),
                           key=lambda h: (h["category"], h["type_name"], h["unit"] or "",
                                          h["quantity"])),
        "declared_evaluation_quota": declared_evaluation_quota,
        "note": note,
        "classification": classification,
        "is_exercise": is_exercise,
    }


def _stored_exchange_content(exchange: AnnualExchange) -> dict[str, Any]:
    units = [UnitIn(designation=u.designation, level=u.level, service=u.service,
                    parent=u.parent.designation if u.parent else None, unit_type=u.unit_type,
                    is_combat_unit=u.is_combat_unit, is_active=u.is_active,
                    latitude=u.latitude, longitude=u.longitude, personnel=u.personnel)
             for u in exchange.units.select_related("parent")]
    holdings = [HoldingIn(category=h.category, quantity=h.quantity, type_name=h.type_name,
                          unit=h.unit.designation if h.unit else None)
                for h in exchange.holdings.select_related("unit")]
    return _exchange_content(
        is_nil=exchange.is_nil, units=units, holdings=holdings,
        declared_evaluation_quota=exchange.declared_evaluation_quota, note=exchange.note,
        classification=exchange.classification, is_exercise=exchange.is_exercise)


_NOT_NEGATIVE = Note(gettext_noop("Must be 0 or more."))


def _choose_one_of(values: Sequence[str]) -> Note:
    return Note(gettext_noop("Choose one of: {choices}."), choices=", ".join(values))


def _between(low: int, high: int) -> Note:
    return Note(gettext_noop("Must lie between {low} and {high}."), low=low, high=high)


def _check_units(units: Sequence[UnitIn]) -> None:
    seen: set[str] = set()
    for index, unit in enumerate(units):
        where = f"units[{index}]"
        if not unit.designation.strip():
            raise CsbmError(f"{where}.designation", Note(gettext_noop(
                "A formation or unit needs a designation.")))
        if unit.designation in seen:
            raise CsbmError(f"{where}.designation", Note(
                gettext_noop("{designation} is reported twice in this exchange."),
                designation=repr(unit.designation)))
        seen.add(unit.designation)
        if unit.level not in ExchangeUnit.Level.values:
            raise CsbmError(f"{where}.level", _choose_one_of(ExchangeUnit.Level.values))
        if unit.service not in ExchangeUnit.Service.values:
            raise CsbmError(f"{where}.service", _choose_one_of(ExchangeUnit.Service.values))
        if unit.personnel < 0:
            raise CsbmError(f"{where}.personnel", _NOT_NEGATIVE)
        if unit.latitude is not None and not -90 <= unit.latitude <= 90:
            raise CsbmError(f"{where}.latitude", _between(-90, 90))
        if unit.longitude is not None and not -180 <= unit.longitude <= 180:
            raise CsbmError(f"{where}.longitude", _between(-180, 180))
    for index, unit in enumerate(units):
        if unit.parent is not None and (unit.parent not in seen or unit.parent == unit.designation):
            raise CsbmError(f"units[{index}].parent", Note(
                gettext_noop("No other formation {parent} in this exchange."),
                parent=repr(unit.parent)))
    _check_no_circle(units)


def _check_no_circle(units: Sequence[UnitIn]) -> None:
    """Refuse a subordination that comes back to where it started (A under B, B under A)."""
    parent_of = {u.designation: u.parent for u in units}
    index_of = {u.designation: i for i, u in enumerate(units)}
    cleared: set[str] = set()  # designations whose chain of formations reaches the top
    for unit in units:
        chain: list[str] = []
        current: str | None = unit.designation
        while current is not None and current not in cleared:
            if current in chain:
                circle = chain[chain.index(current):]
                raise CsbmError(f"units[{index_of[current]}].parent", Note(
                    gettext_noop("The subordination goes round in a circle: {circle}."),
                    circle=" → ".join([*circle, current])))
            chain.append(current)
            current = parent_of.get(current)
        cleared.update(chain)


def _store_units_and_holdings(exchange: AnnualExchange, units: Sequence[UnitIn],
                              holdings: Sequence[HoldingIn]) -> None:
    # Two passes: the rows first, then their subordination, so parents may come in any order.
    rows = ExchangeUnit.objects.bulk_create(
        [ExchangeUnit(exchange=exchange, designation=u.designation, level=u.level,
                      service=u.service, unit_type=u.unit_type, is_combat_unit=u.is_combat_unit,
                      is_active=u.is_active, latitude=u.latitude, longitude=u.longitude,
                      personnel=u.personnel, is_exercise=exchange.is_exercise)
         for u in units],
        batch_size=2000,
    )
    by_designation = {row.designation: row for row in rows}
    children = []
    for unit, row in zip(units, rows, strict=True):
        if unit.parent is not None:
            row.parent = by_designation[unit.parent]
            children.append(row)
    if children:
        ExchangeUnit.objects.bulk_update(children, ["parent"], batch_size=2000)
    ExchangeHolding.objects.bulk_create(
        [ExchangeHolding(exchange=exchange, category=h.category, type_name=h.type_name,
                         quantity=h.quantity, is_exercise=exchange.is_exercise,
                         unit=by_designation[h.unit] if h.unit is not None else None)
         for h in holdings],
        batch_size=2000,
    )


# -- annual calendars (Chapter VII) ---------------------------------------------------------


def submit_calendar(
    actor: Actor,
    *,
    state: str,
    year: int,
    submitted_on: date,
    activities: Iterable[Activity] = (),
    note: str = "",
    classification: str = Classification.RESTRICTED,
    is_exercise: bool = False,
) -> AnnualCalendar:
    """Record a State's annual calendar of notifiable activities for `year` (61).

    No activities is a nil calendar. A second submission is a new version. Each listed
    activity must be the State's and start in `year`; its `in_calendar_on` becomes the first
    calendar date that listed it.
    """
    participating_state = state_named("state", state)
    require_state_actor(actor, participating_state.iso2)
    classification_of(classification)
    is_exercise = exercise_of(actor, is_exercise)
    listed = list(activities)
    for activity in listed:
        if activity.state_id != participating_state.iso2 or activity.start.year != year:
            raise CsbmError("activities", Note(
                gettext_noop("{activity} is not an activity of {state} starting in {year}."),
                activity=activity.reference, state=participating_state.iso2, year=year))
    with transaction.atomic():
        previous = (AnnualCalendar.objects.select_for_update()
                    .filter(state=participating_state, year=year, is_current=True).first())
        if previous is not None:
            supersede(actor, previous)
        calendar = AnnualCalendar.objects.create(
            state=participating_state, year=year, version=(previous.version + 1) if previous else 1,
            submitted_on=submitted_on, supersedes=previous, note=note,
            submitted_by=actor if isinstance(actor, User) else None,
            classification=classification, owner_affiliation=owner_of(actor),
            is_exercise=is_exercise)
        calendar.activities.set(listed)
        record_change(actor, "create", calendar, None, snapshot(calendar))
        for activity in Activity.objects.select_for_update().filter(
                pk__in=[a.pk for a in listed]):
            if activity.in_calendar_on is None or activity.in_calendar_on > submitted_on:
                before = snapshot(activity)
                activity.in_calendar_on = submitted_on
                activity.save(update_fields=["in_calendar_on", "updated_at"])
                record_change(actor, "update", activity, before, snapshot(activity))
    return calendar
