"""The second factor every account needs before it reaches the desk: TOTP (RFC 6238) devices
from django-otp, provisioned with a QR code drawn by segno as SVG.

After the password sign-in, the desk's pages send a signed-in user who has not passed the
second step in this session to enrol a device (none confirmed yet) or to verify a code. Wrong
codes count against the same limiter as wrong passwords (`core.signin`): guessing six digits
is refused as fast as guessing a password.
"""

from __future__ import annotations

import io
from base64 import b32encode
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

import segno
from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from hofburg.cases.permissions import second_factor_verified
from hofburg.core.models import User
from hofburg.core.signin import SignInRefused, check_sign_in, record_failed_sign_in, refused_page

DEVICE_NAME = "authenticator"


class CodeForm(forms.Form):
    code = forms.RegexField(label=_("Six-digit code from your authenticator app"),
                            regex=r"^\s*\d{6}\s*$", max_length=8,
                            error_messages={"invalid": _("Enter the six digits.")},
                            widget=forms.TextInput(attrs={
                                "inputmode": "numeric", "autocomplete": "one-time-code"}))


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def _next(request: HttpRequest) -> str:
    target = str(request.POST.get("next") or request.GET.get("next") or "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return "/cases/"


def second_factor_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A signed-in user reaches `view` only after the second step; anonymous visitors pass
    (they see what is public, as on every desk)."""

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not second_factor_verified(request):
            step = "cases:verify" if confirmed_device(user) else "cases:enrol"
            return redirect(reverse(step) + "?" + urlencode({"next": request.get_full_path()}))
        return view(request, *args, **kwargs)

    return guarded


def _check_code(request: HttpRequest, device: TOTPDevice, form: CodeForm) -> bool:
    """True when the code is right; a wrong one counts as a failed sign-in."""
    user: User = request.user  # type: ignore[assignment]  # the views send only the signed-in
    if form.is_valid() and device.verify_token(form.cleaned_data["code"].strip()):
        return True
    record_failed_sign_in(request, user.username)
    if form.is_valid():
        form.add_error("code", _("That code is not right, or has expired."))
    return False


def enrol(request: HttpRequest) -> HttpResponse:
    """Provision an authenticator: the QR code, the key spelled out, and a first code."""
    if not request.user.is_authenticated:
        return redirect("core:login")
    user: User = request.user
    if confirmed_device(user):
        return redirect("cases:verify")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or \
        TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        try:
            check_sign_in(request, user.username)
        except SignInRefused as refusal:
            return refused_page(request, refusal)
        if _check_code(request, device, form):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return redirect(_next(request))
    return render(request, "cases/enrol.html", {
        "form": form, "next": _next(request),
        "secret": b32encode(device.bin_key).decode().rstrip("=")})


def enrol_qr(request: HttpRequest) -> HttpResponse:
    """The unconfirmed device's provisioning URI as an SVG QR code, for its own user only
    (never cached: it holds the device's key)."""
    if not request.user.is_authenticated:
        raise Http404("No such record.")
    device = TOTPDevice.objects.filter(user_id=request.user.pk, confirmed=False).first()
    if device is None:
        raise Http404("No such record.")
    stream = io.BytesIO()
    segno.make(device.config_url, error="m").save(
        stream, kind="svg", scale=4, title=str(_("QR code for your authenticator app")))
    response = HttpResponse(stream.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "no-store"
    return response


def verify(request: HttpRequest) -> HttpResponse:
    """The second step after the password: a code from the enrolled authenticator."""
    if not request.user.is_authenticated:
        return redirect("core:login")
    user: User = request.user
    device = confirmed_device(user)
    if device is None:
        return redirect("cases:enrol")
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        try:
            check_sign_in(request, user.username)
        except SignInRefused as refusal:
            return refused_page(request, refusal)
        if _check_code(request, device, form):
            otp_login(request, device)
            return redirect(_next(request))
    return render(request, "cases/verify.html", {"form": form, "next": _next(request)})
