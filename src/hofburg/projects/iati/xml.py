"""One IATI activity as an lxml element, children in the order of the 2.03 schema."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from lxml import etree

from hofburg.projects.iati.activity import Activity, Org, ResultIndicator

VERSION = "2.03"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EXERCISE_PREFIX = "EXERCISE: "


def number(value: Decimal) -> str:
    """A decimal as plain digits (no exponent, no trailing zeros after the point)."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def _narratives(parent: etree._Element, texts: dict[str, str]) -> None:
    for language, text in texts.items():
        narrative = etree.SubElement(parent, "narrative")
        if language != "en":
            narrative.set(XML_LANG, language)
        narrative.text = text


def _org(parent: etree._Element, tag: str, org: Org, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, tag)
    if org.ref:
        element.set("ref", org.ref)
    if org.type:
        element.set("type", org.type)
    for key, value in attributes.items():
        if value:
            element.set(key, value)
    if org.name:
        _narratives(element, {"en": org.name})
    return element


def _value(parent: etree._Element, amount: Decimal, on: date, currency: str) -> None:
    value = etree.SubElement(parent, "value", currency=currency, **{"value-date": on.isoformat()})
    value.text = number(amount)


def _percentages(count: int) -> list[str]:
    """`count` shares of 100 that add up to exactly 100 (two decimals)."""
    if count == 0:
        return []
    base = (Decimal(100) / count).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
    shares = [base] * count
    shares[0] += Decimal(100) - base * count
    return [number(share) for share in shares]


def _budgets(root: etree._Element, activity: Activity) -> None:
    for budget in activity.budgets:
        element = etree.SubElement(root, "budget", type=budget.type, status="1")
        etree.SubElement(element, "period-start", **{"iso-date": budget.start.isoformat()})
        etree.SubElement(element, "period-end", **{"iso-date": budget.end.isoformat()})
        _value(element, budget.value, budget.start, activity.currency)


def _transactions(root: etree._Element, activity: Activity) -> None:
    for money in activity.transactions:
        element = etree.SubElement(root, "transaction")
        etree.SubElement(element, "transaction-type", code=money.type)
        etree.SubElement(element, "transaction-date", **{"iso-date": money.on.isoformat()})
        _value(element, money.value, money.on, activity.currency)
        if money.description:
            _narratives(etree.SubElement(element, "description"), {"en": money.description})
        if money.provider is not None:
            _org(element, "provider-org", money.provider,
                 **{"provider-activity-id": money.provider.activity_id})


def _indicator(parent: etree._Element, indicator: ResultIndicator) -> None:
    node = etree.SubElement(parent, "indicator", measure=indicator.measure,
                            ascending="1" if indicator.ascending else "0")
    _narratives(etree.SubElement(node, "title"), {"en": indicator.title})
    if indicator.description:
        _narratives(etree.SubElement(node, "description"), {"en": indicator.description})
    etree.SubElement(node, "baseline", year=str(indicator.baseline_year),
                     value=number(indicator.baseline))
    for period in indicator.periods:
        element = etree.SubElement(node, "period")
        etree.SubElement(element, "period-start", **{"iso-date": period.start.isoformat()})
        etree.SubElement(element, "period-end", **{"iso-date": period.end.isoformat()})
        if period.target is not None:
            etree.SubElement(element, "target", value=number(period.target))
        if period.actual is not None:
            etree.SubElement(element, "actual", value=number(period.actual))


def _results(root: etree._Element, activity: Activity) -> None:
    for result in activity.results:
        element = etree.SubElement(root, "result", type=result.type)
        _narratives(etree.SubElement(element, "title"), {"en": result.title})
        for indicator in result.indicators:
            _indicator(element, indicator)


def _documents(root: etree._Element, activity: Activity) -> None:
    for link in activity.documents:
        element = etree.SubElement(root, "document-link", url=link.url, format=link.format)
        _narratives(etree.SubElement(element, "title"), {"en": link.title})
        etree.SubElement(element, "category", code=link.category)
        for language in link.languages:
            etree.SubElement(element, "language", code=language)
        if link.day is not None:
            etree.SubElement(element, "document-date", **{"iso-date": link.day.isoformat()})


def _classification(root: etree._Element, activity: Activity) -> None:
    for country, share in zip(activity.recipients, _percentages(len(activity.recipients)),
                              strict=True):
        etree.SubElement(root, "recipient-country", code=country, percentage=share)
    for sector, share in zip(activity.sectors, _percentages(len(activity.sectors)), strict=True):
        etree.SubElement(root, "sector", vocabulary="1", code=sector, percentage=share)
    for marker, significance in activity.policy_markers:
        etree.SubElement(root, "policy-marker", vocabulary="1", code=marker,
                         significance=significance)


def activity_element(activity: Activity) -> etree._Element:
    """The `iati-activity` element, its children in the schema's sequence."""
    root = etree.Element("iati-activity", {
        "last-updated-datetime": activity.last_updated.isoformat(timespec="seconds"),
        XML_LANG: "en", "default-currency": activity.currency})
    etree.SubElement(root, "iati-identifier").text = activity.identifier
    _org(root, "reporting-org", activity.reporting_org)
    title = dict(activity.title)
    if activity.exercise:
        title = {lang: text if text.startswith("EXERCISE") else EXERCISE_PREFIX + text
                 for lang, text in title.items()}
    _narratives(etree.SubElement(root, "title"), title)
    _narratives(etree.SubElement(root, "description", type="1"), activity.description)
    for role, org in activity.participants:
        _org(root, "participating-org", org, role=role,
             **{"crs-channel-code": org.crs_channel_code, "activity-id": org.activity_id})
    # The OSCE project number, as the reporting organisation's internal identifier (A1).
    other = etree.SubElement(root, "other-identifier", ref=activity.number, type="A1")
    owner = etree.SubElement(other, "owner-org", ref=activity.reporting_org.ref)
    _narratives(owner, {"en": activity.reporting_org.name})
    etree.SubElement(root, "activity-status", code=activity.status)
    for kind, day in activity.dates:
        etree.SubElement(root, "activity-date", type=kind, **{"iso-date": day.isoformat()})
    _classification(root, activity)
    _budgets(root, activity)
    _transactions(root, activity)
    _documents(root, activity)
    _results(root, activity)
    return root


def document(activities: list[etree._Element], generated: datetime) -> etree._Element:
    root = etree.Element("iati-activities", version=VERSION,
                         **{"generated-datetime": generated.isoformat(timespec="seconds")})
    root.extend(activities)
    return root


def serialize(root: etree._Element) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                pretty_print=True))
