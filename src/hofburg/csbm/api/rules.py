"""The rule endpoints: rulesets, classification, quotas, Chapter VIII constraints and what-if.

They read no stored record except what-if, which compares the activities the caller may see."""


# No `from __future__ import annotations` here: django-ninja reads the endpoint annotations at
# import time, and paginated endpoints cannot resolve them as strings.
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from hofburg.core.api import current_user
from hofburg.core.bounds import (
    Count,
    Day,
    Year,
)
from hofburg.core.errors import Invalid
from hofburg.csbm import rulesets, whatif
from hofburg.csbm.api.common import (
    ruleset_named,
)
from hofburg.csbm.engine import quotas
from hofburg.csbm.engine.activities import Activity as EngineActivity
from hofburg.csbm.engine.activities import ActivityError, ActivityType
from hofburg.csbm.engine.classify import classify as classify_activity
from hofburg.csbm.engine.constraints import check_constraints
from hofburg.csbm.engine.rulesets import SCHEMA, NotDefinedError

router = Router()


# -- rules -----------------------------------------------------------------------------------


class RulesetOut(Schema):
    id: str
    title: str = Field(..., description="in English, as the ruleset file writes it")
    name: str = Field(..., description="the title in the caller's language (`?lang=` or the "
                      "request's language), English when it has none")
    names: dict[str, str] = Field(..., description="the title by language code: en, fr, de, "
                                  "it, ru, es")
    status: str
    proposal: bool
    extends: str | None
    document: str | None
    note: str


class RulesetQuery(Schema):
    lang: Literal["en", "fr", "de", "it", "ru", "es"] | None = Field(
        None, description="language of `name`; default: the request's")


@router.get("/rulesets", response=list[RulesetOut], summary="The rulesets the desk knows")
def list_rulesets(request: HttpRequest,
                  query: Query[RulesetQuery]) -> list[dict[str, Any]]:
    return [{"id": r.id, "title": r.title, "name": rulesets.ruleset_name(r, query.lang),
             "names": dict(r.names), "status": r.status.value, "proposal": r.is_proposal,
             "extends": r.extends, "document": r.document, "note": r.note}
            for r in rulesets.all_rulesets().values()]


class ProvisionOut(Schema):
    key: str = Field(..., examples=["notification.lead_time_days"])
    kind: str
    name: str = Field(..., description="in the caller's language, English when it has none")
    names: dict[str, str] = Field(..., description="by language code: en, fr, de, it, ru, es")


@router.get("/provisions", response=list[ProvisionOut],
            summary="Every provision a ruleset may state, with its name in the six languages")
def list_provisions(request: HttpRequest,
                    query: Query[RulesetQuery]) -> list[dict[str, Any]]:
    names = rulesets.provision_names()
    return [{"key": key, "kind": kind.name.lower(),
             "name": rulesets.provision_name(key, query.lang), "names": dict(names[key])}
            for key, kind in SCHEMA.items()]


class ActivityFigures(Schema):
    """An activity's type, dates and peak figures, as the engine reads them."""

    ruleset: str = Field(rulesets.DEFAULT_RULESET, max_length=64, examples=["vd2011"])
    type: ActivityType = ActivityType.LAND
    start: Day
    end: Day
    troops: Count = 0
    battle_tanks: Count = 0
    acvs: Count = 0
    artillery: Count = 0
    sorties: Count = 0
    amphibious_troops: Count | None = Field(
        None, description="Troops in an amphibious landing (40.2.1), counted on their "
        "own; for an amphibious activity left out, its troops.")
    airborne_troops: Count | None = Field(
        None, description="Troops in a parachute drop or heliborne landing (40.2.1), "
        "counted on their own; for an airborne activity left out, its troops.")
    without_advance_notice: bool = False
    outside_zone: bool = Field(
        False, description="Outside the zone of application for CSBMs: not subject.")
    duration_hours: Count | None = None


def _engine_activity(figures: ActivityFigures, activity_id: str = "request") -> EngineActivity:
    try:
        return EngineActivity(
            id=activity_id, state="", type=figures.type, start=figures.start, end=figures.end,
            troops=figures.troops, battle_tanks=figures.battle_tanks, acvs=figures.acvs,
            artillery=figures.artillery, sorties=figures.sorties,
            amphibious_troops=figures.amphibious_troops,
            airborne_troops=figures.airborne_troops,
            without_advance_notice=figures.without_advance_notice,
            outside_zone=figures.outside_zone,
            duration_hours=figures.duration_hours)
    except ActivityError as exc:
        raise Invalid(str(exc).removeprefix(f"{activity_id}: ")) from exc


@router.get("/classify", summary="Classify an activity's figures (query parameters)")
def classify_get(request: HttpRequest, figures: Query[ActivityFigures]) -> dict[str, Any]:
    """Notifiable? Observable? By when? With the thresholds crossed and the citations."""
    return rulesets.classification_data(
        classify_activity(_engine_activity(figures), ruleset_named(figures.ruleset)))


@router.post("/classify", summary="Classify an activity's figures (JSON body)")
def classify_post(request: HttpRequest, figures: ActivityFigures) -> dict[str, Any]:
    return rulesets.classification_data(
        classify_activity(_engine_activity(figures), ruleset_named(figures.ruleset)))


@router.get("/quota", summary="Evaluation and inspection quotas for a number of units")
def quota(request: HttpRequest, units: Count,
          ruleset: str = rulesets.DEFAULT_RULESET) -> dict[str, Any]:
    rules = ruleset_named(ruleset)
    try:
        evaluation = quotas.evaluation_quota(units, rules)
        return {
            "ruleset": rules.id, "proposal": rules.is_proposal, "units": units,
            "evaluation_quota": evaluation,
            "max_from_one_state": quotas.evaluation_same_state_cap(evaluation, rules),
            "inspection_quota": quotas.inspection_quota(rules),
            "inspection_max_from_one_state": quotas.inspection_same_state_cap(rules),
        }
    except NotDefinedError as exc:
        raise Invalid(str(exc)) from exc


class ConstraintActivity(ActivityFigures):
    id: str = Field(..., max_length=80)
    state: str = Field(..., max_length=2)
    notified_on: Day | None = None
    in_calendar_on: Day | None = None
    announced_on: Day | None = None


class ConstraintsIn(Schema):
    ruleset: str = Field(rulesets.DEFAULT_RULESET, max_length=64)
    as_of: Day | None = None
    activities: list[ConstraintActivity] = Field(..., max_length=10_000)


@router.post("/constraints", summary="Check activities against Chapter VIII")
def constraints(request: HttpRequest, payload: ConstraintsIn) -> dict[str, Any]:
    rules = ruleset_named(payload.ruleset)
    activities = []
    for item in payload.activities:
        base = _engine_activity(item, item.id)
        activities.append(EngineActivity(**{
            **base.__dict__, "state": item.state.upper(), "notified_on": item.notified_on,
            "in_calendar_on": item.in_calendar_on, "announced_on": item.announced_on}))
    report = check_constraints(activities, rules, as_of=payload.as_of)
    return {"ruleset": rules.id, "proposal": rules.is_proposal, "kept": report.kept,
            "breaches": [rulesets.breach_data(b) for b in report.breaches],
            "advisories": [rulesets.breach_data(b) for b in report.advisories],
            "not_defined": list(report.not_defined)}


@router.get("/what-if", summary="Compare two rulesets over the activities you may see")
def what_if(request: HttpRequest, a: str = rulesets.DEFAULT_RULESET,
            b: str = "joint-proposal-2019", year: Year | None = None, state: str = "",
            changed_only: bool = True) -> dict[str, Any]:
    result = whatif.compare_visible_activities(current_user(request), ruleset_named(a),
                                               ruleset_named(b), year=year, state=state or None)
    rows = result.differences if changed_only else result.rows
    return {
        "summary": result.summary.__dict__,
        "activities": [{
            "activity": row.activity_id, "state": row.state, "start": row.start.isoformat(),
            "changed": list(row.changed),
            "a": rulesets.classification_data(row.a), "b": rulesets.classification_data(row.b),
        } for row in rows],
    }
