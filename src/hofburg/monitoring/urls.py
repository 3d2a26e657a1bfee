from django.urls import path

from hofburg.monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("", views.desk_home, name="home"),
]
