"""The EXERCISE-EOM demo: generated, exercise-marked, loaded once, and usable by demo-observer
from ODK Collect."""

from __future__ import annotations

import base64

import pytest
from django.test import Client
from django.utils import timezone

from hofburg.core.models import Affiliation, Role, User
from hofburg.core.services.accounts import ensure_affiliation
from hofburg.elections.demo import CODE, load_elections_demo
from hofburg.elections.models import Member, Mission, Submission
from hofburg.elections.queries import figures, form_versions, serious_problems
from hofburg.elections.services.snapshots import freeze
from tests.elections.samples import submission_xml

pytestmark = pytest.mark.django_db


@pytest.fixture
def exercise_world() -> User:
    eom = ensure_affiliation("exercise-eom", name="Exercise Election Observation Mission",
                             kind=Affiliation.Kind.FIELD_OPERATION, is_exercise=True)
    secretariat = ensure_affiliation("exercise-secretariat", name="Exercise Secretariat Unit",
                                     kind=Affiliation.Kind.SECRETARIAT_UNIT, is_exercise=True)
    User.objects.create_user("demo-analyst", password="analyst-pass", affiliation=secretariat,
                             roles=[Role.READER, Role.ANALYST])
    return User.objects.create_user("demo-observer", password="observer-pass", affiliation=eom,
                                    roles=[Role.READER])


def test_demo_mission_is_exercise_data_loaded_once(exercise_world: User) -> None:
    load_elections_demo()
    load_elections_demo()
    mission = Mission.objects.get(code=CODE)
    assert mission.is_exercise and "Exercise Republic" in mission.state
    assert mission.owner_affiliation.code == "exercise-eom"
    assert mission.stations.count() == 600
    assert sorted(mission.forms.values_list("form_id", flat=True)) == [
        "exercise_counting", "exercise_opening", "exercise_voting"]
    assert Submission.objects.count() == 40 * 10
    assert mission.assignments.count() == 40 * 9  # each team's route is its plan
    assert Submission.objects.filter(received_at__gt=timezone.now()).count() == 0
    observer = Member.objects.get(mission=mission, user=exercise_world)
    assert (observer.role, observer.team) == ("sto", "T01")
    analyst = User.objects.get(username="demo-analyst")
    snap = freeze(analyst, "exercise_voting", timezone.now())
    data = figures(snap, form_versions(analyst, "exercise_voting"))
    assert data["forms"] == 320
    overall = next(q for q in data["questions"] if q["question"] == "overall")
    assert 0 < overall["negative_pct"] < 50
    assert serious_problems(mission)


def test_demo_observer_submits_from_collect(exercise_world: User) -> None:
    load_elections_demo()
    form = Mission.objects.get(code=CODE).forms.get(form_id="exercise_voting")
    token = base64.b64encode(b"demo-observer:observer-pass").decode()
    client = Client()
    listed = client.get("/openrosa/formList", HTTP_AUTHORIZATION=f"Basic {token}")
    assert "<formID>exercise_voting</formID>" in listed.content.decode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    xml = submission_xml("exercise_voting", form.version, station="XR-0001")
    response = client.post("/openrosa/submission", {"xml_submission_file": SimpleUploadedFile(
        "s.xml", xml, content_type="text/xml")}, HTTP_AUTHORIZATION=f"Basic {token}")
    assert response.status_code == 201
    assert Submission.objects.count() == 401
