"""Per-device tokens: a coordinator provisions ODK Collect by QR code, and the device talks
OpenRosa with the observer's username and the token in HTTP Basic, like Collect does (form
list, XForm download, HEAD pre-flight, multipart submission and its retry). Revoked, expired,
misnamed and guessed tokens get 401 and store nothing, through the same sign-in limiter."""

from __future__ import annotations

import base64
import json
import re
import zlib
from datetime import timedelta

import pytest
from defusedxml import ElementTree
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from time_machine import TimeMachineFixture

from hofburg.core.errors import Invalid
from hofburg.core.models import AuditEntry
from hofburg.elections.models import DeviceToken, Member, Submission
from hofburg.elections.services.devices import (
    CollectSettings,
    hash_token,
    issue_device_token,
    qr_svg_path,
    revoke_device_token,
)
from tests.conftest import Cast
from tests.elections.samples import Eom, eom, submission_xml

pytestmark = pytest.mark.django_db
COLLECT_AGENT = "org.odk.collect.android/v2024.3.1 Dalvik/2.1.0 (Linux; U; Android 14)"
LIST_NS = "{http://openrosa.org/xforms/xformsList}"
RESPONSE_NS = "{http://openrosa.org/http/response}"


def collect(username: str, secret: str) -> dict[str, str]:
    """The headers ODK Collect sends with a configured server."""
    token = base64.b64encode(f"{username}:{secret}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}", "HTTP_X_OPENROSA_VERSION": "1.0",
            "HTTP_USER_AGENT": COLLECT_AGENT, "HTTP_ACCEPT_ENCODING": "gzip,deflate",
            "HTTP_DATE": "Mon, 07 Dec 2026 08:00:00 GMT"}


def submit(client: Client, headers: dict[str, str], xml: bytes, **media: bytes) -> object:
    parts: dict[str, object] = {"xml_submission_file": SimpleUploadedFile(
        "Voting_2026-12-06_09-15-00.xml", xml, content_type="text/xml")}
    for name, content in media.items():
        parts[name] = SimpleUploadedFile(name, content, content_type="image/jpeg")
    return client.post("/openrosa/submission?deviceID=", parts, **headers)


@pytest.fixture
def world(cast: Cast) -> Eom:
    return eom(cast)


def test_a_token_is_random_stored_hashed_and_audited(world: Eom) -> None:
    token, secret = issue_device_token(world.manager, world.mission, world.observer,
                                       "T01 phone", 14)
    other, second = issue_device_token(world.manager, world.mission, world.observer,
                                       "T01 phone 2", 14)
    assert secret != second and len(secret) > 40
    assert token.key_hash == hash_token(secret) and secret not in token.key_hash
    assert not DeviceToken.objects.filter(key_hash=secret).exists()
    assert AuditEntry.objects.filter(action="device").count() == 2
    assert secret not in json.dumps(list(AuditEntry.objects.values("before", "after")),
                                    default=str)
    assert other.expires_at - token.expires_at < timedelta(seconds=5)


@pytest.mark.parametrize(("label", "days", "field"), [
    ("", 14, "label"), ("x" * 101, 14, "label"), ("phone", 0, "days"), ("phone", 91, "days")])
def test_bad_token_requests_are_refused(world: Eom, label: str, days: int, field: str) -> None:
    with pytest.raises(Invalid) as refusal:
        issue_device_token(world.manager, world.mission, world.observer, label, days)
    assert refusal.value.field == field
    with pytest.raises(Invalid):  # not on the mission
        issue_device_token(world.manager, world.mission, world.bystander, "phone", 14)
    assert not DeviceToken.objects.exists()


def test_collect_settings_are_compressed_json_in_base64() -> None:
    payload = CollectSettings("https://eom.example/openrosa", "sto-1", "hbd_secret",
                              "EXERCISE-EOM").payload()
    settings = json.loads(zlib.decompress(base64.b64decode(payload)))
    assert settings["general"] == {"server_url": "https://eom.example/openrosa",
                                   "username": "sto-1", "password": "hbd_secret"}
    assert settings["project"] == {"name": "EXERCISE-EOM"}
    size, path = qr_svg_path(payload)
    assert size >= 21 + 8 and re.fullmatch(r"(M\d+ \d+h\d+v1h-\d+z)+", path)


def test_collect_with_a_device_token_lists_downloads_and_submits_once(world: Eom) -> None:
    _token, secret = issue_device_token(world.manager, world.mission, world.observer,
                                        "T01 phone", 14)
    client, headers = Client(), collect(world.observer.username, secret)
    listed = client.get("/openrosa/formList", **headers)
    assert listed.status_code == 200 and listed["X-OpenRosa-Version"] == "1.0"
    forms = ElementTree.fromstring(listed.content).findall(f"{LIST_NS}xform")
    assert [f.findtext(f"{LIST_NS}formID") for f in forms] == ["voting"]
    url = (forms[0].findtext(f"{LIST_NS}downloadUrl") or "").removeprefix("http://testserver")
    assert client.get(url, **headers).content.decode() == world.form.xform
    preflight = client.head("/openrosa/submission", **headers)
    assert preflight.status_code == 204
    assert preflight["X-OpenRosa-Accept-Content-Length"] == str(10 * 2**20)
    xml = submission_xml(instance="uuid:token-1")
    first = submit(client, headers, xml, **{"protocol.jpg": b"\xff\xd8photo"})
    assert first.status_code == 201  # type: ignore[attr-defined]
    message = ElementTree.fromstring(first.content)  # type: ignore[attr-defined]
    assert message.find(f"{RESPONSE_NS}message").get("nature") == "submit_success"
    retry = submit(client, headers, xml, **{"protocol.jpg": b"\xff\xd8photo"})
    assert retry.status_code == 201  # type: ignore[attr-defined]
    stored = Submission.objects.get()
    assert (stored.submitted_by, stored.device, stored.channel) == (
        world.observer, "T01 phone", "odk")
    assert stored.attachments.count() == 1
    assert DeviceToken.objects.get().last_used_at is not None


def test_a_revoked_token_gets_401_and_stores_nothing(world: Eom) -> None:
    token, secret = issue_device_token(world.manager, world.mission, world.observer,
                                       "T01 phone", 14)
    revoke_device_token(world.manager, world.mission, token.pk)
    client, headers = Client(), collect(world.observer.username, secret)
    for response in (client.get("/openrosa/formList", **headers),
                     client.head("/openrosa/submission", **headers),
                     submit(client, headers, submission_xml())):
        assert response.status_code == 401  # type: ignore[attr-defined]
        assert response["WWW-Authenticate"].startswith("Basic")  # type: ignore[index]
        assert response["X-OpenRosa-Version"] == "1.0"  # type: ignore[index]
    assert Submission.objects.count() == 0


def test_an_expired_token_gets_401_and_stores_nothing(world: Eom,
                                                     clock: TimeMachineFixture) -> None:
    _token, secret = issue_device_token(world.manager, world.mission, world.observer,
                                        "T01 phone", 1)
    client, headers = Client(), collect(world.observer.username, secret)
    assert client.head("/openrosa/submission", **headers).status_code == 204
    clock.shift(24 * 3600 + 1)
    assert submit(client, headers, submission_xml()).status_code == 401  # type: ignore[attr-defined]
    assert Submission.objects.count() == 0


def test_a_token_signs_in_only_its_observer_on_its_mission(cast: Cast, world: Eom) -> None:
    other = eom(cast, "OTHER-EOM", "voting-other")
    Member.objects.create(mission=other.mission, user=world.observer, role="sto", team="T09")
    _token, secret = issue_device_token(world.manager, world.mission, world.observer,
                                        "T01 phone", 14)
    client = Client()
    # Another account's name with this token: refused.
    assert client.get("/openrosa/formList", **collect(world.bystander.username,
                                                     secret)).status_code == 401
    headers = collect(world.observer.username, secret)
    listed = client.get("/openrosa/formList", **headers).content.decode()
    assert "<formID>voting</formID>" in listed and "voting-other" not in listed
    assert client.get("/openrosa/forms/voting-other/1.xml", **headers).status_code == 404
    refused = submit(client, headers, submission_xml("voting-other"))
    assert refused.status_code == 404  # type: ignore[attr-defined]
    # Removed from the mission, the token's observer can no longer submit to it.
    Member.objects.filter(mission=world.mission, user=world.observer).delete()
    assert submit(client, headers, submission_xml()).status_code == 403  # type: ignore[attr-defined]
    assert Submission.objects.count() == 0


def test_guessed_tokens_share_the_sign_in_limit(world: Eom, clock: TimeMachineFixture) -> None:
    _token, secret = issue_device_token(world.manager, world.mission, world.observer,
                                        "T01 phone", 14)
    client = Client()
    for attempt in range(10):
        guess = collect(world.observer.username, f"hbd_guess{attempt}")
        assert client.get("/openrosa/formList", **guess).status_code == 401
    refused = client.get("/openrosa/formList", **collect(world.observer.username, secret))
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    clock.shift(61)
    assert client.get("/openrosa/formList",
                      **collect(world.observer.username, secret)).status_code == 200


def test_the_page_issues_shows_the_qr_code_once_and_revokes(cast: Cast, world: Eom) -> None:
    client = cast.client(world.manager)
    url = f"/elections/{world.mission.code}/devices/"
    issued = client.post(url, {"observer": world.observer.username, "label": "T01 phone",
                               "days": "14"})
    html = issued.content.decode()
    assert issued.status_code == 200 and issued["Cache-Control"] == "private, no-store"
    secret = re.search(r'id="issued-secret">(hbd_[^<]+)<', html).group(1)  # type: ignore[union-attr]
    token = DeviceToken.objects.get()
    assert token.key_hash == hash_token(secret)
    payload = CollectSettings("http://testserver/openrosa", world.observer.username, secret,
                              world.mission.code).payload()
    assert f'd="{qr_svg_path(payload)[1]}"' in html
    listing = client.get(url).content.decode()
    assert "T01 phone" in listing and secret not in listing and "<svg" not in listing
    assert Client().get("/openrosa/formList",
                        **collect(world.observer.username, secret)).status_code == 200
    assert client.post(url, {"revoke": str(token.pk)}).status_code == 302
    assert Client().get("/openrosa/formList",
                        **collect(world.observer.username, secret)).status_code == 401
    assert client.post(url, {"revoke": str(token.pk)}).status_code == 400
    bad = client.post(url, {"observer": world.observer.username, "label": "", "days": "14"})
    assert bad.status_code == 400 and DeviceToken.objects.count() == 1


def test_the_page_is_for_the_core_team(cast: Cast, world: Eom) -> None:
    url = f"/elections/{world.mission.code}/devices/"
    for user in (world.observer, world.bystander):
        client = cast.client(user)
        assert client.get(url).status_code == 403
        assert client.post(url, {"observer": world.observer.username, "label": "x",
                                 "days": "14"}).status_code == 403
    for user in (None, cast.alice, cast.nick):
        assert cast.client(user).get(url).status_code == 404
    assert not DeviceToken.objects.exists()
