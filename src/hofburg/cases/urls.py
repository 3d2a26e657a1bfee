from django.urls import path

from hofburg.cases import publications, statements, twofactor, views, writes

app_name = "cases"

urlpatterns = [
    path("", views.index, name="index"),
    path("two-factor/", twofactor.enrol, name="enrol"),
    path("two-factor/qr.svg", twofactor.enrol_qr, name="enrol_qr"),
    path("two-factor/verify/", twofactor.verify, name="verify"),
    # Before the records' own pages: "persons/new/" is not a person's surrogate id.
    *writes.urlpatterns,
    path("persons/", views.persons, name="persons"),
    path("persons/<str:surrogate_id>/", views.person, name="person"),
    path("persons/<str:surrogate_id>/erasure/", views.erasure, name="erasure"),
    path("prisoners/", views.prisoners, name="prisoners"),
    path("prisoners/<str:case_id>/", views.prisoner, name="prisoner"),
    path("hate-crime/incidents/", views.incidents, name="incidents"),
    path("hate-crime/incidents/<str:incident_id>/", views.incident, name="incident"),
    path("hate-crime/publication/", views.publication_preview, name="publication"),
    path("hate-crime/incidents/<str:incident_id>/summary/", views.incident_summary,
         name="incident_summary"),
    path("hate-crime/incidents/<str:incident_id>/mandates/", statements.incident_mandates,
         name="incident_mandates"),
    path("tolerance/statements/", statements.statements, name="statements"),
    path("tolerance/statements/new/", statements.new_statement, name="new_statement"),
    path("tolerance/statements/<str:statement_id>/", statements.statement, name="statement"),
    path("tolerance/statements/<str:statement_id>/incidents/", statements.statement_incidents,
         name="statement_incidents"),
    path("media-freedom/", views.alerts, name="alerts"),
    path("media-freedom/<str:alert_id>/", views.alert, name="alert"),
    path("protection/", views.protection_cases, name="protection_cases"),
    # Before a case's own page: "publication" is not a case id.
    path("protection/publication/", publications.protection_publication,
         name="protection_publication"),
    path("protection/<str:case_id>/", views.protection_case, name="protection_case"),
    path("situations/", views.situations, name="situations"),
    path("situations/<str:situation_id>/", views.situation, name="situation"),
]
