from django.urls import path

from hofburg.csbm import views

app_name = "csbm"

urlpatterns = [
    path("", views.desk_home, name="home"),
    path("checker/", views.checker, name="checker"),
    path("checker/answer/", views.checker_answer, name="checker_answer"),
    path("what-if/", views.what_if, name="what_if"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar.ics", views.calendar_feed, {"file_format": "ics"}, name="calendar_ics"),
    path("calendar.csv", views.calendar_feed, {"file_format": "csv"}, name="calendar_csv"),
    path("quotas/", views.quotas, name="quotas"),
    path("scorecard/", views.scorecard, name="scorecard"),
    path("exchanges/", views.exchanges, name="exchanges"),
    path("exchanges/upload/", views.exchange_upload, name="exchange_upload"),
    path("exchanges/<str:iso2>/<int:year>/", views.exchange_detail, name="exchange"),
    path("exchanges/<str:iso2>/<int:year>/map/", views.exchange_map, name="exchange_map"),
    path("exchanges/<str:iso2>/<int:year>/changes/", views.exchange_diff, name="exchange_diff"),
    path("activities/<str:iso2>/<slug:reference>/", views.activity_detail, name="activity"),
]
