"""Migration 0003 carries the stored data over: a mission's State becomes the registry's code
where the registry knows it (the exercise State on an exercise mission), team labels become
teams of the right kind, and every form version gets its field names for the exports."""

from __future__ import annotations

from datetime import date
from importlib import import_module

import pytest
from django.apps import apps

from hofburg.core.models import Role, User
from hofburg.elections.models import Form, Member, Mission, Team
from hofburg.registry.models import ParticipatingState
from tests.conftest import Cast
from tests.elections.samples import eom

pytestmark = pytest.mark.django_db
migration = import_module("hofburg.elections.migrations.0003_teams_areas_and_clerk_entry")


def test_states_become_codes_where_the_registry_knows_them(cast: Cast) -> None:
    ParticipatingState.objects.create(iso2="AT", iso3="AUT", numeric="040",
                                      joined=date(1973, 6, 25),
                                      names={"en": "Austria", "de": "Österreich"}, source="test")
    e = eom(cast)
    before = {"Österreich ": False, "Exercise Republic (fictional)": True, "Atlantis": False}
    for number, (text, exercise) in enumerate(before.items()):
        Mission.objects.create(code=f"OLD-{number}", name="Old", state=text, is_exercise=exercise,
                               election_date=date(2026, 12, 6),
                               owner_affiliation=e.mission.owner_affiliation)
    migration.states_as_codes(apps, None)
    assert dict(Mission.objects.filter(code__startswith="OLD").values_list("code", "state")) == {
        "OLD-0": "AT", "OLD-1": "XE", "OLD-2": "Atlantis"}  # unknown text kept as typed
    assert Mission.objects.get(code="OLD-2").state_name == "Atlantis"


def test_team_labels_become_teams_and_forms_get_their_fields(cast: Cast) -> None:
    e = eom(cast)
    Team.objects.all().delete()
    lto = User.objects.create_user("lto-old", affiliation=cast.mission, roles=[Role.READER])
    Member.objects.create(mission=e.mission, user=lto, role="lto", team="L1")
    Form.objects.update(fields=[])
    migration.teams_from_members(apps, None)
    migration.form_fields(apps, None)
    assert dict(Team.objects.values_list("code", "kind")) == {"L1": "lto", "T01": "sto"}
    assert Form.objects.get().fields == ["start", "station_id", "box_sealed", "overall"]
