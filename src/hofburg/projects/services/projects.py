"""Projects: creating one, and taking it through its workflow with the approvals recorded."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from hofburg.core.access import AccessDenied, AnyUser, allowed_classifications
from hofburg.core.errors import Conflict, Invalid
from hofburg.core.models import User
from hofburg.core.services.audit import record_change, snapshot
from hofburg.projects import bounds, permissions
from hofburg.projects.engine.workflow import NEEDS_APPROVER, WorkflowError, step
from hofburg.projects.models import (
    Approval,
    BudgetLine,
    Dimension,
    Funding,
    Project,
    Recipient,
    Theme,
    Transaction,
)
from hofburg.projects.services.common import (
    day,
    iati_code,
    project_for_approval,
    project_for_editing,
    state_codes,
    text,
)

LANGUAGES = ("en", "fr", "de", "it", "ru", "es")  # the OSCE's six official languages
MAX_NUMBER = bounds.MAX_PROJECT_NUMBER
MAX_TITLE = bounds.MAX_PROJECT_TITLE
MAX_DESCRIPTION = bounds.MAX_DESCRIPTION


def _languages(values: dict[str, str] | None, field: str, max_length: int) -> dict[str, str]:
    values = values or {}
    if not isinstance(values, dict):
        raise Invalid("A mapping of language code to text.", field=field)
    out = {}
    for language, value in values.items():
        if language not in LANGUAGES or language == "en":
            raise Invalid(f"{language!r} is not one of the other official languages "
                          f"({', '.join(LANGUAGES[1:])}).", field=field)
        cleaned = text(value, f"{field}.{language}", max_length=max_length)
        if cleaned:
            out[language] = cleaned
    return out


def _policy_markers(markers: list[dict[str, str]] | None) -> list[dict[str, str]]:
    out = []
    for index, marker in enumerate(markers or []):
        if not isinstance(marker, dict):
            raise Invalid("A policy marker is {code, significance}.", field="policy_markers")
        out.append({
            "code": iati_code("PolicyMarker", str(marker.get("code", "")),
                              f"policy_markers[{index}].code"),
            "significance": iati_code("PolicySignificance", str(marker.get("significance", "")),
                                      f"policy_markers[{index}].significance"),
        })
    return out


@dataclass(frozen=True)
class ProjectIn:
    """What a new project is given (the API schema, the form and the import build one)."""

    number: str
    title: str
    dimension: str
    theme: str
    description: str = ""
    titles: dict[str, str] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)
    funding: str = Funding.EXTRA_BUDGETARY.value
    dac_sectors: list[str] = field(default_factory=list)
    policy_markers: list[dict[str, str]] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    currency: str = "EUR"
    planned_start: date | None = None
    planned_end: date | None = None
    classification: str = "restricted"


def create_project(user: AnyUser, given: ProjectIn) -> Project:
    """A new project in `concept`, owned by the caller's affiliation (a Secretariat unit, an
    institution or a field operation). Exercise affiliations create exercise projects."""
    if not permissions.may_own_projects(user):
        raise AccessDenied("Only editors of a Secretariat unit, an institution or a field "
                           "operation may create projects.")
    owner = permissions.affiliation_of(user)
    assert owner is not None
    values = _checked(user, given)
    with transaction.atomic():
        if Project.objects.filter(number=values["number"]).exists():
            raise Conflict(f"Project number {values['number']} is taken.", field="number")
        states = values.pop("recipients")
        project = Project.objects.create(
            **values, owner_affiliation=owner, is_exercise=owner.is_exercise,
            created_by=user if isinstance(user, User) else None)
        Recipient.objects.bulk_create([Recipient(project=project, iso2=iso2) for iso2 in states])
        record_change(user, "create", project, None, _snapshot(project))
    return project


def _checked(user: AnyUser, given: ProjectIn) -> dict[str, Any]:
    """The project's fields from `given`, each checked; Invalid names the first bad one."""
    number = text(given.number, "number", max_length=MAX_NUMBER, required=True)
    title = text(given.title, "title", max_length=MAX_TITLE, required=True)
    description = text(given.description, "description", max_length=MAX_DESCRIPTION)
    if given.dimension not in Dimension.values:
        raise Invalid(f"Unknown dimension {given.dimension!r}.", field="dimension")
    if given.theme not in Theme.values:
        raise Invalid(f"Unknown theme {given.theme!r}.", field="theme")
    if given.funding not in Funding.values:
        raise Invalid(f"Unknown funding {given.funding!r}.", field="funding")
    sectors = [iati_code("Sector", str(code), "dac_sectors") for code in given.dac_sectors]
    if len(set(sectors)) != len(sectors):
        raise Invalid("A sector code is given twice.", field="dac_sectors")
    markers = _policy_markers(given.policy_markers)
    currency = iati_code("Currency", (given.currency or "").upper(), "currency")
    states = state_codes(given.recipients, "recipients")
    planned_start, planned_end = given.planned_start, given.planned_end
    if planned_start is not None:
        day(planned_start, "planned_start")
    if planned_end is not None:
        day(planned_end, "planned_end")
    if planned_start and planned_end and planned_end < planned_start:
        raise Invalid("The planned end comes before the planned start.", field="planned_end")
    classification = given.classification
    if classification not in allowed_classifications(user):
        raise Invalid(f"Unknown or not allowed classification {classification!r}.",
                      field="classification")
    titles = _languages(given.titles, "titles", MAX_TITLE)
    descriptions = _languages(given.descriptions, "descriptions", MAX_DESCRIPTION)
    return {"number": number, "title": title, "description": description, "titles": titles,
            "descriptions": descriptions, "funding": given.funding,
            "dimension": given.dimension, "theme": given.theme, "dac_sectors": sectors,
            "policy_markers": markers, "currency": currency, "planned_start": planned_start,
            "planned_end": planned_end, "classification": classification,
            "recipients": states}


def update_project(user: AnyUser, project_id: int, given: ProjectIn) -> Project:
    """Replace a project's descriptive fields (title, descriptions, theme, sectors, markers,
    recipients, planned dates, classification) with `given`. The number and the currency stay:
    a different number is a conflict, and so is a new currency once money is recorded."""
    values = _checked(user, given)
    with transaction.atomic():
        project = project_for_editing(user, project_id)
        if values["number"] != project.number:
            raise Conflict("A project's number does not change.", field="number")
        if values["currency"] != project.currency and (
                Transaction.with_history.filter(project=project).exists()
                or BudgetLine.with_history.filter(project=project).exists()):
            raise Conflict("Money is recorded in this project's currency: it does not change.",
                           field="currency")
        before = _snapshot(project)
        states = values.pop("recipients")
        for name, value in values.items():
            setattr(project, name, value)
        project.save()
        project.recipients.exclude(iso2__in=states).delete()
        known = set(project.recipients.values_list("iso2", flat=True))
        Recipient.objects.bulk_create([Recipient(project=project, iso2=iso2)
                                       for iso2 in states if iso2 not in known])
        record_change(user, "update", project, before, _snapshot(project))
    return project


def _snapshot(project: Project) -> dict[str, Any]:
    data = snapshot(project)
    data["recipients"] = sorted(project.recipients.values_list("iso2", flat=True))
    return data


def take_step(user: AnyUser, project_id: int, action: str, *, note: str = "",
              on: date | None = None) -> Approval:
    """Move the project one step in its workflow (`approve`, `start`, `suspend`, `resume`,
    `close`, `cancel`) and record who took it. Starting sets the actual start (today unless
    `on`), closing the actual end."""
    note = text(note, "note", max_length=bounds.MAX_NOTE)
    with transaction.atomic():
        project = project_for_approval(user, project_id)
        try:
            taken = step(project.status, action)
        except WorkflowError as exc:
            if str(exc).startswith("Unknown"):
                raise Invalid(str(exc), field="action") from exc
            raise Conflict(str(exc), field="action") from exc
        if taken.action in NEEDS_APPROVER:
            if not permissions.may_approve_project(user, project):
                raise AccessDenied("Only approvers of the project's owner may approve it.")
        elif not permissions.may_edit_project(user, project):
            raise AccessDenied("Only editors of the project's owner may change it.")
        before = _snapshot(project)
        moment = timezone.now()
        when = day(on, "on") if on is not None else timezone.localdate()
        project.status = taken.after.value
        if taken.action.value == "start" and project.actual_start is None:
            project.actual_start = when
        if taken.after.value in ("closed", "cancelled") and project.actual_start is not None:
            project.actual_end = when
        project.save(update_fields=["status", "actual_start", "actual_end", "updated_at"])
        approval = Approval.objects.create(
            project=project, action=taken.action.value, before=taken.before.value,
            after=taken.after.value, note=note, by=user if isinstance(user, User) else None,
            at=moment)
        record_change(user, taken.action.value[:8], project, before, _snapshot(project))
    return approval
