"""Web entry of an observation form with Enketo, for observers signed in to the site.

- `GET <mission>/forms/<form_id>/<version>/enter/`: the page. enketo-core (vendored) renders
  the form the server made from the XForm (`transform.to_enketo`, kept in the cache per form
  version and content), with the model passed through `json_script`;
- `POST <mission>/forms/<form_id>/<version>/submission`: the filled-in record, as OpenRosa's
  `xml_submission_file` part, signed in by the session and its CSRF token. It goes through the
  one intake service (`services.submissions.receive`) with the channel `web`, so it is
  idempotent on `meta/instanceID` like a submission from ODK Collect: a retry is answered 201
  again and stores nothing twice; the same instance with other answers is 409.

A data clerk (and the core team) enters paper and phoned-in forms on the same page (decision
0071): it offers them the channel (paper or phone) and the time the form was filled in, read in
the mission's time zone and bounded as `services.submissions.check_captured_at` says. The
record carries both as the parts `channel` and `captured_at` (with its offset), and is stored
through `receive_clerk_entry` with them in place of `web` and Enketo's own times.

A mission the reader may not see, and a form that is not the mission's, are 404; a visible
mission the reader is not on is 403, for the page and the endpoint alike.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from csp.constants import SELF
from csp.decorators import csp_update
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    JsonResponse,
)
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from hofburg.core.access import AccessDenied
from hofburg.core.errors import Invalid, NotFound, ServiceError
from hofburg.elections import bounds, permissions
from hofburg.elections.enketo.transform import (
    TRANSFORMER_VERSION,
    EnketoForm,
    XFormNotRenderable,
    to_enketo,
)
from hofburg.elections.models import CLERK_CHANNELS, Form, Mission, Submission
from hofburg.elections.openrosa import media_parts
from hofburg.elections.queries import mission_for
from hofburg.elections.services.submissions import (
    captured_at_limits,
    form_for_submission,
    parse_submission,
    receive,
    receive_clerk_entry,
)

CACHE_SECONDS = 7 * 24 * 3600
DEVICE = "enketo web form"
THEME = "vendor/enketo-core-8.1.0"


def _theme_images() -> list[str]:
    """The theme's image files, which the browser fetches only when a style first needs one
    (a ticked box): the page keeps them for offline use with its scripts and styles."""
    folder = finders.find(f"{THEME}/img")
    if not folder:
        return []
    return [static(f"{THEME}/img/{p.name}") for p in sorted(Path(str(folder)).iterdir())]


def _form(request: HttpRequest, code: str, form_id: str, version: str) -> Form:
    """The form version on the mission, if the reader may submit to it (404 / 403 otherwise)."""
    mission = mission_for(request.user, code)
    try:
        form = form_for_submission(request.user, form_id, version)
    except NotFound as missing:
        raise Http404(missing.message) from missing
    except AccessDenied as refusal:
        raise PermissionDenied(refusal.message) from refusal
    if form.mission_id != mission.pk:
        raise Http404("No such form on this mission.")
    return form


def rendered(form: Form) -> EnketoForm:
    """The Enketo form and model of a form version, from the cache when it was made before.

    The key holds the XForm's MD5 and the transformer's version, so a changed XForm (which a
    new version must carry anyway) or new stylesheets never meet an old rendering."""
    key = f"hofburg.elections.enketo:{form.form_id}:{form.version}:{form.md5}:" \
          f"{TRANSFORMER_VERSION}"
    found = cache.get(key)
    if isinstance(found, EnketoForm):
        return found
    made = to_enketo(form.xform)
    cache.set(key, made, CACHE_SECONDS)
    return made


# The file widget of an `image` or `audio` question previews the chosen photo or recording from
# the page's own memory (a `blob:` address made by URL.createObjectURL); only this page may show
# such addresses, nothing from another site.
@csp_update({"img-src": ["blob:"], "media-src": [SELF, "blob:"]})  # type: ignore[arg-type]
@require_GET
def enter(request: HttpRequest, code: str, form_id: str, version: str) -> HttpResponse:
    form = _form(request, code, form_id, version)
    clerk = permissions.may_enter_as_clerk(request.user, form.mission)
    clerk_earliest = timezone.localtime(
        form.mission.created_at, ZoneInfo(form.mission.time_zone)).strftime("%Y-%m-%d %H:%M")
    try:
        made = rendered(form)
    except XFormNotRenderable as failure:
        return render(request, "elections/enketo_unrenderable.html", {
            "mission": form.mission, "form": form, "reason": str(failure),
            "shows_exercise_data": form.mission.is_exercise}, status=422)
    return render(request, "elections/enketo.html", {
        "mission": form.mission, "form": form,
        "enketo_config": {
            "form": made.tree, "model": made.model,
            "submitUrl": reverse("elections:enketo_submission",
                                 args=[form.mission.code, form.form_id, form.version]),
            "outboxKey": f"hofburg.elections.enketo.{request.user.pk}",
            "formId": form.form_id, "version": form.version, "title": form.title,
            "serviceWorker": reverse("elections:enketo_service_worker"),
            "serviceWorkerScope": reverse("elections:missions"),
            "offlineFiles": _theme_images(),
            "media": {"maxBytes": bounds.MAX_ATTACHMENT_BYTES,
                      "maxFiles": bounds.MAX_ATTACHMENTS,
                      "requestBytes": bounds.MAX_SUBMISSION_BYTES,
                      "types": bounds.ATTACHMENT_TYPES},
            "clerk": clerk_config(form.mission) if clerk else None,
        },
        "clerk": clerk, "clerk_zone": _zone_label(form.mission.time_zone),
        "clerk_channels": [
            (value, label) for value, label in Submission.Channel.choices
            if value in CLERK_CHANNELS],
        "enketo_texts": {
            "waiting": _("waiting to send"), "sending": _("sending…"),
            "sent": _("received by the server"), "refused": _("refused by the server:"),
            "online": _("Online"), "offline": _("Offline: records are kept on this device"),
            "invalid": _("Some answers are missing or not valid; see the marked questions."),
            "queued": _("Record kept on this device; it is sent when there is a connection."),
            "received": _("Record received by the server."),
            "signIn": _("Your session has ended: sign in again, then press Send now."),
            "files": _("files:"),
            "fileType": _("%(name)s: only photos and sound recordings can be sent (files "
                          "ending in %(types)s).") % {
                "name": "{name}", "types": ", ".join(
                    "." + e for e in sorted(bounds.ATTACHMENT_TYPES))},
            "fileSize": _("%(name)s is larger than %(size)s MB: choose a smaller photo or a "
                          "shorter recording.") % {
                "name": "{name}", "size": bounds.MAX_ATTACHMENT_BYTES // 2**20},
            "fileCount": _("At most %(count)s files can go with one record.") % {
                "count": bounds.MAX_ATTACHMENTS},
            "fileStorage": _("This browser cannot keep the files of the record on the device "
                             "(private browsing?): nothing was kept. Use ODK Collect, or a "
                             "normal window."),
            "fileMissing": _("files no longer on this device:"),
            "clerkChannel": _("Choose how the form came in: paper or phone."),
            "clerkTime": _("Give the date and time the form was filled in."),
            "clerkFuture": _("The form cannot have been filled in later than now."),
            "clerkEarly": _("The form cannot have been filled in before the mission was set up "
                            "(%(day)s).") % {"day": clerk_earliest},
            "clerkEntered": _("%(channel)s, filled in %(time)s") % {
                "channel": "{channel}", "time": "{time}"},
        },
        "shows_exercise_data": form.mission.is_exercise})


def _zone_label(zone: str) -> str:
    """"Europe/Chisinau, UTC+02:00": the zone and its offset now."""
    offset = timezone.localtime(timezone.now(), ZoneInfo(zone)).strftime("%z")
    return f"{zone}, UTC{offset[:3]}:{offset[3:]}"


def clerk_config(mission: Mission) -> dict[str, object]:
    """What the page's clerk fields need: the mission's zone, in which the clerk gives the time,
    and the bounds of `check_captured_at` (the latest as the allowed clock skew, the page
    adding it to its own clock when the record is saved)."""
    now = timezone.now()
    earliest, latest = captured_at_limits(mission, now)
    return {"zone": mission.time_zone, "earliest": earliest.isoformat(),
            "skewSeconds": int((latest - now).total_seconds())}


def _clerk_entry(request: HttpRequest) -> tuple[str, datetime] | None:
    """The channel and "captured at" a clerk's record carries, or None for an observer's."""
    channel = request.POST.get("channel")
    if channel is None:
        return None
    text = str(request.POST.get("captured_at") or "")
    try:
        captured = parse_datetime(text) if text else None
    except ValueError:
        captured = None
    if text and (captured is None or timezone.is_naive(captured)):
        raise Invalid("Not a date and time with its offset.", field="captured_at")
    if captured is None:
        raise Invalid("A clerk's entry needs the time the form was filled in.",
                      field="captured_at")
    return str(channel), captured


def _problem(status: int, title: str, detail: str, field: str | None = None) -> JsonResponse:
    return JsonResponse({"type": "about:blank", "title": title, "status": status,
                         "detail": detail, **({"field": field} if field else {})},
                        status=status, content_type="application/problem+json")


@require_POST
def submission(request: HttpRequest, code: str, form_id: str, version: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return _problem(401, "Not signed in", "Sign in to send forms.")
    form = _form(request, code, form_id, version)
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > bounds.MAX_SUBMISSION_BYTES:
        return _problem(413, "Too large", "The submission is too large.")
    try:
        upload = request.FILES.get("xml_submission_file")
        if upload is None:
            raise Invalid("The request has no xml_submission_file part.",
                          field="xml_submission_file")
        xml = upload.read()
        if parse_submission(xml)[:2] != (form.form_id, form.version):
            # receive() places a record by its XML's id and version; this address is one form's.
            raise Invalid("The record is of another form or version.",
                          field="xml_submission_file")
        clerk = _clerk_entry(request)
        if clerk is not None:
            stored, created = receive_clerk_entry(
                request.user, form.mission, xml, media=media_parts(request), channel=clerk[0],
                captured_at=clerk[1])
        else:
            stored, created = receive(request.user, xml, media=media_parts(request),
                                      channel=Submission.Channel.WEB, device=DEVICE,
                                      mission=form.mission)
    except ServiceError as refusal:
        return _problem(refusal.status, "Submission refused", refusal.message, refusal.field)
    return JsonResponse({"instance_id": stored.instance_id, "created": created,
                         "files": sorted(stored.attachments.values_list("name", flat=True))},
                        status=201)


@never_cache
@require_GET
def service_worker(request: HttpRequest) -> HttpResponseBase:
    """The service worker, from the desk's URL so that its scope covers the desk's pages."""
    path = finders.find("hofburg/elections-enketo-sw.js")
    if not path:
        raise Http404("No service worker.")
    response = FileResponse(open(Path(str(path)), "rb"),  # noqa: SIM115 (FileResponse closes it)
                            content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = reverse("elections:missions")
    return response
