"""Photos of observations: the offline form's upload, and the photo for those who may see it.

The form's queue sends a record first and then each of its photos, one per request, as
multipart under the record's client id (decision 0058); the answer says whether the photo is
new (201) or was stored already (200), so a retry stores nothing twice. A photo is served only
through its observation's access: a reader who may not see the observation gets a 404, as for
the observation itself.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from hofburg.core.access import AccessDenied
from hofburg.core.errors import NotFound
from hofburg.monitoring import bounds, errors, queries
from hofburg.monitoring.intake import photos

_YES = {"1", "true", "on", "yes"}


@require_POST
def submit_photo(request: HttpRequest) -> HttpResponse:
    """Take one photo of an observation already sent: `client_id`, `photo` (the file) and
    `keep_location`. 201 new, 200 stored before; 400 out of bounds (with the reason), 401
    signed out, 403 not a monitor, 404 no such record of the caller's, 413 too large."""
    if not request.user.is_authenticated:
        return JsonResponse({"message": _("Sign in again.")}, status=401)
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > bounds.MAX_PHOTO_REQUEST_BYTES:
        return JsonResponse({"message": _("The photo is larger than %(mb)s MB.")
                             % {"mb": bounds.MAX_PHOTO_BYTES // 2**20}}, status=413)
    upload = request.FILES.get("photo")
    client_id = request.POST.get("client_id", "")
    if upload is None or not 0 < len(client_id) <= 64:
        return JsonResponse({"message": _("Send one photo with the client id of its record.")},
                            status=400)
    try:
        photo, created = photos.attach_photo(
            request.user, client_id, upload.name or "", upload.read(),
            keep_location=request.POST.get("keep_location", "").lower() in _YES)
    except AccessDenied:
        return JsonResponse({"message": _("You may not enter observations.")}, status=403)
    except NotFound:
        return JsonResponse({"message": _("No record of yours has this client id.")},
                            status=404)
    except errors.MonitoringError as error:
        return JsonResponse({"message": error.message}, status=400)
    return JsonResponse({"photo_id": photo.pk, "name": photo.name, "sha256": photo.sha256,
                         "location_kept": photo.location_kept, "created": created},
                        status=201 if created else 200)


@require_safe
def observation_photo(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponse:
    """The photo as stored (shown in the page, or downloaded with `?download`)."""
    photo = queries.get_photo_for_user(request.user, pk, photo_pk)
    response = HttpResponse(bytes(photo.content), content_type=photo.content_type)
    disposition = "attachment" if "download" in request.GET else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{_ascii(photo.name)}"'
    response["Cache-Control"] = "private, max-age=3600"
    response["ETag"] = f'"{photo.sha256}"'
    return response


def _ascii(name: str) -> str:
    """The file name as a header may carry it: printable ASCII, no quote or backslash."""
    return "".join(c if 32 <= ord(c) < 127 and c not in '"\\' else "_" for c in name)
