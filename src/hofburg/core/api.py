"""API plumbing shared by every desk: the caller, errors as problem+json, and the documents router.

Callers are identified by a bearer token (`Authorization: Bearer hfb_...`), by their browser
session for safe methods, or are anonymous. Every endpoint passes `request.auth` (a user or
AnonymousUser) to `core.access`; an endpoint never decides visibility itself.
"""

# No `from __future__ import annotations` here: django-ninja reads the endpoint annotations at
# import time, and paginated endpoints cannot resolve them as strings.
import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from ninja import Field, File, Form, NinjaAPI, Query, Router, Schema, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.security import HttpBearer

from hofburg import __version__
from hofburg.core import access
from hofburg.core.access import AccessDenied
from hofburg.core.models import ApiToken, Classification, Document, DocumentFile, User
from hofburg.core.search import find_documents
from hofburg.core.services.documents import (
    DocumentError,
    add_language_version,
    register_document,
    resolve_affiliations,
)
from hofburg.core.views.documents import document_file_response

PROBLEM_CONTENT_TYPE = "application/problem+json"


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
    """Bearer tokens issued to machine clients; a wrong or revoked token is a 401, not anonymous."""

    openapi_scheme = "bearer"

    def authenticate(self, request: HttpRequest, token: str) -> User:
        try:
            api_token = ApiToken.objects.select_related("user").get(
                key_digest=ApiToken.digest(token), revoked_at__isnull=True
            )
        except ApiToken.DoesNotExist as exc:
            raise AuthenticationError(message="The API token is unknown or revoked.") from exc
        if not api_token.user.is_active:
            raise AuthenticationError(message="The API token's user is inactive.")
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=timezone.now())
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



# The document library: /api/v1/documents. Visibility comes from core.access on every route.

documents_router = Router(tags=["documents"])


class DocumentOut(Schema):
    id: int
    symbol: str
    title: str
    date: datetime.date
    distribution: Classification
    originator: str
    original_language: str
    languages: list[str]
    is_exercise: bool

    @staticmethod
    def resolve_distribution(obj: Document) -> str:
        return obj.classification


class DocumentFileOut(Schema):
    language: str
    filename: str
    size: int
    sha256: str
    url: str

    @staticmethod
    def resolve_url(obj: DocumentFile, context: dict[str, Any]) -> str:
        path = reverse("api:document_file", args=[obj.document_id, obj.language])
        request: HttpRequest = context["request"]
        return request.build_absolute_uri(path)


class DocumentDetailOut(DocumentOut):
    files: list[DocumentFileOut]

    @staticmethod
    def resolve_files(obj: Document) -> list[DocumentFile]:
        return list(obj.files.all())


class DocumentFilters(Schema):
    q: str = Field("", description="Full-text search in titles and document text.")
    distribution: Classification | None = None
    year: int | None = Field(None, ge=1900, le=2999)
    originator: str = ""
    language: str = Field("", description="Only documents with a version in this language.")


class DocumentIn(Schema):
    symbol: str = Field(..., examples=["PC.DEL/123/26"])
    title: str
    date: datetime.date
    originator: str
    original_language: str = Field(..., examples=["en"])
    distribution: Classification = Classification.RESTRICTED
    shared_with: list[str] = Field(
        [], description="Codes of the affiliations a confidential document is shared with.")
    is_exercise: bool = False


# The service's field names, as the API calls them.
_API_FIELDS = {"classification": "distribution"}


def _document_problem(request: HttpRequest, error: DocumentError) -> JsonResponse:
    field = _API_FIELDS.get(error.field, error.field)
    return problem(422, "Invalid request", error.message, request.path, field=field,
                   errors=[{"field": field, "message": error.message}])


@documents_router.get("", response=list[DocumentOut], summary="List the documents you may see")
@paginate(LimitOffsetPagination)
def list_documents(request: HttpRequest, filters: Query[DocumentFilters]) -> QuerySet[Document]:
    return find_documents(
        access.visible(Document.objects.prefetch_related("files"), current_user(request)),
        q=filters.q,
        distribution=filters.distribution or "",
        year=filters.year,
        originator=filters.originator,
        language=filters.language,
    )


@documents_router.get("/{document_id}", response=DocumentDetailOut, summary="One document")
def get_document(request: HttpRequest, document_id: int) -> Document:
    return access.get_visible_or_404(Document.objects.prefetch_related("files"),
                                     current_user(request), pk=document_id)


@documents_router.post("", response={201: DocumentDetailOut}, summary="Register a document")
def create_document(request: HttpRequest, payload: DocumentIn) -> Any:
    """Editors only, with an API token. The document belongs to the caller's affiliation."""
    user = require_user(request)
    if not access.can_register_documents(user):
        raise HttpError(403, "Only editors with an affiliation may register documents.")
    try:
        document = register_document(
            user,
            symbol=payload.symbol,
            title=payload.title,
            date=payload.date,
            originator=payload.originator,
            original_language=payload.original_language,
            classification=payload.distribution,
            shared_with=resolve_affiliations(payload.shared_with),
            is_exercise=payload.is_exercise,
        )
    except DocumentError as error:
        return _document_problem(request, error)
    except AccessDenied as exc:
        raise HttpError(403, str(exc)) from exc
    return Status(201, document)


@documents_router.post("/{document_id}/files", response={201: DocumentDetailOut},
                       summary="Add a language version (multipart upload)")
def upload_document_file(
    request: HttpRequest, document_id: int, language: Form[str], file: File[UploadedFile]
) -> Any:
    """Editors of the owning affiliation only, with an API token."""
    document = access.get_visible_or_404(Document.objects.all(), current_user(request),
                                         pk=document_id)
    user = require_user(request)
    if not access.can_edit(user, document):
        raise HttpError(403, "You may see this document but not change it.")
    try:
        add_language_version(user, document, language, file)
    except DocumentError as error:
        return _document_problem(request, error)
    except AccessDenied as exc:
        raise HttpError(403, str(exc)) from exc
    return Status(201, Document.objects.prefetch_related("files").get(pk=document.pk))


@documents_router.get("/{document_id}/files/{language}", url_name="document_file",
                      summary="Download a language version", response={200: None})
def download_document_file(
    request: HttpRequest, document_id: int, language: str
) -> HttpResponseBase:
    document = access.get_visible_or_404(Document.objects.all(), current_user(request),
                                         pk=document_id)
    return document_file_response(get_object_or_404(document.files, language=language))
