"""Sign-in and sign-out, with the sign-in form rate-limited per address and per account."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django_ratelimit.decorators import ratelimit


def rate_limited(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "core/rate_limited.html", status=429)


def _username_key(group: str, request: HttpRequest) -> str:
    return str(request.POST.get("username", "")).strip().lower()


@method_decorator(
    ratelimit(key="ip", rate=settings.LOGIN_RATE, method="POST", block=True), name="post"
)
@method_decorator(
    ratelimit(key=_username_key, rate=settings.LOGIN_RATE, method="POST", block=True), name="post"
)
class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass
