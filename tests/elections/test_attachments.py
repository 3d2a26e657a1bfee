"""Photos and recordings sent with a submission: from ODK Collect over OpenRosa (one part per
file, split over several requests when they do not fit one) and from the web entry alike;
bounded in kind, size and number, stored once however often they are sent, and listed with
the submission for those who read raw submissions."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from hofburg.elections import bounds
from hofburg.elections.models import Attachment, Member, Submission
from tests.conftest import Cast
from tests.elections.samples import Eom, eom, submission_xml
from tests.elections.test_openrosa import basic

pytestmark = pytest.mark.django_db

JPEG = b"\xff\xd8\xff\xe0" + b"photo" * 20
M4A = b"\x00\x00\x00\x18ftypM4A " + b"sound" * 20


def _xml(instance: str, *names: str) -> bytes:
    """A submission whose answers name the files (as an image and an audio answer do)."""
    xml = submission_xml(instance=instance).decode()
    answers = "".join(f"<file{i}>{name}</file{i}>" for i, name in enumerate(names))
    return xml.replace("<meta>", answers + "<meta>").encode()


def _collect(client: Client, e: Eom, xml: bytes, files: dict[str, tuple[bytes, str]],
             incomplete: bool = False) -> Any:
    parts: dict[str, Any] = {"xml_submission_file": SimpleUploadedFile(
        "submission.xml", xml, content_type="text/xml")}
    for name, (content, kind) in files.items():
        parts[name] = SimpleUploadedFile(name, content, content_type=kind)
    if incomplete:
        parts["*isIncomplete*"] = "yes"
    return client.post("/openrosa/submission", parts, **basic(e.observer.username))


def test_collect_sends_a_photo_and_a_recording_and_retries_store_them_once(cast: Cast) -> None:
    e = eom(cast)
    client = Client()
    instance = f"uuid:{uuid.uuid4()}"
    xml = _xml(instance, "1765011111.jpg", "1765022222.m4a")
    # The recording does not fit the first request: Collect sends the rest in a second one.
    first = _collect(client, e, xml, {"1765011111.jpg": (JPEG, "image/jpeg")}, incomplete=True)
    assert first.status_code == 201
    second = _collect(client, e, xml, {"1765022222.m4a": (M4A, "application/octet-stream")})
    assert second.status_code == 201
    # The answer to the second was lost: Collect sends both again.
    again = _collect(client, e, xml, {"1765011111.jpg": (JPEG, "image/jpeg"),
                                      "1765022222.m4a": (M4A, "audio/mp4")})
    assert again.status_code == 201
    stored = Submission.objects.get()
    files = {a.name: (a.content_type, bytes(a.content)) for a in stored.attachments.all()}
    assert files == {"1765011111.jpg": ("image/jpeg", JPEG),
                     "1765022222.m4a": ("audio/mp4", M4A)}


@pytest.mark.parametrize(("name", "content", "why"), [
    ("notes.exe", b"MZ" * 10, "only photos and sound recordings"),
    ("page.html", b"<script>alert(1)</script>", "only photos and sound recordings"),
    ("big.jpg", b"\xff" * (bounds.MAX_ATTACHMENT_BYTES + 1), "larger than 5 MB"),
    ("empty.jpg", b"", "empty"),
    ("noextension", b"\xff\xd8", "only photos and sound recordings"),
])
def test_a_file_out_of_bounds_refuses_the_submission_and_stores_nothing(
        cast: Cast, name: str, content: bytes, why: str) -> None:
    e = eom(cast)
    response = _collect(Client(), e, _xml("uuid:bounded", name),
                        {name: (content, "image/jpeg")})
    assert response.status_code == 400
    assert why in response.content.decode()
    assert Submission.objects.count() == 0 and Attachment.objects.count() == 0


def test_no_more_files_than_the_bound_over_all_requests(cast: Cast) -> None:
    e = eom(cast)
    client = Client()
    names = [f"p{i}.jpg" for i in range(bounds.MAX_ATTACHMENTS + 1)]
    xml = _xml("uuid:many", *names)
    too_many = _collect(client, e, xml, dict.fromkeys(names, (JPEG, "image/jpeg")))
    assert too_many.status_code == 400 and Submission.objects.count() == 0
    first = _collect(client, e, xml, dict.fromkeys(names[:-1], (JPEG, "image/jpeg")))
    assert first.status_code == 201
    last = _collect(client, e, xml, {names[-1]: (JPEG, "image/jpeg")})
    assert last.status_code == 400
    assert Attachment.objects.count() == bounds.MAX_ATTACHMENTS


def test_the_web_entry_sends_files_as_collect_does_idempotently(cast: Cast) -> None:
    e = eom(cast)
    client = Client(enforce_csrf_checks=False)
    client.force_login(e.observer)
    address = f"/elections/{e.mission.code}/forms/{e.form.form_id}/{e.form.version}/submission"
    xml = _xml("uuid:web-1", "photo-9_30_12.jpg")
    body = {"xml_submission_file": SimpleUploadedFile("submission.xml", xml, "text/xml"),
            "photo-9_30_12.jpg": SimpleUploadedFile("photo-9_30_12.jpg", JPEG, "image/jpeg")}
    first = client.post(address, body)
    assert first.status_code == 201
    assert first.json()["files"] == ["photo-9_30_12.jpg"]
    body = {"xml_submission_file": SimpleUploadedFile("submission.xml", xml, "text/xml"),
            "photo-9_30_12.jpg": SimpleUploadedFile("photo-9_30_12.jpg", JPEG, "image/jpeg")}
    retry = client.post(address, body)
    assert retry.status_code == 201 and retry.json()["created"] is False
    assert Attachment.objects.count() == 1
    wrong = client.post(address, {
        "xml_submission_file": SimpleUploadedFile("submission.xml", _xml("uuid:web-2", "x.svg"),
                                                  "text/xml"),
        "x.svg": SimpleUploadedFile("x.svg", b"<svg/>", "image/svg+xml")})
    assert wrong.status_code == 422
    assert wrong["Content-Type"] == "application/problem+json"
    assert "only photos and sound recordings" in wrong.json()["detail"]
    assert not Submission.objects.filter(instance_id="uuid:web-2").exists()


def test_files_are_listed_with_the_submission_for_those_who_read_submissions(
        cast: Cast) -> None:
    e = eom(cast)
    _collect(Client(), e, _xml("uuid:listed", "protocol.jpg"),
             {"protocol.jpg": (JPEG, "image/jpeg")})
    analyst = Client()
    analyst.force_login(e.manager)
    listing = analyst.get(f"/elections/{e.mission.code}/forms/{e.form.form_id}/submissions/")
    assert listing.status_code == 200
    page = listing.content.decode()
    address = f"/elections/{e.mission.code}/submissions/uuid:listed/files/protocol.jpg"
    assert address in page and "uuid:listed" in page
    download = analyst.get(address)
    assert download.status_code == 200
    assert download["Content-Type"] == "image/jpeg"
    assert download["Content-Disposition"].startswith("attachment;")
    assert download.content == JPEG
    exported = analyst.get(f"/elections/{e.mission.code}/forms/{e.form.form_id}.csv")
    header, row = exported.content.decode("utf-8-sig").splitlines()[:2]
    assert header.endswith(",attachments") and row.endswith(",protocol.jpg")
    api = analyst.get(f"/api/v1/elections/forms/{e.form.form_id}/submissions").json()
    assert api["rows"][0][api["columns"].index("attachments")] == "protocol.jpg"
    assert analyst.get(address.replace("protocol.jpg", "other.jpg")).status_code == 404

    # An observer on the mission sees the mission but not others' raw submissions: 403.
    observer = Client()
    observer.force_login(e.observer)
    assert observer.get(address).status_code == 403
    assert observer.get(f"/elections/{e.mission.code}/forms/{e.form.form_id}/submissions/"
                        ).status_code == 403
    # Someone who may not see the mission: as if it did not exist.
    stranger = Client()
    stranger.force_login(cast.alice)
    assert stranger.get(address).status_code == 404
    assert stranger.get(address.replace(e.mission.code, "NO-SUCH-EOM")).status_code == 404
    assert Member.objects.filter(user=cast.alice).count() == 0
