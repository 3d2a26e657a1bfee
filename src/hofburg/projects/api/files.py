"""API: CSV (with HXL hashtags) and XLSX tables of projects, indicators and transactions; the
XLSX import of projects and transactions, all or nothing."""

from typing import Any, Literal

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from ninja import File, Query, Router, Schema
from ninja.files import UploadedFile

from hofburg.core.api import current_user, require_user
from hofburg.core.errors import Invalid
from hofburg.core.tables import CONTENT_TYPES
from hofburg.projects import exports, importing, queries
from hofburg.projects.api.projects import PortfolioQuery

router = Router()


class ExportQuery(PortfolioQuery):
    format: Literal["csv", "xlsx"] = "csv"


class ImportOut(Schema):
    projects: int
    transactions: int


@router.get("/exports/{kind}", response={200: None},
            summary="Projects, indicators or transactions you may see, as CSV (HXL) or XLSX",
            openapi_extra={"responses": {200: {"description": "The table", "content": {
                "text/csv": {"schema": {"type": "string"}},
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                    "schema": {"type": "string", "format": "binary"}}}}}})
def export_table(request: HttpRequest, kind: Literal["projects", "indicators", "transactions"],
                 query: Query[ExportQuery]) -> HttpResponse:
    user = current_user(request)
    projects = queries.filtered_projects(user, query.filters())
    response: HttpResponse | StreamingHttpResponse
    if query.format == "csv":
        response = StreamingHttpResponse(exports.as_csv(user, kind, projects),
                                         content_type=CONTENT_TYPES["csv"])
    else:
        response = HttpResponse(exports.as_xlsx(user, kind, projects),
                                content_type=CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="{kind}.{query.format}"'
    return response  # type: ignore[return-value]  # a streamed table is an answer too


@router.post("/imports", response=ImportOut,
             summary="Import projects and transactions from an XLSX workbook (all or nothing)")
def import_workbook(request: HttpRequest, file: File[UploadedFile]) -> Any:
    """Sheets `projects` and `transactions` with the export's columns. If any row is refused,
    the answer is a 422 listing every refusal by sheet and row, and nothing is stored."""
    user = require_user(request)
    if file.size is not None and file.size > importing.MAX_BYTES:
        raise Invalid(f"The file is larger than {importing.MAX_BYTES} bytes.", field="file")
    return importing.import_workbook(user, file.read())
