"""The desk's demo: EXERCISE people owned by the exercise Secretariat; demo-analyst holds the
grant, demo-reader does not."""

from __future__ import annotations

import pytest
from django.utils import timezone

from hofburg.cases import disclosure, queries
from hofburg.cases.demo import JURISDICTION, load_cases_demo
from hofburg.cases.models import Alert, Incident, Person, PrisonerCase, ProtectionCase, Situation
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
    assert Person.objects.count() == 16
    assert all(p.is_exercise and p.owner_affiliation.code == "exercise-secretariat"
               for p in Person.objects.all())
    assert set(PrisonerCase.objects.values_list("jurisdiction", flat=True)) == {JURISDICTION}
    assert Incident.objects.filter(is_exercise=True).count() == 60
    assert Alert.objects.filter(is_exercise=True, country=JURISDICTION).count() == 5
    assert set(Incident.objects.values_list("country", flat=True)) == {JURISDICTION}
    year = timezone.localdate().year - 1
    assert queries.public_hate_crime_table(year, 11) == []  # exercise records stay apart
    table = queries.public_hate_crime_table(year, 11, exercise=True)
    assert table[0][:3] == [JURISDICTION, year, "total"]
    assert all(row[-1] is True for row in table)
    published = Incident.objects.filter(stage="published")
    assert table[0][6] == published.filter(target="person").count()  # clear of k, not suppressed
    assert table[0][7] == published.filter(target="property").count()


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
    assert queries.persons_for(analyst).count() == 16
    alerts = list(queries.alerts_for(reader))
    assert len(alerts) == 5
    assert sum("name" in r for r in disclosure.alert_rows(reader, alerts,
                                                         channel="page").rows) == 0
    assert sum("name" in r for r in disclosure.alert_rows(analyst, alerts,
                                                         channel="page").rows) == 2


def test_the_demo_protection_cases_and_situations(exercise_world: tuple[User, User]) -> None:
    """Four confidential protection cases of exercise persons and two situations: the analyst
    (exercise Secretariat, restricted grants) reads names and statuses but not what the cases
    say about the persons, nor the situations' sources; the reader (exercise South) sees
    none of them."""
    analyst, reader = exercise_world
    load_cases_demo()
    cases = list(ProtectionCase.objects.all())
    assert len(cases) == 4 and all(c.is_exercise and c.country == JURISDICTION for c in cases)
    assert {c.concern for c in cases} == {"trafficking", "gender_based_violence", "roma_sinti"}
    assert queries.protection_cases_for(reader).count() == 0
    rows = disclosure.protection_rows(analyst, list(queries.protection_cases_for(analyst)),
                                      channel="page")
    assert all(r["name"].endswith("(EXERCISE)") for r in rows.rows)
    assert "summary" not in rows.columns
    assert Situation.objects.filter(is_exercise=True, state=JURISDICTION).count() == 2
    assert queries.situations_for(reader).count() == 0
    seen = disclosure.situation_rows(analyst, list(queries.situations_for(analyst)),
                                     channel="page", detail=True)
    assert len(seen.rows) == 2 and "sources" not in seen.columns
    assert {r["escalation_level"] for r in seen.rows} == {"monitoring", "concern"}
    assert all(len(r["observations"]) == 6 and "source" not in r["observations"][0]
               for r in seen.rows)


def test_demo_statements_are_exercise_and_tagged_by_the_analyst(
        exercise_world: tuple[User, User]) -> None:
    from django.contrib.auth.models import AnonymousUser

    from hofburg.cases.models import Statement
    from hofburg.core.models import AuditEntry

    analyst, reader = exercise_world
    load_cases_demo()
    load_cases_demo()
    statements = list(Statement.objects.all())
    assert len(statements) == 4
    assert all(s.is_exercise and "(EXERCISE)" in s.speaker and "EXERC" in s.title
               for s in statements)
    assert {m for s in statements for m in s.mandates} == {
        "antisemitism", "anti_muslim", "racism_xenophobia_christians_other_religions"}
    assert queries.statements_for(reader).count() == 4
    assert queries.statements_for(AnonymousUser()).count() == 3
    tagged = [i for i in Incident.objects.all() if i.mandates]
    assert 0 < len(tagged) <= 6
    tags = AuditEntry.objects.filter(action="tag")
    assert {t.actor_id for t in tags} == {analyst.pk}


def test_demo_public_summaries_are_exercise_and_written_by_the_analyst(
        exercise_world: tuple[User, User]) -> None:
    from hofburg.core.models import AuditEntry

    analyst, _reader = exercise_world
    load_cases_demo()
    load_cases_demo()
    described = list(Incident.objects.exclude(public_summary=""))
    assert len(described) == 3
    assert all(i.is_exercise and i.target == "person" and i.stage == "published"
               and i.public_summary.startswith("EXERCISE: ") for i in described)
    entries = AuditEntry.objects.filter(action="summary")
    assert entries.count() == 3 and {e.actor_id for e in entries} == {analyst.pk}
    year = timezone.localdate().year - 1
    assert queries.public_hate_crime_descriptions(year, 11) == []  # exercise stays apart
    for row in queries.public_hate_crime_descriptions(year, 11, exercise=True):
        assert row[6].startswith("EXERCISE: ") and row[-1] is True
