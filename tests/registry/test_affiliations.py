"""`hofburg init` creates an affiliation for every body in the registry, once; and lists them."""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import call_command

from hofburg.core.demo import AFFILIATIONS as EXERCISE_AFFILIATIONS
from hofburg.core.demo import load_demo
from hofburg.core.models import Affiliation, AuditEntry
from hofburg.registry.models import (
    FieldOperation,
    Institution,
    ParticipatingState,
    Partner,
    SecretariatUnit,
)
from hofburg.registry.services import (
    AffiliationCodeError,
    compare_reference,
    ensure_affiliations,
    load_reference,
)
from tests.test_cli import run

DATA = Path(__file__).resolve().parents[2] / "data" / "registry"


def _init() -> None:
    """What `hofburg init` does after migrating."""
    call_command("load_reference", stdout=io.StringIO())
    call_command("ensure_affiliations", stdout=io.StringIO())


def _snapshot() -> list[tuple[object, ...]]:
    return list(Affiliation.objects.order_by("code").values_list(
        "pk", "code", "name", "kind", "state_iso2", "is_exercise"))


def _expected_codes() -> dict[str, str]:
    """Code -> kind, derived from the registry rows the load wrote."""
    kinds = Affiliation.Kind
    expected = {f"delegation-{iso2.lower()}": kinds.DELEGATION
                for iso2 in [*ParticipatingState.objects.values_list("iso2", flat=True),
                             *Partner.objects.values_list("iso2", flat=True)]}
    expected |= {f"secretariat-{code}": kinds.SECRETARIAT_UNIT
                 for code in SecretariatUnit.objects.values_list("code", flat=True)}
    expected |= {f"institution-{code}": kinds.INSTITUTION
                 for code in Institution.objects.values_list("code", flat=True)}
    expected |= {f"field-{code}": kinds.FIELD_OPERATION
                 for code in FieldOperation.objects.values_list("code", flat=True)}
    return expected


@pytest.mark.django_db
def test_init_twice_creates_every_registry_affiliation_once() -> None:
    _init()
    expected = _expected_codes()
    states = ParticipatingState.objects.count()
    assert states == 57
    assert len(expected) == (states + Partner.objects.count() + SecretariatUnit.objects.count()
                             + Institution.objects.count() + FieldOperation.objects.count())
    assert dict(Affiliation.objects.values_list("code", "kind")) == expected
    assert {"delegation-us", "delegation-jp", "delegation-ru", "delegation-at"} <= set(expected)
    us = Affiliation.objects.get(code="delegation-us")
    assert (us.state_iso2, us.is_exercise) == ("US", False)
    assert us.name == ParticipatingState.objects.get(iso2="US").names["en"]
    jp = Affiliation.objects.get(code="delegation-jp")
    assert jp.state_iso2 == "JP" and jp.name == Partner.objects.get(iso2="JP").names["en"]
    created = AuditEntry.objects.filter(model_label="core.Affiliation", action="create").count()
    assert created == len(expected)

    before, audit = _snapshot(), AuditEntry.objects.count()
    _init()
    summary = ensure_affiliations()
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, len(expected))
    assert _snapshot() == before
    assert AuditEntry.objects.count() == audit


@pytest.mark.django_db
def test_exercise_affiliations_stay_as_they_are() -> None:
    load_demo()
    exercise = _snapshot()
    assert [row[1] for row in exercise] == sorted(code for code, _n, _k in EXERCISE_AFFILIATIONS)
    _init()
    after = {row[1]: row for row in _snapshot()}
    assert [after[row[1]] for row in exercise] == exercise
    assert Affiliation.objects.filter(is_exercise=True).count() == len(EXERCISE_AFFILIATIONS)


@pytest.mark.django_db
def test_a_renamed_body_renames_its_affiliation_with_an_audit_entry(tmp_path: Path) -> None:
    _init()
    data = Path(shutil.copytree(DATA, tmp_path / "registry"))
    operation = FieldOperation.objects.order_by("code").first()
    assert operation is not None
    old = operation.names["en"]
    path = data / "field_operations.yaml"
    text = path.read_text("utf-8")
    assert text.count(old) >= 1
    path.write_text(text.replace(old, old + " (renamed)"), "utf-8")
    load_reference(data)
    affiliation = Affiliation.objects.get(code=f"field-{operation.code}")
    members_pk = affiliation.pk

    summary = ensure_affiliations()

    assert summary.updated == 1 and summary.created == 0
    affiliation.refresh_from_db()
    assert affiliation.pk == members_pk
    assert affiliation.name == old + " (renamed)"
    entry = AuditEntry.objects.filter(model_label="core.Affiliation", action="update").get()
    assert entry.before is not None and entry.after is not None
    assert (entry.before["name"], entry.after["name"]) == (old, old + " (renamed)")


@pytest.mark.django_db
def test_a_body_gone_from_the_registry_keeps_its_affiliation(tmp_path: Path) -> None:
    _init()
    Institution.objects.filter(code=Institution.objects.order_by("code").values("code")[:1]
                               ).delete()
    before = _snapshot()
    assert ensure_affiliations().changed == 0
    assert _snapshot() == before


@pytest.mark.django_db
def test_check_counts_the_affiliations_init_would_create_and_writes_none() -> None:
    load_reference(DATA)
    expected = len(_expected_codes())
    summary = compare_reference(DATA)
    assert summary.affiliations is not None
    assert (summary.affiliations.created, summary.affiliations.updated) == (expected, 0)
    assert summary.changed == expected
    assert any(line.startswith("affiliations") and f"{expected:>3} created" in line
               for line in summary.lines())
    assert not Affiliation.objects.exists()
    ensure_affiliations()
    assert compare_reference(DATA).changed == 0


@pytest.mark.django_db
def test_a_code_too_long_for_an_affiliation_stops_before_writing_any() -> None:
    load_reference(DATA)
    FieldOperation.objects.create(code="x" * 59, names={"en": "Long"}, region="Europe",
                                  source="test")
    with pytest.raises(AffiliationCodeError, match="longer than 64 characters"):
        ensure_affiliations()
    assert not Affiliation.objects.exists()


# -- the command line ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def init_dir(tmp_path_factory: pytest.TempPathFactory,
             migrated_sqlite: Callable[[Path], Path]) -> Path:
    data_dir = tmp_path_factory.mktemp("affiliations")
    migrated_sqlite(data_dir / "cli.sqlite3")
    done = run(data_dir, "init")
    assert done.returncode == 0, done.stderr
    return data_dir


def test_cli_lists_the_affiliations_as_json_and_as_a_table(init_dir: Path) -> None:
    db = sqlite3.connect(init_dir / "cli.sqlite3")
    stored = db.execute("select code, kind, name from core_affiliation order by code").fetchall()
    states = db.execute("select count(*) from registry_participatingstate").fetchone()[0]
    assert states == 57
    assert len(stored) > states

    as_json = run(init_dir, "affiliations", "list", "--json")
    assert as_json.returncode == 0, as_json.stderr
    listed = json.loads(as_json.stdout)
    assert listed == [{"code": c, "kind": k, "name": n} for c, k, n in stored]
    names = {code: name for code, _kind, name in stored}
    assert {"code": "delegation-us", "kind": "delegation", "name": names["delegation-us"]} in listed

    table = run(init_dir, "affiliations", "list")
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    assert lines[0].split() == ["code", "kind", "name"]
    assert len(lines) == 1 + len(stored)
    us = next(line for line in lines if line.startswith("delegation-us "))
    assert us.split(maxsplit=2)[1:] == ["delegation", names["delegation-us"]]


def test_cli_init_again_adds_no_affiliation(init_dir: Path) -> None:
    db = sqlite3.connect(init_dir / "cli.sqlite3")
    query = "select id, code, kind, name, state_iso2 from core_affiliation order by id"
    before = db.execute(query).fetchall()
    again = run(init_dir, "init")
    assert again.returncode == 0, again.stderr
    assert f"0 created    0 updated  {len(before):>3} unchanged" in again.stdout
    assert db.execute(query).fetchall() == before


def test_cli_list_refuses_an_unknown_option_in_one_line(init_dir: Path) -> None:
    done = run(init_dir, "affiliations", "list", "--yaml")
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1
    assert done.stderr.startswith("hofburg: ")
