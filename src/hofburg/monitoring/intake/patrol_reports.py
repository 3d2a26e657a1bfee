"""The other reports of a patrol: weapon sightings (checked against the withdrawal rules on the
exercise lines), restrictions of the monitors' freedom of movement, and civilian impact. Each
is stored once, idempotent by its report id as observations are by their client id (decision
0021)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from functools import cache
from typing import Any, NotRequired, TypedDict, Unpack

from django.db import IntegrityError, transaction
from django.db.models import Model

from hofburg.core.idempotency import differing_fields
from hofburg.core.models import User
from hofburg.core.services.audit import record_change, snapshot
from hofburg.monitoring.engine.withdrawal import (
    Sighting,
    WithdrawalError,
    check_sighting,
    load_reference_lines,
    load_withdrawal_rules,
)
from hofburg.monitoring.errors import SubmissionConflict, SubmissionInvalid
from hofburg.monitoring.mission import monitoring_data
from hofburg.monitoring.models import CivilianImpact, MovementRestriction, WeaponSighting
from hofburg.monitoring.permissions import AnyUser, require_submitter
from hofburg.monitoring.records import Provenance, observation_bounds, provenance
from hofburg.notes import note_data


@cache
def _withdrawal_inputs() -> tuple[Any, Any]:
    directory = monitoring_data()
    return (load_withdrawal_rules(directory / "withdrawal_rules.yaml"),
            load_reference_lines(directory / "exercise_lines.geojson"))


def _report(model: type[Model], user: AnyUser, report_id: str, values: Mapping[str, Any], *,
            classification: str | None, is_exercise: bool) -> tuple[Any, bool]:
    """Store a patrol's report once (the record, True if new); idempotent by `report_id` as
    observations are by their client id (decision 0021)."""
    actor = require_submitter(user)
    if not report_id or len(report_id) > 64:
        raise SubmissionInvalid("report_id", "must be a string of 1 to 64 characters")
    for name in ("lon", "lat"):
        value = values.get(name)
        limit = 180 if name == "lon" else 90
        if not isinstance(value, int | float) or not -limit <= value <= limit:
            raise SubmissionInvalid(name, f"must be a number in [-{limit}, {limit}]")
    observed_at = values.get("observed_at")
    if not isinstance(observed_at, datetime) or observed_at.tzinfo is None:
        raise SubmissionInvalid("observed_at", "must be a time with its UTC offset")
    limits = observation_bounds()  # the same times as an observation's (decision 0036)
    if limits.latest is not None and observed_at > limits.latest:
        raise SubmissionInvalid("observed_at", f"{observed_at.isoformat()} is in the future")
    if limits.earliest is not None and observed_at < limits.earliest:
        raise SubmissionInvalid("observed_at", f"{observed_at.isoformat()} is before the "
                                               f"mission's mandate began "
                                               f"({limits.earliest.date().isoformat()})")
    new = provenance(actor, classification, is_exercise)
    existing = _existing_report(model, actor, report_id, values, new)
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            record = model._default_manager.create(
                report_id=report_id, submitted_by=actor, is_exercise=is_exercise,
                classification=new.classification,
                owner_affiliation_id=new.owner_affiliation_id, **values)
            record_change(actor, "create", record, None, snapshot(record))
    except IntegrityError:
        # A concurrent retry stored it first: answer as a retry.
        existing = _existing_report(model, actor, report_id, values, new)
        if existing is None:
            raise
        return existing, False
    return record, True


# Written by the service from the rules, not submitted: not part of what a retry repeats.
_DERIVED_REPORT_FIELDS = frozenset({"compliance"})


def _existing_report(model: type[Model], actor: User, report_id: str,
                     values: Mapping[str, Any], new: Provenance) -> Any:
    """The report stored under `report_id` when it is the same report, else None;
    SubmissionConflict when the id was another user's or came with different content."""
    existing: Any = model._default_manager.filter(report_id=report_id).first()
    if existing is None:
        return None
    if getattr(existing, "submitted_by_id", None) != actor.pk:
        raise SubmissionConflict("this report id was used by another user")
    names = set(values) - _DERIVED_REPORT_FIELDS
    differing = differing_fields(
        {name: getattr(existing, name) for name in names}
        | {"classification": existing.classification, "is_exercise": existing.is_exercise},
        {name: values[name] for name in names}
        | {"classification": new.classification, "is_exercise": new.is_exercise})
    if differing:
        raise SubmissionConflict(f"report id {report_id!r} was used for a different report: "
                                 f"{', '.join(differing)} differ from the stored one")
    return existing


class WeaponSightingValues(TypedDict):
    """What a weapon sighting says (`submit_weapon_sighting`'s keywords)."""

    observed_at: datetime
    lon: float
    lat: float
    weapon_class: str
    count: NotRequired[int]
    weapon_type: NotRequired[str]
    calibre_mm: NotRequired[float | None]
    observer_id: NotRequired[str]
    place: NotRequired[str]
    notes: NotRequired[str]


class MovementRestrictionValues(TypedDict):
    """What a movement restriction report says (`report_movement_restriction`'s keywords)."""

    observed_at: datetime
    lon: float
    lat: float
    kind: str
    imposed_by: NotRequired[str]
    place: NotRequired[str]
    notes: NotRequired[str]
    observer_id: NotRequired[str]


class CivilianImpactValues(TypedDict):
    """What a civilian impact report says (`report_civilian_impact`'s keywords)."""

    observed_at: datetime
    lon: float
    lat: float
    kind: str
    object_type: NotRequired[str]
    killed: NotRequired[int]
    injured: NotRequired[int]
    reported_by: NotRequired[str]
    place: NotRequired[str]
    notes: NotRequired[str]
    observer_id: NotRequired[str]


_PLACE = ("observed_at", "lon", "lat")
_SIGHTING_DEFAULTS = {"count": 1, "weapon_type": "", "calibre_mm": None, "observer_id": "",
                      "place": "", "notes": ""}
_RESTRICTION_DEFAULTS = {"imposed_by": "unknown", "place": "", "notes": "", "observer_id": ""}
_IMPACT_DEFAULTS = {"object_type": "", "killed": 0, "injured": 0, "reported_by": "",
                    "place": "", "notes": "", "observer_id": ""}


def _values(given: Mapping[str, Any], required: tuple[str, ...],
            defaults: Mapping[str, Any]) -> dict[str, Any]:
    """The report's values, the defaults filled in; TypeError for a missing or unknown one (as
    for a function's missing or unknown keyword)."""
    missing = [name for name in required if name not in given]
    unknown = sorted(set(given) - set(required) - set(defaults))
    if missing or unknown:
        raise TypeError(f"missing {missing}, unknown {unknown}")
    return {**defaults, **given}


def submit_weapon_sighting(user: AnyUser, report_id: str, *, classification: str | None = None,
                           is_exercise: bool = False, **given: Unpack[WeaponSightingValues]
                           ) -> tuple[WeaponSighting, bool]:
    """Record weapons seen at a position; idempotent by `report_id`.

    Exercise sightings are checked against the withdrawal rules on the exercise lines; real
    lines are not in the repository, so a real sighting's check is left empty.
    """
    values = _values(given, (*_PLACE, "weapon_class"), _SIGHTING_DEFAULTS)
    compliance: dict[str, Any] = {}
    if is_exercise:
        rules, lines = _withdrawal_inputs()
        try:
            check = check_sighting(Sighting(
                lon=values["lon"], lat=values["lat"], weapon_class=values["weapon_class"],
                observed_on=values["observed_at"].date()), rules, lines)
            compliance = {"status": check.status.value, "required_km": check.required_km,
                          "distance_km": round(check.distance_km, 3),
                          "shortfall_km": round(check.shortfall_km, 3),
                          "reference_line": check.reference_line,
                          "explanation": check.explanation,
                          "notes": [note_data(note) for note in check.notes]}
        except WithdrawalError as error:
            compliance = {"status": "not_checked", "explanation": str(error)}
    count = values["count"]
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise SubmissionInvalid("count", "must be a whole number of at least 1")
    return _report(WeaponSighting, user, report_id, {**values, "compliance": compliance},
                   classification=classification, is_exercise=is_exercise)


def report_movement_restriction(user: AnyUser, report_id: str, *,
                                classification: str | None = None, is_exercise: bool = False,
                                **given: Unpack[MovementRestrictionValues]
                                ) -> tuple[MovementRestriction, bool]:
    """Record a restriction of the monitors' freedom of movement; idempotent by `report_id`.

    `imposed_by` is a category (armed personnel, checkpoint staff, ...), never a person.
    """
    values = _values(given, (*_PLACE, "kind"), _RESTRICTION_DEFAULTS)
    if values["kind"] not in MovementRestriction.Kind.values:
        raise SubmissionInvalid("kind", f"must be one of {', '.join(MovementRestriction.Kind)}")
    if values["imposed_by"] not in MovementRestriction.ImposedBy.values:
        raise SubmissionInvalid("imposed_by", "must be one of "
                                f"{', '.join(MovementRestriction.ImposedBy)}")
    return _report(MovementRestriction, user, report_id, values,
                   classification=classification, is_exercise=is_exercise)


def report_civilian_impact(user: AnyUser, report_id: str, *, classification: str | None = None,
                           is_exercise: bool = False, **given: Unpack[CivilianImpactValues]
                           ) -> tuple[CivilianImpact, bool]:
    """Record damage to a civilian object or civilian casualties as reported to the monitors."""
    values = _values(given, (*_PLACE, "kind"), _IMPACT_DEFAULTS)
    if values["kind"] not in CivilianImpact.Kind.values:
        raise SubmissionInvalid("kind", f"must be one of {', '.join(CivilianImpact.Kind)}")
    for name in ("killed", "injured"):
        value = values[name]
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise SubmissionInvalid(name, "must be a whole number, not negative")
    return _report(CivilianImpact, user, report_id, values,
                   classification=classification, is_exercise=is_exercise)
