"""What the desk's services share: finding a project for a caller, checking codes and text."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from hofburg.core import bounds
from hofburg.core.access import AccessDenied, AnyUser, visible
from hofburg.core.errors import Invalid, NotFound
from hofburg.projects import bounds as project_bounds
from hofburg.projects import permissions
from hofburg.projects.engine.codelists import UnknownCode, check_code
from hofburg.projects.models import Project
from hofburg.registry.models import ParticipatingState, Partner

MAX_MONEY = Decimal("99999999999999.99")  # 16 digits, 2 after the point (models.MONEY)
MAX_MEASURE = project_bounds.MAX_MEASURE


def project_for_editing(user: AnyUser, project_id: int) -> Project:
    """The project, locked for the transaction, that `user` may change.

    NotFound if missing or hidden; AccessDenied if visible but not the caller's to change.
    """
    project = visible(Project.objects.select_for_update(), user).filter(pk=project_id).first()
    if project is None:
        raise NotFound("No such project.", field="project")
    if not permissions.may_edit_project(user, project):
        raise AccessDenied("Only editors of the project's owner may change it.")
    return project


def project_for_approval(user: AnyUser, project_id: int) -> Project:
    project = visible(Project.objects.select_for_update(), user).filter(pk=project_id).first()
    if project is None:
        raise NotFound("No such project.", field="project")
    return project


def text(value: str, field: str, *, max_length: int, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise Invalid("This may not be empty.", field=field)
    if len(value) > max_length:
        raise Invalid(f"At most {max_length} characters.", field=field)
    if bounds.NUL in value:
        raise Invalid("Text may not hold a NUL character.", field=field)
    return value


def money(value: Decimal | str | int | float, field: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise Invalid(f"Not an amount: {value!r}.", field=field) from exc
    if not amount.is_finite() or amount < 0 or amount > MAX_MONEY:
        raise Invalid(f"An amount lies between 0 and {MAX_MONEY}.", field=field)
    if amount != amount.quantize(Decimal("0.01")):
        raise Invalid("An amount has at most two decimals.", field=field)
    return amount


def measure(value: Decimal | str | int | float, field: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise Invalid(f"Not a number: {value!r}.", field=field) from exc
    if not number.is_finite() or abs(number) > MAX_MEASURE:
        raise Invalid(f"A value lies between -{MAX_MEASURE} and {MAX_MEASURE}.", field=field)
    return number.quantize(Decimal("0.0001"))


def day(value: date, field: str) -> date:
    if not bounds.FIRST_DAY <= value <= bounds.LAST_DAY:
        raise Invalid(f"The date must lie between {bounds.FIRST_DAY} and {bounds.LAST_DAY}.",
                      field=field)
    return value


def year(value: int, field: str) -> int:
    if not bounds.FIRST_YEAR <= value <= bounds.LAST_YEAR:
        raise Invalid(f"The year must lie between {bounds.FIRST_YEAR} and {bounds.LAST_YEAR}.",
                      field=field)
    return value


def iati_code(codelist: str, code: str, field: str) -> str:
    try:
        return check_code(codelist, code)
    except UnknownCode as exc:
        raise Invalid(str(exc), field=field) from exc


def state_codes(codes: list[str], field: str) -> list[str]:
    """ISO alpha-2 codes of participating States or Partners, upper case, each once."""
    wanted = sorted({(code or "").strip().upper() for code in codes})
    known = set(ParticipatingState.objects.filter(iso2__in=wanted).values_list("iso2", flat=True))
    known |= set(Partner.objects.filter(iso2__in=wanted).values_list("iso2", flat=True))
    unknown = [code for code in wanted if code not in known]
    if unknown:
        raise Invalid(f"Not a participating State or Partner: {unknown[0]!r}.", field=field)
    return wanted
