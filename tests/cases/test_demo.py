"""The desk's demo: EXERCISE people owned by the exercise Secretariat; demo-analyst holds the
grant, demo-reader does not."""

from __future__ import annotations

import pytest
from django.utils import timezone

from hofburg.cases import disclosure, queries
from hofburg.cases.demo import JURISDICTION, load_cases_demo
from hofburg.cases.models import Alert, Incident, Person, PrisonerCase
from hofburg.core.models import Affiliation, Role, User
from hofburg.core.services.accounts import ensure_affiliation

pytestmark = pytest.mark.django_db


@pytest.fixture
def exercise_world() -> tuple[User, User]:
    secretariat = ensure_affiliation("exercise-secretariat", name="Exercise Secretariat Unit",
                                     kind=Affiliation.Kind.SECRETARIAT_UNIT, is_exercise=True)
    south = ensure_affiliation("exercise-south", name="Exercise Delegation South",
                               kind=Affiliation.Kind.DELEGATION, is_exercise=True)
    analyst = User.objects.create_user("demo-analyst", affiliation=secretariat,
                                       roles=[Role.READER, Role.ANALYST])
    reader = User.objects.create_user("demo-reader", affiliation=south, roles=[Role.READER])
    return analyst, reader


def test_the_demo_is_exercise_data_loaded_once(exercise_world: tuple[User, User]) -> None:
    load_cases_demo()
    load_cases_demo()
    assert Person.objects.count() == 12
    assert all(p.is_exercise and p.owner_affiliation.code == "exercise-secretariat"
               for p in Person.objects.all())
    assert set(PrisonerCase.objects.values_list("jurisdiction", flat=True)) == {JURISDICTION}
    assert Incident.objects.filter(is_exercise=True).count() == 60
    assert Alert.objects.filter(is_exercise=True, country=JURISDICTION).count() == 5
    assert set(Incident.objects.values_list("country", flat=True)) == {JURISDICTION}
    year = timezone.localdate().year - 1
    table = queries.public_hate_crime_table(year, 11)
    assert table[0][:3] == [JURISDICTION, year, "total"]
    assert table[0][6] == Incident.objects.filter(stage="published", target="person").count()


def test_demo_analyst_reads_names_and_demo_reader_none(exercise_world: tuple[User, User]) -> None:
    analyst, reader = exercise_world
    load_cases_demo()
    day = timezone.localdate()
    held = queries.in_custody(analyst, day)
    assert held and len(held) == len(queries.in_custody(reader, day))
    names = disclosure.prisoner_rows(analyst, held, day=day, channel="page")
    assert all(row["name"].endswith("(EXERCISE)") for row in names.rows)
    assert "medical" not in names.columns
    plain = disclosure.prisoner_rows(reader, held, day=day, channel="page")
    assert "name" not in plain.columns and all("name" not in row for row in plain.rows)
    assert queries.persons_for(reader).count() == 0
    assert queries.persons_for(analyst).count() == 12
    alerts = list(queries.alerts_for(reader))
    assert len(alerts) == 5
    assert sum("name" in r for r in disclosure.alert_rows(reader, alerts,
                                                         channel="page").rows) == 0
    assert sum("name" in r for r in disclosure.alert_rows(analyst, alerts,
                                                         channel="page").rows) == 2
