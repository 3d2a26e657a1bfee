"""Photos of observations (decision 0058): stored without their location unless the monitor keeps
it, with the SHA-256 of what is stored; bounded on the server as on the device; stored once
however often they arrive; shown only to those who may see the observation (404 for others)."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from hofburg.core.models import AuditEntry, Classification
from hofburg.monitoring import bounds
from hofburg.monitoring.intake.photos import attach_photo
from hofburg.monitoring.intake.submit import submit_observation
from hofburg.monitoring.models import Observation, ObservationPhoto
from tests.concurrency import at_once, own_connections
from tests.conftest import Cast
from tests.monitoring.engine.test_photos import GPS_IFD, LATITUDE, jpeg_with_gps
from tests.monitoring.rows import row

UPLOAD = "/monitoring/observations/submit/photo/"


def _observation(cast: Cast, client_id: str = "phone-photo-1",
                 classification: str | None = None) -> Observation:
    data = {k: v for k, v in row(f"PH-{client_id}").items() if v != ""}
    return submit_observation(cast.mona, data, client_id=client_id,
                              classification=classification)[0]


def _upload(client: Client, content: bytes, *, client_id: str = "phone-photo-1",
            name: str = "IMG_0001.jpg", keep: bool = False) -> Any:
    return client.post(UPLOAD, {
        "client_id": client_id, "keep_location": "true" if keep else "false",
        "photo": SimpleUploadedFile(name, content, content_type="image/jpeg")})


def _gps(content: bytes) -> dict[int, Any]:
    return dict(Image.open(io.BytesIO(content)).getexif().get_ifd(GPS_IFD))


def _other_jpeg(shade: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (16, 16), (shade, 10, 10)).save(out, "JPEG")
    return out.getvalue()


@pytest.mark.django_db
def test_a_photo_is_stored_without_its_gps_with_the_sha256_of_what_is_stored(cast: Cast) -> None:
    observation = _observation(cast)
    taken = jpeg_with_gps()

    response = _upload(cast.client(cast.mona), taken)

    assert response.status_code == 201
    photo = ObservationPhoto.objects.get()
    stored = bytes(photo.content)
    assert photo.observation == observation
    assert _gps(stored) == {}
    assert stored != taken and len(stored) == len(taken)
    assert photo.sha256 == hashlib.sha256(stored).hexdigest() == response.json()["sha256"]
    assert photo.size == len(stored) and photo.content_type == "image/jpeg"
    assert (photo.location_kept, photo.removed, photo.added_by) == (False, "GPS", cast.mona)
    entry = AuditEntry.objects.get(model_label="monitoring.ObservationPhoto")
    assert entry.after is not None and entry.after["sha256"] == photo.sha256


@pytest.mark.django_db
def test_the_location_is_kept_when_the_monitor_asks(cast: Cast) -> None:
    _observation(cast)
    taken = jpeg_with_gps()

    response = _upload(cast.client(cast.mona), taken, keep=True)

    assert response.status_code == 201 and response.json()["location_kept"] is True
    photo = ObservationPhoto.objects.get()
    assert bytes(photo.content) == taken and _gps(bytes(photo.content))[2] == LATITUDE
    assert photo.sha256 == hashlib.sha256(taken).hexdigest()
    assert photo.location_kept and photo.removed == ""


@pytest.mark.django_db
def test_the_same_photo_sent_twice_is_stored_once(cast: Cast) -> None:
    _observation(cast)
    mona = cast.client(cast.mona)
    first = _upload(mona, jpeg_with_gps())
    again = _upload(mona, jpeg_with_gps(), name="IMG_0001 (1).jpg")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["photo_id"] == again.json()["photo_id"]
    assert again.json()["created"] is False
    assert ObservationPhoto.objects.count() == 1
    assert AuditEntry.objects.filter(model_label="monitoring.ObservationPhoto").count() == 1


@pytest.mark.django_db(transaction=True)
def test_copies_of_one_photo_arriving_at_once_store_it_once(cast: Cast, tmp_path: Path) -> None:
    _observation(cast)
    taken = jpeg_with_gps()
    with own_connections(tmp_path):
        answers = at_once(6, lambda: attach_photo(cast.mona, "phone-photo-1", "a.jpg", taken))
        assert at_once(1, ObservationPhoto.objects.count) == [1]
    assert sorted(created for _, created in answers) == [False] * 5 + [True]
    assert len({photo.pk for photo, _ in answers}) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(("content", "name", "reason"), [
    (b"", "empty.jpg", "empty"),
    (b"GIF89a" + b"\0" * 64, "not-really.jpg", "not a JPEG, PNG or WebP"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "drawing.svg", "not a JPEG, PNG or WebP"),
    (b"\xff\xd8\xff" + b"\0" * (bounds.MAX_PHOTO_BYTES - 2), "huge.jpg", "larger than 5 MB"),
    (jpeg_with_gps(), ".hidden.jpg", "Not a file name"),
])
def test_a_photo_out_of_bounds_is_refused_with_the_reason_and_nothing_is_stored(
        cast: Cast, content: bytes, name: str, reason: str) -> None:
    _observation(cast)
    response = _upload(cast.client(cast.mona), content, name=name)
    assert response.status_code == 400
    assert reason in response.json()["message"]
    assert ObservationPhoto.objects.count() == 0


@pytest.mark.django_db
def test_a_request_larger_than_one_photo_is_refused_before_it_is_read(cast: Cast) -> None:
    _observation(cast)
    response = cast.client(cast.mona).post(
        UPLOAD, {"client_id": "phone-photo-1"},
        CONTENT_LENGTH=str(bounds.MAX_PHOTO_REQUEST_BYTES + 1))
    assert response.status_code == 413
    assert ObservationPhoto.objects.count() == 0


@pytest.mark.django_db
def test_an_observation_takes_at_most_the_bound_of_photos(cast: Cast) -> None:
    _observation(cast)
    mona = cast.client(cast.mona)
    for shade in range(bounds.MAX_PHOTOS):
        assert _upload(mona, _other_jpeg(10 + 40 * shade)).status_code == 201
    response = _upload(mona, _other_jpeg(250))
    assert response.status_code == 400
    assert f"At most {bounds.MAX_PHOTOS} photos" in response.json()["message"]
    assert ObservationPhoto.objects.count() == bounds.MAX_PHOTOS
    # A retry of one already stored is still answered as such.
    assert _upload(mona, _other_jpeg(10)).status_code == 200


@pytest.mark.django_db
def test_only_the_monitor_who_sent_the_record_adds_its_photos(cast: Cast) -> None:
    _observation(cast)
    photo = jpeg_with_gps()
    assert _upload(Client(), photo).status_code == 401
    assert _upload(cast.client(cast.alice), photo).status_code == 403  # not a monitor
    assert _upload(cast.client(cast.mona), photo, client_id="not-sent-yet").status_code == 404
    assert ObservationPhoto.objects.count() == 0


@pytest.mark.django_db
def test_readers_of_the_observation_see_its_photos_and_others_get_404(cast: Cast) -> None:
    observation = _observation(cast, classification=Classification.CONFIDENTIAL)
    _upload(cast.client(cast.mona), jpeg_with_gps())
    photo = ObservationPhoto.objects.get()
    address = f"/monitoring/observations/{observation.pk}/photos/{photo.pk}/"

    mona = cast.client(cast.mona)
    shown = mona.get(address)
    assert shown.status_code == 200 and shown["Content-Type"] == "image/jpeg"
    assert shown.content == bytes(photo.content)
    assert shown["Content-Disposition"].startswith("inline")
    assert mona.get(address + "?download")["Content-Disposition"].startswith("attachment")
    page = mona.get(f"/monitoring/observations/{observation.pk}/").content.decode()
    assert address in page and photo.sha256 in page
    assert observation.event is not None
    event_page = mona.get(f"/monitoring/events/{observation.event.pk}/").content.decode()
    assert address in event_page

    # Confidential to the mission: a delegation, a user without affiliation and a visitor get
    # what they get for an observation that does not exist.
    for reader in (cast.alice, cast.nick, None):
        assert cast.client(reader).get(address).status_code == 404
        assert cast.client(reader).get(
            f"/monitoring/observations/{observation.pk}/photos/{photo.pk + 1000}/"
        ).status_code == 404
    # A photo asked for under another observation is not found either.
    other = _observation(cast, client_id="phone-photo-2")
    assert mona.get(f"/monitoring/observations/{other.pk}/photos/{photo.pk}/").status_code == 404


@pytest.mark.django_db
def test_a_restricted_observation_s_photos_are_for_the_entitled(cast: Cast) -> None:
    observation = _observation(cast)
    _upload(cast.client(cast.mona), jpeg_with_gps())
    photo = ObservationPhoto.objects.get()
    address = f"/monitoring/observations/{observation.pk}/photos/{photo.pk}/"
    assert cast.client(cast.alice).get(address).status_code == 200  # a delegation reads it
    assert Client().get(address).status_code == 404
