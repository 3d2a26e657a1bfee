"""The `hofburg monitoring ...` commands (wired into hofburg/cli.py).

Bad arguments are one line on stderr and exit code 2; a file rejected for its content is exit
code 1 with the bad rows listed, so scripts can tell the two apart.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Annotated, Any

import typer

from hofburg.core.clitools import OneLineErrors, fail, setup_django

app = typer.Typer(no_args_is_help=True, rich_markup_mode=None)

def _print_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


@app.command("import", cls=OneLineErrors)
def import_file(
    file: Annotated[Path, typer.Argument(help="CSV file with the observation columns.")],
    skip_bad: Annotated[bool, typer.Option(
        "--skip-bad", help="Import the good rows; write the bad ones to a rejects file.")] = False,
    rejects: Annotated[Path | None, typer.Option(
        help="Where --skip-bad writes bad rows (default: FILE.rejects.csv).")] = None,
    exercise: Annotated[bool, typer.Option(
        "--exercise", help="Mark the observations as exercise data.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Import observations from CSV: all or nothing, idempotent on observation_id."""
    if file.is_dir():
        fail(f"{file}: is a directory, not a file", 2)
    if not file.is_file():
        fail(f"{file}: no such file", 2)
    setup_django()
    from hofburg.monitoring.errors import MonitoringError
    from hofburg.monitoring.importing.pipeline import import_observations
    from hofburg.monitoring.importing.summary import ImportRejected

    def progress(step: str, done: int, total: int) -> None:
        if not as_json:
            typer.echo(f"  {step}: {done:,} of {total:,}", err=True)

    try:
        summary = import_observations(file, skip_bad=skip_bad, rejects_path=rejects,
                                               is_exercise=exercise, progress=progress)
    except ImportRejected as rejected:
        if as_json:
            _print_json({**rejected.summary.as_dict(), "error": str(rejected)})
        else:
            for problem in rejected.summary.problems[:50]:
                typer.echo(f"  {problem}", err=True)
        fail(str(rejected))
    except MonitoringError as error:
        fail(str(error))
    except OSError as error:
        fail(f"{file}: cannot be read ({error.strerror or error})")
    if as_json:
        _print_json(summary.as_dict())
        return
    typer.echo(f"read {summary.read:,}, inserted {summary.inserted:,}, duplicates "
               f"{summary.duplicates:,}, rejected {summary.rejected:,}; events created "
               f"{summary.events:,}, updated {summary.events_updated:,}")
    if summary.rejects_path:
        typer.echo(f"bad rows written to {summary.rejects_path}")


def _bearing(text: str) -> Any:
    from hofburg.monitoring.engine.locate import Bearing, LocateError

    parts = text.split(",")
    if len(parts) != 3:
        fail(f"--bearing {text!r}: give LON,LAT,DEG", 2)
    try:
        lon, lat, deg = (float(part) for part in parts)
    except ValueError:
        fail(f"--bearing {text!r}: LON, LAT and DEG must be numbers", 2)
    if not all(math.isfinite(v) for v in (lon, lat, deg)):
        fail(f"--bearing {text!r}: LON, LAT and DEG must be finite numbers", 2)
    try:
        return Bearing(lon=lon, lat=lat, azimuth_deg=deg, label=f"--bearing {text}")
    except LocateError as error:
        fail(str(error), 2)


@app.command(cls=OneLineErrors)
def locate(
    bearing: Annotated[list[str], typer.Option(
        help="LON,LAT,DEG of one bearing; repeat for each observer (at least two).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the fix as JSON.")] = False,
) -> None:
    """Fix a point from two or more bearings, with its error ellipse (engine only, no database)."""
    if len(bearing) < 2:
        fail("give at least two --bearing options", 2)
    bearings = [_bearing(text) for text in bearing]
    setup_django()
    from hofburg.monitoring.engine.locate import LocateError
    from hofburg.monitoring.engine.locate import locate as locate_point
    from hofburg.monitoring.mission import merge_rules

    try:
        fix = locate_point(bearings, merge_rules().locate)
    except LocateError as error:
        fail(f"no fix: {error}")
    data = fix.as_dict()
    if as_json:
        _print_json(data)
        return
    ellipse = data["error_ellipse_m"]
    typer.echo(f"{data['lat']:.5f} N, {data['lon']:.5f} E; {ellipse['confidence']:.0%} error "
               f"ellipse {ellipse['semi_major']:.0f} x {ellipse['semi_minor']:.0f} m, major "
               f"axis at {ellipse['orientation_deg']:.0f} deg; bearings cross at "
               f"{data['crossing_angle_deg']:.0f} deg")


@app.command("demo-scenario", cls=OneLineErrors)
def demo_scenario(
    days: Annotated[int, typer.Option(help="Days of observations.", min=1, max=3660)] = 90,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed, the same data.")] = 1,
    output: Annotated[Path | None, typer.Option(
        help="Write the CSV here instead of importing it.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Generate EXERCISE observations along the exercise line and import them (or write CSV)."""
    setup_django()
    from django.conf import settings

    from hofburg.monitoring import scenario
    from hofburg.monitoring.errors import MonitoringError
    from hofburg.monitoring.importing.header import CSV_COLUMNS
    from hofburg.monitoring.importing.pipeline import import_observations

    line = Path(settings.REFERENCE_DATA_DIR) / "monitoring" / "exercise_lines.geojson"
    rows = scenario.generate(days=days, seed=seed, line_path=line)
    target = output
    if target is None:
        import tempfile

        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below
            "w", suffix=".csv", prefix=f"exercise-{seed}-", delete=False, newline="")
        target = Path(handle.name)
        handle.close()
    written = scenario.write_csv(target, rows, CSV_COLUMNS)
    if output is not None:
        data = {"written": written, "file": str(output), "exercise": True}
        _print_json(data) if as_json else typer.echo(
            f"wrote {written:,} EXERCISE observations to {output}")
        return
    try:
        summary = import_observations(target, is_exercise=True)
    except MonitoringError as error:
        fail(str(error))
    finally:
        target.unlink(missing_ok=True)
    result = {**summary.as_dict(), "exercise": True, "days": days, "seed": seed}
    if as_json:
        _print_json(result)
        return
    typer.echo(f"EXERCISE scenario ({days} days, seed {seed}): read {summary.read:,}, inserted "
               f"{summary.inserted:,}, duplicates {summary.duplicates:,}; events created "
               f"{summary.events:,}")


@app.command("recount-areas", cls=OneLineErrors)
def recount_areas(
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Set every stored event's reporting area again from the current areas file
    (HOFBURG_MONITORING_AREAS) and recount the area rollups: all or nothing, idempotent."""
    setup_django()
    from hofburg.monitoring import areas

    try:
        summary = areas.recount_areas()
    except areas.AreasFileError as error:
        fail(str(error))
    if as_json:
        _print_json(summary.as_dict())
        return
    if not summary.moved:
        typer.echo(f"{summary.events:,} events, none moved: each is in its reporting area by "
                   f"{summary.areas_file} already")
        return
    typer.echo(f"{summary.events:,} events, {summary.moved:,} moved to another reporting area; "
               f"area rollups counted again (generation {summary.rollup_generation})")
    for code, area in summary.as_dict()["areas"].items():
        label = f"{code} ({area['name']})" if area["name"] else code
        typer.echo(f"  {label}: {area['moved_in']:,} in, {area['moved_out']:,} out")


@app.command("release", cls=OneLineErrors)
def release_period(
    report_date: Annotated[str, typer.Argument(help="The report date (YYYY-MM-DD) of the "
                                                    "period ending at the cut-off that day.")],
    as_user: Annotated[str, typer.Option(
        "--as", help="The mission editor who releases it (recorded in the audit trail).")],
    withdraw: Annotated[str | None, typer.Option(
        help="Withdraw the period's release instead, for this reason.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Release a reporting period to the public: publish every verified public event of it
    at once (refused while a public event of it is not verified)."""
    from datetime import date

    from hofburg.core import bounds

    try:
        day = date.fromisoformat(report_date)
    except ValueError:
        fail(f"{report_date!r}: give the report date as YYYY-MM-DD", 2)
    if not bounds.FIRST_DAY <= day <= bounds.LAST_DAY:
        fail(f"{report_date}: must lie between {bounds.FIRST_DAY} and {bounds.LAST_DAY}", 2)
    setup_django()
    from hofburg.core.access import AccessDenied
    from hofburg.core.models import User
    from hofburg.monitoring.errors import MonitoringError
    from hofburg.monitoring.intake import release

    user = User.objects.filter(username=as_user, is_active=True).first()
    if user is None:
        fail(f"no active user named {as_user!r}")
    try:
        if withdraw is not None:
            count = release.withdraw_release(user, day, withdraw)
            message = f"the release of {day} is withdrawn; {count} events are no longer public"
        else:
            release.release_period(user, day)
            message = f"the period of {day} is released"
    except (MonitoringError, AccessDenied) as error:
        fail(str(error))
    readiness = release.period_readiness(day)
    if as_json:
        _print_json({"report_date": day.isoformat(), "released": readiness.released is not None,
                     "published": readiness.published})
    else:
        typer.echo(f"{message} ({readiness.published} events published)")
