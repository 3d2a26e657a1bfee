"""`hofburg projects ...`: the IATI export, the portfolio, a State's contributions, the scale
of contributions and its ceiling.

Commands set Django up lazily and read through the desk's queries, so what they write is what
the user named by `--as-user` may see (the public's view by default). Errors are one line on
stderr; bad arguments exit with code 2.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from hofburg.core.clitools import OneLineErrors, fail, setup_django

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from hofburg.core.models import User

app = typer.Typer(help="The projects desk: IATI export, portfolio, contributions.",
                  no_args_is_help=True)


def _reader(as_user: str | None) -> User | AnonymousUser:
    from django.contrib.auth.models import AnonymousUser

    from hofburg.core.models import User

    if not as_user:
        return AnonymousUser()
    found = User.objects.filter(username=as_user, is_active=True).first()
    if found is None:
        fail(f"no active user named {as_user!r}")
    return found


@app.command("iati", cls=OneLineErrors)
def iati(
    output: Annotated[Path, typer.Option("--output", "-o", help="The IATI XML file to write.")],
    owner: Annotated[str, typer.Option(
        help="Only projects of this owner (affiliation code, e.g. field-mission-to-moldova).")
    ] = "",
    state: Annotated[str, typer.Option(
        help="Only projects in this recipient State (ISO alpha-2).")] = "",
    exercise: Annotated[bool, typer.Option(
        "--exercise/--real", help="Export the exercise projects instead of the real ones.")
    ] = False,
    as_user: Annotated[str | None, typer.Option(
        help="Export as this user may see (default: what the public sees).")] = None,
    site_url: Annotated[str, typer.Option(
        help="The site's public address, under which linked public documents are named "
             "(default: HOFBURG_PROJECTS_IATI_SITE_URL).")] = "",
) -> None:
    """Write the projects as IATI Activity Standard 2.03 XML, validated against the official
    schema first; if any project would be invalid, name each with its reasons and write
    nothing."""
    setup_django()
    from hofburg.projects import queries
    from hofburg.projects.iati.export import export_projects

    if state and (len(state) != 2 or not state.isalpha()):
        fail(f"--state: {state!r} is not an ISO alpha-2 code", code=2)
    if site_url and (not site_url.startswith(("https://", "http://")) or len(site_url) > 200):
        fail(f"--site-url: {site_url[:80]!r} is not an http(s) address", code=2)
    filters = queries.PortfolioFilters(owner=owner, state=state, exercise=exercise)
    result = export_projects(queries.filtered_projects(_reader(as_user), filters), site_url)
    if result.content is None:
        for number, reasons in sorted(result.problems.items()):
            typer.echo(f"{number or 'export'}: {'; '.join(reasons)}", err=True)
        fail(f"not written: {len(result.problems)} project(s) would not be valid IATI")
    try:
        output.write_bytes(result.content)
    except OSError as error:
        fail(f"{output}: cannot be written ({error.strerror or error})")
    typer.echo(f"{output}: {result.count} activities, valid IATI 2.03")


@app.command("contributions", cls=OneLineErrors)
def contributions(
    state: Annotated[str, typer.Argument(help="The State's ISO alpha-2 code, e.g. AT.")],
    as_user: Annotated[str | None, typer.Option(
        help="Read as this user may see (default: what the public sees).")] = None,
) -> None:
    """A State's contributions per year: assessed (from the scale, with its labels),
    extra-budgetary received, seconded and contracted personnel."""
    setup_django()
    from hofburg.projects.contributions import state_contributions

    if len(state) != 2 or not state.isalpha():
        fail(f"{state!r} is not an ISO alpha-2 code", code=2)
    found = state_contributions(_reader(as_user), state)
    if found.empty:
        typer.echo(f"{state.upper()}: nothing recorded")
        return
    typer.echo("year\tassessed EUR\textra-budgetary\tseconded\tcontracted")
    for row in found.years:
        assessed = ""
        if row.assessed is not None:
            assessed = f"{row.assessed.amount_eur:.0f}"
            if row.assessed.approximate:
                assessed = f"~{assessed} ({row.assessed.scale_confidence}, approximate)"
        typer.echo(f"{row.year}\t{assessed}\t{row.extra_budgetary:.2f}\t{row.seconded}\t"
                   f"{row.contracted}")


@app.command("budget", cls=OneLineErrors)
def budget() -> None:
    """The Unified Budget by year with its labels, and the ceilings of the scales."""
    setup_django()
    from hofburg.projects.contributions import scales, unified_budget

    for year in unified_budget():
        amount = f"EUR {year.amount_eur:,.0f}" if year.amount_eur is not None else "—"
        if year.approximate:
            amount = f"about {amount}"
        state = "adopted" if year.adopted else "not adopted"
        typer.echo(f"{year.year}\t{amount}\t{state}\t{year.label}\t{year.note}")
    for ceiling in scales()[0]:
        typer.echo(f"ceiling: {ceiling.percent} % on the {ceiling.kind.value} scale "
                   f"({ceiling.source}; {ceiling.confidence})")


@app.command("export", cls=OneLineErrors)
def export(
    kind: Annotated[str, typer.Argument(help="projects, indicators or transactions.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The file to write.")],
    file_format: Annotated[str, typer.Option(
        "--format", help="csv (with an HXL hashtag row) or xlsx.")] = "csv",
    as_user: Annotated[str | None, typer.Option(
        help="Export as this user may see (default: what the public sees).")] = None,
) -> None:
    """Write a table of the projects, their indicators or their transactions."""
    setup_django()
    from hofburg.projects import exports, queries

    if kind not in exports.KINDS:
        fail(f"unknown table {kind!r}; one of: {', '.join(exports.KINDS)}", code=2)
    if file_format not in exports.FORMATS:
        fail(f"unknown format {file_format!r}; one of: {', '.join(exports.FORMATS)}", code=2)
    reader = _reader(as_user)
    projects = queries.visible_projects(reader)
    try:
        if file_format == "csv":
            with output.open("w", encoding="utf-8", newline="") as stream:
                for line in exports.as_csv(reader, kind, projects):
                    stream.write(line)
        else:
            output.write_bytes(exports.as_xlsx(reader, kind, projects))
    except OSError as error:
        fail(f"{output}: cannot be written ({error.strerror or error})")
    typer.echo(str(output))


@app.command("import", cls=OneLineErrors)
def import_file(
    workbook: Annotated[Path, typer.Argument(help="An XLSX workbook with sheets 'projects' "
                                                  "and/or 'transactions'.")],
    as_user: Annotated[str, typer.Option(help="The user the projects are created as (an "
                                              "editor of the owning body).")],
) -> None:
    """Import projects and transactions, all or nothing: every refusal is listed with its
    sheet and row, and nothing is stored if there is one."""
    setup_django()
    from hofburg.core.errors import ServiceError
    from hofburg.projects import importing

    try:
        data = workbook.read_bytes()
    except OSError as error:
        fail(f"{workbook}: cannot be read ({error.strerror or error})")
    try:
        result = importing.import_workbook(_reader(as_user), data)
    except importing.ImportRefused as refused:
        for finding in refused.errors:
            typer.echo(str(finding), err=True)
        fail(f"nothing imported: {len(refused.errors)} refusal(s)")
    except ServiceError as refused:
        fail(str(refused))
    typer.echo(f"{result.projects} projects, {result.transactions} transactions imported")


@app.command("donors", cls=OneLineErrors)
def donors() -> None:
    """Create a donor for every participating State and Partner in the registry and for the
    European Union (codes: lower-case ISO alpha-2, and `eu`); existing donors are kept."""
    setup_django()
    from hofburg.projects.services.money import ensure_registry_donors

    created = ensure_registry_donors()
    typer.echo(f"{len(created)} donors created")
