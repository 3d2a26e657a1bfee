from django.urls import path

from hofburg.core.views import audit, auth, documents, home, tokens

app_name = "core"

urlpatterns = [
    path("", home.home, name="home"),
    path("accounts/login/", auth.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth.LogoutView.as_view(), name="logout"),
    path("accounts/tokens/", tokens.token_list, name="tokens"),
    path("documents/", documents.document_list, name="documents"),
    path("documents/new/", documents.document_register, name="document_register"),
    path("documents/<int:pk>/", documents.document_detail, name="document"),
    path("documents/<int:pk>/edit/", documents.document_edit, name="document_edit"),
    path("documents/<int:pk>/files/<str:language>/", documents.document_download,
         name="document_download"),
    path("audit/", audit.audit_list, name="audit"),
]
