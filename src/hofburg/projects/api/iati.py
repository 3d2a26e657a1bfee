"""API: the IATI 2.03 export of the projects the caller may see."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import Query, Router

from hofburg.core.api import current_user
from hofburg.core.errors import Invalid
from hofburg.projects import queries
from hofburg.projects.api.projects import PortfolioQuery
from hofburg.projects.iati.export import export_projects

router = Router()


@router.get("/iati", response={200: None}, summary="The projects as IATI 2.03 XML",
            openapi_extra={"responses": {200: {"description": "IATI XML", "content": {
                "application/xml": {"schema": {"type": "string"}}}}}})
def iati_export(request: HttpRequest, filters: Query[PortfolioQuery]) -> HttpResponse:
    """Validated against the official schema before it is sent; if any project would be
    invalid, the answer is a 422 naming each with its reasons, and no XML."""
    site_url = settings.PROJECTS_IATI_SITE_URL or request.build_absolute_uri("/")
    result = export_projects(queries.filtered_projects(current_user(request),
                                                       filters.filters()), site_url)
    if result.content is None:
        named = "; ".join(f"{number or 'export'}: {', '.join(reasons)}"
                          for number, reasons in sorted(result.problems.items()))
        raise Invalid(f"Not valid IATI, nothing written. {named}", field="projects")
    response = HttpResponse(result.content, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="projects-iati.xml"'
    return response
