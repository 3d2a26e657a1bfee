"""`hofburg elections ...`: draw a PVT sample, add forms, freeze and tally, estimate, export.

`sample` and `pvt` work on files alone (the pure engine). The others run at the server's
command line as its operator, who may act on every mission, like `hofburg monitoring import`.
Errors are one line on stderr; bad arguments exit with code 2.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from hofburg.core.clitools import OneLineErrors, fail, setup_django

app = typer.Typer(help="The election observation desk: samples, forms, figures, PVT.",
                  no_args_is_help=True)
forms_app = typer.Typer(help="Observation forms (XLSForm).", no_args_is_help=True)
app.add_typer(forms_app, name="forms")
stations_app = typer.Typer(help="A mission's polling-station frame.", no_args_is_help=True)
app.add_typer(stations_app, name="stations")


def _read(path: Path) -> str:
    if path.is_dir():
        fail(f"{path}: is a directory, not a file", 2)
    if not path.is_file():
        fail(f"{path}: no such file", 2)
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"{path}: cannot be read as UTF-8 text ({exc})")


def _print_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


@app.command("sample", cls=OneLineErrors)
def sample(
    frame: Annotated[Path, typer.Argument(help="Polling-station frame CSV (station_id,...).")],
    size: Annotated[int, typer.Option("--size", help="Stations to draw.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the sample.")],
    strata: Annotated[str, typer.Option(
        help="Columns that form the strata, comma-separated (region,urban_rural).")] = "region",
    min_per_stratum: Annotated[int, typer.Option(
        "--min-per-stratum", help="At least this many stations per stratum.")] = 0,
    seed: Annotated[int, typer.Option(help="Seed: the same seed draws the same sample.")] = 0,
) -> None:
    """Draw a stratified random sample, allocated in proportion to the strata's stations."""
    from hofburg.core.tables import Table, write_csv
    from hofburg.elections.engine.files import FileError, read_station_frame
    from hofburg.elections.engine.sample import draw

    columns = [c.strip() for c in strata.split(",") if c.strip()]
    if not columns:
        fail("--strata names no column", 2)
    if min_per_stratum < 0:
        fail("--min-per-stratum must not be negative", 2)
    text = _read(frame)
    try:
        stations = read_station_frame(text, columns)
        chosen = draw(stations, size, min_per_stratum, seed)
    except (FileError, ValueError) as exc:
        fail(f"{frame}: {exc}" if isinstance(exc, FileError) else str(exc))
    table = Table("sample", ["station_id", "stratum"], [[s, h] for s, h in chosen])
    try:
        with output.open("wb") as stream:
            write_csv(table, stream)
    except OSError as exc:
        fail(f"{output}: cannot be written ({exc.strerror or exc})")
    counts: dict[str, int] = {}
    for _station, stratum in chosen:
        counts[stratum] = counts.get(stratum, 0) + 1
    typer.echo(f"drew {len(chosen)} of {len(stations)} stations in {len(counts)} strata "
               f"(seed {seed}) into {output}")


@app.command("pvt", cls=OneLineErrors)
def pvt(
    sample_file: Annotated[Path, typer.Option(
        "--sample", help="RESULTS.csv: station_id,stratum,registered,valid,<candidates>.")],
    frame_file: Annotated[Path, typer.Option("--frame", help="FRAME.csv: stratum,stations.")],
    min_valid: Annotated[int, typer.Option(
        "--min-valid", help="A row reports with at least this many valid votes.")] = 1,
    require_registered: Annotated[bool, typer.Option(
        "--require-registered", help="A row reports only with registered voters above zero."
    )] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Estimate each candidate's share of valid votes with 95 % and 99 % intervals."""
    from hofburg.elections.engine.files import (
        FileError,
        ValidReport,
        read_pvt_frame,
        read_pvt_results,
    )

    if min_valid < 1:
        fail("--min-valid must be at least 1", 2)
    from hofburg.elections.engine.pvt import estimate

    results_text, frame_text = _read(sample_file), _read(frame_file)
    try:
        frame = read_pvt_frame(frame_text)
    except FileError as exc:
        fail(f"{frame_file}: {exc}")
    try:
        candidates, stations = read_pvt_results(
            results_text, ValidReport(min_valid, require_registered))
    except FileError as exc:
        fail(f"{sample_file}: {exc}")
    try:
        result = estimate(stations, frame, candidates)
    except ValueError as exc:
        fail(str(exc))
    if as_json:
        _print_json(result.as_dict())
        return
    typer.echo(f"reporting: {result.reporting} of {result.sampled} "
               f"({100 * result.reporting_rate:.1f} %)")
    for name, est in result.candidates.items():
        interval = est.as_dict()
        typer.echo(f"{name}: {100 * est.share:.1f} % ± {100 * interval['moe95']:.1f} (95 %), "
                   f"± {100 * interval['moe99']:.1f} (99 %)")
    if result.turnout is not None:
        typer.echo(f"turnout: {100 * result.turnout.share:.1f} %")
    if result.strata_too_small:
        typer.echo(f"strata with one reporting station (no variance of their own): "
                   f"{', '.join(result.strata_too_small)}")
    if result.strata_missing:
        typer.echo(f"strata with no reporting station: {', '.join(result.strata_missing)}")


@forms_app.command("add", cls=OneLineErrors)
def forms_add(
    file: Annotated[Path, typer.Argument(help="The XLSForm (.xlsx).")],
    mission: Annotated[str, typer.Option("--mission", help="The mission's code.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Add a form, or a new version of one, to a mission."""
    if file.is_dir() or not file.is_file():
        fail(f"{file}: no such file", 2)
    setup_django()
    from hofburg.core.errors import ServiceError
    from hofburg.elections.models import Mission
    from hofburg.elections.services.forms import add_form

    found = Mission.objects.filter(code=mission).first()
    if found is None:
        fail(f"no mission {mission!r}", 2)
    try:
        form, created = add_form(None, found, file.read_bytes(), file.name)
    except ServiceError as exc:
        fail(f"{file}: {exc.message}")
    data = {"form_id": form.form_id, "version": form.version, "title": form.title,
            "mission": found.code, "md5": form.md5, "created": created,
            "questions": len(form.questions)}
    if as_json:
        _print_json(data)
        return
    typer.echo(f"{'added' if created else 'unchanged'}: {form.form_id} version {form.version} "
               f"({len(form.questions)} questions) on {found.code}")


@stations_app.command("import", cls=OneLineErrors)
def stations_import(
    file: Annotated[Path, typer.Argument(
        help="CSV: station_id,name,region,district,urban_rural,registered_voters,lon,lat.")],
    mission: Annotated[str, typer.Option("--mission", help="The mission's code.")],
) -> None:
    """Replace a mission's polling-station frame: all or nothing, bad rows named."""
    text = _read(file)
    setup_django()
    from hofburg.core.errors import ServiceError
    from hofburg.elections.models import Mission
    from hofburg.elections.services.missions import import_frame

    found = Mission.objects.filter(code=mission).first()
    if found is None:
        fail(f"no mission {mission!r}", 2)
    try:
        count = import_frame(None, found, text)
    except ServiceError as exc:
        fail(f"{file}: {exc.message}")
    typer.echo(f"imported {count} polling stations into {found.code}")


def _cutoff(text: str) -> datetime:
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        fail(f"--cutoff {text!r}: give an ISO 8601 date and time with an offset", 2)
    if when.tzinfo is None:
        fail(f"--cutoff {text!r}: give a time zone offset (e.g. +01:00 or Z)", 2)
    return when


@app.command("tally", cls=OneLineErrors)
def tally(
    form: Annotated[str, typer.Option("--form", help="The form id (all its versions).")],
    cutoff: Annotated[str, typer.Option(
        "--cutoff", help="The statement's cut-off, ISO 8601 with offset.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Freeze the form's submissions at the cut-off and print the statement figures."""
    when = _cutoff(cutoff)
    setup_django()
    from hofburg.core.errors import ServiceError
    from hofburg.elections.queries import figures, form_versions
    from hofburg.elections.services.snapshots import freeze

    try:
        snapshot = freeze(None, form, when)
    except ServiceError as exc:
        fail(exc.message)
    data = figures(snapshot, form_versions(None, form))
    if as_json:
        _print_json(data)
        return
    typer.echo(f"{form} at {data['cutoff']}: {data['forms']} forms from "
               f"{data['distinct_stations']} stations; snapshot sha256 {data['snapshot_sha256']}")
    for q in data["questions"]:
        shares = ", ".join(f"{name} {count}" for name, count in q["counts"].items())
        negative = (f"; assessed negatively {q['negative']} of {q['n']} "
                    f"({q['negative_pct']} %)" if "negative_pct" in q else "")
        typer.echo(f"  {q['question']}: n={q['n']}: {shares}{negative}")


@app.command("export", cls=OneLineErrors)
def export(
    form: Annotated[str, typer.Option("--form", help="The form id (all its versions).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="FILE.csv or FILE.xlsx.")],
) -> None:
    """Write a form's submissions, one column per XLSForm field."""
    suffix = output.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        fail(f"{output}: the file name must end in .csv or .xlsx", 2)
    setup_django()
    from django.http import Http404

    from hofburg.core.tables import write_csv, write_xlsx
    from hofburg.elections.queries import submissions_table

    try:
        table = submissions_table(None, form)
    except Http404:
        fail(f"no form {form!r}", 2)
    try:
        with output.open("wb") as stream:
            (write_csv if suffix == ".csv" else write_xlsx)(table, stream)
    except OSError as exc:
        fail(f"{output}: cannot be written ({exc.strerror or exc})")
    typer.echo(f"wrote {len(table.rows)} submissions of {form} to {output}")
