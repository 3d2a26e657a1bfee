"""Provisioning ODK Collect by QR code: the mission's core team issues a token for an
observer's device, sees Collect's settings QR code once, and revokes tokens. 404 for a mission
the reader may not see, 403 for one they see but do not manage."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hofburg.core.errors import Invalid, ServiceError
from hofburg.elections import bounds, permissions
from hofburg.elections.models import DeviceToken, Mission
from hofburg.elections.queries import mission_for
from hofburg.elections.services.devices import (
    CollectSettings,
    issue_device_token,
    qr_svg_path,
    revoke_device_token,
)


def _mission(request: HttpRequest, code: str) -> Mission:
    return mission_for(request.user, code)


class DeviceTokenForm(forms.Form):
    observer = forms.ChoiceField(label=_("Observer"))
    label = forms.CharField(label=_("Device (a name you will recognise)"),
                            max_length=bounds.MAX_DEVICE_LABEL_LENGTH)
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1,
                              max_value=bounds.MAX_DEVICE_TOKEN_DAYS, initial=14)

    def __init__(self, *args: object, observers: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["observer"].choices = [  # type: ignore[attr-defined]
            (name, name) for name in observers]


def devices_page(request: HttpRequest, code: str) -> HttpResponse:
    """Provisioning ODK Collect by QR code: the core team issues a token for an observer's
    device, sees its settings QR code once, and revokes tokens."""
    found = _mission(request, code)
    if not permissions.may_manage(request.user, found):
        raise PermissionDenied(_("Only the mission's core team may provision devices."))
    observers = sorted(found.members.filter(user__is_active=True)
                       .values_list("user__username", flat=True))
    token_form = DeviceTokenForm(observers=observers)
    issued = None
    status = 200
    if request.method == "POST":
        try:
            if "revoke" in request.POST:
                wanted = str(request.POST["revoke"])
                if not wanted.isdigit():
                    raise Invalid("No such device token.", field="token")
                revoke_device_token(request.user, found, int(wanted))
                messages.success(request, _("The device token is revoked."))
                return redirect(request.path)
            token_form = DeviceTokenForm(request.POST, observers=observers)
            if token_form.is_valid():
                data = token_form.cleaned_data
                observer = found.members.select_related("user").get(
                    user__username=data["observer"]).user
                token, secret = issue_device_token(request.user, found, observer,
                                                   data["label"], data["days"])
                server_url = request.build_absolute_uri(
                    reverse("openrosa:form_list")).removesuffix("/formList")
                payload = CollectSettings(server_url, observer.username, secret,
                                          found.code).payload()
                size, qr_path = qr_svg_path(payload)
                issued = {"token": token, "secret": secret, "server_url": server_url,
                          "username": observer.username, "qr_size": size, "qr_path": qr_path}
                token_form = DeviceTokenForm(observers=observers)
            else:
                status = 400
        except ServiceError as refusal:
            if token_form.is_bound:
                token_form.add_error(refusal.field if refusal.field in token_form.fields
                                     else None, refusal.message)
            else:
                messages.error(request, refusal.message)
            status = 400
    tokens = list(DeviceToken.objects.filter(mission=found).select_related("user", "issued_by"))
    response = render(request, "elections/devices.html", {
        "mission": found, "tokens": tokens, "token_form": token_form, "issued": issued,
        "now": timezone.now(), "shows_exercise_data": found.is_exercise}, status=status)
    # The page may carry a token shown once: never kept by a cache.
    response["Cache-Control"] = "private, no-store"
    return response
