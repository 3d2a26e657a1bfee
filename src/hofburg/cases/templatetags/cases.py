"""Labels and cells for the desk's disclosed rows (the values are chosen in `disclosure`)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.translation import gettext_lazy as _

from hofburg.core import access

register = template.Library()

LABELS = {
    "surrogate_id": _("Surrogate id"), "protection_level": _("Protection level"),
    "is_exercise": _("Exercise data"), "created_at": _("Recorded (UTC)"), "name": _("Name"),
    "contacts": _("Contacts"), "identity_number": _("Identity number"),
    "medical": _("Medical details"), "case_id": _("Case"), "jurisdiction": _("Jurisdiction"),
    "articles": _("Articles"), "status": _("Status"), "in_custody_since": _("In custody since"),
    "recognised_by": _("Recognised by"), "charges": _("Charges"),
    "case_number": _("Case number"), "person": _("Person"), "facility": _("Facility"),
    "conditions": _("Conditions of detention"),
    "incident_id": _("Incident"), "reporting_year": _("Reporting year"),
    "country": _("Country"), "occurred_on": _("Date"), "incident_type": _("Incident type"),
    "target": _("Target"), "bias_motivations": _("Bias motivations"),
    "source_kind": _("Source kind"), "stage": _("Stage"), "screening": _("Screening decision"),
    "screening_reason": _("Reason"), "other_bias": _("Other bias"),
    "indicators": _("Bias indicators"), "victim_count": _("Victims"),
    "source_org": _("Source organisation"), "description": _("Description"),
    "public_summary": _("Public summary"), "month": _("Month"),
    "state": _("State"), "year": _("Year"), "bias_motivation": _("Bias motivation"),
    "recorded_by_police": _("Recorded by police"), "prosecuted": _("Prosecuted"),
    "sentenced": _("Sentenced"), "incidents_against_people": _("Incidents against people"),
    "incidents_against_property": _("Incidents against property"),
    "alert_id": _("Alert"), "submitted_on": _("Submitted on"), "violations": _("Violations"),
    "coe_categories": _("Council of Europe categories"),
    "perpetrator_type": _("Perpetrator type"), "media_actor_type": _("Media actor"),
    "severity": _("Severity"), "verification": _("Verification"),
    "partner": _("Submitting partner"), "summary": _("Summary"),
    "concern": _("Concern"), "opened_on": _("Opened on"), "code_version": _("Code list version"),
    "trafficking_status": _("Trafficking status"), "status_decided_by": _("Status decided by"),
    "consent": _("Consent recorded"), "gender": _("Gender"),
    "age_at_exploitation": _("Age when trafficked"), "citizenship": _("Citizenship"),
    "relationship_to_trafficker": _("Relationship to trafficker"),
    "exploitation_types": _("Types of exploitation"),
    "recruitment_methods": _("Methods of recruitment"),
    "control_methods": _("Methods of control"), "countries": _("Countries of the movement"),
    "closure_reason": _("Reason for case closure"), "situation_id": _("Situation"),
    "region": _("Region"), "communities": _("Communities concerned"), "title": _("Title"),
    "escalation_level": _("Escalation level"), "assessed_at": _("Last assessed (UTC)"),
    "observation_count": _("Observations"), "sources": _("Sources"),
}

# Tolerance mandates and statements on intolerance (decision 0056).
LABELS.update({
    "mandates": _("Tolerance mandates"), "statement_id": _("Statement"), "made_on": _("Date"),
    "speaker": _("Speaker or organisation"), "language": _("Language"),
    "source_url": _("Source"), "text": _("Text"), "incidents": _("Incidents"),
})

# The protection-case publication (decision 0062).
LABELS.update({"dimension": _("Counted by"), "value": _("Value"), "cases": _("Cases")})


@register.filter
def field_label(name: str) -> Any:
    return LABELS.get(name, name.replace("_", " "))


@register.simple_tag
def cell(row: dict[str, Any], name: str) -> Any:
    value = row.get(name)
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        return date_filter(value, "Y-m-d H:i")
    if isinstance(value, date):
        return date_filter(value, "DATE_FORMAT")
    return value


@register.filter
def may_record(user: Any) -> bool:
    """Whether `user` may record new persons, incidents, alerts and situations (an editor
    with an affiliation): the list pages link to those forms for them only."""
    return access.can_contribute(user)
