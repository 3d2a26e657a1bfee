from django.urls import path

from hofburg.csbm import views

app_name = "csbm"

urlpatterns = [
    path("", views.desk_home, name="home"),
]
