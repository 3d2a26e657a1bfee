"""Root URL configuration: each desk mounts its own `urls.py`; the API mounts its routers."""

from django.contrib import admin
from django.urls import include, path

from hofburg.api import api
from hofburg.core.observability import healthz, metrics_page

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics_page, name="metrics"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("registry/", include("hofburg.registry.urls")),
    path("csbm/", include("hofburg.csbm.urls")),
    path("monitoring/", include("hofburg.monitoring.urls")),
    path("", include("hofburg.core.urls")),
]

handler404 = "hofburg.core.views.errors.not_found"
handler403 = "hofburg.core.views.errors.forbidden"
