"""Idempotent writes: a retry of the same request gets the stored record, nothing new.

The rule every desk follows (decision 0021): a write is recognised by its key, either a key the
client sends (the monitoring desk's `client_id`, or an `Idempotency-Key` header on any API
write) or the record's own content (a request for a visit is the same request when everything
in it is the same). An identical retry is answered with what the first request stored and
stores nothing; content that differs under the same client key is a conflict naming the fields
that differ. Concurrent retries are settled by a unique constraint on the key: the loser reads
the winner's answer.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import SuspiciousOperation
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.http.response import HttpResponseBase
from django.utils.crypto import salted_hmac

from hofburg.core.api import problem
from hofburg.core.chain import payload_digest
from hofburg.core.models import IdempotentRequest

Record = TypeVar("Record")

_REPLAY = "_idempotent_replay"
_ABSENT = object()


def content_key(content: Mapping[str, Any]) -> str:
    """A record's content as a key: the SHA-256 of its canonical JSON (dates as ISO text)."""
    return payload_digest(content)


def differing_fields(stored: Mapping[str, Any], submitted: Mapping[str, Any]) -> list[str]:
    """The names whose values differ between two contents, sorted; [] when they are the same."""
    return sorted(name for name in stored.keys() | submitted.keys()
                  if stored.get(name, _ABSENT) != submitted.get(name, _ABSENT))


def as_replay(record: Record) -> Record:
    """Mark `record` as the answer to a retry: it was stored before, by the first request."""
    setattr(record, _REPLAY, True)
    return record


def is_replay(record: object) -> bool:
    """True when a service answered with a record stored by an earlier identical request."""
    return bool(getattr(record, _REPLAY, False))


# -- the Idempotency-Key header ----------------------------------------------------------------

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
API_PREFIX = "/api/"
KEY_HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"


class IdempotencyKeyMiddleware:
    """Honour an `Idempotency-Key` header on every API write.

    The first request under a key runs in one transaction that also claims the key, and a
    successful answer is kept with it. A retry under the same key with the same request gets
    the kept answer as it was (status and body, with `Idempotent-Replayed: true`), even while
    the first is still running: it waits on the claim's unique constraint. The same key with
    another request is a 409 naming the fields that differ. An answer that is not a success is
    not kept, so a refused request may be corrected and sent again under its key. Keys belong
    to the caller's credentials (the SHA-256 of the Authorization header); a write without one
    is refused by the API anyway. The request itself is kept only as keyed digests (of the
    whole and of each top-level field, a multipart form's files by their SHA-256), never its
    values: a name sent to the identity vault does not reach this table.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        key = request.headers.get(KEY_HEADER)
        authorization = request.headers.get("Authorization")
        if (key is None or authorization is None or request.method not in WRITE_METHODS
                or not request.path.startswith(API_PREFIX)):
            return self.get_response(request)
        if not 0 < len(key) <= 255:
            return problem(422, "Invalid request", f"{KEY_HEADER}: give 1 to 255 characters.",
                           request.path, field=KEY_HEADER)
        caller = hashlib.sha256(authorization.encode()).hexdigest()
        path = request.get_full_path()[:500]
        # A form is read as the endpoint reads it, its files streamed to their hashes: its
        # body is not held in memory, so an upload's size is not limited here. (Django reads
        # the form of a POST only; any other method's body is compared as it is.)
        form = request.method == "POST" and request.content_type == "multipart/form-data"
        fields = _form_fields(request) if form else _json_fields(request.body)
        digest = _keyed({"method": request.method, "path": path,
                         "body": fields if fields is not None else payload_digest(request.body)})
        sealed = None if fields is None else {name: _keyed({"value": value})
                                              for name, value in fields.items()}
        answered = IdempotentRequest.objects.filter(caller=caller, key=key).first()
        if answered is None:
            try:
                with transaction.atomic():
                    claim = IdempotentRequest.objects.create(
                        caller=caller, key=key, method=request.method, path=path,
                        request_digest=digest, fields=sealed, status=0, body=b"")
                    response = self.get_response(request)
                    if response.streaming or not 200 <= response.status_code < 300:
                        transaction.set_rollback(True)
                        return response
                    claim.status = response.status_code
                    claim.content_type = response.get("Content-Type", "")
                    claim.body = response.content  # type: ignore[attr-defined]
                    claim.save(update_fields=["status", "content_type", "body"])
                    return response
            except IntegrityError:
                # Another request under this key finished first: answer as its retry.
                answered = IdempotentRequest.objects.filter(caller=caller, key=key).first()
                if answered is None:
                    raise
        return _answer_again(request, answered, key, digest, sealed)


def _keyed(content: Mapping[str, Any]) -> str:
    """A digest of `content` keyed with the site's secret key: what a request held is compared
    on a retry without being kept, neither in clear nor as a digest against which a guess (a
    name sent to the identity vault) could be tested."""
    return salted_hmac(_SALT, payload_digest(content), algorithm="sha256").hexdigest()


_SALT = "hofburg.core.idempotency"


def _form_fields(request: HttpRequest) -> dict[str, Any]:
    """A multipart form's fields, each file as its SHA-256: a client library that sends its
    retry with another boundary sends the same request."""
    try:
        form, files = request.POST, request.FILES
    except (MultiPartParserError, SuspiciousOperation):
        return {}  # a form that does not parse: the endpoint refuses it, nothing is kept
    fields: dict[str, Any] = {name: form.getlist(name) for name in form}
    for name in files:
        digests = []
        for upload in files.getlist(name):
            hashed = hashlib.sha256()
            for chunk in upload.chunks():
                hashed.update(chunk)
            upload.seek(0)  # the endpoint reads it again
            digests.append(f"sha256:{hashed.hexdigest()}")
        fields[name] = digests
    return fields


def _json_fields(body: bytes) -> dict[str, Any] | None:
    """A JSON object body's top-level fields, or None for any other body."""
    try:
        parsed = json.loads(body) if body else None
    except ValueError:
        return None
    return parsed if isinstance(parsed, dict) else None


def _answer_again(request: HttpRequest, answered: IdempotentRequest, key: str, digest: str,
                  sealed: dict[str, str] | None) -> HttpResponseBase:
    if answered.request_digest != digest:
        elsewhere = ((answered.method, answered.path) != (request.method,
                                                          request.get_full_path()[:500]))
        if elsewhere:
            reason = f"it was used for {answered.method} {answered.path}"
        elif answered.fields is not None and sealed is not None:
            reason = f"{', '.join(differing_fields(answered.fields, sealed))} differ"
        else:
            reason = "the body differs"
        return problem(409, "Conflict", f"{KEY_HEADER} {key!r} was used for a different "
                                        f"request: {reason}.", request.path)
    response = HttpResponse(bytes(answered.body), status=answered.status,
                            content_type=answered.content_type)
    response[REPLAYED_HEADER] = "true"
    return response
