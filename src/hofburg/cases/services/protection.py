"""Protection cases (trafficking in persons, gender-based violence, Roma and Sinti): opening a
case for a person, the steps of the movement, risk assessments, referrals, assistance and the
case status. Codes are checked against the HTCDS 2.0 lists of `data/cases/`.

What a case says about its person is strictly confidential: the audit trail records which
fields were written and the facts staff may read (concern, country, status), never the
victim's details, the summary or the notes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from hofburg.cases import sealed, vault
from hofburg.cases.engine import codes, protection, surrogates
from hofburg.cases.engine.codelists import CodeVersion
from hofburg.cases.models import (
    Assistance,
    CaseMovement,
    Person,
    ProtectionCase,
    Referral,
    RiskAssessment,
)
from hofburg.core import access
from hofburg.core.access import AccessDenied
from hofburg.core.errors import Conflict, Invalid
from hofburg.core.models import Classification, User
from hofburg.core.services.audit import record_change, snapshot

MAX_TEXT = 10_000
MAX_ORGANISATION = 300  # a referral's organisation
MAX_CITIZENSHIPS = 5
# The facts of a case the audit trail may hold: those staff read without a grant.
SAFE = ("case_id", "concern", "country", "opened_on", "status", "code_version",
        "classification", "owner_affiliation", "is_exercise")


@dataclass(frozen=True)
class ProtectionRecord:
    """What a case says when it is opened; list fields hold codes of the case's version."""

    concern: str
    country: str
    opened_on: date
    trafficking_status: str = ""
    status_decided_by: str = ""
    consent: bool = False
    gender: str = ""
    age_at_exploitation: int | None = None
    citizenship: list[str] = field(default_factory=list)
    relationship_to_trafficker: str = ""
    exploitation_types: list[str] = field(default_factory=list)
    recruitment_methods: list[str] = field(default_factory=list)
    control_methods: list[str] = field(default_factory=list)
    summary: str = ""
    classification: str = Classification.CONFIDENTIAL
    is_exercise: bool = False


def _safe(case: ProtectionCase, **more: Any) -> dict[str, Any]:
    data = {k: v for k, v in snapshot(case).items() if k in SAFE}
    return {**data, **more}


def _iso2(value: str, field_name: str) -> str:
    if len(value) != 2 or not value.isalpha():
        raise Invalid("an ISO 3166 alpha-2 code", field=field_name)
    return value.upper()


def _text(value: str, field_name: str, *, required: bool = False) -> str:
    text = value.strip()
    if (required and not text) or len(text) > MAX_TEXT:
        raise Invalid(f"{1 if required else 0} to {MAX_TEXT} characters", field=field_name)
    return text


def _code(version: CodeVersion, name: str, value: str, field_name: str, *,
          optional: bool = True) -> str:
    if optional and not value:
        return ""
    try:
        return version.check(name, value)
    except codes.CodeListError as exc:
        raise Invalid(str(exc).split(": ", 1)[-1], field=field_name) from exc


def _codes(version: CodeVersion, name: str, values: list[str], field_name: str) -> list[str]:
    try:
        return version.check_all(name, values)
    except codes.CodeListError as exc:
        raise Invalid(str(exc).split(": ", 1)[-1], field=field_name) from exc


def _editable(actor: User, case: ProtectionCase) -> None:
    if not access.can_edit(actor, case):
        raise AccessDenied("Only editors of the owner affiliation may change this case.")


def create_protection_case(actor: User, person: Person,
                           record: ProtectionRecord) -> ProtectionCase:
    """A case for a person the actor holds a grant on (they must know the person exists)."""
    from hofburg.cases import permissions

    if not access.can_contribute(actor) or permissions.grant_level(actor, person.pk) is None:
        raise AccessDenied("Only an editor holding a grant for the person may open a case.")
    version = protection.version()
    concern = _code(version, "concerns", record.concern, "concern", optional=False)
    country = _iso2(record.country, "country")
    if record.opened_on > timezone.localdate():
        raise Invalid("a case is opened on or before today", field="opened_on")
    if record.age_at_exploitation is not None and \
            not 0 <= record.age_at_exploitation <= protection.MAX_AGE:
        raise Invalid(f"0 to {protection.MAX_AGE} years", field="age_at_exploitation")
    citizenship = sorted({_iso2(c.strip(), "citizenship") for c in record.citizenship
                          if c.strip()})
    if len(citizenship) > MAX_CITIZENSHIPS:
        raise Invalid(f"at most {MAX_CITIZENSHIPS} citizenships", field="citizenship")
    if record.classification not in Classification.values:
        raise Invalid("unknown classification", field="classification")
    values = {
        "trafficking_status": _code(version, "trafficking_statuses", record.trafficking_status,
                                    "trafficking_status"),
        "status_decided_by": _code(version, "status_deciders", record.status_decided_by,
                                   "status_decided_by"),
        "gender": _code(version, "genders", record.gender, "gender"),
        "relationship_to_trafficker": _code(version, "relationships",
                                            record.relationship_to_trafficker,
                                            "relationship_to_trafficker"),
        "exploitation_types": _codes(version, "exploitation_types", record.exploitation_types,
                                     "exploitation_types"),
        "recruitment_methods": _codes(version, "recruitment_methods",
                                      record.recruitment_methods, "recruitment_methods"),
        "control_methods": _codes(version, "control_methods", record.control_methods,
                                  "control_methods"),
    }
    if values["status_decided_by"] and not values["trafficking_status"]:
        raise Invalid("who decided a status, when a status is given", field="status_decided_by")
    with transaction.atomic():
        summary = _text(record.summary, "summary")
        case = sealed.create(
            None, ProtectionCase.objects, {"summary": summary},
            case_id=surrogates.new_surrogate_id("TC"), person=person, concern=concern,
            country=country, opened_on=record.opened_on, code_version=version.version,
            consent=record.consent, age_at_exploitation=record.age_at_exploitation,
            citizenship=citizenship, classification=record.classification,
            owner_affiliation_id=actor.affiliation_id, is_exercise=record.is_exercise, **values)
        written = sorted(k for k, v in {**values, "summary": summary,
                                        "citizenship": citizenship,
                                        "age_at_exploitation": case.age_at_exploitation}.items()
                         if v not in ("", [], None))
        record_change(actor, "create", case, None, _safe(case, fields_recorded=written))
    return case


def add_movement(actor: User, case: ProtectionCase, *, kind: str, country: str,
                 on: date | None = None, description: str = "") -> CaseMovement:
    """A step of the movement: recruitment, transit or exploitation, in a country."""
    _editable(actor, case)
    version = protection.version(case.code_version)
    kind = _code(version, "movement_types", kind, "kind", optional=False)
    country = _iso2(country, "country")
    if on is not None and on > timezone.localdate():
        raise Invalid("a step of the movement lies in the past", field="on")
    with transaction.atomic():
        movement = sealed.create(None, CaseMovement.objects,
                                 {"description": _text(description, "description")},
                                 case=case, kind=kind, country=country, on=on)
        record_change(actor, "movement", case, None, {"movement": movement.pk})
    return movement


def add_risk_assessment(actor: User, case: ProtectionCase, *, assessed_on: date, level: str,
                        factors: list[str], note: str = "") -> RiskAssessment:
    """One section (individual, household, community) of a risk and vulnerability assessment."""
    _editable(actor, case)
    version = protection.version(case.code_version)
    try:
        clean = protection.check_risk_factors(version, level, factors)
    except codes.CodeListError as exc:
        message = str(exc)
        field_name = "level" if message.startswith("risk_levels") else "factors"
        raise Invalid(message.split(": ", 1)[-1], field=field_name) from exc
    if assessed_on < case.opened_on or assessed_on > timezone.localdate():
        raise Invalid("between the opening of the case and today", field="assessed_on")
    with transaction.atomic():
        assessment = sealed.create(None, RiskAssessment.objects, {"note": _text(note, "note")},
                                   case=case, assessed_on=assessed_on, level=level,
                                   factors=clean)
        record_change(actor, "risk", case, None, {"risk_assessment": assessment.pk})
    return assessment


def add_referral(actor: User, case: ProtectionCase, *, direction: str, organisation: str,
                 on: date, reason: str, organisation_type: str = "",
                 details: str = "") -> Referral:
    """A referral in (accepted from another organisation) or out (made to one)."""
    _editable(actor, case)
    version = protection.version(case.code_version)
    if direction not in protection.DIRECTIONS:
        raise Invalid("incoming or outgoing", field="direction")
    organisation = organisation.strip()
    if not organisation or len(organisation) > MAX_ORGANISATION:
        raise Invalid(f"1 to {MAX_ORGANISATION} characters", field="organisation")
    reason = _code(version, "referral_reasons", reason, "reason", optional=False)
    kind = _code(version, "organisation_types", organisation_type, "organisation_type")
    if on > timezone.localdate():
        raise Invalid("a referral is recorded once made", field="on")
    ring = vault.load_keyring()
    # The organisation is sealed: the referrals of that day and direction are opened to
    # compare (a write's check; nothing of them is answered).
    if any(sealed.open_value(ring, other, "organisation") == organisation
           for other in case.referrals.filter(direction=direction, on=on)):
        raise Conflict("this referral is recorded already")
    with transaction.atomic():
        referral = sealed.create(ring, Referral.objects,
                                 {"organisation": organisation,
                                  "details": _text(details, "details")},
                                 case=case, direction=direction, organisation_type=kind,
                                 on=on, reason=reason)
        record_change(actor, "referral", case, None, {"referral": referral.pk})
    return referral


def add_assistance(actor: User, case: ProtectionCase, *, kind: str, started_on: date,
                   objectives: str = "", planned_end: date | None = None,
                   actual_end: date | None = None) -> Assistance:
    """Assistance given (an HTCDS support plan) from a day, with its planned and actual end."""
    _editable(actor, case)
    version = protection.version(case.code_version)
    kind = _code(version, "assistance_types", kind, "kind", optional=False)
    for name, end in (("planned_end", planned_end), ("actual_end", actual_end)):
        if end is not None and end < started_on:
            raise Invalid("an end follows the start", field=name)
    with transaction.atomic():
        assistance = sealed.create(
            None, Assistance.objects, {"objectives": _text(objectives, "objectives")},
            case=case, kind=kind, started_on=started_on, planned_end=planned_end,
            actual_end=actual_end)
        record_change(actor, "assist", case, None, {"assistance": assistance.pk})
    return assistance


def set_case_status(actor: User, case: ProtectionCase, status: str,
                    reason: str = "") -> ProtectionCase:
    """Move a case to another status (HTCDS cas_Status); closing it states the reason."""
    _editable(actor, case)
    version = protection.version(case.code_version)
    status = _code(version, "case_statuses", status, "status", optional=False)
    if status == case.status:
        raise Conflict(f"the case is {status} already")
    if status in protection.CLOSED and not reason.strip():
        raise Invalid("closing a case states its reason", field="reason")
    reason = _text(reason, "reason")
    with transaction.atomic():
        before = _safe(case)
        case.status = status
        columns = sealed.put(vault.load_keyring(), case,
                             closure_reason=reason if status in protection.CLOSED else "")
        case.save(update_fields=["status", *columns])
        record_change(actor, "status", case, before, _safe(case))
    return case
