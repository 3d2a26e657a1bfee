from django.urls import path

from hofburg.monitoring import release_views, review_views, views

app_name = "monitoring"

urlpatterns = [
    path("", views.desk_home, name="home"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("observe/", views.observe, name="observe"),
    path("observations/", views.observation_list, name="observations"),
    path("observations/submit/", views.submit_observation, name="submit"),
    path("observations/<int:pk>/", views.observation_detail, name="observation"),
    path("observations/<int:pk>/verify/", views.observation_action, {"action": "verify"},
         name="verify_observation"),
    path("observations/<int:pk>/reject/", views.observation_action, {"action": "reject"},
         name="reject_observation"),
    path("observations/<int:pk>/correct/", views.observation_action, {"action": "correct"},
         name="correct_observation"),
    path("review/", review_views.review, name="review"),
    path("events/", views.event_list, name="events"),
    path("events/<int:pk>/", views.event_detail, name="event"),
    path("events/<int:pk>/verify/", views.event_action, {"action": "verify"},
         name="verify_event"),
    path("events/<int:pk>/publish/", release_views.publish_event, name="publish_event"),
    path("events/<int:pk>/withdraw/", release_views.withdraw_publication,
         name="withdraw_publication"),
    path("events/<int:pk>/declassify/", views.event_action, {"action": "declassify"},
         name="declassify_event"),
    path("map/", views.map_page, name="map"),
    path("map/layers.json", views.map_layers, name="map_layers"),
    path("map/data.json", views.map_data, name="map_data"),
    path("trends/", views.trends, name="trends"),
    path("trends.csv", views.trends_csv, name="trends_csv"),
    path("reports/", views.report_list, name="reports"),
    path("reports/<str:day>/", views.report_page, name="report"),
    path("reports/<str:day>/pdf/", views.report_pdf, name="report_pdf"),
    path("reports/<str:day>/release/", release_views.release_period, name="release_period"),
    path("reports/<str:day>/withdraw/", release_views.withdraw_release,
         name="withdraw_release"),
]
