"""The IATI 2.03 export: valid against the official XSD, codes from the IATI codelists, the
mapping of donors, owner, money and results; invalid projects named, nothing written."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from lxml import etree
from typer.testing import CliRunner

from hofburg.cli import app
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


def test_public_linked_documents_become_document_links(cast: Cast, world: World,
                                                       tmp_path: Path) -> None:
    from hofburg.documents.models import DocumentFile
    from hofburg.projects.services.documents import link_document
    from tests.projects.test_writes import make_documents

    docs = make_documents(cast)
    DocumentFile.objects.create(document=docs["public"], language="fr", filename="r.txt",
                                content_type="text/plain", size=1, sha256="0" * 64)
    for key, category in (("public", "A07"), ("restricted", "A02"), ("cpc", "A02")):
        link_document(world.erin, world.public.pk, docs[key].pk, category=category)
    projects = Project.objects.filter(pk=world.public.pk)
    result = export_projects(projects, "https://hofburg.example.org/")
    assert result.valid, result.problems
    root = parsed(result.content)
    assert activity_schema().validate(root)
    links = root.xpath("iati-activity/document-link")
    assert len(links) == 1  # the restricted and the confidential document are not published
    link = links[0]
    assert link.get("url") == f"https://hofburg.example.org/documents/{docs['public'].pk}/"
    assert link.get("format") == "text/html"
    assert link.xpath("title/narrative/text()") == ["SEC.GAL/1/25 Report public"]
    assert link.xpath("category/@code") == ["A07"]
    assert link.xpath("language/@code") == ["fr"]
    assert link.xpath("document-date/@iso-date") == ["2025-03-01"]
    # In the schema's order: after the transactions, before the results.
    names = [child.tag for child in root.find("iati-activity")]  # type: ignore[union-attr]
    assert names.index("document-link") > max(i for i, n in enumerate(names)
                                              if n == "transaction")
    assert names.index("document-link") < names.index("result")
    # Without the site's address the export names the setting and writes nothing.
    unaddressed = export_projects(projects)
    assert not unaddressed.valid
    assert "HOFBURG_PROJECTS_IATI_SITE_URL" in " ".join(unaddressed.problems["P-100"])
    # The command line takes the address; the API answers with the address it was called at.
    out = tmp_path / "p.xml"
    ran = CliRunner().invoke(app, ["projects", "iati", "-o", str(out), "--site-url",
                                   "https://hofburg.example.org"])
    assert ran.exit_code == 0, ran.stderr
    assert etree.parse(str(out)).getroot().xpath("//document-link/@url") == [
        f"https://hofburg.example.org/documents/{docs['public'].pk}/"]
    refused = CliRunner().invoke(app, ["projects", "iati", "-o", str(out)])
    assert refused.exit_code == 1 and "HOFBURG_PROJECTS_IATI_SITE_URL" in refused.stderr
    bad = CliRunner().invoke(app, ["projects", "iati", "-o", str(out), "--site-url", "ftp://x"])
    assert bad.exit_code == 2 and "Traceback" not in bad.stderr
    api = Client().get("/api/v1/projects/iati")
    assert api.status_code == 200
    assert etree.fromstring(api.content).xpath("//document-link/@url") == [
        f"http://testserver/documents/{docs['public'].pk}/"]
