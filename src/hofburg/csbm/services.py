"""The Vienna Document desk's write path: exchanges, activities, notifications, calendars,
verification visits and risk-reduction requests.

Every function owns its transaction, checks its input before it writes, records the change in
the audit trail and raises `CsbmError(field, message)` (a `core.errors.Invalid`) on bad input
and `AccessDenied` (a `core.errors.NotAllowed`) for a user who may not act, having changed
nothing.
`actor` is the user acting, or None for the system (demo data, imports). A user acts for the
participating State of their delegation only (`can_act_for_state`); Secretariat staff may
record verification outcomes and risk-reduction clocks, as the Conflict Prevention Centre
does. Rule numbers and deadlines come from the engine and its rulesets, never from here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from hofburg.core import access
from hofburg.core.access import AccessDenied
from hofburg.core.errors import Invalid
from hofburg.core.idempotency import as_replay, content_key
from hofburg.core.models import Affiliation, Classification, User
from hofburg.core.services.audit import record_change, snapshot
from hofburg.core.services.ledger import append_entry
from hofburg.csbm import rulesets
from hofburg.csbm.engine import deadlines
from hofburg.csbm.engine.activities import Activity as EngineActivity
from hofburg.csbm.engine.activities import ActivityError
from hofburg.csbm.engine.activities import ActivityType as EngineActivityType
from hofburg.csbm.engine.classify import classify
from hofburg.csbm.engine.rulesets import NotDefinedError, Ruleset
from hofburg.csbm.models import (
    Activity,
    ActivityType,
    AnnualCalendar,
    AnnualExchange,
    EquipmentCategory,
    ExchangeHolding,
    ExchangeUnit,
    Notification,
    RiskReductionRequest,
    Visit,
    VisitOutcome,
)
from hofburg.registry.models import ParticipatingState

Actor = User | AnonymousUser | None

LEDGER_KIND_NOTIFICATION = "csbm.notification"


class CsbmError(Invalid):
    """Input a service refuses; `field` names the offending input (as the API calls it)."""

    field: str

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message, field=field)


# -- who may act ----------------------------------------------------------------------------


def can_act_for_state(user: Actor, state: str) -> bool:
    """True for the system (None) and for editors of the delegation of `state`."""
    if user is None:
        return True
    if not (access.can_contribute(user) and isinstance(user, User)):
        return False
    affiliation = user.affiliation
    return bool(affiliation and affiliation.kind == Affiliation.Kind.DELEGATION
                and affiliation.state_iso2.upper() == state.upper())


def can_record_verification(user: Actor, *states: str) -> bool:
    """The system, a delegation of one of `states`, or OSCE staff (Secretariat, institution)."""
    if user is None or any(can_act_for_state(user, s) for s in states):
        return True
    affiliation = getattr(user, "affiliation", None)
    return bool(access.is_entitled(user) and affiliation is not None
                and affiliation.kind == Affiliation.Kind.SECRETARIAT_UNIT)


def _require_state_actor(actor: Actor, state: str) -> None:
    if not can_act_for_state(actor, state):
        raise AccessDenied(f"Only editors of the delegation of {state} may do this.")


def _owner(actor: Actor) -> Affiliation | None:
    return getattr(actor, "affiliation", None) if isinstance(actor, User) else None


def _author(actor: Actor) -> str:
    return actor.username if isinstance(actor, User) else "system"


def _state(field: str, iso2: str) -> ParticipatingState:
    state = ParticipatingState.objects.filter(iso2=(iso2 or "").upper()).first()
    if state is None:
        raise CsbmError(field, f"{iso2!r} is not a participating State (use its ISO alpha-2 code).")
    return state


def _classification(value: str) -> str:
    if value not in Classification.values:
        raise CsbmError("classification", f"{value!r} is not one of: "
                        f"{', '.join(Classification.values)}.")
    return value


def _ruleset(name: str | None) -> Ruleset:
    try:
        return rulesets.get_ruleset(name or rulesets.DEFAULT_RULESET)
    except rulesets.UnknownRuleset as exc:
        raise CsbmError("ruleset", str(exc)) from exc


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
    participating_state = _state("state", submission.state)
    _require_state_actor(actor, participating_state.iso2)
    _classification(submission.classification)
    year, units, holdings = submission.year, submission.units, submission.holdings
    if year < 1990 or year > 2999:
        raise CsbmError("year", "Give the calendar year the exchange is valid for, e.g. 2026.")
    if submission.is_nil and (units or holdings):
        raise CsbmError("is_nil", "A nil report carries no formations, units or holdings.")
    _check_units(units)
    designations = {u.designation for u in units}
    for index, holding in enumerate(holdings):
        if holding.category not in EquipmentCategory.values:
            raise CsbmError(f"holdings[{index}].category",
                            f"{holding.category!r} is not one of: "
                            f"{', '.join(EquipmentCategory.values)}.")
        if holding.quantity < 0:
            raise CsbmError(f"holdings[{index}].quantity", "Must be 0 or more.")
        if holding.unit is not None and holding.unit not in designations:
            raise CsbmError(f"holdings[{index}].unit",
                            f"No formation or unit {holding.unit!r} in this exchange.")
    quota = submission.declared_evaluation_quota
    if quota is not None and quota < 0:
        raise CsbmError("declared_evaluation_quota", "Must be 0 or more.")

    content = _exchange_content(
        is_nil=submission.is_nil, units=units, holdings=holdings,
        declared_evaluation_quota=quota, note=submission.note,
        classification=submission.classification, is_exercise=submission.is_exercise)

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


def _supersede(actor: Actor, previous: AnnualExchange | AnnualCalendar | Notification) -> None:
    """Mark the current version as superseded by the one being stored, in the audit trail."""
    before = snapshot(previous)
    previous.is_current = False
    previous.save(update_fields=["is_current"])
    record_change(actor, "update", previous, before, snapshot(previous))


def _store_exchange(actor: Actor, previous: AnnualExchange | None, *,
                    state: ParticipatingState, year: int, submitted_on: date,
                    units: Sequence[UnitIn], holdings: Sequence[HoldingIn],
                    content: dict[str, Any]) -> AnnualExchange:
    if previous is not None:
        _supersede(actor, previous)
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
        owner_affiliation=_owner(actor),
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


def _check_units(units: Sequence[UnitIn]) -> None:
    seen: set[str] = set()
    for index, unit in enumerate(units):
        where = f"units[{index}]"
        if not unit.designation.strip():
            raise CsbmError(f"{where}.designation", "A formation or unit needs a designation.")
        if unit.designation in seen:
            raise CsbmError(f"{where}.designation",
                            f"{unit.designation!r} is reported twice in this exchange.")
        seen.add(unit.designation)
        if unit.level not in ExchangeUnit.Level.values:
            raise CsbmError(f"{where}.level",
                            f"Choose one of: {', '.join(ExchangeUnit.Level.values)}.")
        if unit.service not in ExchangeUnit.Service.values:
            raise CsbmError(f"{where}.service",
                            f"Choose one of: {', '.join(ExchangeUnit.Service.values)}.")
        if unit.personnel < 0:
            raise CsbmError(f"{where}.personnel", "Must be 0 or more.")
        if unit.latitude is not None and not -90 <= unit.latitude <= 90:
            raise CsbmError(f"{where}.latitude", "Must lie between -90 and 90.")
        if unit.longitude is not None and not -180 <= unit.longitude <= 180:
            raise CsbmError(f"{where}.longitude", "Must lie between -180 and 180.")
    for index, unit in enumerate(units):
        if unit.parent is not None and (unit.parent not in seen or unit.parent == unit.designation):
            raise CsbmError(f"units[{index}].parent",
                            f"No other formation {unit.parent!r} in this exchange.")
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
                raise CsbmError(f"units[{index_of[current]}].parent",
                                "The subordination goes round in a circle: "
                                + " → ".join([*circle, current]) + ".")
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


# -- activities (Chapters V-VIII) -----------------------------------------------------------

# The activity fields a caller may give or change; the rest are written by the services.
ACTIVITY_FIELDS = (
    "name", "type", "status", "start", "end", "troops", "battle_tanks", "acvs", "artillery",
    "amphibious_troops", "airborne_troops", "sorties", "without_advance_notice",
    "outside_zone", "duration_hours",
    "divisional_structure", "brigades_or_regiments", "purpose", "area", "states_involved",
    "announced_on", "source", "confidence", "note",
)


def engine_activity(activity: Activity) -> EngineActivity:
    """The engine's view of `activity`: figures not declared count as 0."""
    return EngineActivity(
        id=activity.reference,
        state=activity.state_id,
        type=EngineActivityType(activity.type),
        start=activity.start,
        end=activity.end,
        troops=activity.troops or 0,
        battle_tanks=activity.battle_tanks or 0,
        acvs=activity.acvs or 0,
        artillery=activity.artillery or 0,
        amphibious_troops=activity.amphibious_troops,
        airborne_troops=activity.airborne_troops,
        sorties=activity.sorties or 0,
        without_advance_notice=activity.without_advance_notice,
        outside_zone=activity.outside_zone,
        duration_hours=activity.duration_hours,
        divisional_structure=activity.divisional_structure,
        brigades_or_regiments=activity.brigades_or_regiments,
        notified_on=activity.notified_on,
        in_calendar_on=activity.in_calendar_on,
        announced_on=activity.announced_on,
    )


def _validate_activity(activity: Activity) -> None:
    if activity.type not in ActivityType.values:
        raise CsbmError("type", f"Choose one of: {', '.join(ActivityType.values)}.")
    if activity.status not in Activity.Status.values:
        raise CsbmError("status", f"Choose one of: {', '.join(Activity.Status.values)}.")
    if not activity.name.strip():
        raise CsbmError("name", "An activity needs a designation.")
    if not isinstance(activity.states_involved, list) or not all(
            isinstance(s, str) for s in activity.states_involved):
        raise CsbmError("states_involved", "Give a list of ISO alpha-2 codes.")
    if activity.end < activity.start:
        raise CsbmError("end", f"The activity ends on {activity.end} before it starts on "
                               f"{activity.start}.")
    try:
        engine_activity(activity)
    except ActivityError as exc:
        message = str(exc).split(": ", 1)[-1]
        field = message.split(" ", 1)[0]
        raise CsbmError(field if field in ACTIVITY_FIELDS else "activity", message) from exc


# A reference is unique within its State's activities (`csbm_activity_one_reference_per_state`),
# and only the State's own delegation records them: a clash is with an activity of the
# recorder's own State, never with another State's (decision 0020).
REFERENCE_TAKEN = "This reference cannot be used; choose another one."


@dataclass(frozen=True)
class ActivityRecord:
    """An activity to record. `details` are further ACTIVITY_FIELDS (troops, battle_tanks,
    ...) by name; `reference` is unique among the State's activities (another State may use
    the same one)."""

    state: str
    reference: str
    name: str
    start: date
    end: date
    type: str = ActivityType.LAND
    classification: str = Classification.RESTRICTED
    is_exercise: bool = False
    details: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        repeated = sorted(set(self.details) & _ACTIVITY_RECORD_FIELDS)
        if repeated:
            raise TypeError(f"{repeated[0]!r} is a field of its own, not one of the details")

    @classmethod
    def from_fields(cls, values: Mapping[str, Any]) -> ActivityRecord:
        """The record of `values` (as an API payload gives them): the fields of the record
        by name, the rest as its details."""
        own = {k: v for k, v in values.items() if k in _ACTIVITY_RECORD_FIELDS}
        details = {k: v for k, v in values.items() if k not in _ACTIVITY_RECORD_FIELDS}
        return cls(**own, details=details)


_ACTIVITY_RECORD_FIELDS = frozenset(f.name for f in fields(ActivityRecord)) - {"details"}


def record_activity(actor: Actor, record: ActivityRecord) -> Activity:
    """Record a planned or conducted activity of `record.state`."""
    participating_state = _state("state", record.state)
    _require_state_actor(actor, participating_state.iso2)
    _classification(record.classification)
    unknown = sorted(set(record.details) - set(ACTIVITY_FIELDS))
    if unknown:
        raise CsbmError(unknown[0], "Not a field of an activity.")
    reference = record.reference
    if not reference.strip():
        raise CsbmError("reference", "An activity needs a reference.")
    activity = Activity(
        state=participating_state, reference=reference, name=record.name, type=record.type,
        start=record.start, end=record.end, classification=record.classification,
        owner_affiliation=_owner(actor), is_exercise=record.is_exercise, **record.details)
    _validate_activity(activity)
    try:
        with transaction.atomic():
            activity.save()
            record_change(actor, "create", activity, None, snapshot(activity))
    except IntegrityError as exc:
        if Activity.objects.filter(state=participating_state, reference=reference).exists():
            # One answer whether the actor may see the activity holding the reference or not,
            # and it names no activity (decision 0020).
            raise CsbmError("reference", REFERENCE_TAKEN) from exc
        raise
    return activity


def update_activity(actor: Actor, activity: Activity, **changes: Any) -> Activity:
    """Change the given ACTIVITY_FIELDS (and `classification`) of an activity of the actor's
    State. Notifications already sent are not changed: send a correction for that."""
    _require_state_actor(actor, activity.state_id)
    allowed = (*ACTIVITY_FIELDS, "classification")
    unknown = sorted(set(changes) - set(allowed))
    if unknown:
        raise CsbmError(unknown[0], "Not a field of an activity that may be changed.")
    if "classification" in changes:
        _classification(changes["classification"])
    with transaction.atomic():
        current = Activity.objects.select_for_update().get(pk=activity.pk)
        before = snapshot(current)
        for name, value in changes.items():
            setattr(current, name, value)
        _validate_activity(current)
        current.save()
        record_change(actor, "update", current, before, snapshot(current))
    return current


# -- notifications (Chapter V) --------------------------------------------------------------


def notification_content(activity: Activity, ruleset: Ruleset) -> dict[str, Any]:
    """The notification's content in the agreed blocks (3.4 of the domain reference):
    A general, B per activity type, C area and timeframe, D other. Figures not declared
    are null. The classification answers under `ruleset` go with block D."""
    found = classify(engine_activity(activity), ruleset)
    block_b: dict[str, Any] = {"type": activity.type}
    if activity.type in (ActivityType.LAND, ActivityType.TRANSFER, ActivityType.CONCENTRATION):
        block_b.update(troops=activity.troops, battle_tanks=activity.battle_tanks,
                       acvs=activity.acvs, artillery=activity.artillery,
                       divisional_structure=activity.divisional_structure,
                       brigades_or_regiments=activity.brigades_or_regiments)
    # (40.2.1): each kind of landing with its own figure, never their sum.
    own_kind = {ActivityType.AMPHIBIOUS.value: "amphibious_troops",
                ActivityType.AIRBORNE.value: "airborne_troops"}.get(str(activity.type))
    for name in ("amphibious_troops", "airborne_troops"):
        figure = getattr(activity, name)
        if figure is None and name == own_kind:
            figure = activity.troops
        if figure is not None or name == own_kind:
            block_b[name] = figure
    if activity.type == ActivityType.AIR or activity.sorties is not None:
        block_b["sorties"] = activity.sorties
    return {
        "A": {
            "designation": activity.name,
            "reference": activity.reference,
            "general_purpose": activity.purpose,
            "notifying_state": activity.state_id,
            "states_involved": sorted({activity.state_id, *activity.states_involved}),
            "start": activity.start.isoformat(),
            "end": activity.end.isoformat(),
        },
        "B": block_b,
        "C": {
            "area": activity.area,
            "start": activity.start.isoformat(),
            "end": activity.end.isoformat(),
            "without_advance_notice": activity.without_advance_notice,
            "duration_hours": activity.duration_hours,
            "outside_zone": activity.outside_zone,
        },
        "D": {
            "in_annual_calendar": activity.in_calendar_on is not None,
            "ruleset": ruleset.id,
            "notifiable": found.notifiable,
            "observable": found.observable,
            "notify_by": found.notify_by.isoformat() if found.notify_by else None,
            "invite_by": found.invite_by.isoformat() if found.invite_by else None,
        },
    }


def notification_payload(reference: str, version: int, sent_on: date, content: dict[str, Any],
                         correction_reason: str) -> dict[str, Any]:
    """What the ledger entry of a notification vouches for. `hofburg ledger verify` rebuilds
    it from the stored notification (csbm/ledger.py), so both sides build it here."""
    return {"activity": reference, "version": version, "sent_on": sent_on.isoformat(),
            "content": content, "correction_reason": correction_reason}


def notify_activity(
    actor: Actor,
    activity: Activity,
    *,
    sent_on: date,
    ruleset: str | None = None,
    correction_reason: str = "",
    classification: str | None = None,
) -> Notification:
    """Send the prior notification of `activity` and append it to the ledger.

    The content is built from the activity as it stands (`notification_content`); a second
    call sends a correction, a new version that supersedes the previous one and must say why.
    The first version sets the activity's `notified_on`. The notification takes the activity's
    classification unless told otherwise.
    """
    _require_state_actor(actor, activity.state_id)
    rules = _ruleset(ruleset)
    level = _classification(classification or activity.classification)
    if activity.status == Activity.Status.CANCELLED:
        raise CsbmError("activity", "A cancelled activity is not notified.")
    with transaction.atomic():
        locked = Activity.objects.select_for_update().select_related("state").get(pk=activity.pk)
        previous = (Notification.objects.select_for_update()
                    .filter(activity=locked, is_current=True).first())
        if previous is not None and not correction_reason.strip():
            raise CsbmError("correction_reason",
                            "The activity is notified already; a correction says why.")
        if previous is not None and sent_on < previous.sent_on:
            raise CsbmError("sent_on", f"A correction cannot predate the version it corrects "
                                       f"({previous.sent_on}).")
        content = notification_content(locked, rules)
        found = classify(engine_activity(locked), rules)
        version = (previous.version + 1) if previous else 1
        entry = append_entry(
            LEDGER_KIND_NOTIFICATION,
            notification_payload(locked.reference, version, sent_on, content,
                                 correction_reason),
            author=_author(actor),
            reference=f"{locked.state_id}/{locked.reference}/v{version}",
        )
        if previous is not None:
            _supersede(actor, previous)
        notification = Notification.objects.create(
            activity=locked, version=version, supersedes=previous, sent_on=sent_on,
            ruleset=rules.id, content=content, notifiable=found.notifiable,
            observable=found.observable, notify_by=found.notify_by, invite_by=found.invite_by,
            is_late=deadlines.is_late(sent_on, found.notify_by),
            correction_reason=correction_reason, ledger_entry=entry,
            sent_by=actor if isinstance(actor, User) else None, classification=level,
            owner_affiliation=_owner(actor) or locked.owner_affiliation,
            is_exercise=locked.is_exercise,
        )
        record_change(actor, "create", notification, None, snapshot(notification))
        if locked.notified_on is None:
            before = snapshot(locked)
            locked.notified_on = sent_on
            locked.save(update_fields=["notified_on", "updated_at"])
            record_change(actor, "update", locked, before, snapshot(locked))
    return notification


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
    participating_state = _state("state", state)
    _require_state_actor(actor, participating_state.iso2)
    _classification(classification)
    listed = list(activities)
    for activity in listed:
        if activity.state_id != participating_state.iso2 or activity.start.year != year:
            raise CsbmError("activities", f"{activity.reference} is not an activity of "
                                          f"{participating_state.iso2} starting in {year}.")
    with transaction.atomic():
        previous = (AnnualCalendar.objects.select_for_update()
                    .filter(state=participating_state, year=year, is_current=True).first())
        if previous is not None:
            _supersede(actor, previous)
        calendar = AnnualCalendar.objects.create(
            state=participating_state, year=year, version=(previous.version + 1) if previous else 1,
            submitted_on=submitted_on, supersedes=previous, note=note,
            submitted_by=actor if isinstance(actor, User) else None,
            classification=classification, owner_affiliation=_owner(actor),
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


# -- verification (Chapter IX) --------------------------------------------------------------


Keyed = TypeVar("Keyed", Visit, RiskReductionRequest)


def _once(model: type[Keyed], key: str, create: Callable[[], Keyed]) -> Keyed:
    """The record stored under `key` (marked as a replay), or the one `create` stores now,
    as stored (times in UTC), so the first answer and a replay's read the same.

    The key is the request's content (decision 0021), unique in the table: of two identical
    requests racing, the second fails on the constraint and answers with the first's record.
    """
    stored = model._default_manager.filter(request_key=key).first()
    if stored is not None:
        return as_replay(stored)
    try:
        with transaction.atomic():
            created = create()
        created.refresh_from_db()
        return created
    except IntegrityError:
        stored = model._default_manager.filter(request_key=key).first()
        if stored is None:
            raise
        return as_replay(stored)


@dataclass(frozen=True)
class VisitRequest:
    """An inspection or evaluation visit as requested. `unit` is the evaluated unit when it
    is on file, `unit_designation` its designation when it is not (evaluations only)."""

    kind: str
    inspecting_state: str
    receiving_state: str
    requested_at: datetime
    on: date
    unit: ExchangeUnit | None = None
    unit_designation: str = ""
    temporarily_activated: bool = False
    area: str = ""
    classification: str = Classification.RESTRICTED
    is_exercise: bool = False


def request_visit(actor: Actor, request: VisitRequest) -> Visit:
    """Record an inspection or evaluation visit requested by `request.inspecting_state`.

    Whether the receiving State is obliged to accept is the quota board's answer
    (queries.quota_board); a request is recorded either way, as it was sent. An identical
    request (every field the same) is the same request: the visit stored for it is returned,
    marked as a replay (`core.idempotency.is_replay`), and nothing new is stored.
    """
    inspecting = _state("inspecting_state", request.inspecting_state)
    receiving = _state("receiving_state", request.receiving_state)
    _require_state_actor(actor, inspecting.iso2)
    _classification(request.classification)
    kind, requested_at, on, unit = request.kind, request.requested_at, request.on, request.unit
    if kind not in Visit.Kind.values:
        raise CsbmError("kind", f"Choose one of: {', '.join(Visit.Kind.values)}.")
    if inspecting.pk == receiving.pk:
        raise CsbmError("receiving_state", "A State does not receive a visit from itself.")
    if timezone.is_naive(requested_at):
        raise CsbmError("requested_at", "Give the time with its time zone (limits run in UTC).")
    if on < requested_at.date():
        raise CsbmError("on", "The visit cannot come before its request.")
    if unit is not None and unit.exchange.state_id != receiving.iso2:
        raise CsbmError("unit", f"{unit.designation} is not a unit of {receiving.iso2}.")
    if kind == Visit.Kind.INSPECTION and (unit is not None or request.unit_designation):
        raise CsbmError("unit", "An inspection is of a specified area, not of a unit.")
    designation = request.unit_designation or (unit.designation if unit else "")
    key = content_key({
        "kind": kind, "inspecting_state": inspecting.iso2, "receiving_state": receiving.iso2,
        "requested_at": requested_at.astimezone(UTC).isoformat(), "on": on.isoformat(),
        "unit": unit.pk if unit else None, "unit_designation": designation,
        "temporarily_activated": request.temporarily_activated, "area": request.area,
        "classification": request.classification, "is_exercise": request.is_exercise})
    return _once(Visit, key, lambda: _create_visit(
        actor, request_key=key, kind=kind, inspecting_state=inspecting,
        receiving_state=receiving, requested_at=requested_at, on=on, unit=unit,
        unit_designation=designation, temporarily_activated=request.temporarily_activated,
        area=request.area, classification=request.classification,
        owner_affiliation=_owner(actor), is_exercise=request.is_exercise))


def _create_visit(actor: Actor, **values: Any) -> Visit:
    visit = Visit.objects.create(**values)
    record_change(actor, "create", visit, None, snapshot(visit))
    return visit


def record_visit_outcome(
    actor: Actor, visit: Visit, *, outcome: str, report: str = "",
    recorded_at: datetime | None = None,
) -> Visit:
    """Record what became of a visit: conducted, prevented by force majeure, or declined
    because the unit was away. The outcome decides whether it counts against the quota."""
    if not can_record_verification(actor, visit.inspecting_state_id, visit.receiving_state_id):
        raise AccessDenied("Only the States concerned or the Secretariat may record an outcome.")
    if outcome not in VisitOutcome.values:
        raise CsbmError("outcome", f"Choose one of: {', '.join(VisitOutcome.values)}.")
    if outcome == VisitOutcome.DECLINED_UNIT_AWAY and visit.kind != Visit.Kind.EVALUATION:
        raise CsbmError("outcome", "Only an evaluation visit is declined for a unit away.")
    with transaction.atomic():
        current = Visit.objects.select_for_update().get(pk=visit.pk)
        before = snapshot(current)
        current.outcome = outcome
        current.report = report
        current.outcome_recorded_at = recorded_at or timezone.now()
        current.save(update_fields=["outcome", "report", "outcome_recorded_at"])
        record_change(actor, "update", current, before, snapshot(current))
    return current


# -- risk reduction (Chapter III) -----------------------------------------------------------


def _aware(field: str, moment: datetime) -> datetime:
    if timezone.is_naive(moment):
        raise CsbmError(field, "Give the time with its time zone (the clocks run in UTC).")
    return moment


def _deadline(compute: Callable[[datetime, Ruleset], datetime], moment: datetime,
              rules: Ruleset) -> datetime | None:
    try:
        return compute(moment, rules)
    except NotDefinedError:
        return None  # a ruleset without the limit leaves the clock unset


@dataclass(frozen=True)
class ExplanationRequest:
    """A Chapter III request for explanation as sent; `ruleset` names the rules whose reply
    hours apply (the default ruleset when None)."""

    requesting_state: str
    responding_state: str
    subject: str
    requested_at: datetime
    activity: Activity | None = None
    ruleset: str | None = None
    classification: str = Classification.RESTRICTED
    is_exercise: bool = False


def open_risk_reduction_request(actor: Actor,
                                request: ExplanationRequest) -> RiskReductionRequest:
    """Record a request for explanation of an unusual military activity (16); the reply
    clock starts at `request.requested_at` and runs for the ruleset's reply hours. An
    identical request is the same request: the stored one is returned, marked as a replay."""
    requesting = _state("requesting_state", request.requesting_state)
    responding = _state("responding_state", request.responding_state)
    _require_state_actor(actor, requesting.iso2)
    _classification(request.classification)
    rules = _ruleset(request.ruleset)
    subject, requested_at, activity = request.subject, request.requested_at, request.activity
    if requesting.pk == responding.pk:
        raise CsbmError("responding_state", "A State does not ask itself for an explanation.")
    if not subject.strip():
        raise CsbmError("subject", "Say which activity gives rise to concern.")
    _aware("requested_at", requested_at)
    key = content_key({
        "requesting_state": requesting.iso2, "responding_state": responding.iso2,
        "activity": activity.pk if activity else None, "subject": subject, "ruleset": rules.id,
        "requested_at": requested_at.astimezone(UTC).isoformat(),
        "classification": request.classification, "is_exercise": request.is_exercise})
    return _once(RiskReductionRequest, key, lambda: _create_risk_reduction_request(
        actor, request_key=key, requesting_state=requesting, responding_state=responding,
        activity=activity, subject=subject, ruleset=rules.id, requested_at=requested_at,
        reply_due_at=_deadline(deadlines.risk_reduction_reply_deadline, requested_at, rules),
        classification=request.classification, owner_affiliation=_owner(actor),
        is_exercise=request.is_exercise))


def _create_risk_reduction_request(actor: Actor, **values: Any) -> RiskReductionRequest:
    request = RiskReductionRequest.objects.create(**values)
    record_change(actor, "create", request, None, snapshot(request))
    return request


def record_reply(actor: Actor, request: RiskReductionRequest, *, replied_at: datetime,
                 reply: str) -> RiskReductionRequest:
    """The responding State's written reply; it stops the reply clock."""
    _require_state_actor(actor, request.responding_state_id)
    _aware("replied_at", replied_at)
    if replied_at < request.requested_at:
        raise CsbmError("replied_at", "The reply cannot come before the request.")
    if not reply.strip():
        raise CsbmError("reply", "A reply needs its text.")
    with transaction.atomic():
        current = RiskReductionRequest.objects.select_for_update().get(pk=request.pk)
        if current.replied_at is not None:
            raise CsbmError("replied_at", "The reply is recorded already.")
        before = snapshot(current)
        current.replied_at, current.reply = replied_at, reply
        current.save(update_fields=["replied_at", "reply"])
        record_change(actor, "update", current, before, snapshot(current))
    return current


def record_meeting(
    actor: Actor, request: RiskReductionRequest, *, requested_at: datetime | None = None,
    held_at: datetime | None = None, note: str = "",
) -> RiskReductionRequest:
    """Record a request for a meeting on the matter (which starts the meeting clock), or the
    meeting itself (which stops it). Either State concerned or the Secretariat may record."""
    if not can_record_verification(actor, request.requesting_state_id,
                                   request.responding_state_id):
        raise AccessDenied("Only the States concerned or the Secretariat may record a meeting.")
    if requested_at is None and held_at is None:
        raise CsbmError("requested_at", "Give when the meeting was requested or held.")
    with transaction.atomic():
        current = RiskReductionRequest.objects.select_for_update().get(pk=request.pk)
        rules = _ruleset(current.ruleset)
        before = snapshot(current)
        if requested_at is not None:
            _aware("requested_at", requested_at)
            if requested_at < current.requested_at:
                raise CsbmError("requested_at", "The meeting request cannot precede the request.")
            current.meeting_requested_at = requested_at
            current.meeting_due_at = _deadline(
                deadlines.risk_reduction_meeting_deadline, requested_at, rules)
        if held_at is not None:
            _aware("held_at", held_at)
            if current.meeting_requested_at is None:
                raise CsbmError("held_at", "Record the meeting request first.")
            if held_at < current.meeting_requested_at:
                raise CsbmError("held_at", "The meeting cannot precede its request.")
            current.meeting_held_at = held_at
        if note:
            current.meeting_note = note
        current.save()
        record_change(actor, "update", current, before, snapshot(current))
    return current


__all__ = [
    "ACTIVITY_FIELDS", "ActivityRecord", "CsbmError", "ExchangeSubmission", "ExplanationRequest",
    "HoldingIn", "UnitIn", "VisitRequest", "can_act_for_state", "can_record_verification",
    "engine_activity", "notification_content", "notify_activity", "open_risk_reduction_request",
    "record_activity", "record_meeting", "record_reply", "record_visit_outcome", "request_visit",
    "submit_calendar", "submit_exchange", "update_activity",
]
