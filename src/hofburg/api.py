"""The JSON API at /api/v1/: one NinjaAPI with a router per desk."""

from hofburg.cases.api import router as cases_router
from hofburg.cases.api_statements import router as cases_statements_router
from hofburg.core.api import build_api
from hofburg.csbm.api import router as csbm_router
from hofburg.decisions.api import router as decisions_router
from hofburg.documents.api import router as documents_router
from hofburg.elections.api import router as elections_router
from hofburg.elections.api_teams import router as elections_teams_router
from hofburg.monitoring.api import router as monitoring_router
from hofburg.projects.api import router as projects_router
from hofburg.registry.api import router as registry_router

api = build_api()
api.add_router("/", registry_router)
api.add_router("/documents", documents_router)
api.add_router("/decisions", decisions_router)
api.add_router("/elections", elections_router)
api.add_router("/elections", elections_teams_router)
api.add_router("/csbm", csbm_router, tags=["Vienna Document"])
api.add_router("/monitoring", monitoring_router, tags=["field monitoring"])
api.add_router("/projects", projects_router, tags=["projects"])
api.add_router("/cases", cases_router)
api.add_router("/cases", cases_statements_router)
