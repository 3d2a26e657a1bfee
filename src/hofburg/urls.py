"""Root URL configuration: each desk mounts its own `urls.py`; the API mounts its routers."""

from django.contrib import admin
from django.urls import include, path

from hofburg.api import api
from hofburg.core.api import routed_by_desk
from hofburg.core.observability import healthz, metrics_page
from hofburg.core.signin import limit_sign_in
from hofburg.elections.urls import openrosa_urls

# The admin site's sign-in goes through the same limiter as the site's own (core.signin);
# this route comes before the admin's own, which it replaces.
admin_login = limit_sign_in(admin.site.login)

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics_page, name="metrics"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/login/", admin_login, name="admin_login"),
    path("admin/", admin.site.urls),
    path("api/v1/", routed_by_desk(api.urls)),
    path("registry/", include("hofburg.registry.urls")),
    path("csbm/", include("hofburg.csbm.urls")),
    path("monitoring/", include("hofburg.monitoring.urls")),
    path("documents/", include("hofburg.documents.urls")),
    path("decisions/", include("hofburg.decisions.urls")),
    path("projects/", include("hofburg.projects.urls")),
    path("elections/", include("hofburg.elections.urls")),
    path("cases/", include("hofburg.cases.urls")),
    path("openrosa/", include(openrosa_urls)),
    path("", include("hofburg.core.urls")),
]

handler404 = "hofburg.core.views.errors.not_found"
handler403 = "hofburg.core.views.errors.forbidden"
handler500 = "hofburg.core.views.errors.server_error"
