"""Where the desk's data leaves: records turned into rows of the fields the caller may read.

The API, the exports, the pages and the public tables all take their rows from here, so the
field classification (`engine.fields`) is applied once, before any template or serialiser sees
a value. A vault field, and a sealed free-text field (`sealed`), is opened only when the
caller's clearance reaches its level, and every batch that holds protected fields is written
to the access log (who, what, how many — never the values).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from hofburg.cases import permissions, sealed, vault
from hofburg.cases.engine import custody
from hofburg.cases.engine import situations as situation_rules
from hofburg.cases.engine.fields import FIELDS, Clearance, Level, protected_fields, readable_fields
from hofburg.cases.models import (
    AccessLog,
    Alert,
    ErasureRequest,
    Incident,
    Person,
    PrisonerCase,
    ProtectionCase,
    Recognition,
    Situation,
    Statement,
    VaultEntry,
)
from hofburg.cases.queries import episodes_of, linked_incident_ids
from hofburg.cases.services import grants
from hofburg.cases.services.persons import read_vault
from hofburg.cases.services.reads import log_access
from hofburg.core.access import AnyUser

INCIDENT_TEXT = frozenset(sealed.BY_MODEL["Incident"].fields)


@dataclass(frozen=True)
class Rows:
    record_type: str
    columns: list[str]
    rows: list[dict[str, Any]]

    def table_rows(self) -> list[list[Any]]:
        return [[row.get(c) for c in self.columns] for row in self.rows]


def _columns(record_type: str, reach: Iterable[Clearance], base: Clearance) -> list[str]:
    top = max([base, *reach])
    return readable_fields(record_type, top)


def _log(user: AnyUser, action: str, record_type: str, rows: Sequence[dict[str, Any]],
         channel: str) -> None:
    protected = set(protected_fields(record_type))
    read = {name for row in rows for name, value in row.items()
            if name in protected and value not in (None, "")}
    if action == AccessLog.Action.EXPORT:
        log_access(user, action, record_type, read, len(rows), channel)
    else:
        holding = sum(1 for row in rows if any(row.get(n) not in (None, "") for n in read))
        log_access(user, action, record_type, read, holding, channel)


def _sealed(person_ids: list[int], fields: Iterable[str] | None = None
            ) -> dict[int, list[VaultEntry]]:
    """The sealed vault entries of these persons (of `fields` only, if given), by person, in
    one query rather than one per row."""
    sealed: dict[int, list[VaultEntry]] = {}
    if person_ids:
        entries = VaultEntry.objects.filter(person_id__in=person_ids)
        if fields is not None:
            entries = entries.filter(field__in=list(fields))
        for entry in entries:
            sealed.setdefault(entry.person_id, []).append(entry)
    return sealed


def person_rows(user: AnyUser, persons: Sequence[Person], *, channel: str,
                action: str = AccessLog.Action.READ) -> Rows:
    """Rows for persons already narrowed by `queries.persons_for`."""
    levels = permissions.granted_levels(user, [p.pk for p in persons])
    base = permissions.clearance(user)
    reach = {p.pk: permissions.clearance(user, level=levels.get(p.pk)) for p in persons}
    ring = vault.load_keyring() if persons else None
    wanted = {p.pk: [f for f in readable_fields("person", reach[p.pk])
                     if FIELDS["person"][f] >= Level.RESTRICTED] for p in persons}
    # The sealed fields of every person on the list in one query, not one per person.
    sealed = _sealed([p.pk for p in persons if wanted[p.pk] and p.restricted_at is None])
    rows = []
    for person in persons:
        allowed = readable_fields("person", reach[person.pk])
        row: dict[str, Any] = {
            "surrogate_id": person.surrogate_id, "protection_level": person.protection_level,
            "is_exercise": person.is_exercise, "created_at": person.created_at}
        if person.pk in sealed and ring is not None:
            row.update(read_vault(ring, person, wanted[person.pk], sealed[person.pk]))
        rows.append({k: v for k, v in row.items() if k in allowed})
    result = Rows("person", _columns("person", reach.values(), base), rows)
    _log(user, action, "person", rows, channel)
    return result


def prisoner_rows(user: AnyUser, cases: Sequence[PrisonerCase], *, day: date, channel: str,
                  action: str = AccessLog.Action.READ, detail: bool = False) -> Rows:
    """Rows for prisoner cases already narrowed by `queries.prisoner_cases_for`, their custody
    status as at the end of `day`."""
    levels = permissions.granted_levels(user, [c.person_id for c in cases])
    base = permissions.clearance(user)
    reach = {c.pk: permissions.clearance(user, level=levels.get(c.person_id)) for c in cases}
    ring = None
    names: dict[int, list[VaultEntry]] | None = None
    rows = []
    for case in cases:
        allowed = readable_fields("prisoner", reach[case.pk], detail=detail)
        episodes = episodes_of(case)
        holding = [e for e in case.episodes.all() if custody.Episode(e.start, e.end).covers(day)]
        row: dict[str, Any] = {
            "case_id": case.case_id, "jurisdiction": case.jurisdiction,
            "articles": "; ".join(case.articles),
            "status": custody.status_on(episodes, day).value,
            "in_custody_since": custody.in_custody_since(episodes, day),
            "recognised_by": "; ".join(sorted({o for r in case.recognitions.all()
                                               for o in r.organisations})),
            "is_exercise": case.is_exercise,
        }
        if "charges" in allowed:
            row.update(charges=case.charges, case_number=case.case_number,
                       person=case.person.surrogate_id,
                       facility=holding[-1].facility if holding else "")
        if "name" in allowed:
            ring = ring or vault.load_keyring()
            if names is None:
                names = _sealed([c.person_id for c in cases], ["name"])
            row["name"] = "" if case.person.restricted_at else read_vault(
                ring, case.person, ["name"], names.get(case.person_id, [])).get("name", "")
            row["conditions"] = " | ".join(
                f"{r.reported_on.isoformat()}: {sealed.open_value(ring, r, 'text')}"
                for r in case.conditions.all())
        if detail:
            row.update(_prisoner_detail(case, allowed))
        rows.append({k: v for k, v in row.items() if k in allowed})
    result = Rows("prisoner", _columns("prisoner", reach.values(), base), rows)
    _log(user, action, "prisoner", rows, channel)
    return result


def _prisoner_detail(case: PrisonerCase, allowed: list[str]) -> dict[str, Any]:
    internal = "facility" in allowed
    detail: dict[str, Any] = {
        "episodes": [{"kind": e.kind, "start": e.start, "end": e.end, "died": e.died,
                      **({"facility": e.facility} if internal else {})}
                     for e in case.episodes.all()],
        "recognitions": [{"organisations": r.organisations, "criteria": r.criteria,
                          "recognised_on": r.recognised_on, "statement_url": r.statement_url,
                          "withdrawn_on": r.withdrawn_on}
                         for r in Recognition.objects.filter(case=case)],
    }
    if "proceedings" in allowed:
        detail["proceedings"] = [
            {"court": p.court, "hearing_date": p.hearing_date, "closed_trial": p.closed_trial,
             "verdict": p.verdict, "sentence": p.sentence} for p in case.proceedings.all()]
    return detail


def incident_rows(user: AnyUser, incidents: Sequence[Incident], *, channel: str,
                  action: str = AccessLog.Action.READ) -> Rows:
    """Rows for incidents narrowed by `queries.incidents_for`. Members of the owner affiliation
    read the account and its source; other entitled users the screening facts."""
    base = permissions.clearance(user)
    affiliation = getattr(user, "affiliation_id", None) if base >= Clearance.ENTITLED else None
    reach = {i.pk: (Clearance.GRANTED_STRICT if affiliation is not None
                    and i.owner_affiliation_id == affiliation else base) for i in incidents}
    text = INCIDENT_TEXT
    ring = None
    values: dict[str, str] = {}
    rows = []
    for incident in incidents:
        allowed = readable_fields("incident", reach[incident.pk])
        opened = [name for name in allowed if name in text]
        if opened:
            ring = ring or vault.load_keyring()
            values = sealed.open_values(ring, incident, opened)
        row = {name: values[name] if name in text else getattr(incident, name)
               for name in allowed}
        if "bias_motivations" in row:
            row["bias_motivations"] = "; ".join(incident.bias_motivations)
        if "mandates" in row:
            row["mandates"] = "; ".join(incident.mandates)
        rows.append(row)
    result = Rows("incident", _columns("incident", reach.values(), base), rows)
    _log(user, action, "incident", rows, channel)
    return result


def alert_rows(user: AnyUser, alerts: Sequence[Alert], *, channel: str,
               action: str = AccessLog.Action.READ, detail: bool = False) -> Rows:
    """Rows for alerts narrowed by `queries.alerts_for`; the named journalist only with a
    grant for their person."""
    levels = permissions.granted_levels(user, [a.person_id for a in alerts if a.person_id])
    base = permissions.clearance(user)
    reach = {a.pk: permissions.clearance(user, level=levels.get(a.person_id or 0))
             for a in alerts}
    ring = None
    names: dict[int, list[VaultEntry]] | None = None
    rows = []
    for alert in alerts:
        allowed = readable_fields("alert", reach[alert.pk], detail=detail)
        row: dict[str, Any] = {
            "alert_id": alert.alert_id, "country": alert.country,
            "submitted_on": alert.submitted_on, "occurred_on": alert.occurred_on,
            "violations": "; ".join(alert.violations),
            "coe_categories": "; ".join(alert.coe_categories),
            "perpetrator_type": alert.perpetrator_type,
            "media_actor_type": alert.media_actor_type, "severity": alert.severity,
            "verification": alert.verification, "partner": alert.partner,
            "summary": alert.summary, "is_exercise": alert.is_exercise,
            "person": alert.person.surrogate_id if alert.person else None,
        }
        if detail:
            row["state_replies"] = [{"received_on": r.received_on, "text": r.text}
                                    for r in alert.replies.all()]
            row["follow_ups"] = [{"on": f.on, "note": f.note} for f in alert.follow_ups.all()]
        if "name" in allowed and alert.person is not None and not alert.person.restricted_at:
            ring = ring or vault.load_keyring()
            if names is None:
                names = _sealed([a.person_id for a in alerts if a.person_id], ["name"])
            row["name"] = read_vault(ring, alert.person, ["name"],
                                     names.get(alert.person_id or 0, [])).get("name", "")
        rows.append({k: v for k, v in row.items() if k in allowed and v is not None})
    result = Rows("alert", _columns("alert", reach.values(), base), rows)
    _log(user, action, "alert", rows, channel)
    return result


def protection_rows(user: AnyUser, cases: Sequence[ProtectionCase], *, channel: str,
                    action: str = AccessLog.Action.READ, detail: bool = False) -> Rows:
    """Rows for protection cases narrowed by `queries.protection_cases_for`: the person and
    the victim's status with a grant for the person, what the case says about them with a
    grant at the strictly-confidential level."""
    levels = permissions.granted_levels(user, [c.person_id for c in cases])
    base = permissions.clearance(user)
    reach = {c.pk: permissions.clearance(user, level=levels.get(c.person_id)) for c in cases}
    ring = None
    rows = []
    for case in cases:
        allowed = readable_fields("protection", reach[case.pk], detail=detail)
        row: dict[str, Any] = {
            "case_id": case.case_id, "concern": case.concern, "country": case.country,
            "opened_on": case.opened_on, "status": case.status,
            "code_version": case.code_version, "is_exercise": case.is_exercise}
        if "person" in allowed:
            row.update(person=case.person.surrogate_id,
                       trafficking_status=case.trafficking_status,
                       status_decided_by=case.status_decided_by, consent=case.consent)
        if "name" in allowed:
            ring = ring or vault.load_keyring()
            row["name"] = "" if case.person.restricted_at else read_vault(
                ring, case.person, ["name"]).get("name", "")
        if "summary" in allowed:
            ring = ring or vault.load_keyring()
            movements = list(case.movements.all())
            row.update(
                gender=case.gender, age_at_exploitation=case.age_at_exploitation,
                citizenship="; ".join(case.citizenship),
                relationship_to_trafficker=case.relationship_to_trafficker,
                exploitation_types="; ".join(case.exploitation_types),
                recruitment_methods="; ".join(case.recruitment_methods),
                control_methods="; ".join(case.control_methods),
                countries="; ".join(sorted({m.country for m in movements})),
                **sealed.open_values(ring, case, ("summary", "closure_reason")))
            if detail:
                row.update(_protection_detail(ring, case, movements))
        rows.append({k: v for k, v in row.items() if k in allowed})
    result = Rows("protection", _columns("protection", reach.values(), base), rows)
    _log(user, action, "protection", rows, channel)
    return result


def _protection_detail(ring: vault.Keyring, case: ProtectionCase,
                       movements: list[Any]) -> dict[str, Any]:
    """What the case says about the person: called at the strictly-confidential level only."""
    def opened(record: Any, field: str) -> str:
        return sealed.open_value(ring, record, field)

    return {
        "movements": [{"kind": m.kind, "country": m.country, "on": m.on,
                       "description": opened(m, "description")} for m in movements],
        "risk_assessments": [{"assessed_on": r.assessed_on, "level": r.level,
                              "factors": list(r.factors), "note": opened(r, "note")}
                             for r in case.risk_assessments.all()],
        "referrals": [{"direction": r.direction, "organisation": opened(r, "organisation"),
                       "organisation_type": r.organisation_type, "on": r.on,
                       "reason": r.reason, "details": opened(r, "details")}
                      for r in case.referrals.all()],
        "assistance": [{"kind": a.kind, "objectives": opened(a, "objectives"),
                        "started_on": a.started_on, "planned_end": a.planned_end,
                        "actual_end": a.actual_end} for a in case.assistance.all()],
    }


def situation_rows(user: AnyUser, situations: Sequence[Situation], *, channel: str,
                   action: str = AccessLog.Action.READ, detail: bool = False) -> Rows:
    """Rows for situations narrowed by `queries.situations_for` (every one granted to the
    caller): the escalation and the observations for every holder, the sources only at the
    strictly-confidential level."""
    levels = permissions.situation_levels(user, [s.pk for s in situations])
    base = permissions.clearance(user)
    reach = {s.pk: permissions.clearance(user, level=levels.get(s.pk)) for s in situations}
    ring = vault.load_keyring() if situations else None
    rows = []
    for situation in situations:
        allowed = readable_fields("situation", reach[situation.pk], detail=detail)
        with_source = "sources" in allowed
        assessments = list(situation.assessments.all())
        observations = list(situation.observations.all())
        level = situation_rules.current_level([(a.assessed_at, a.pk, a.level)
                                               for a in assessments])
        row: dict[str, Any] = {
            "situation_id": situation.situation_id, "state": situation.state,
            "region": situation.region, "communities": "; ".join(situation.communities),
            "title": situation.title, "opened_on": situation.opened_on,
            "code_version": situation.code_version, "is_exercise": situation.is_exercise,
            "escalation_level": level or "",
            "assessed_at": max((a.assessed_at for a in assessments), default=None),
            "observation_count": len(observations),
        }
        if with_source and ring is not None:
            row["sources"] = "; ".join(sorted({sealed.open_value(ring, o, "source")
                                               for o in observations}))
        if detail and ring is not None and "observations" in allowed:
            row["observations"] = [
                {"indicator": o.indicator, "observed_on": o.observed_on,
                 "value": None if o.value is None else str(o.value), "level": o.level,
                 "note": sealed.open_value(ring, o, "note"),
                 **({"source": sealed.open_value(ring, o, "source")} if with_source else {})}
                for o in observations]
            row["assessments"] = [
                {"level": a.level, "reason": sealed.open_value(ring, a, "reason"),
                 "assessed_by": a.assessed_by_label, "assessed_at": a.assessed_at}
                for a in assessments]
        rows.append({k: v for k, v in row.items() if k in allowed})
    result = Rows("situation", _columns("situation", reach.values(), base), rows)
    _log(user, action, "situation", rows, channel)
    return result


def statement_rows(user: AnyUser, statements: Sequence[Statement], *, channel: str,
                   action: str = AccessLog.Action.READ) -> Rows:
    """Rows for statements narrowed by `queries.statements_for`: what was said for everyone
    who may see the statement, its linked incidents for staff, and of those only the ones
    the caller may see."""
    base = permissions.clearance(user)
    allowed = readable_fields("statement", base)
    linked = linked_incident_ids(user, list(statements)) if "incidents" in allowed else {}
    rows = []
    for statement in statements:
        row: dict[str, Any] = {
            "statement_id": statement.statement_id, "made_on": statement.made_on,
            "speaker": statement.speaker, "title": statement.title,
            "language": statement.language, "mandates": "; ".join(statement.mandates),
            "source_url": statement.source_url, "is_exercise": statement.is_exercise,
            "text": statement.text,
            "incidents": "; ".join(linked.get(statement.pk, [])),
        }
        rows.append({k: v for k, v in row.items() if k in allowed})
    result = Rows("statement", allowed, rows)
    _log(user, action, "statement", rows, channel)
    return result


GRANT_FIELDS = ["username", "level", "granted_by", "granted_at"]
REVOKED_FIELDS = [*GRANT_FIELDS, "revoked_by", "revoked_at", "reason"]


def grant_history(user: AnyUser, record: Person | Situation, *, channel: str,
                  action: str = AccessLog.Action.READ) -> tuple[list[Any], list[Any]]:
    """Who holds `record`'s grants (oldest first) and whose were revoked (newest first), for
    one who may give its grants (the caller has checked, `permissions.may_give_grants`); the
    read is in the access log, the fields and how many, as for every channel."""
    holders, revoked = grants.grant_history(record)
    kind = "person_grant" if isinstance(record, Person) else "situation_grant"
    log_access(user, action, kind,
               [*(GRANT_FIELDS if holders else ()), *(REVOKED_FIELDS if revoked else ())],
               len(holders) + len(revoked), channel)
    return holders, revoked


def grant_rows(user: AnyUser, record: Person | Situation, *, channel: str,
               action: str = AccessLog.Action.READ) -> tuple[list[dict[str, Any]],
                                                             list[dict[str, Any]]]:
    """`grant_history` as rows of `GRANT_FIELDS` and `REVOKED_FIELDS`."""
    holders, revoked = grant_history(user, record, channel=channel, action=action)
    return ([{"username": g.user.username, "level": g.level,
              "granted_by": g.granted_by.username if g.granted_by else None,
              "granted_at": g.granted_at} for g in holders],
            [{"username": r.user_label, "level": r.level,
              "granted_by": r.granted_by_label or None, "granted_at": r.granted_at,
              "revoked_by": r.revoked_by_label, "revoked_at": r.revoked_at,
              "reason": r.reason} for r in revoked])


ERASURE_FIELDS = ("outcome", "requested_at", "legal_hold", "decided_at", "reason")
ERASURE_NAMES = ("requested_by", "decided_by")


def erasure_requests(user: AnyUser, person: Person, *, channel: str,
                     names: bool = False) -> list[ErasureRequest]:
    """A person's erasure requests, newest first, for a holder of a grant (the caller found
    the person through `queries.person_for`); the read is in the access log with the fields
    shown (`ERASURE_FIELDS`, and who asked and decided when `names`), never a value. The
    grounds and the hold's text are sealed and never shown."""
    found = list(person.erasure_requests.select_related("requested_by", "decided_by"))
    log_access(user, AccessLog.Action.READ, "erasure_request",
               [*ERASURE_FIELDS, *(ERASURE_NAMES if names else ())], len(found), channel)
    return found
