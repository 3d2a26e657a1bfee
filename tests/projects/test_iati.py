"""The IATI 2.03 export: valid against the official XSD, codes from the IATI codelists, the
mapping of donors, owner, money and results; invalid projects named, nothing written."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from lxml import etree

from hofburg.projects import queries
from hofburg.projects.iati import xml
from hofburg.projects.iati.export import activities, export_activities, export_projects
from hofburg.projects.iati.schema import activity_schema, schema_errors
from hofburg.projects.models import Project
from hofburg.projects.services.projects import take_step
from tests.conftest import Cast
from tests.projects.samples import World, make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast: Cast) -> World:
    return make_world(cast)


def parsed(content: bytes | None) -> etree._Element:
    assert content is not None
    return etree.fromstring(content)


def test_the_export_validates_against_the_official_schema(world: World) -> None:
    result = export_projects(queries.visible_projects(world.erin))
    assert result.valid and result.problems == {} and result.count == 3
    root = parsed(result.content)
    assert activity_schema().validate(root)
    assert root.get("version") == "2.03"
    assert root.xpath("iati-activity/iati-identifier/text()") == [
        "XM-DAC-47131-P-100", "XM-DAC-47131-P-200", "XM-DAC-47131-P-300"]


def test_donors_owner_money_and_results_are_mapped(cast: Cast, world: World) -> None:
    take_step(world.paul, world.public.pk, "approve")
    take_step(world.erin, world.public.pk, "start")
    root = parsed(export_projects(Project.objects.filter(pk=world.public.pk)).content)
    activity = root.find("iati-activity")
    assert activity is not None
    assert activity.xpath("activity-status/@code") == ["2"]
    assert activity.xpath("other-identifier[@type='A1']/@ref") == ["P-100"]
    roles = [(o.get("role"), o.findtext("narrative")) for o in
             activity.findall("participating-org")]
    assert roles == [("1", "Austria"), ("1", "European Union"),
                     ("2", "Organization for Security and Co-operation in Europe"),
                     ("4", cast.cpc.name)]
    assert activity.xpath("participating-org[@role='2']/@crs-channel-code") == ["47131"]
    types = activity.xpath("transaction/transaction-type/@code")
    assert sorted(types) == ["1", "1", "11", "13", "4"]
    pledge = activity.xpath("transaction[transaction-type/@code='13']")[0]
    assert pledge.xpath("provider-org/narrative/text()") == ["Austria"]
    assert pledge.xpath("value/text()") == ["150000"]
    assert activity.xpath("budget/@type") == ["1", "2", "1"]
    assert activity.xpath("sector/@code") == ["15113"]
    assert activity.xpath("recipient-country/@code") == ["MD"]
    assert activity.xpath("result/@type") == ["1"]  # the output has the indicator
    period = activity.xpath("result/indicator/period")[0]
    assert (period.xpath("target/@value"), period.xpath("actual/@value")) == (["40"], ["30"])


def test_an_invalid_project_is_named_with_its_reasons_and_nothing_is_written(
        world: World) -> None:
    # Rows written as a faulty import or an older version might have left them.
    Project.objects.filter(pk=world.restricted.pk).update(description="", dac_sectors=["99999"])
    Project.objects.filter(pk=world.public.pk).update(number="P 100/A")
    result = export_projects(queries.visible_projects(world.erin))
    assert result.content is None and not result.valid
    assert set(result.problems) == {"P 100/A", "P-200"}
    assert any("no description" in p for p in result.problems["P-200"])
    assert any("'99999' is not in the IATI Sector codelist" in p
               for p in result.problems["P-200"])
    assert any("characters an IATI identifier may not" in p
               for p in result.problems["P 100/A"])


def test_the_schema_catches_what_the_checks_do_not(world: World) -> None:
    built = activities(Project.objects.filter(pk=world.public.pk))
    element = xml.activity_element(built[0])
    element.remove(element.find("activity-status"))  # required by the schema
    errors = schema_errors(xml.document([element], datetime(2026, 1, 1)))
    assert errors and "activity-status" in " ".join(errors)


def test_an_empty_selection_is_refused(world: World) -> None:
    result = export_activities([])
    assert result.content is None and "no project" in result.problems[""][0]


def test_anonymous_callers_export_public_projects_only(world: World) -> None:
    root = parsed(export_projects(queries.visible_projects(AnonymousUser())).content)
    assert root.xpath("iati-activity/other-identifier/@ref") == ["P-100"]


def test_exercise_projects_are_marked_in_the_title(world: World) -> None:
    Project.objects.filter(pk=world.public.pk).update(is_exercise=True)
    root = parsed(export_projects(Project.objects.filter(pk=world.public.pk)).content)
    assert root.xpath("iati-activity/title/narrative/text()")[0].startswith("EXERCISE: ")


def test_decimals_are_written_as_plain_digits() -> None:
    assert xml.number(Decimal("40.0000")) == "40"
    assert xml.number(Decimal("1E+3")) == "1000"
    assert xml.number(Decimal("0.2500")) == "0.25"
