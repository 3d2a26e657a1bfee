"""The OpenRosa server as ODK Collect uses it: HTTP Basic, the form list, the XForm download,
the HEAD pre-flight and multipart submissions with retries."""

from __future__ import annotations

import base64
import re
import uuid
from typing import Any

import pytest
from defusedxml import ElementTree
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from time_machine import TimeMachineFixture

from hofburg.core import trust
from hofburg.elections.models import Attachment, Member, Submission
from tests.conftest import PASSWORD, Cast
from tests.elections.samples import eom, submission_xml

COLLECT = {"HTTP_X_OPENROSA_VERSION": "1.0", "HTTP_USER_AGENT":
           "org.odk.collect.android/v2024.3.1 Dalvik/2.1.0 (Linux; U; Android 14)"}
LIST_NS = "{http://openrosa.org/xforms/xformsList}"
RESPONSE_NS = "{http://openrosa.org/http/response}"


def basic(username: str, password: str = PASSWORD) -> dict[str, str]:
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}", **COLLECT}


def post_submission(client: Client, username: str, xml: bytes, password: str = PASSWORD,
                    **media: bytes) -> Any:
    parts: dict[str, Any] = {"xml_submission_file": SimpleUploadedFile(
        "submission.xml", xml, content_type="text/xml")}
    for name, content in media.items():
        parts[name] = SimpleUploadedFile(name, content, content_type="image/jpeg")
    return client.post("/openrosa/submission", parts, **basic(username, password))


def test_form_list_names_the_forms_of_the_callers_missions(cast: Cast) -> None:
    e = eom(cast)
    eom(cast, "OTHER-EOM", "voting-other")  # the observer is not on this one
    client = Client()
    response = client.get("/openrosa/formList", **basic(e.observer.username))
    assert response.status_code == 200
    assert response["X-OpenRosa-Version"] == "1.0"
    assert response["Content-Type"].startswith("text/xml")
    root = ElementTree.fromstring(response.content)
    forms = root.findall(f"{LIST_NS}xform")
    assert len(forms) == 1
    assert forms[0].findtext(f"{LIST_NS}formID") == "voting"
    assert forms[0].findtext(f"{LIST_NS}version") == "1"
    assert forms[0].findtext(f"{LIST_NS}hash") == f"md5:{e.form.md5}"
    url = forms[0].findtext(f"{LIST_NS}downloadUrl") or ""
    assert url.startswith("http://testserver/openrosa/forms/voting/1.xml")
    download = client.get(url.removeprefix("http://testserver"), **basic(e.observer.username))
    assert download.status_code == 200
    assert download["X-OpenRosa-Version"] == "1.0"
    assert download.content.decode() == e.form.xform
    assert re.search(r'<data[^>]* id="voting"[^>]* version="1"', e.form.xform)


def test_no_or_wrong_credentials_get_401_with_a_challenge_and_nothing_is_stored(
        cast: Cast) -> None:
    e = eom(cast)
    client = Client()
    for response in (client.get("/openrosa/formList", **COLLECT),
                     client.head("/openrosa/submission", **COLLECT),
                     post_submission(client, e.observer.username, submission_xml(), "wrong")):
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Basic realm=")
        assert response["X-OpenRosa-Version"] == "1.0"
    assert Submission.objects.count() == 0


def test_head_preflight_then_post_then_retry_is_one_record(cast: Cast) -> None:
    e = eom(cast)
    client = Client()
    head = client.head("/openrosa/submission", **basic(e.observer.username))
    assert head.status_code == 204
    assert int(head["X-OpenRosa-Accept-Content-Length"]) >= 1_000_000
    assert head["X-OpenRosa-Version"] == "1.0"
    instance = f"uuid:{uuid.uuid4()}"
    xml = submission_xml(instance=instance, overall="very_bad")
    first = post_submission(client, e.observer.username, xml, **{"protocol.jpg": b"\xff\xd8A"})
    assert first.status_code == 201
    assert first["X-OpenRosa-Version"] == "1.0"
    message = ElementTree.fromstring(first.content).find(f"{RESPONSE_NS}message")
    assert message is not None and message.get("nature") == "submit_success"
    # The answer was lost on the way back: Collect sends the same instance again.
    retry = post_submission(client, e.observer.username, xml, **{"protocol.jpg": b"\xff\xd8A"})
    assert retry.status_code == 201
    stored = Submission.objects.get()
    assert stored.instance_id == instance and stored.data["overall"] == "very_bad"
    assert stored.submitted_by == e.observer and stored.channel == "odk"
    assert "org.odk.collect.android" in stored.device
    assert Attachment.objects.filter(submission=stored).count() == 1
    changed = post_submission(client, e.observer.username,
                              submission_xml(instance=instance, overall="good"))
    assert changed.status_code == 409
    assert Submission.objects.get().data["overall"] == "very_bad"


def test_a_raw_multipart_body_as_collect_writes_it(cast: Cast) -> None:
    e = eom(cast)
    boundary = "----collect" + uuid.uuid4().hex
    xml = submission_xml(instance="uuid:raw-1")
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"xml_submission_file\"; "
            f"filename=\"Voting_2026-12-06.xml\"\r\nContent-Type: text/xml\r\n\r\n").encode() \
        + xml + f"\r\n--{boundary}--\r\n".encode()
    response = Client().generic("POST", "/openrosa/submission", body,
                                content_type=f"multipart/form-data; boundary={boundary}",
                                **basic(e.observer.username))
    assert response.status_code == 201
    assert Submission.objects.filter(instance_id="uuid:raw-1").exists()


def test_non_members_get_403_or_404_and_nothing_is_stored(cast: Cast) -> None:
    e = eom(cast)
    client = Client()
    hidden = post_submission(client, cast.alice.username, submission_xml())
    assert hidden.status_code == 404
    seen = post_submission(client, e.bystander.username, submission_xml())
    assert seen.status_code == 403
    assert client.get("/openrosa/forms/voting/1.xml",
                      **basic(cast.alice.username)).status_code == 404
    assert client.get("/openrosa/forms/voting/1.xml",
                      **basic(e.bystander.username)).status_code == 403
    listed = ElementTree.fromstring(
        client.get("/openrosa/formList", **basic(e.bystander.username)).content)
    assert listed.findall(f"{LIST_NS}xform") == []
    bad = client.post("/openrosa/submission", {}, **basic(e.observer.username))
    assert bad.status_code == 400
    assert Submission.objects.count() == 0


def test_basic_auth_shares_the_sign_in_limit(cast: Cast, clock: TimeMachineFixture) -> None:
    e = eom(cast)
    client = Client()
    for _ in range(10):
        assert client.get("/openrosa/formList",
                          **basic(e.observer.username, "guess")).status_code == 401
    refused = client.get("/openrosa/formList", **basic(e.observer.username))
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    clock.shift(61)
    assert client.get("/openrosa/formList", **basic(e.observer.username)).status_code == 200


def test_a_right_password_is_checked_once_then_remembered_until_it_changes(
        cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    from hofburg.elections import openrosa

    e = eom(cast)
    calls: list[str] = []
    real = openrosa.authenticate_with_limit

    def counting(request: Any, username: str, password: str) -> Any:
        calls.append(username)
        return real(request, username, password)

    monkeypatch.setattr(openrosa, "authenticate_with_limit", counting)
    client = Client()
    for _ in range(3):
        assert client.get("/openrosa/formList",
                          **basic(e.observer.username)).status_code == 200
    assert calls == [e.observer.username]
    assert client.get("/openrosa/formList",
                      **basic(e.observer.username, "other")).status_code == 401
    e.observer.set_password("new-password-for-the-observer")
    e.observer.save()
    assert client.get("/openrosa/formList", **basic(e.observer.username)).status_code == 401
    fresh = basic(e.observer.username, "new-password-for-the-observer")
    assert client.get("/openrosa/formList", **fresh).status_code == 200  # remembered now
    e.observer.is_active = False
    e.observer.save()
    assert client.get("/openrosa/formList", **fresh).status_code == 401


def test_a_membership_ended_in_this_process_stops_submissions_at_once(cast: Cast) -> None:
    """The sender's place on the mission is kept a few seconds (core.trust); ending it here
    is seen by the very next submission."""
    e = eom(cast)
    client = Client()
    first = post_submission(client, e.observer.username,
                            submission_xml(instance=f"uuid:{uuid.uuid4()}"))
    assert first.status_code == 201
    Member.objects.filter(user=e.observer).delete()
    refused = post_submission(client, e.observer.username,
                              submission_xml(instance=f"uuid:{uuid.uuid4()}"))
    assert refused.status_code == 403
    assert Submission.objects.count() == 1


def test_a_membership_ended_elsewhere_is_seen_once_the_trust_window_passes(
        cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    e = eom(cast)
    client = Client()
    assert post_submission(client, e.observer.username,
                           submission_xml(instance=f"uuid:{uuid.uuid4()}")).status_code == 201
    # As another server process would: a change this process hears nothing of.
    Member.objects.filter(user=e.observer).update(user=e.bystander)
    assert post_submission(client, e.observer.username,
                           submission_xml(instance=f"uuid:{uuid.uuid4()}")).status_code == 201
    now = trust.time.monotonic()
    monkeypatch.setattr(trust.time, "monotonic", lambda: now + 5.0)
    assert post_submission(client, e.observer.username,
                           submission_xml(instance=f"uuid:{uuid.uuid4()}")).status_code == 403
