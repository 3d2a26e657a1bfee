"""The EXERCISE statements of `hofburg demo`: recorded through the services, exercise names
only, loaded once."""

from __future__ import annotations

import pytest

from hofburg.core.models import Affiliation, Role, User
from hofburg.decisions.demo import statements as demo
from hofburg.decisions.models import Position, Statement
from tests.decisions.samples_statements import draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_accounts() -> None:
    north = Affiliation.objects.create(code="exercise-north", name="Exercise Delegation North",
                                       kind=Affiliation.Kind.DELEGATION, is_exercise=True)
    Affiliation.objects.create(code="exercise-south", name="Exercise Delegation South",
                               kind=Affiliation.Kind.DELEGATION, is_exercise=True)
    secretariat = Affiliation.objects.create(
        code="exercise-secretariat", name="Exercise Secretariat Unit",
        kind=Affiliation.Kind.SECRETARIAT_UNIT, is_exercise=True)
    editor = [Role.READER, Role.EDITOR]
    User.objects.create_user("demo-editor", affiliation=north, roles=editor)
    User.objects.create_user("demo-chair", affiliation=secretariat, roles=editor)


def test_the_demo_records_exercise_statements_once(demo_accounts: None) -> None:
    exercise_draft = draft(is_exercise=True)
    demo.load()
    demo.load()

    statements = list(Statement.objects.order_by("delivered_on"))
    assert len(statements) == 2 and all(s.is_exercise for s in statements)
    assert statements[0].symbol == "PC.DEL/1/" + f"{statements[0].delivered_on:%y}"
    assert set(statements[0].texts) == {"en", "ru"}
    assert statements[1].speaker_label == "Exercise Delegation South"
    labels = [label for s in statements for label in [s.speaker_label, *s.aligned]]
    assert all(label.startswith("Exercise") for label in labels)
    position = Position.objects.get()
    assert position.draft == exercise_draft and position.owner_affiliation.code == "exercise-north"


def test_without_the_demo_accounts_nothing_is_recorded() -> None:
    demo.load()
    assert not Statement.objects.exists()
