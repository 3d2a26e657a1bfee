"""The OpenRosa server ODK Collect and Enketo talk to: `<site>/openrosa/` is the server URL.

- `GET formList`: the forms of the missions the caller is on (newest version of each), with
  `formID`, `version`, `hash` (`md5:`) and `downloadUrl`;
- `GET forms/<form_id>/<version>.xml`: the XForm;
- `HEAD submission`: 204 with `X-OpenRosa-Accept-Content-Length` (the client's pre-flight);
- `POST submission`: multipart with `xml_submission_file` and media parts; 201 with an
  `OpenRosaResponse` message, for a first submission and for a client's retry alike (the
  store is idempotent on `meta/instanceID`).

Every request signs in with HTTP Basic and a Hofburg account, through the one sign-in limiter
(`core.signin`): no credentials or a wrong password get 401 with `WWW-Authenticate`, too many
failures 429. Checking a password costs about half a second of CPU on purpose (PBKDF2), and
Collect sends the credentials with every request; so a credential that was right is
remembered for `CREDENTIAL_TTL` seconds under a keyed hash (HMAC with the site's secret key,
never the password itself), tied to the account's current password hash: a changed password or
a deactivated account is not let in by the memory. The limiter is still asked on every request.
A device provisioned by QR code signs in with the observer's username and a per-device token
(`services.devices`) in place of the password: checked through the same limiter, never
remembered (one indexed lookup), and opening only the token's mission; an unknown, expired or
revoked token is a 401 like a wrong password. A form whose mission the caller may not see is
404, one they see but are not on 403; a refused request stores nothing. Every answer carries
`X-OpenRosa-Version: 1.0`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from xml.sax.saxutils import escape

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from hofburg.core.errors import Invalid, NotFound, ServiceError
from hofburg.core.models import User
from hofburg.core.signin import (
    SignInRefused,
    authenticate_with_limit,
    check_sign_in,
    record_failed_sign_in,
)
from hofburg.core.trust import Trusted, UserRow, user_from_row, user_row
from hofburg.elections import bounds, permissions
from hofburg.elections.models import Form, Mission, Submission
from hofburg.elections.queries import forms_for
from hofburg.elections.services.devices import device_token_for, is_device_token
from hofburg.elections.services.submissions import Media, form_for_submission, receive

OPENROSA_VERSION = "1.0"
REALM = 'Basic realm="Hofburg OpenRosa", charset="UTF-8"'
XML = "text/xml; charset=utf-8"
CREDENTIAL_TTL = 300  # seconds a right password is remembered (see the module's docstring)
# The account row of a remembered credential, as read in the last few seconds (core.trust).
_signed_in_lately: Trusted[str, UserRow] = Trusted()


def _answer(body: str, status: int = 200, content_type: str = XML) -> HttpResponse:
    response = HttpResponse(body, status=status, content_type=content_type)
    response["X-OpenRosa-Version"] = OPENROSA_VERSION
    return response


def _message(text: str, status: int, nature: str = "") -> HttpResponse:
    kind = f' nature="{nature}"' if nature else ""
    return _answer('<?xml version="1.0" encoding="UTF-8"?>'
                   '<OpenRosaResponse xmlns="http://openrosa.org/http/response">'
                   f"<message{kind}>{escape(text)}</message></OpenRosaResponse>", status)


def _challenge(text: str = "Sign in with your Hofburg account.") -> HttpResponse:
    response = _message(text, 401)
    response["WWW-Authenticate"] = REALM
    return response


def _signed_in(request: HttpRequest) -> AbstractBaseUser | HttpResponse:
    """The account the request's HTTP Basic credentials name, or the answer refusing it."""
    header = str(request.META.get("HTTP_AUTHORIZATION", ""))
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic" or not encoded.strip():
        return _challenge()
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return _challenge("Malformed credentials.")
    username, colon, password = decoded.partition(":")
    if not colon or not username:
        return _challenge("Malformed credentials.")
    if is_device_token(password):
        return _device_signed_in(request, username, password)
    key = "hofburg.openrosa.credential:" + hmac.new(
        settings.SECRET_KEY.encode(), f"{username}\0{password}".encode(), hashlib.sha256
    ).hexdigest()
    try:
        user = _remembered(request, key, username) or \
            authenticate_with_limit(request, username, password)
    except SignInRefused as refusal:
        response = _message(str(refusal), 429)
        response["Retry-After"] = str(refusal.retry_after)
        return response
    if user is None:
        return _challenge("Wrong username or password.")
    cache.set(key, (user.pk, user.password), CREDENTIAL_TTL)
    return user


def _remembered(request: HttpRequest, key: str, username: str) -> User | None:
    """The account of a credential that was right lately, still active with the same
    password; None when the password must be checked. The sign-in limiter is asked first
    (SignInRefused)."""
    trusted = _signed_in_lately.get(key)
    if trusted is not None:
        check_sign_in(request, username)
        return user_from_row(trusted)
    remembered = cache.get(key)
    if remembered is None:
        return None
    check_sign_in(request, username)
    known = User.objects.filter(pk=remembered[0], is_active=True).first()
    if known is not None and known.password == remembered[1]:
        _signed_in_lately.put(key, user_row(known))
        return known
    cache.delete(key)
    return None


def _device_signed_in(request: HttpRequest, username: str,
                      secret: str) -> AbstractBaseUser | HttpResponse:
    """The account a device token signs in, through the same limiter as a password; the
    token's mission is kept on the request (`_token_mission`): nothing else is reachable."""
    try:
        check_sign_in(request, username)
    except SignInRefused as refusal:
        response = _message(str(refusal), 429)
        response["Retry-After"] = str(refusal.retry_after)
        return response
    token = device_token_for(username, secret)
    if token is None:
        record_failed_sign_in(request, username)
        return _challenge("Unknown, expired or revoked device token.")
    request._token_mission = token.mission  # type: ignore[attr-defined]
    request._token_device = token.label  # type: ignore[attr-defined]
    return token.user


def _token_mission(request: HttpRequest) -> Mission | None:
    """The one mission a device token opens, or None for a password sign-in."""
    found: Mission | None = getattr(request, "_token_mission", None)
    return found


def form_list(request: HttpRequest) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        return _message("Method not allowed.", 405)
    user = _signed_in(request)
    if isinstance(user, HttpResponse):
        return user
    wanted = request.GET.get("formID", "")
    newest: dict[str, Form] = {}
    for form in forms_for(user, _token_mission(request)):  # type: ignore[arg-type]
        if (not wanted or form.form_id == wanted) and form.form_id not in newest \
                and permissions.may_submit(user, form.mission):  # type: ignore[arg-type]
            newest[form.form_id] = form
    items = []
    for form in newest.values():
        url = request.build_absolute_uri(
            reverse("openrosa:form", args=[form.form_id, form.version]))
        items.append(
            f"<xform><formID>{escape(form.form_id)}</formID><name>{escape(form.title)}</name>"
            f"<version>{escape(form.version)}</version><hash>md5:{form.md5}</hash>"
            f"<downloadUrl>{escape(url)}</downloadUrl></xform>")
    return _answer('<?xml version="1.0" encoding="UTF-8"?>'
                   '<xforms xmlns="http://openrosa.org/xforms/xformsList">'
                   + "".join(items) + "</xforms>")


def form_download(request: HttpRequest, form_id: str, version: str) -> HttpResponse:
    user = _signed_in(request)
    if isinstance(user, HttpResponse):
        return user
    try:
        form = form_for_submission(user, form_id, version)  # type: ignore[arg-type]
        scope = _token_mission(request)
        if scope is not None and form.mission_id != scope.pk:
            raise NotFound(f"No form {form_id} on this device's mission.", field="form")
    except ServiceError as refusal:
        return _message(refusal.message, refusal.status)
    return _answer(form.xform)


def media_parts(request: HttpRequest) -> tuple[Media, ...]:
    """The media parts of an OpenRosa submission request: every file part but the XML, named by
    its file name (Collect names the part and the file alike), else by the part's name."""
    return tuple(
        Media(part.name or key, part.content_type or "application/octet-stream", part.read())
        for key in request.FILES if key != "xml_submission_file"
        for part in request.FILES.getlist(key))


@csrf_exempt
def submission(request: HttpRequest) -> HttpResponse:
    if request.method not in ("HEAD", "POST"):
        return _message("Method not allowed.", 405)
    user = _signed_in(request)
    if isinstance(user, HttpResponse):
        return user
    if request.method == "HEAD":
        response = _answer("", 204)
        response["X-OpenRosa-Accept-Content-Length"] = str(bounds.MAX_SUBMISSION_BYTES)
        return response
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > bounds.MAX_SUBMISSION_BYTES:
        return _message("The submission is too large.", 413)
    try:
        upload = request.FILES.get("xml_submission_file")
        if upload is None:
            raise Invalid("The request has no xml_submission_file part.",
                          field="xml_submission_file")
        media = media_parts(request)
        agent = str(request.META.get("HTTP_USER_AGENT", ""))
        channel = Submission.Channel.WEB if "enketo" in agent.lower() else Submission.Channel.ODK
        device = str(request.GET.get("deviceID", "") or getattr(request, "_token_device", "")
                     or agent)[:bounds.MAX_DEVICE_LENGTH]
        _stored, created = receive(user, upload.read(), media=media,  # type: ignore[arg-type]
                                   channel=channel, device=device,
                                   mission=_token_mission(request))
    except ServiceError as refusal:
        status = 400 if refusal.status == 422 else refusal.status
        return _message(refusal.message, status, "submit_error")
    text = "Form received." if created else "Form already received; nothing stored twice."
    return _message(text, 201, "submit_success")
