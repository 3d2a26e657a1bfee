"""`hofburg projects iati | contributions | budget`: what the public sees by default, what a
user sees with `--as-user`, nothing written for an invalid project, one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from hofburg.cli import app
from hofburg.projects.iati.schema import activity_schema
from hofburg.projects.models import Project
from tests.conftest import Cast
from tests.projects.samples import World, make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast: Cast) -> World:
    return make_world(cast)


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["projects", *args])
    return result.exit_code, result.stdout, result.stderr


def test_iati_writes_valid_xml_of_what_the_user_may_see(world: World, tmp_path: Path) -> None:
    out = tmp_path / "public.xml"
    code, stdout, _err = _run("iati", "-o", str(out))
    assert code == 0 and "1 activities, valid IATI 2.03" in stdout
    root = etree.parse(str(out)).getroot()
    assert activity_schema().validate(root)
    assert root.xpath("iati-activity/other-identifier/@ref") == ["P-100"]
    code, _out, _err = _run("iati", "-o", str(out), "--as-user", "erin", "--state", "fi")
    assert code == 0
    assert etree.parse(str(out)).getroot().xpath(
        "iati-activity/other-identifier/@ref") == ["P-200"]
    code, _out, _err = _run("iati", "-o", str(out), "--as-user", "mona", "--owner", "mission")
    assert etree.parse(str(out)).getroot().xpath(
        "iati-activity/other-identifier/@ref") == ["P-400"]


def test_iati_names_invalid_projects_and_writes_nothing(world: World, tmp_path: Path) -> None:
    Project.objects.filter(pk=world.public.pk).update(description="")
    out = tmp_path / "none.xml"
    code, _out, err = _run("iati", "-o", str(out))
    assert code == 1
    assert "P-100: no description" in err and "not written: 1 project(s)" in err
    assert not out.exists()


def test_bad_arguments_are_one_line(world: World, tmp_path: Path) -> None:
    code, _out, err = _run("iati", "-o", str(tmp_path / "x.xml"), "--state", "Fin")
    assert code == 2 and "not an ISO alpha-2 code" in err
    code, _out, err = _run("iati", "-o", str(tmp_path / "x.xml"), "--as-user", "ghost")
    assert code == 1 and "no active user named 'ghost'" in err


def test_contributions_and_budget(world: World) -> None:
    code, out, _err = _run("contributions", "AT")
    assert code == 0 and "2025\t\t90000.00\t0\t0" in out
    code, out, _err = _run("contributions", "US")
    assert "2019\t~17940000 (secondary, approximate)" in out
    code, out, _err = _run("budget")
    assert "2018\tEUR 137,801,200\tadopted\tconfirmed" in out
    assert "2023\t—\tnot adopted\tconfirmed\tNo budget adopted: provisional allotments" in out
    assert "ceiling: 14 % on the field_operations scale (PC.DEC/408 (2001)" in out


def test_donors_are_drawn_from_the_registry_once(world: World) -> None:
    from hofburg.projects.models import Donor

    code, out, _err = _run("donors")
    assert code == 0 and out.strip() == "1 donors created"  # AT, FI and EU exist; MD is new
    moldova = Donor.objects.get(code="md")
    assert (moldova.kind, moldova.iso2, moldova.name) == ("participating_state", "MD", "Moldova")
    code, out, _err = _run("donors")
    assert out.strip() == "0 donors created"
