"""HCNM situations: a State or region with the communities concerned, indicator observations
over time and escalation assessments whose history is kept (the latest holds). A situation is
confidential by default and, like a person, exists only for holders of a `SituationGrant`; its
creator holds one at the strictly-confidential level. The audit trail never copies a source,
a note or a reason: it records that an observation or an assessment came, and its level."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from hofburg.cases import permissions, sealed
from hofburg.cases.engine import codes, surrogates
from hofburg.cases.engine import situations as rules
from hofburg.cases.models import (
    EscalationAssessment,
    Grant,
    IndicatorObservation,
    RevokedAccess,
    Situation,
    SituationGrant,
)
from hofburg.core import access
from hofburg.core.access import AccessDenied, AnyUser
from hofburg.core.errors import Invalid
from hofburg.core.models import Affiliation, Classification, User
from hofburg.core.services.audit import record_change

MAX_TEXT = 10_000
MAX_COMMUNITIES = 20


def _safe(situation: Situation, **more: object) -> dict[str, object]:
    return {"situation_id": situation.situation_id, "state": situation.state,
            "opened_on": situation.opened_on.isoformat(),
            "classification": situation.classification,
            "owner_affiliation": situation.owner_affiliation_id,
            "is_exercise": situation.is_exercise, **more}


def _text(value: str, field_name: str, *, required: bool = False, limit: int = MAX_TEXT) -> str:
    text = value.strip()
    if (required and not text) or len(text) > limit:
        raise Invalid(f"{1 if required else 0} to {limit} characters", field=field_name)
    return text


def _may_change(actor: User, situation: Situation) -> None:
    if not permissions.may_change_situation(actor, situation):
        raise AccessDenied("Only an editor of the owner affiliation holding a grant for the "
                           "situation may record in it.")


@dataclass(frozen=True)
class SituationRecord:
    """A situation as it is opened: where, who is concerned, since when."""

    state: str
    title: str
    opened_on: date
    communities: list[str]
    region: str = ""
    classification: str = Classification.CONFIDENTIAL
    is_exercise: bool = False


def create_situation(actor: User, owner: Affiliation, record: SituationRecord) -> Situation:
    """A situation to follow; its creator is granted it at the strictly-confidential level."""
    if not access.can_contribute(actor) or actor.affiliation_id != owner.pk:
        raise AccessDenied("Only editors of the owner affiliation may open a situation.")
    if len(record.state) != 2 or not record.state.isalpha():
        raise Invalid("an ISO 3166 alpha-2 code", field="state")
    clean = [c.strip() for c in record.communities if c.strip()]
    if not clean or len(clean) > MAX_COMMUNITIES or any(len(c) > 200 for c in clean):
        raise Invalid(f"1 to {MAX_COMMUNITIES} communities of up to 200 characters",
                      field="communities")
    if record.opened_on > timezone.localdate():
        raise Invalid("followed from a day not after today", field="opened_on")
    if record.classification not in Classification.values:
        raise Invalid("unknown classification", field="classification")
    with transaction.atomic():
        situation = Situation.objects.create(
            situation_id=surrogates.new_surrogate_id("HS"), state=record.state.upper(),
            region=_text(record.region, "region", limit=200),
            title=_text(record.title, "title", required=True, limit=300),
            opened_on=record.opened_on, communities=list(dict.fromkeys(clean)),
            code_version=rules.version().version, classification=record.classification,
            owner_affiliation=owner, is_exercise=record.is_exercise)
        SituationGrant.objects.create(situation=situation, user=actor, granted_by=actor,
                                      level=Grant.Level.STRICTLY_CONFIDENTIAL)
        record_change(actor, "create", situation, None, _safe(situation))
    return situation


def grant_situation(actor: AnyUser, situation: Situation, user: User,
                    level: str = Grant.Level.RESTRICTED) -> SituationGrant:
    """Give `user` need-to-know for a situation (the granter holds one and may change it)."""
    if not isinstance(actor, User) or not permissions.may_change_situation(actor, situation):
        raise AccessDenied("Only an editor of the owner affiliation holding a grant may grant.")
    if level not in Grant.Level.values:
        raise Invalid("restricted or strictly_confidential", field="level")
    if not access.can_view(user, situation):
        raise Invalid("this user may not see the record at its classification", field="user")
    with transaction.atomic():
        grant, _created = SituationGrant.objects.update_or_create(
            situation=situation, user=user, defaults={"level": level, "granted_by": actor})
        record_change(actor, "grant", situation, None,
                      {"grantee": user.username, "level": level})
    return grant


def revoke_situation(actor: AnyUser, situation: Situation, user: User, reason: str, *,
                     channel: str = "page") -> RevokedAccess:
    """Withdraw `user`'s need-to-know for a situation (decision 0064), as `persons.
    revoke_access` does for a person: by those who may grant it, never one's own, the grant
    kept in the history with who revoked it, when and why."""
    from hofburg.cases.services import grants

    return grants.withdraw_grant(actor, situation, user, reason, channel=channel)


def record_observation(actor: User, situation: Situation, *, indicator: str, observed_on: date,
                       source: str, value: Decimal | int | str | None = None, level: str = "",
                       note: str = "") -> IndicatorObservation:
    """What an indicator showed on a day: a value, a level or both, always with its source."""
    _may_change(actor, situation)
    version = rules.version(situation.code_version)
    try:
        version.check("indicators", indicator)
        if level:
            version.check("observation_levels", level)
    except codes.CodeListError as exc:
        message = str(exc)
        raise Invalid(message.split(": ", 1)[-1],
                      field="indicator" if message.startswith("indicators") else "level") from exc
    amount: Decimal | None = None
    if value not in (None, ""):
        try:
            amount = Decimal(str(value)).quantize(Decimal("0.01"))
        except InvalidOperation as exc:
            raise Invalid("a number", field="value") from exc
        if not amount.is_finite() or abs(amount) >= Decimal("1e12"):
            raise Invalid("a number below a trillion", field="value")
    if amount is None and not level:
        raise Invalid("an observation has a value, a level or both", field="value")
    if observed_on > timezone.localdate():
        raise Invalid("an observation is of a day not after today", field="observed_on")
    with transaction.atomic():
        observation = sealed.create(
            None, IndicatorObservation.objects,
            {"source": _text(source, "source", required=True), "note": _text(note, "note")},
            situation=situation, indicator=indicator, observed_on=observed_on, value=amount,
            level=level, recorded_by=actor)
        record_change(actor, "observe", situation, None,
                      {"indicator": indicator, "observed_on": observed_on.isoformat()})
    return observation


def assess_escalation(actor: User, situation: Situation, *, level: str,
                      reason: str) -> EscalationAssessment:
    """A new assessment of the situation's escalation, with its reason; earlier ones stay."""
    _may_change(actor, situation)
    version = rules.version(situation.code_version)
    try:
        version.check("escalation_levels", level)
    except codes.CodeListError as exc:
        raise Invalid(str(exc).split(": ", 1)[-1], field="level") from exc
    reason = _text(reason, "reason", required=True)
    with transaction.atomic():
        before = [a.level for a in situation.assessments.order_by("-assessed_at", "-pk")[:1]]
        assessment = sealed.create(
            None, EscalationAssessment.objects, {"reason": reason},
            situation=situation, level=level, assessed_by=actor,
            assessed_by_label=actor.username, assessed_at=timezone.now())
        record_change(actor, "assess", situation,
                      {"escalation_level": before[0]} if before else None,
                      {"escalation_level": level})
    return assessment
