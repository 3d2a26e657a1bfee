"""Demo data of this desk, loaded by `hofburg demo`.

Two kinds of data, never mixed:

- **real, sourced**: the publicly reported exercises of `data/csbm/exercises.yaml`, loaded as
  `public` activities with `is_exercise=False`, each with its declared figures, source and
  confidence label from the domain reference. No figure is added to them.
- **synthetic exercise data**: annual exchanges for every participating State, sized like the
  real OSCE-wide exchange (about 10,000 formations and units and 50,000 holdings rows), plus
  activities, calendars, notifications, visits and risk-reduction requests. All `restricted`,
  all `is_exercise=True`, with "Exercise" in every designation. The figures are invented for
  the demonstration and say nothing about any State's forces.

Everything goes through the services. Loading is idempotent: a second run adds nothing.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from hofburg.core.demo import register_loader
from hofburg.core.models import Classification
from hofburg.csbm.engine import deadlines
from hofburg.csbm.rulesets import get_ruleset

if TYPE_CHECKING:
    from hofburg.csbm.models import Activity

EXERCISES_FILE = "exercises.yaml"
DEMO_SEED = 1975  # the Helsinki Final Act; any fixed seed keeps the demo reproducible
EXERCISE_PREFIX = "Exercise"

# Equipment categories a land unit holds, by unit type; quantities are invented.
_LAND_TYPES: dict[str, tuple[str, ...]] = {
    "armoured": ("battle_tanks", "acvs", "self_propelled_artillery", "avlbs"),
    "mechanized": ("acvs", "battle_tanks", "mortars", "atgm_launchers"),
    "motorized": ("acvs", "mortars", "apc_look_alikes"),
    "artillery": ("self_propelled_artillery", "towed_artillery", "mrls"),
    "airborne": ("acvs", "mortars", "aifv_look_alikes"),
    "engineer": ("avlbs", "apc_look_alikes"),
}
_AIR_TYPES: dict[str, tuple[str, ...]] = {
    "fighter": ("combat_aircraft",),
    "helicopter": ("helicopters",),
}
_TYPE_NAMES = ("Type A", "Type B", "Type C", "Type D", "Type E")


def register() -> None:
    """Register this desk's demo loader with core.demo (called from AppConfig.ready)."""
    register_loader("csbm", load_csbm_demo)


def load_csbm_demo() -> None:
    """Load the sourced real exercises and the synthetic exercise data (idempotent)."""
    from hofburg.registry.models import ParticipatingState

    states = list(ParticipatingState.objects.order_by("iso2").values_list("iso2", flat=True))
    if not states:
        return  # the registry's reference data comes first
    load_real_exercises(Path(settings.REFERENCE_DATA_DIR) / "csbm" / EXERCISES_FILE, states)
    load_synthetic(states, today=timezone.now().date())


# -- real exercises -------------------------------------------------------------------------


def load_real_exercises(path: Path, known_states: list[str]) -> int:
    """Load the sourced exercises of `path` as public activities; returns how many were new."""
    from hofburg.csbm.models import Activity
    from hofburg.csbm.services import ActivityRecord, record_activity

    entries = yaml.safe_load(path.read_text(encoding="utf-8"))["exercises"]
    created = 0
    for entry in entries:
        if entry["state"] not in known_states or Activity.objects.filter(
                state=entry["state"], reference=entry["reference"]).exists():
            continue
        figures: dict[str, Any] = dict(entry.get("figures") or {})
        notes = [entry.get("figures_note", ""), entry.get("dates_note", "")]
        record_activity(None, ActivityRecord(
            state=entry["state"],
            reference=entry["reference"],
            name=entry["name"],
            type=entry["type"],
            start=entry["start"],
            end=entry["end"],
            classification=Classification.PUBLIC,
            is_exercise=False,
            details={
                "status": "conducted",
                "states_involved": list(entry.get("states_involved", [])),
                "source": " ".join(entry["source"].split()),
                "confidence": entry["confidence"],
                "note": "\n\n".join(" ".join(n.split()) for n in notes if n),
                **figures,
            },
        ))
        created += 1
    return created


# -- synthetic annual exchanges -------------------------------------------------------------


@dataclass(frozen=True)
class SyntheticExchange:
    units: list[Any]  # services.UnitIn
    holdings: list[Any]  # services.HoldingIn


def synthetic_exchange(iso2: str, rng: random.Random, units: int,
                       holdings_per_unit: float = 6.0) -> SyntheticExchange:
    """An invented exchange for `iso2` with about `units` formations and units: one formation
    (division) per six units, land and air, and about `holdings_per_unit` holdings rows each.
    With eight divisions or more, a corps above every eight divisions and an air command
    above the air wings (no more random draws: the rest is as without them)."""
    from hofburg.csbm.services import HoldingIn, UnitIn

    unit_rows: list[UnitIn] = []
    holding_rows: list[HoldingIn] = []
    formations = max(1, units // 7)
    # A larger exchange has a level of command above its divisions (corps, and an air
    # command over its wings), as (10.1) reports "at each level of command".
    corps = formations // 8
    air_command = f"{EXERCISE_PREFIX} {iso2} Air Command" if corps else None
    base_lat, base_lon = rng.uniform(36, 66), rng.uniform(-20, 60)
    for c in range(1, corps + 1):
        unit_rows.append(UnitIn(designation=f"{EXERCISE_PREFIX} {iso2} {c}. Corps",
                                level="formation", unit_type="corps", personnel=400,
                                latitude=base_lat, longitude=base_lon))
    if air_command:
        unit_rows.append(UnitIn(designation=air_command, level="formation", service="air",
                                unit_type="air command", personnel=300, latitude=base_lat,
                                longitude=base_lon))
    for f in range(1, formations + 1):
        formation = f"{EXERCISE_PREFIX} {iso2} {f}. Division"
        unit_rows.append(UnitIn(designation=formation, level="formation", unit_type="division",
                                personnel=rng.randrange(500, 2000), latitude=base_lat,
                                longitude=base_lon,
                                parent=f"{EXERCISE_PREFIX} {iso2} {(f - 1) % corps + 1}. Corps"
                                if corps else None))
    count = units - formations
    for u in range(1, count + 1):
        air = rng.random() < 0.15
        types = _AIR_TYPES if air else _LAND_TYPES
        unit_type = rng.choice(list(types))
        designation = f"{EXERCISE_PREFIX} {iso2} {u}. {unit_type.title()} " + (
            "Wing" if air else "Brigade")
        unit_rows.append(UnitIn(
            designation=designation, level="unit", service="air" if air else "land",
            parent=air_command if air else f"{EXERCISE_PREFIX} {iso2} "
                                           f"{rng.randrange(formations) + 1}. Division",
            unit_type=unit_type, personnel=rng.randrange(800, 4500),
            latitude=round(base_lat + rng.uniform(-3, 3), 4),
            longitude=round(base_lon + rng.uniform(-4, 4), 4)))
        for _ in range(max(1, round(rng.gauss(holdings_per_unit, 1.0)))):
            holding_rows.append(HoldingIn(
                category=rng.choice(types[unit_type]), quantity=rng.randrange(4, 60),
                type_name=f"{EXERCISE_PREFIX} {rng.choice(_TYPE_NAMES)}", unit=designation))
    return SyntheticExchange(unit_rows, holding_rows)


def units_per_state(states: list[str], total: int, rng: random.Random) -> dict[str, int]:
    """Share `total` units among the States unevenly, as real forces differ in size."""
    weights = [rng.paretovariate(1.2) for _ in states]
    scale = total / sum(weights)
    return {iso2: max(3, round(w * scale)) for iso2, w in zip(states, weights, strict=True)}


def synthetic_activities(states: list[str], years: range, count: int, rng: random.Random
                         ) -> Iterator[dict[str, Any]]:
    """Invented activities for `ActivityRecord.from_fields`: most small, some near or above the
    thresholds, a few very large; figures are drawn, not taken from any real activity."""
    for n in range(1, count + 1):
        iso2 = rng.choice(states)
        year = rng.choice(list(years))
        start = date(year, 1, 1) + timedelta(days=rng.randrange(0, 350))
        size = rng.random()
        troops = (rng.randrange(1000, 8000) if size < 0.6 else rng.randrange(8000, 16000)
                  if size < 0.93 else rng.randrange(16000, 60000))
        kind = rng.choices(["land", "land", "land", "transfer", "airborne", "amphibious", "air"],
                           k=1)[0]
        yield {
            "state": iso2,
            "reference": f"exercise-{iso2.lower()}-{year}-{n:04d}",
            "name": f"{EXERCISE_PREFIX} activity {iso2}-{year}-{n:04d}",
            "type": kind,
            "start": start,
            "end": start + timedelta(days=rng.randrange(2, 15)),
            "troops": troops,
            "battle_tanks": rng.randrange(0, 320) if kind in ("land", "transfer") else 0,
            "acvs": rng.randrange(0, 600) if kind != "air" else 0,
            "artillery": rng.randrange(0, 260) if kind in ("land", "transfer") else 0,
            "sorties": rng.randrange(50, 400) if kind in ("air", "land") else None,
            "without_advance_notice": rng.random() < 0.05,
            "purpose": "Exercise data: generated for the demonstration.",
            "area": f"{EXERCISE_PREFIX} training area {rng.randrange(1, 40)}",
        }


def load_synthetic(states: list[str], today: date, *, total_units: int = 10_000,
                   activities: int = 240) -> None:
    """The synthetic exercise data; skipped when any exercise exchange exists already."""
    from hofburg.csbm.models import AnnualExchange

    if AnnualExchange.objects.filter(is_exercise=True).exists():
        return
    rng = random.Random(DEMO_SEED)  # noqa: S311 - a reproducible demo, not a secret
    rules = get_ruleset()
    # The texts' calendar: the exchange in force is valid from 1 January of this year (10); near
    # the year's end next year's calendar (15 November) and exchange (15 December) are due too,
    # so the demo holds what a State would have sent by `today`.
    year = deadlines.exchange_year_in_force(today)
    due_years = deadlines.years_due(today, rules)
    # One generator through every step, in this order: the same seed gives the same data.
    for exchange_year in due_years:
        if today > deadlines.annual_exchange_deadline(exchange_year, rules):
            _synthetic_exchanges(states, exchange_year, total_units, rng, today)
    created = _synthetic_activities_and_calendars(states, range(year - 1, due_years[-1] + 1),
                                                  activities, rng, today)
    _synthetic_notifications(created, today, rng)
    _synthetic_visits(states, year, today, rng)
    _synthetic_risk_reduction(states, today, rng)


def _synthetic_exchanges(states: list[str], year: int, total_units: int,
                         rng: random.Random, today: date) -> None:
    from hofburg.csbm.services import ExchangeSubmission, submit_exchange

    sizes = units_per_state(states, total_units, rng)
    for iso2 in states:
        fate = rng.random()
        if fate < 0.04:
            continue  # a State that has not sent its exchange: the scorecard shows it missing
        late = fate > 0.9
        submitted = date(year - 1, 12, rng.randrange(1, 15)) if not late else min(
            date(year, 1, rng.randrange(5, 28)), today)
        data = synthetic_exchange(iso2, rng, sizes[iso2])
        submit_exchange(None, ExchangeSubmission(
            state=iso2, year=year, submitted_on=submitted, units=data.units,
            holdings=data.holdings,
            note="EXERCISE DATA: generated for the demonstration; not any State's forces.",
            is_exercise=True))
        if rng.random() < 0.05:  # a correction: the holdings of one unit were wrong
            submit_exchange(None, ExchangeSubmission(
                state=iso2, year=year, submitted_on=submitted + timedelta(days=20),
                units=data.units, holdings=data.holdings[1:],
                note="EXERCISE DATA: correction of the first version.", is_exercise=True))


def _synthetic_activities_and_calendars(states: list[str], years: range, activities: int,
                                        rng: random.Random, today: date) -> list[Activity]:
    from hofburg.csbm.queries import classify_activity
    from hofburg.csbm.services import ActivityRecord, record_activity, submit_calendar

    with transaction.atomic():
        created = [record_activity(None, ActivityRecord.from_fields(
                       {**spec, "classification": Classification.RESTRICTED,
                        "is_exercise": True}))
                   for spec in synthetic_activities(states, years, activities, rng)]
    by_state: dict[tuple[str, int], list[Activity]] = {}
    for activity in created:
        by_state.setdefault((activity.state_id, activity.start.year), []).append(activity)
    for (iso2, activity_year), own in sorted(by_state.items()):
        listed = [a for a in own if classify_activity(a).notifiable and rng.random() < 0.85]
        submit_calendar(None, state=iso2, year=activity_year,
                        submitted_on=min(date(activity_year - 1, 11, rng.randrange(1, 20)),
                                         today),
                        activities=listed, note="EXERCISE DATA", is_exercise=True)
    return created


def _synthetic_notifications(created: list[Activity], today: date, rng: random.Random) -> None:
    from hofburg.csbm.queries import classify_activity
    from hofburg.csbm.services import notify_activity

    notified = 0
    for activity in created:
        answer = classify_activity(activity)
        if answer.notify_by is None or activity.start > today or notified >= 30:
            continue
        late = rng.random() < 0.2
        sent_on = answer.notify_by + timedelta(days=rng.randrange(1, 20)) if late else (
            answer.notify_by - timedelta(days=rng.randrange(0, 10)))
        notify_activity(None, activity, sent_on=sent_on)
        notified += 1


def _synthetic_visits(states: list[str], year: int, today: date, rng: random.Random) -> None:
    from hofburg.csbm.models import ExchangeUnit
    from hofburg.csbm.services import VisitRequest, record_visit_outcome, request_visit

    units = list(ExchangeUnit.objects.filter(exchange__is_exercise=True, exchange__is_current=True,
                                             level="unit").select_related("exchange")[:4000])
    for n in range(40):
        receiving, inspecting = rng.sample(states, 2)
        on = date(year, 1, 1) + timedelta(days=rng.randrange(0, 330))
        kind = "evaluation" if n % 2 else "inspection"
        unit = None
        if kind == "evaluation":
            candidates = [u for u in units if u.exchange.state_id == receiving]
            if not candidates:
                continue
            unit = rng.choice(candidates)
        visit = request_visit(None, VisitRequest(
            kind=kind, inspecting_state=inspecting, receiving_state=receiving,
            requested_at=datetime.combine(on - timedelta(days=10), datetime.min.time(), UTC),
            on=on, unit=unit, area="" if unit else f"{EXERCISE_PREFIX} specified area",
            is_exercise=True))
        if on < today:
            outcome = "conducted" if rng.random() < 0.9 else "force_majeure"
            record_visit_outcome(None, visit, outcome=outcome,
                                 report="EXERCISE DATA: generated report.")


def _synthetic_risk_reduction(states: list[str], today: date, rng: random.Random) -> None:
    from hofburg.csbm.services import (
        ExplanationRequest,
        open_risk_reduction_request,
        record_meeting,
        record_reply,
    )

    for n in range(3):
        requesting, responding = rng.sample(states, 2)
        asked = datetime.combine(today - timedelta(days=10 * n + 1), datetime.min.time(), UTC)
        request = open_risk_reduction_request(None, ExplanationRequest(
            requesting_state=requesting, responding_state=responding,
            subject="EXERCISE DATA: unusual military activity near the border (generated).",
            requested_at=asked, is_exercise=True))
        if n > 0:
            record_reply(None, request, replied_at=asked + timedelta(hours=30),
                         reply="EXERCISE DATA: the activity is a routine exercise.")
        if n > 1:
            record_meeting(None, request, requested_at=asked + timedelta(hours=40))
