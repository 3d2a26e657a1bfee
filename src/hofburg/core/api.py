"""API plumbing shared by every desk: the caller, and errors as problem+json.

Callers are identified by a bearer token (`Authorization: Bearer hfb_...`), by their browser
session for safe methods, or are anonymous. Every endpoint passes `request.auth` (a user or
AnonymousUser) to `core.access`; an endpoint never decides visibility itself.
"""

# No `from __future__ import annotations` here: django-ninja reads the endpoint annotations at
# import time, and paginated endpoints cannot resolve them as strings.
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer

from hofburg import __version__
from hofburg.core.models import ApiToken, User
from hofburg.core.signin import SignInRefused, check_sign_in, record_failed_sign_in

PROBLEM_CONTENT_TYPE = "application/problem+json"
TOKEN_USE_RESOLUTION = timedelta(minutes=1)  # how precisely a token's last use is kept


def problem(
    status: int, title: str, detail: str, instance: str = "", **extra: Any
) -> JsonResponse:
    """An RFC 9457 problem details response."""
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status,
                            "detail": detail}
    if instance:
        body["instance"] = instance
    body.update(extra)
    return JsonResponse(body, status=status, content_type=PROBLEM_CONTENT_TYPE,
                        json_dumps_params={"ensure_ascii": False})


class TokenAuth(HttpBearer):
    """Bearer tokens issued to machine clients; a wrong or revoked token is a 401, not anonymous.

    Wrong tokens count against the client's address in the sign-in limiter (`core.signin`):
    once it is at the limit every token, a right one too, is a 429 until the window passes.
    """

    openapi_scheme = "bearer"

    def authenticate(self, request: HttpRequest, token: str) -> User:
        check_sign_in(request)
        try:
            api_token = ApiToken.objects.select_related("user").get(
                key_digest=ApiToken.digest(token), revoked_at__isnull=True
            )
        except ApiToken.DoesNotExist as exc:
            record_failed_sign_in(request)
            raise AuthenticationError(message="The API token is unknown or revoked.") from exc
        if not api_token.user.is_active:
            record_failed_sign_in(request)
            raise AuthenticationError(message="The API token's user is inactive.")
        now = timezone.now()
        last = api_token.last_used_at
        if last is None or now - last >= TOKEN_USE_RESOLUTION or now < last:
            # Written at most once a minute: a client polling the API does not take the
            # database's write lock on every read.
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        return api_token.user


_token_auth = TokenAuth()


def caller(request: HttpRequest) -> User | AnonymousUser:
    """Who is calling: token user, session user (safe methods only) or an anonymous visitor."""
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise AuthenticationError(message="Use 'Authorization: Bearer <token>'.")
        return _token_auth.authenticate(request, token.strip())
    user = getattr(request, "user", None)
    if isinstance(user, User) and user.is_authenticated and request.method in ("GET", "HEAD"):
        return user
    return AnonymousUser()


def current_user(request: HttpRequest) -> User | AnonymousUser:
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, User) else AnonymousUser()


def require_user(request: HttpRequest) -> User:
    """The authenticated caller of a write endpoint; anonymous callers get a 401."""
    user = current_user(request)
    if not isinstance(user, User):
        raise AuthenticationError(message="This endpoint needs an API token.")
    return user


def build_api() -> NinjaAPI:
    api = NinjaAPI(
        title="Hofburg API",
        version=__version__,
        description=(
            "Open data and restricted records of Hofburg. Anonymous callers see public records; "
            "send `Authorization: Bearer <token>` to see what your affiliation may see. "
            "Errors are application/problem+json (RFC 9457)."
        ),
        auth=[_token_auth, _optional_auth],
        urls_namespace="api",
    )

    @api.exception_handler(ValidationError)
    def on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = [{"field": _field_name(e.get("loc", ())), "message": e.get("msg", "")}
                  for e in exc.errors]
        detail = "; ".join(
            f"{e['field']}: {e['message']}" if e["field"] else str(e["message"]) for e in errors
        )
        return problem(422, "Invalid request", detail or "The request is not valid.",
                       request.path, errors=errors)

    @api.exception_handler(AuthenticationError)
    def on_auth(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        message = str(exc) if str(exc) else "Authentication is required."
        response = problem(401, "Unauthorized", message, request.path)
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(SignInRefused)
    def on_sign_in_refused(request: HttpRequest, exc: SignInRefused) -> HttpResponse:
        response = problem(429, "Too many requests", str(exc), request.path)
        response["Retry-After"] = str(exc.retry_after)
        return response

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return problem(exc.status_code, _title(exc.status_code), str(exc), request.path)

    @api.exception_handler(Http404)
    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return problem(404, "Not found", str(exc) or "No such record.", request.path)

    return api


def _field_name(loc: Any) -> str | None:
    """`date` for ("body", "payload", "date"): a JSON body's fields are named as the client sent
    them, without the endpoint's parameter name; query and form fields keep their own name."""
    parts = [str(p) for p in loc]
    if len(parts) > 2 and parts[0] == "body":
        parts = parts[1:]
    return ".".join(parts[1:]) or None


class _OptionalAuth:
    """Lets anonymous callers through as AnonymousUser; a bad token still fails."""

    def __call__(self, request: HttpRequest) -> User | AnonymousUser:
        return caller(request)


_optional_auth = _OptionalAuth()

_TITLES = {400: "Bad request", 401: "Unauthorized", 403: "Forbidden", 404: "Not found",
           405: "Method not allowed", 409: "Conflict", 413: "Payload too large",
           422: "Invalid request", 429: "Too many requests"}


def _title(status: int) -> str:
    return _TITLES.get(status, "Error")
