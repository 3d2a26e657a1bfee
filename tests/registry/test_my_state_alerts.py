"""My State's alerts card (decision 0072): the drafts under silence a delegation may still
break, and the media-freedom alerts about its State awaiting its reply — counted and listed only
as far as the member may see them, the card timed by the newest visible one."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from time_machine import TimeMachineFixture

from hofburg.cases.models import Alert, StateReply
from hofburg.core import alerts
from hofburg.core.models import Affiliation, Classification
from hofburg.decisions.models import Draft
from tests.conftest import Cast
from tests.registry.factories import Osce, create_osce
from tests.registry.test_my_state import NOTHING, card, home, moment

NOW = datetime(2026, 12, 8, 9, 0, tzinfo=UTC)


@pytest.fixture
def osce(db: None, time_machine: TimeMachineFixture) -> Osce:
    time_machine.move_to(NOW, tick=False)
    return create_osce()


def _under_silence(number: int, *, expires: datetime,
                   classification: str = Classification.PUBLIC,
                   owner: Affiliation | None = None) -> Draft:
    return Draft.objects.create(
        body="PC", number=number, year=2026, symbol=f"PC.DD/{number}/26",
        title=f"Draft decision {number}", status=Draft.Status.UNDER_SILENCE,
        silence_placed_at=expires - timedelta(days=7), silence_expires_at=expires,
        classification=classification, owner_affiliation=owner)


def _alert(alert_id: str, *, country: str = "AT",
           classification: str = Classification.PUBLIC) -> Alert:
    return Alert.objects.create(
        alert_id=alert_id, country=country, submitted_on=date(2026, 11, 2),
        perpetrator_type="unknown", media_actor_type="journalist", severity="high",
        partner="Exercise Press Union", summary="alert-summary-marker",
        classification=classification, is_exercise=True)


def test_a_draft_under_silence_is_an_alert_until_it_expires(
        osce: Osce, cast: Cast, time_machine: TimeMachineFixture) -> None:
    seen = _under_silence(1, expires=NOW + timedelta(days=3))
    _under_silence(2, expires=NOW - timedelta(hours=1))  # expired: adopted, no longer an alert
    time_machine.move_to(NOW + timedelta(minutes=30), tick=False)
    _under_silence(3, expires=NOW + timedelta(days=2), owner=cast.finland,
                   classification=Classification.CONFIDENTIAL)  # hidden from Austria
    time_machine.move_to(NOW + timedelta(hours=1), tick=False)

    found = card(home(cast.client(cast.alice)), "alerts")
    assert "Drafts under silence <span class=\"muted\">(1)</span>" in found
    assert (f'href="/decisions/drafts/{seen.pk}/" translate="no">PC.DD/1/26 — Draft decision 1'
            '</a>') in found
    assert "under silence until 11 December 2026, 10:00 CET: an objection or an amendment " \
           "in writing before then breaks it" in found
    assert "PC.DD/2/26" not in found and "PC.DD/3/26" not in found
    assert moment(NOW) in found  # not the hidden draft's later time

    # Finland's delegation, to whom the confidential draft belongs, counts it.
    finnish = alerts.for_state(cast.bob, "FI", timezone.now())
    assert [group.raised.total for group in finnish] == [2]


def test_an_alert_about_the_state_awaits_its_reply(osce: Osce, cast: Cast) -> None:
    _alert("MF-AWAIT")
    answered = _alert("MF-ANSWERED")
    StateReply.objects.create(alert=answered, received_on=date(2026, 11, 9), text="Replied.")
    _alert("MF-FINLAND", country="FI")
    _alert("MF-RESTRICTED", classification=Classification.RESTRICTED)  # behind the 2nd factor

    found = card(home(cast.client(cast.alice)), "alerts")
    assert "Media-freedom alerts awaiting your State&#x27;s reply <span class=\"muted\">(1)" \
        in found
    assert 'href="/cases/media-freedom/MF-AWAIT/" translate="no">MF-AWAIT</a>' in found
    assert "media-freedom alert submitted on 2 November 2026: no reply of the State recorded" \
        in found
    for hidden in ("MF-ANSWERED", "MF-FINLAND", "MF-RESTRICTED", "alert-summary-marker"):
        assert hidden not in found
    # An alert carries no time that may leave the desk: the card says so rather than guess.
    assert "Last updated: not recorded" in found
    assert '<span class="tag exercise">exercise</span>' in found

    # Past the second factor, she reads the desk as its own pages answer her.
    verified = cast.client(cast.alice)
    device = TOTPDevice.objects.create(user=cast.alice, name="test", confirmed=True)
    session = verified.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    found = card(home(verified), "alerts")
    assert "MF-RESTRICTED" in found and "(2)" in found


def test_no_alert_is_said_so(osce: Osce, cast: Cast) -> None:
    found = card(home(cast.client(cast.alice)), "alerts")
    assert "No desk raises an alert for your State in the records visible to you." in found
    assert NOTHING in found


def test_a_desk_lists_a_few_and_links_to_them_all(osce: Osce, cast: Cast) -> None:
    for number in range(1, alerts.ALERTS_PER_DESK + 3):
        _under_silence(number, expires=NOW + timedelta(days=number))
    found = card(home(cast.client(cast.alice)), "alerts")
    assert found.count("under silence until") == alerts.ALERTS_PER_DESK
    assert 'href="/decisions/?status=under_silence">All 7 of them</a>' in found
