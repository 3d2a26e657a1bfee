"""The desk's index says how many persons are granted to the reader and when the newest of
them, or of the reader's grants to them, was recorded (decision 0072)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from time_machine import TimeMachineFixture

from hofburg.cases.models import Grant
from hofburg.cases.services import persons
from hofburg.core import dates
from hofburg.core.models import User
from tests.cases.conftest import Scene, verified_client
from tests.conftest import Cast

SCENE_AT = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
GRANTED_AT = datetime(2026, 10, 6, 14, 0, tzinfo=UTC)


@pytest.fixture
def dated_scene(time_machine: TimeMachineFixture, request: pytest.FixtureRequest) -> Scene:
    """The desk's scene, every record of it made at `SCENE_AT`."""
    time_machine.move_to(SCENE_AT, tick=False)
    found: Scene = request.getfixturevalue("scene")
    return found


def index(user: User) -> str:
    response = verified_client(user).get("/cases/")
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def test_the_persons_granted_are_dated_by_the_newest_person_or_grant(
        dated_scene: Scene, cast: Cast, time_machine: TimeMachineFixture) -> None:
    gina = dated_scene.gina
    assert "1 person granted to you</a> <p class=\"updated\">Last updated: <time " \
           f"datetime=\"2026-10-01T11:00:00+02:00\">{dates.moment(SCENE_AT)}</time>" \
           in index(gina)
    time_machine.move_to(GRANTED_AT, tick=False)
    persons.grant_access(dated_scene.erin, dated_scene.other, gina, Grant.Level.RESTRICTED)
    assert f"2 persons granted to you</a> <p class=\"updated\">Last updated: <time " \
           f"datetime=\"2026-10-06T16:00:00+02:00\">{dates.moment(GRANTED_AT)}</time>" \
           in index(gina)
    # No person granted to carol: nought, and no time of anyone else's grant.
    carol = index(cast.carol)
    assert "0 persons granted to you</a> <p class=\"updated\">Last updated: no record " \
           "visible to you</p>" in carol
    assert dates.moment(GRANTED_AT) not in carol
