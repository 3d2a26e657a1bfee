from django.urls import path

from hofburg.documents import views

app_name = "documents"

urlpatterns = [
    path("", views.document_list, name="documents"),
    path("new/", views.document_register, name="document_register"),
    path("<int:pk>/", views.document_detail, name="document"),
    path("<int:pk>/edit/", views.document_edit, name="document_edit"),
    path("<int:pk>/files/<str:language>/", views.document_download, name="document_download"),
]
