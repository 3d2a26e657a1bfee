"""API plumbing shared by every desk: the caller, and errors as problem+json.

Callers are identified by a bearer token (`Authorization: Bearer hfb_...`), by their browser
session for safe methods, or are anonymous. Every endpoint passes `request.auth` (a user or
AnonymousUser) to `core.access`; an endpoint never decides visibility itself. A service's
refusal (`core.errors`) rises through the endpoint to one handler in `build_api`.
"""

# No `from __future__ import annotations` here: django-ninja reads the endpoint annotations at
# import time, and paginated endpoints cannot resolve them as strings.
import functools
import json
import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pydantic
from django.contrib.auth.models import AnonymousUser
from django.db import DataError, connection
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import URLPattern, URLResolver, include, path
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.operation import Operation
from ninja.pagination import LimitOffsetPagination
from ninja.parser import Parser
from ninja.security import HttpBearer

from hofburg import __version__
from hofburg.core import bounds
from hofburg.core.errors import ServiceError
from hofburg.core.models import ApiToken, User
from hofburg.core.search import search_total
from hofburg.core.signin import SignInRefused, check_sign_in, record_failed_sign_in
from hofburg.core.trust import Trusted, UserRow, user_from_row, user_row

PROBLEM_CONTENT_TYPE = "application/problem+json"
logger = logging.getLogger("hofburg.api")
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


@contextmanager
def api_field_names(names: Mapping[str, str]) -> Iterator[None]:
    """Within the block, a refusal naming a service's field is re-raised under the name the
    endpoint gives that field (the document library's `classification` is `distribution`)."""
    try:
        yield
    except ServiceError as error:
        renamed = names.get(error.field or "")
        if renamed:
            error.field = renamed
        raise


class TokenAuth(HttpBearer):
    """Bearer tokens issued to machine clients; a wrong or revoked token is a 401, not anonymous.

    Wrong tokens count against the client's address in the sign-in limiter (`core.signin`):
    once it is at the limit every token, a right one too, is a 429 until the window passes.
    """

    openapi_scheme = "bearer"

    def authenticate(self, request: HttpRequest, token: str) -> User:
        check_sign_in(request)
        digest = ApiToken.digest(token)
        found = _trusted_token(digest)
        if found is None:
            found = _token_user(digest)
            if found is None:
                record_failed_sign_in(request)
                raise AuthenticationError(message="The API token is unknown or revoked.")
        user, token_id, last = found
        if not user.is_active:
            record_failed_sign_in(request)
            raise AuthenticationError(message="The API token's user is inactive.")
        now = timezone.now()
        if last is not None and timezone.is_naive(last):  # SQLite's column, read as written
            last = last.replace(tzinfo=UTC)
        if last is None or now - last >= TOKEN_USE_RESOLUTION or now < last:
            # Written at most once a minute: a client polling the API does not take the
            # database's write lock on every read.
            ApiToken.objects.filter(pk=token_id).update(last_used_at=now)
            last = now
        _verified.put(digest, (user_row(user), token_id, last))
        return user


# digest -> (the user's row, the token's id, its last recorded use), see core.trust.
_verified: Trusted[str, tuple[UserRow, int, datetime | None]] = Trusted()


def _trusted_token(digest: str) -> tuple[User, int, datetime | None] | None:
    """The token's user, id and last use as verified in the last few seconds, if so: a User
    object of its own for each call, made from the kept row."""
    kept = _verified.get(digest)
    if kept is None:
        return None
    row, token_id, last = kept
    return user_from_row(row), token_id, last


def _token_user(digest: str) -> tuple[User, int, datetime | None] | None:
    """The user of the unrevoked token with this digest, the token's id and its last use;
    None for no such token.

    One statement built once: the ORM built the same query anew on every API call with a
    token, which cost more than the rest of a cached read together.
    """
    user = next(iter(User.objects.raw(_token_user_sql(), [digest])), None)
    if user is None:
        return None
    extra = vars(user)
    return user, int(extra.pop("token_id")), extra.pop("token_last_used_at")


@functools.cache
def _token_user_sql() -> str:
    quote = connection.ops.quote_name
    user, token = (quote(model._meta.db_table) for model in (User, ApiToken))
    columns = ", ".join(f"{user}.{quote(field.column)}" for field in User._meta.concrete_fields)
    return (f"SELECT {columns}, {token}.{quote('id')} AS token_id, "  # noqa: S608
            f"{token}.{quote('last_used_at')} AS token_last_used_at "
            f"FROM {token} INNER JOIN {user} ON {user}.{quote('id')} = {token}.{quote('user_id')} "
            f"WHERE {token}.{quote('key_digest')} = %s AND {token}.{quote('revoked_at')} IS NULL")


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


class BadInput(ValueError):
    """Input refused before any schema reads it: NUL in text, a number that is not finite."""


class _NoNul(Parser):
    """The JSON body, query and form fields, refusing NUL characters and non-finite numbers.

    PostgreSQL cannot store NUL, and JSON has no NaN or Infinity (Python's reader would accept
    them): one check here covers every endpoint, present and future.
    """

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        try:
            data: dict[str, Any] = json.loads(request.body, parse_constant=_refuse_constant)
        except UnicodeDecodeError as exc:
            raise BadInput("The request body is not UTF-8 text.") from exc
        except json.JSONDecodeError as exc:
            raise BadInput(f"The request body is not valid JSON: {exc.msg} "
                           f"(line {exc.lineno}, column {exc.colno}).") from exc
        if _holds_nul(data):
            raise BadInput(_NUL_MESSAGE)
        return data

    def parse_querydict(self, data: MultiValueDict[str, Any], list_fields: list[str],
                        request: HttpRequest) -> dict[str, Any]:
        found = super().parse_querydict(data, list_fields, request)
        if _holds_nul(found) or any(bounds.NUL in key for key in found):
            raise HttpError(422, _NUL_MESSAGE)
        return found


_NUL_MESSAGE = "Text may not contain NUL characters (U+0000)."


def _refuse_constant(name: str) -> Any:
    raise BadInput(f"The request body holds {name}: numbers must be finite.")


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return bounds.NUL in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_nul(v) for v in value)
    return False


class Page(LimitOffsetPagination):
    """`limit` and `offset` with their bounds (core.bounds) stated in the OpenAPI document."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=bounds.MAX_PAGE_SIZE,
                           description=f"Items per page, at most {bounds.MAX_PAGE_SIZE}.")
        offset: int = Field(0, ge=0, le=bounds.MAX_OFFSET, description="Items to skip.")

    def __init__(self, max_limit: int = bounds.MAX_PAGE_SIZE, **kwargs: Any) -> None:
        super().__init__(max_limit=max_limit, **kwargs)

    def _items_count(self, queryset: QuerySet[Any]) -> int:
        # A full-text search has counted its matches already (core.search).
        total = search_total(queryset)
        return total if total is not None else super()._items_count(queryset)


class HofburgAPI(NinjaAPI):
    """The project's API: one NinjaAPI whose operation ids do not move when a desk's `api`
    module becomes a package of topic modules."""

    def get_openapi_operation_id(self, operation: Operation) -> str:
        # django-ninja's default is `<module>_<function>`: `hofburg_csbm_api_list_activities`.
        # Endpoints in `hofburg.<desk>.api.<topic>` keep the id they had in `hofburg.<desk>.api`.
        module = operation.view_func.__module__
        if ".api." in module:
            module = module.split(".api.", 1)[0] + ".api"
        return f"{module}_{operation.view_func.__name__}".replace(".", "_")


URLs = tuple[list[URLPattern | URLResolver], str, str]


def routed_by_desk(urls: URLs) -> URLs:
    """The API's URL patterns with each desk's routes behind one pattern for their first path
    segment (`monitoring/`, `csbm/` ...), names and namespace unchanged.

    django-ninja gives one flat list of about 160 routes, and Django tries them in turn: a
    cached read on the last desk's routes spent a fifth of its time resolving its URL
    (benchmarks/README.md, "Serving"). Routes of one segment (`states`) and routes starting
    with a parameter stay where they were.
    """
    patterns, app_name, namespace = urls
    desks: dict[str, list[URLPattern | URLResolver]] = {}
    routed: list[URLPattern | URLResolver | str] = []
    for pattern in patterns:
        route = str(pattern.pattern)
        head, slash, rest = route.partition("/")
        if not slash or "<" in head or not isinstance(pattern, URLPattern):
            routed.append(pattern)
            continue
        if head not in desks:
            desks[head] = []
            routed.append(head)
        named = {"name": pattern.name} if pattern.name else {}
        desks[head].append(path(rest, pattern.callback, pattern.default_args, **named))
    return ([path(f"{item}/", include(desks[item])) if isinstance(item, str) else item
             for item in routed], app_name, namespace)


def build_api() -> NinjaAPI:
    api = HofburgAPI(
        title="Hofburg API",
        version=__version__,
        description=(
            "Open data and restricted records of Hofburg. Anonymous callers see public records; "
            "send `Authorization: Bearer <token>` to see what your affiliation may see. "
            "Errors are application/problem+json (RFC 9457)."
        ),
        auth=[_token_auth, _optional_auth],
        urls_namespace="api",
        parser=_NoNul(),
    )

    @api.exception_handler(ValidationError)
    def on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = [{"field": _field_name(e.get("loc", ())), "message": e.get("msg", "")}
                  for e in exc.errors]
        detail = "; ".join(
            f"{e['field']}: {e['message']}" if e["field"] else str(e["message"]) for e in errors
        )
        # `field` names the first offending field, as a service's refusal does.
        first = next((e["field"] for e in errors if e["field"]), None)
        return problem(422, "Invalid request", detail or "The request is not valid.",
                       request.path, errors=errors, **({"field": first} if first else {}))

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

    api.exception_handler(ServiceError)(_on_refused)

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc.__cause__, BadInput):  # the body parser's refusal, said plainly
            status = 400 if isinstance(exc.__cause__.__cause__, ValueError) else 422
            return problem(status, _title(status), str(exc.__cause__), request.path)
        return problem(exc.status_code, _title(exc.status_code), str(exc), request.path)

    # The safety net: input the bounds should have refused but did not (a field added without
    # them) is still a 4xx problem, and anything else a 500 problem, never an HTML page.
    @api.exception_handler(OverflowError)
    def on_overflow(request: HttpRequest, exc: OverflowError) -> HttpResponse:
        logger.warning("Out-of-range input at %s: %s", request.path, exc, exc_info=exc)
        return problem(422, "Invalid request", "A number or date in the request is out of "
                       "range.", request.path)

    @api.exception_handler(DataError)
    def on_data_error(request: HttpRequest, exc: DataError) -> HttpResponse:
        logger.warning("Input the database refused at %s: %s", request.path, exc, exc_info=exc)
        return problem(422, "Invalid request", "A value in the request is out of range or too "
                       "long to be stored.", request.path)

    @api.exception_handler(ValueError)
    def on_value_error(request: HttpRequest, exc: ValueError) -> HttpResponse:
        logger.warning("Invalid input at %s: %s", request.path, exc, exc_info=exc)
        if "NUL" in str(exc) or "0x00" in str(exc):  # the database driver's refusal
            return problem(422, "Invalid request", _NUL_MESSAGE, request.path)
        return problem(422, "Invalid request", "A value in the request is not valid.",
                       request.path)

    @api.exception_handler(pydantic.ValidationError)  # an answer that fails its own schema
    @api.exception_handler(Exception)
    def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.error("Internal error at %s", request.path, exc_info=exc)
        return problem(500, "Internal error", "The server could not answer this request; "
                       "the error is logged.", request.path)

    @api.exception_handler(Http404)
    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return problem(404, "Not found", str(exc) or "No such record.", request.path)

    return api


def _on_refused(request: HttpRequest, exc: ServiceError) -> HttpResponse:
    """Every desk's refusals (core.errors): the status their class names, the message as
    `detail` and the offending `field` (also in `errors`) when they name one. An endpoint lets
    them rise and never maps them itself."""
    extra: dict[str, Any] = {}
    if exc.field:
        extra = {"field": exc.field, "errors": [{"field": exc.field, "message": exc.message}]}
    return problem(exc.status, exc.title, exc.message, request.path, **extra)


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


class ProblemsUnderApi:
    """Middleware: an error answer under /api/ that did not come from the API's handlers (a
    method not allowed, a request Django refused before any endpoint ran) becomes problem+json
    too."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response: HttpResponse = self.get_response(request)
        if (response.status_code >= 400 and request.path.startswith("/api/")
                and "json" not in response.get("Content-Type", "")):
            detail = (f"Use one of: {response['Allow']}." if response.has_header("Allow")
                      else _title(response.status_code) + ".")
            answer = problem(response.status_code, _title(response.status_code), detail,
                             request.path)
            for header in ("Allow", "WWW-Authenticate", "Retry-After"):
                if response.has_header(header):
                    answer[header] = response[header]
            return answer
        return response
