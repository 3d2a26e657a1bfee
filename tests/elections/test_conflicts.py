"""Paired observers: two observers of one team send the form of the same visit. Agreeing forms
count once; disagreeing ones are held out of the figures until an analyst chooses one."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from hofburg.core.access import AccessDenied
from hofburg.core.models import Role, User
from hofburg.core.services.users import issue_api_token
from hofburg.elections.models import Member
from hofburg.elections.queries import figures, form_versions, open_conflicts
from hofburg.elections.services.snapshots import freeze, resolve_conflict
from hofburg.elections.services.submissions import receive
from tests.conftest import PASSWORD, Cast
from tests.elections.samples import Eom, eom, submission_xml

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(cast: Cast) -> tuple[Eom, User]:
    e = eom(cast)
    partner = User.objects.create_user("partner", password=PASSWORD, affiliation=cast.mission,
                                       roles=[Role.READER])
    Member.objects.create(mission=e.mission, user=partner, role=Member.Role.STO, team="T01")
    return e, partner


def _overall(data: dict[str, Any]) -> dict[str, Any]:
    return next(q for q in data["questions"] if q["question"] == "overall")


def test_a_disagreeing_pair_is_held_out_until_resolved(cast: Cast, pair: tuple[Eom, User]
                                                        ) -> None:
    e, partner = pair
    receive(e.observer, submission_xml(instance="uuid:a", station="P001", overall="good"))
    receive(partner, submission_xml(instance="uuid:b", station="P001", overall="very_bad"))
    receive(partner, submission_xml(instance="uuid:c", station="P002", overall="bad"))
    receive(e.observer, submission_xml(instance="uuid:d", station="P002", overall="bad"))
    (conflict,) = open_conflicts(e.mission)
    assert conflict == {"form_id": "voting", "station_id": "P001", "team": "T01",
                        "instances": ["uuid:a", "uuid:b"], "differing": ["overall"]}
    data = figures(freeze(e.manager, "voting", timezone.now()), form_versions(None, "voting"))
    assert data["forms"] == 1 and data["paired_duplicates"] == 1
    assert data["conflicts_held_out"][0]["instances"] == ["uuid:a", "uuid:b"]
    assert _overall(data)["n"] == 1 and _overall(data)["negative_pct"] == 100.0

    with pytest.raises(AccessDenied):
        resolve_conflict(e.observer, e.mission, "voting", "P001", "T01", "uuid:a")
    resolve_conflict(e.manager, e.mission, "voting", "P001", "T01", "uuid:b")
    assert open_conflicts(e.mission) == []
    later = figures(freeze(e.manager, "voting", timezone.now()), form_versions(None, "voting"))
    assert later["forms"] == 2 and later["conflicts_held_out"] == []
    assert _overall(later)["counts"]["very_bad"] == 1


def test_conflicts_page_and_api(cast: Cast, pair: tuple[Eom, User]) -> None:
    e, partner = pair
    receive(e.observer, submission_xml(instance="uuid:a", overall="good"))
    receive(partner, submission_xml(instance="uuid:b", overall="bad"))
    page = cast.client(cast.mona).get(f"/elections/{e.mission.code}/conflicts/")
    assert page.status_code == 200 and "uuid:b" in page.content.decode()
    assert cast.client(e.observer).get(
        f"/elections/{e.mission.code}/conflicts/").status_code == 403
    assert cast.client(cast.alice).get(
        f"/elections/{e.mission.code}/conflicts/").status_code == 404
    _token, key = issue_api_token(cast.mona, "t")
    client = Client()
    listed = client.get(f"/api/v1/elections/missions/{e.mission.code}/conflicts",
                        HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert [c["instances"] for c in listed] == [["uuid:a", "uuid:b"]]
    wrong = client.post(f"/api/v1/elections/missions/{e.mission.code}/conflicts/resolve",
                        json.dumps({"form_id": "voting", "station_id": "P001", "team": "T01",
                                    "instance_id": "uuid:zzz"}),
                        content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert wrong.status_code == 422
    response = cast.client(cast.mona).post(f"/elections/{e.mission.code}/conflicts/", {
        "form_id": "voting", "station_id": "P001", "team": "T01", "instance_id": "uuid:a"})
    assert response.status_code == 302
    assert open_conflicts(e.mission) == []
