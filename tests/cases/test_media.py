"""Media-freedom alerts on the database: code lists and their mapping, replies, the log."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from hofburg.cases.services import media
from hofburg.core.access import AccessDenied
from hofburg.core.errors import Conflict, Invalid
from tests.cases.conftest import Scene

BASE = media.AlertRecord(country="XE", submitted_on=date(2024, 6, 1),
                         violations=["physical.killed"], perpetrator_type="unknown",
                         media_actor_type="camera operator", severity="critical",
                         partner="Exercise Press Union", summary="s")


def test_an_alert_takes_its_coe_categories_from_the_mapping(scene: Scene) -> None:
    assert scene.public_alert.coe_categories == ["detention", "harassment"]
    alert = media.create_alert(scene.erin, BASE)
    assert alert.coe_categories == ["physical_safety"] and alert.severity == "critical"


@pytest.mark.parametrize(("change", "field"), [
    ({"violations": ["physical.stabbed"]}, "violations"),
    ({"violations": []}, "violations"),
    ({"severity": "level 9"}, "severity"),
    ({"perpetrator_type": "aliens"}, "perpetrator_type"),
    ({"country": "XEX"}, "country"),
    ({"occurred_on": date(2024, 6, 2)}, "occurred_on"),
    ({"summary": " "}, "summary"),
])
def test_a_bad_alert_is_refused_naming_the_field(scene: Scene, change: dict[str, object],
                                                 field: str) -> None:
    with pytest.raises(Invalid) as refused:
        media.create_alert(scene.erin, replace(BASE, **change))  # type: ignore[arg-type]
    assert refused.value.field == field


def test_naming_a_person_needs_a_grant(scene: Scene) -> None:
    with pytest.raises(AccessDenied):
        media.create_alert(scene.cast.bob, replace(BASE, person=scene.person))


def test_replies_and_follow_ups_are_kept_by_the_owner(scene: Scene) -> None:
    alert = scene.public_alert
    with pytest.raises(Conflict):
        media.record_state_reply(scene.erin, alert, received_on=date(2024, 7, 1),
                                 text="the State replied")
    with pytest.raises(Invalid):
        media.record_state_reply(scene.erin, alert, received_on=date(2024, 5, 1), text="early")
    with pytest.raises(AccessDenied):
        media.add_follow_up(scene.cast.bob, alert, on=date(2024, 8, 1), note="x")
    media.add_follow_up(scene.erin, alert, on=date(2024, 8, 1), note="second")
    assert [f.note for f in alert.follow_ups.all()] == ["followup-marker", "second"]
