"""Field-level classification, declared once per record type.

Every field a record type lets out (through the API, an export, a search or a PDF) has a level:

- `public`: anyone who may see the record;
- `internal`: users with an affiliation (OSCE staff and delegations) who may see the record;
- `restricted`: only users holding a need-to-know grant for the record;
- `strictly_confidential`: only users whose grant is at that level.

The adapters never choose fields themselves: they ask `readable_fields` with the caller's
clearance and get the names they may put out, in declaration order. A field not declared here
does not leave at all. `PUBLISHABLE` is the stricter whitelist of what may appear in a public
table (Uwazi's per-template whitelist for its public sync); `COUNTABLE` the fields a public
aggregate may count records by, with small cells suppressed.
"""

from __future__ import annotations

from enum import IntEnum


class Level(IntEnum):
    PUBLIC = 0
    INTERNAL = 1
    RESTRICTED = 2
    STRICTLY_CONFIDENTIAL = 3

    @property
    def label(self) -> str:
        return self.name.lower()


class Clearance(IntEnum):
    """How far a caller reaches for one record: the highest level they may read."""

    ANONYMOUS = 0  # public fields only
    ENTITLED = 1  # + internal
    GRANTED = 2  # + restricted (a need-to-know grant)
    GRANTED_STRICT = 3  # + strictly confidential (a grant at that level)


P, N, R, S = Level.PUBLIC, Level.INTERNAL, Level.RESTRICTED, Level.STRICTLY_CONFIDENTIAL

FIELDS: dict[str, dict[str, Level]] = {
    # A person: the record that exists only for those with a grant; its vault fields below.
    "person": {
        "surrogate_id": N, "protection_level": N, "is_exercise": N, "created_at": N,
        "name": R, "contacts": S, "identity_number": S, "medical": S,
    },
    # A political prisoner's case: the facts a delegation raises, the person behind a grant.
    "prisoner": {
        "case_id": P, "jurisdiction": P, "articles": P, "status": P, "in_custody_since": P,
        "recognised_by": P, "is_exercise": P, "episodes": P, "recognitions": P,
        "charges": N, "case_number": N, "person": N, "facility": N, "proceedings": N,
        "name": R, "conditions": R,
    },
    # A civil-society hate incident: the screening facts for staff, the account and its source
    # only for the owner affiliation (the need-to-know circle of a record without a person).
    # Public are the facts a published description shows (decision 0065) and the summary an
    # analyst writes for it; an incident is still seen only by staff (`queries`), and reaches
    # the public only through the publication (`engine.publication`).
    "incident": {
        "incident_id": N, "reporting_year": P, "country": P, "occurred_on": P,
        "incident_type": P, "target": N, "bias_motivations": P, "source_kind": N, "stage": N,
        "screening": N, "is_exercise": N, "mandates": N, "public_summary": P,
        "screening_reason": R, "other_bias": R, "indicators": R, "victim_count": R,
        "source_org": S, "description": S,
    },
    # A media-freedom alert: public once the platform publishes it (its classification says
    # when); the follow-up log for staff; the journalist's name only with a grant.
    "alert": {
        "alert_id": P, "country": P, "submitted_on": P, "occurred_on": P, "violations": P,
        "coe_categories": P, "perpetrator_type": P, "media_actor_type": P, "severity": P,
        "verification": P, "partner": P, "summary": P, "is_exercise": P, "state_replies": P,
        "person": N, "follow_ups": N,
        "name": R,
    },
    # A protection case (trafficking, gender-based violence, Roma and Sinti): that a case of
    # a concern exists, where and in what state for the staff who may see the record; the
    # person and the victim's status with a grant; everything the case says about the person
    # (HTCDS's victim context, the movement, risks, referrals, assistance) only at the
    # strictly-confidential level.
    "protection": {
        "case_id": N, "concern": N, "country": N, "opened_on": N, "status": N,
        "code_version": N, "is_exercise": N,
        "person": R, "name": R, "trafficking_status": R, "status_decided_by": R, "consent": R,
        "gender": S, "age_at_exploitation": S, "citizenship": S,
        "relationship_to_trafficker": S, "exploitation_types": S, "recruitment_methods": S,
        "control_methods": S, "countries": S, "summary": S, "closure_reason": S,
        "movements": S, "risk_assessments": S, "referrals": S, "assistance": S,
    },
    # An HCNM situation: known only to holders of a situation grant (queries), its facts and
    # its escalation for every holder, the sources of the observations only at the
    # strictly-confidential level (people who speak to the High Commissioner in confidence).
    "situation": {
        "situation_id": N, "state": N, "region": N, "communities": N, "title": N,
        "opened_on": N, "code_version": N, "is_exercise": N,
        "escalation_level": R, "assessed_at": R, "observation_count": R,
        "observations": R, "assessments": R,
        "sources": S,
    },
    # A statement on intolerance: what was said, by whom, where, as public as its
    # classification makes it; the incidents it is linked to only for staff (an incident is
    # seen by staff only, its public fields published only by the publication), and only
    # those the reader may see.
    "statement": {
        "statement_id": P, "made_on": P, "speaker": P, "title": P, "language": P,
        "mandates": P, "source_url": P, "is_exercise": P, "text": P,
        "incidents": N,
    },
}

# What may appear in a public table, per record type: a subset of the public fields.
PUBLISHABLE: dict[str, tuple[str, ...]] = {
    "prisoner": ("case_id", "jurisdiction", "articles", "status", "recognised_by"),
    # Counts for every released incident; described, with these fields only (the date to
    # the month), only those against people with a public summary (engine.publication).
    "incident": ("country", "reporting_year", "occurred_on", "incident_type",
                 "bias_motivations", "public_summary"),
    "alert": ("alert_id", "country", "submitted_on", "violations", "coe_categories",
              "perpetrator_type", "severity", "verification", "state_replies"),
    "protection": (),  # never published record by record
    "situation": (),  # the High Commissioner works in confidence
    "statement": (),  # no public table of statements yet
}

# What may be counted in a public aggregate, per record type: never one record's value, only
# how many of the records counted share it, every count below k suppressed
# (`engine.suppression`). A field here may be above public: the table publishes counts of many
# records, not the field (CTDC's k-anonymised release of HTCDS case data). A field left out is
# never counted, whatever the publication's code asks for.
COUNTABLE: dict[str, tuple[str, ...]] = {
    "protection": ("opened_on", "concern", "country", "gender", "age_at_exploitation",
                   "citizenship", "exploitation_types"),
}

VAULT_FIELDS = ("name", "contacts", "identity_number", "medical")
# Fields that hold lists of sub-records: on a detail page and in the API, never in a table.
DETAIL_FIELDS = frozenset({"episodes", "recognitions", "proceedings", "state_replies",
                           "follow_ups", "movements", "risk_assessments", "referrals",
                           "assistance", "observations", "assessments"})


class UnknownField(KeyError):
    """A record type or field that is not declared."""


def level_of(record_type: str, field: str) -> Level:
    try:
        return FIELDS[record_type][field]
    except KeyError as exc:
        raise UnknownField(f"{record_type}.{field} is not declared") from exc


def readable_fields(record_type: str, clearance: Clearance, *,
                    detail: bool = False) -> list[str]:
    """The fields of `record_type` a caller with `clearance` may read, in declaration order;
    the lists of sub-records only when `detail` is asked for."""
    if record_type not in FIELDS:
        raise UnknownField(record_type)
    return [name for name, level in FIELDS[record_type].items()
            if level <= clearance and (detail or name not in DETAIL_FIELDS)]


def protected_fields(record_type: str) -> list[str]:
    """The fields whose reads are audited: restricted and strictly confidential."""
    return [name for name, level in FIELDS[record_type].items() if level >= Level.RESTRICTED]


def publishable_fields(record_type: str) -> tuple[str, ...]:
    fields = PUBLISHABLE.get(record_type, ())
    for name in fields:
        if level_of(record_type, name) != Level.PUBLIC:
            raise UnknownField(f"{record_type}.{name} is whitelisted but not public")
    return fields


def countable_fields(record_type: str) -> tuple[str, ...]:
    """The fields of `record_type` a public aggregate may count by; none for a type not listed.
    A vault field never: its values are not even read to be counted."""
    fields = COUNTABLE.get(record_type, ())
    for name in fields:
        level_of(record_type, name)
        if name in VAULT_FIELDS:
            raise UnknownField(f"{record_type}.{name} is a vault field and is never counted")
    return fields
