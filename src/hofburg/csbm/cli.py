"""The `hofburg csbm ...` commands (wired into hofburg/cli.py).

They run on the engine and the ruleset files alone, without a database. Bad arguments are
one line on stderr and exit code 2, so scripts can tell them from a failed run.
"""

from __future__ import annotations

import csv
import json
import os
from datetime import date
from pathlib import Path
from typing import Any

import typer

from hofburg.core.clitools import OneLineErrors, fail

app = typer.Typer(no_args_is_help=True, rich_markup_mode=None)


def _rulesets_module() -> Any:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hofburg.settings")
    from django.core.exceptions import ImproperlyConfigured

    from hofburg.csbm import rulesets

    try:
        rulesets.rulesets_dir()
    except ImproperlyConfigured as exc:
        fail(f"configuration error: {exc}")
    return rulesets


def _ruleset(name: str) -> Any:
    from hofburg.csbm.engine.rulesets import RulesetError

    rulesets = _rulesets_module()
    try:
        return rulesets.get_ruleset(name)
    except rulesets.UnknownRuleset as exc:
        fail(str(exc), 2)
    except RulesetError as exc:
        fail(f"ruleset file error: {exc}")


def _count(option: str, text: str | None) -> int:
    from hofburg.core.bounds import MAX_COUNT

    if text is None:
        return 0
    try:
        value = int(text) if len(text.strip()) <= 20 else None
    except ValueError:
        fail(f"{option} must be a whole number, got {text!r}", 2)
    if value is None or not 0 <= value <= MAX_COUNT:
        fail(f"{option} must be a whole number from 0 to {MAX_COUNT}, got {text[:30]!r}", 2)
    return value


def _day(option: str, text: str | None, *, required: bool = True) -> date | None:
    if text is None or text == "":
        if required:
            fail(f"{option} is required (an ISO date such as 2026-06-01)", 2)
        return None
    from hofburg.core.bounds import FIRST_DAY, LAST_DAY

    try:
        day = date.fromisoformat(text)
    except ValueError:
        fail(f"{option} must be an ISO date such as 2026-06-01, got {text!r}", 2)
    if not FIRST_DAY <= day <= LAST_DAY:
        fail(f"{option} must lie between {FIRST_DAY} and {LAST_DAY}, got {text!r}", 2)
    return day


def _print(data: dict[str, Any], as_json: bool, lines: list[str]) -> None:
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        typer.echo("\n".join(lines))


@app.command(cls=OneLineErrors)
def classify(
    ruleset: str = typer.Option("vd2011", help="Ruleset id, e.g. vd2011 or joint-proposal-2019."),
    type: str = typer.Option(None, "--type",
                             help="land, amphibious, airborne, transfer, concentration or air."),
    start: str = typer.Option(None, help="First day, ISO date."),
    end: str = typer.Option(None, help="Last day, ISO date."),
    troops: str = typer.Option(None, help="Peak number of troops."),
    tanks: str = typer.Option(None, help="Peak number of battle tanks."),
    acv: str = typer.Option(None, help="Peak number of armoured combat vehicles."),
    artillery: str = typer.Option(None, help="Artillery, mortars and MRLs of 100 mm and above."),
    sorties: str = typer.Option(None, help="Aircraft sorties (helicopters excluded)."),
    airborne_troops: str = typer.Option(
        None, help="Troops in a parachute drop or heliborne landing (40.2.1), counted apart."),
    amphibious_troops: str = typer.Option(
        None, help="Troops in an amphibious landing (40.2.1), counted apart."),
    alert: bool = typer.Option(False, help="Carried out without advance notice to the troops."),
    outside_zone: bool = typer.Option(
        False, "--outside-zone",
        help="Outside the zone of application for CSBMs: not subject to Chapters V-VIII."),
    duration_hours: str = typer.Option(None, help="Length of an alert activity in hours."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Is an activity notifiable, observable, and by when? Figures are peaks."""
    from hofburg.csbm.engine.activities import Activity, ActivityError, ActivityType
    from hofburg.csbm.engine.classify import classify as classify_activity

    if type is None:
        fail(f"--type is required: one of {', '.join(t.value for t in ActivityType)}", 2)
    try:
        activity_type = ActivityType(type)
    except ValueError:
        fail(f"--type must be one of {', '.join(t.value for t in ActivityType)}, got {type!r}",
             2)
    first, last = _day("--start", start), _day("--end", end)
    assert first is not None and last is not None
    # (40.2.1) compares each landing with its own threshold: the figures are never added.
    airborne = (_count("--airborne-troops", airborne_troops)
                if airborne_troops is not None else None)
    amphibious = (_count("--amphibious-troops", amphibious_troops)
                  if amphibious_troops is not None else None)
    rules = _ruleset(ruleset)
    try:
        activity = Activity(
            id="cli", state="", type=activity_type, start=first, end=last,
            troops=_count("--troops", troops), battle_tanks=_count("--tanks", tanks),
            acvs=_count("--acv", acv), artillery=_count("--artillery", artillery),
            sorties=_count("--sorties", sorties), airborne_troops=airborne,
            amphibious_troops=amphibious, without_advance_notice=alert,
            outside_zone=outside_zone,
            duration_hours=(_count("--duration-hours", duration_hours)
                            if duration_hours is not None else None),
        )
    except ActivityError as exc:
        fail(str(exc).removeprefix("cli: "), 2)
    answer = classify_activity(activity, rules)
    data = _rulesets_module().classification_data(answer)
    crossed = data["thresholds_crossed"]
    lines = [
        f"ruleset: {rules.id}" + (" (proposal, not agreed text)" if rules.is_proposal else ""),
        *([answer.not_subject_reason] if not answer.subject else []),
        f"notifiable: {_yes(answer.notifiable, answer.notification_undetermined)}"
        + (f" (by {answer.notify_by})" if answer.notify_by else ""),
        f"observable: {_yes(answer.observable, answer.observation_undetermined)}"
        + (f" (invite by {answer.invite_by})" if answer.invite_by else ""),
        f"thresholds crossed: notification {', '.join(crossed['notification']) or 'none'}; "
        f"observation {', '.join(crossed['observation']) or 'none'}",
        *(f"  {check}" for check in answer.checks),
        *(f"note: {note}" for note in answer.notes),
        *(f"not defined: {gap}" for gap in answer.not_defined),
    ]
    _print(data, as_json, lines)


def _yes(value: bool, undetermined: bool) -> str:
    return "undetermined" if undetermined else ("yes" if value else "no")


@app.command(cls=OneLineErrors)
def quota(
    ruleset: str = typer.Option("vd2011", help="Ruleset id."),
    units: str = typer.Option(None, help="Units reported in the annual exchange (10.1.1)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """The evaluation and inspection quotas a State must accept in a calendar year."""
    from hofburg.csbm.engine import quotas
    from hofburg.csbm.engine.rulesets import NotDefinedError

    if units is None:
        fail("--units is required: the number of units reported", 2)
    reported = _count("--units", units)
    rules = _ruleset(ruleset)
    rs = _rulesets_module()
    keys = ("evaluation.units_per_visit", "evaluation.max_per_year",
            "evaluation.same_state_share_denominator", "evaluation.small_quota_below",
            "evaluation.small_quota_same_state_max", "inspection.max_per_year",
            "inspection.max_per_state_per_year")
    try:
        evaluation = quotas.evaluation_quota(reported, rules)
        data: dict[str, Any] = {
            "ruleset": rules.id,
            "proposal": rules.is_proposal,
            "units": reported,
            "evaluation_quota": evaluation,
            "max_from_one_state": quotas.evaluation_same_state_cap(evaluation, rules),
            "inspection_quota": quotas.inspection_quota(rules),
            "inspection_max_from_one_state": quotas.inspection_same_state_cap(rules),
            "citations": [rs.citation_data(rules.cite(k)) for k in keys
                          if rules.provision(k).stated],
        }
    except NotDefinedError as exc:
        fail(str(exc))
    lines = [
        f"ruleset: {rules.id}",
        f"evaluation quota for {reported} units: {data['evaluation_quota']} a year, "
        f"at most {data['max_from_one_state']} from any one State",
        f"inspection quota: {data['inspection_quota']} a year, "
        f"at most {data['inspection_max_from_one_state']} from any one State",
    ]
    _print(data, as_json, lines)


# The columns `constraints` reads; only id, state, type, start and end are required.
CSV_COLUMNS = ("id", "state", "type", "start", "end", "troops", "battle_tanks", "acvs",
               "artillery", "amphibious_troops", "airborne_troops", "sorties",
               "without_advance_notice", "outside_zone", "duration_hours", "notified_on",
               "in_calendar_on", "announced_on")


@app.command(cls=OneLineErrors)
def constraints(
    activities: Path = typer.Argument(None, help="CSV file with one activity per row.",  # noqa: B008
                                      show_default=False),
    ruleset: str = typer.Option("vd2011", help="Ruleset id."),
    as_of: str = typer.Option(None, "--as-of",
                              help="Judge on this date: deadlines still to come are not breaches."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Check activities against the Chapter VIII constraining provisions.

    CSV columns: id, state, type, start, end, troops, battle_tanks, acvs, artillery,
    amphibious_troops, airborne_troops, sorties, without_advance_notice, outside_zone,
    duration_hours, notified_on, in_calendar_on, announced_on. An old file's single
    landing_troops column is refused: (40.2.1) needs the two landings apart.
    """
    from hofburg.csbm.engine.constraints import check_constraints

    if activities is None:
        fail("give the CSV file of activities", 2)
    judged_on = _day("--as-of", as_of, required=False)
    rows = _read_activities(activities)
    rules = _ruleset(ruleset)
    report = check_constraints(rows, rules, as_of=judged_on)
    rs = _rulesets_module()
    data = {
        "ruleset": rules.id,
        "proposal": rules.is_proposal,
        "activities": len(rows),
        "kept": report.kept,
        "breaches": [rs.breach_data(b) for b in report.breaches],
        "advisories": [rs.breach_data(b) for b in report.advisories],
        "not_defined": list(report.not_defined),
    }
    lines = [f"ruleset: {rules.id}; {len(rows)} activities; "
             f"{len(report.breaches)} breaches, {len(report.advisories)} advisories"]
    lines += [f"breach {b.rule} {b.paragraph or ''} {b.state}: {b.message}"
              for b in report.breaches]
    lines += [f"advisory {b.rule} {b.state}: {b.message}" for b in report.advisories]
    _print(data, as_json, lines)


def _read_activities(path: Path) -> list[Any]:
    from hofburg.csbm.engine.activities import Activity, ActivityError, ActivityType

    if not path.is_file():
        fail(f"{path}: no such file", 2)
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in ("id", "state", "type", "start", "end")
                       if c not in (reader.fieldnames or [])]
            if missing:
                fail(f"{path.name}: missing column(s) {', '.join(missing)}", 2)
            if "landing_troops" in (reader.fieldnames or []):
                fail(f"{path.name}: landing_troops is no longer read; give amphibious_troops "
                     "and airborne_troops apart, (40.2.1) compares each with its own figure", 2)
            records = list(reader)
    except (UnicodeDecodeError, csv.Error) as exc:
        fail(f"{path.name}: not a readable CSV file ({exc})", 2)
    activities = []
    for line, record in enumerate(records, start=2):
        where = f"{path.name} line {line}"

        def value(column: str, cell: dict[str, str] = record) -> str | None:
            text = (cell.get(column) or "").strip()
            return text or None

        try:
            kind = ActivityType(value("type") or "")
        except ValueError:
            fail(f"{where}: type must be one of {', '.join(t.value for t in ActivityType)}", 2)
        counts: dict[str, Any] = {name: _count(f"{where} {name}", value(name))
                  for name in ("troops", "battle_tanks", "acvs", "artillery", "sorties")}
        optional: dict[str, Any] = {name: (_count(f"{where} {name}", value(name))
                           if value(name) is not None else None)
                    for name in ("amphibious_troops", "airborne_troops", "duration_hours")}
        dates: dict[str, Any] = {name: _day(f"{where} {name}", value(name), required=False)
                 for name in ("notified_on", "in_calendar_on", "announced_on")}
        first = _day(f"{where} start", value("start"))
        last = _day(f"{where} end", value("end"))
        assert first is not None and last is not None
        try:
            activities.append(Activity(
                id=value("id") or f"line-{line}", state=(value("state") or "").upper(),
                type=kind, start=first, end=last,
                without_advance_notice=(value("without_advance_notice") or "").lower()
                in ("1", "true", "yes"),
                outside_zone=(value("outside_zone") or "").lower() in ("1", "true", "yes"),
                **counts, **optional, **dates))
        except ActivityError as exc:
            fail(f"{where}: {exc}", 2)
    return activities
