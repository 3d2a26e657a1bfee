from django.urls import path

from hofburg.cases import twofactor, views

app_name = "cases"

urlpatterns = [
    path("", views.index, name="index"),
    path("two-factor/", twofactor.enrol, name="enrol"),
    path("two-factor/qr.svg", twofactor.enrol_qr, name="enrol_qr"),
    path("two-factor/verify/", twofactor.verify, name="verify"),
    path("persons/", views.persons, name="persons"),
    path("persons/<str:surrogate_id>/", views.person, name="person"),
    path("persons/<str:surrogate_id>/erasure/", views.erasure, name="erasure"),
    path("prisoners/", views.prisoners, name="prisoners"),
    path("prisoners/<str:case_id>/", views.prisoner, name="prisoner"),
    path("hate-crime/incidents/", views.incidents, name="incidents"),
    path("hate-crime/incidents/<str:incident_id>/", views.incident, name="incident"),
    path("hate-crime/publication/", views.publication_preview, name="publication"),
    path("media-freedom/", views.alerts, name="alerts"),
    path("media-freedom/<str:alert_id>/", views.alert, name="alert"),
    path("protection/", views.protection_cases, name="protection_cases"),
    path("protection/<str:case_id>/", views.protection_case, name="protection_case"),
    path("situations/", views.situations, name="situations"),
    path("situations/<str:situation_id>/", views.situation, name="situation"),
]
