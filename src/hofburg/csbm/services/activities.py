"""Activities (Chapters V-VIII) and their notifications (Chapter V), sent on the ledger."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction

from hofburg.core.models import Classification, User
from hofburg.core.services.audit import record_change, snapshot
from hofburg.core.services.ledger import append_entry
from hofburg.csbm.engine import deadlines
from hofburg.csbm.engine.activities import Activity as EngineActivity
from hofburg.csbm.engine.activities import ActivityError
from hofburg.csbm.engine.activities import ActivityType as EngineActivityType
from hofburg.csbm.engine.classify import classify
from hofburg.csbm.engine.rulesets import Ruleset
from hofburg.csbm.models import (
    Activity,
    ActivityType,
    Notification,
)
from hofburg.csbm.services.common import (
    LEDGER_KIND_NOTIFICATION,
    Actor,
    CsbmError,
    author_of,
    classification_of,
    exercise_of,
    owner_of,
    require_state_actor,
    ruleset_named,
    state_named,
    supersede,
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
    participating_state = state_named("state", record.state)
    require_state_actor(actor, participating_state.iso2)
    classification_of(record.classification)
    unknown = sorted(set(record.details) - set(ACTIVITY_FIELDS))
    if unknown:
        raise CsbmError(unknown[0], "Not a field of an activity.")
    reference = record.reference
    if not reference.strip():
        raise CsbmError("reference", "An activity needs a reference.")
    activity = Activity(
        state=participating_state, reference=reference, name=record.name, type=record.type,
        start=record.start, end=record.end, classification=record.classification,
        owner_affiliation=owner_of(actor), is_exercise=exercise_of(actor, record.is_exercise),
        **record.details)
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
    require_state_actor(actor, activity.state_id)
    allowed = (*ACTIVITY_FIELDS, "classification")
    unknown = sorted(set(changes) - set(allowed))
    if unknown:
        raise CsbmError(unknown[0], "Not a field of an activity that may be changed.")
    if "classification" in changes:
        classification_of(changes["classification"])
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
    require_state_actor(actor, activity.state_id)
    rules = ruleset_named(ruleset)
    level = classification_of(classification or activity.classification)
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
            author=author_of(actor),
            reference=f"{locked.state_id}/{locked.reference}/v{version}",
        )
        if previous is not None:
            supersede(actor, previous)
        notification = Notification.objects.create(
            activity=locked, version=version, supersedes=previous, sent_on=sent_on,
            ruleset=rules.id, content=content, notifiable=found.notifiable,
            observable=found.observable, notify_by=found.notify_by, invite_by=found.invite_by,
            is_late=deadlines.is_late(sent_on, found.notify_by),
            correction_reason=correction_reason, ledger_entry=entry,
            sent_by=actor if isinstance(actor, User) else None, classification=level,
            owner_affiliation=owner_of(actor) or locked.owner_affiliation,
            is_exercise=locked.is_exercise,
        )
        record_change(actor, "create", notification, None, snapshot(notification))
        if locked.notified_on is None:
            before = snapshot(locked)
            locked.notified_on = sent_on
            locked.save(update_fields=["notified_on", "updated_at"])
            record_change(actor, "update", locked, before, snapshot(locked))
    return notification
