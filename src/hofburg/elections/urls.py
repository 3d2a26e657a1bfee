from django.urls import path

from hofburg.elections import boards, openrosa, organisation, provisioning, views
from hofburg.elections.enketo import views as enketo

app_name = "elections"

urlpatterns = [
    path("", views.missions, name="missions"),
    path("enketo-sw.js", enketo.service_worker, name="enketo_service_worker"),
    path("<str:code>/", views.mission, name="mission"),
    path("<str:code>/stations/", views.stations, name="stations"),
    path("<str:code>/forms/", views.forms_page, name="forms"),
    path("<str:code>/forms/<str:form_id>.<str:fmt>", views.export, name="export"),
    path("<str:code>/forms/<str:form_id>/submissions/", views.submissions_page,
         name="submissions"),
    path("<str:code>/submissions/<str:instance_id>/files/<str:name>",
         views.submission_file_download, name="submission_file"),
    path("<str:code>/forms/<str:form_id>/<str:version>/enter/", enketo.enter,
         name="enketo_enter"),
    path("<str:code>/forms/<str:form_id>/<str:version>/submission", enketo.submission,
         name="enketo_submission"),
    path("<str:code>/figures/", views.figures_page, name="figures"),
    path("<str:code>/problems/", views.problems, name="problems"),
    path("<str:code>/conflicts/", views.conflicts, name="conflicts"),
    path("<str:code>/coverage/", views.coverage_page, name="coverage"),
    path("<str:code>/areas/", organisation.areas_page, name="areas"),
    path("<str:code>/areas/<int:area_id>/", organisation.area_page, name="area"),
    path("<str:code>/teams/", organisation.teams_page, name="teams"),
    path("<str:code>/deployment/", boards.deployment_page, name="deployment"),
    path("<str:code>/pvt/", boards.pvt_page, name="pvt"),
    path("<str:code>/devices/", provisioning.devices_page, name="devices"),
]

# Mounted at /openrosa/ (the server URL given to ODK Collect), namespace "openrosa".
openrosa_urls = ([
    path("formList", openrosa.form_list, name="form_list"),
    path("forms/<str:form_id>/<str:version>.xml", openrosa.form_download, name="form"),
    path("submission", openrosa.submission, name="submission"),
], "openrosa")
