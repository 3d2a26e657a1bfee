from django.urls import path

from hofburg.core.views import audit, auth, glossary, home, search, tokens

app_name = "core"

urlpatterns = [
    path("", home.home, name="home"),
    path("accounts/login/", auth.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth.LogoutView.as_view(), name="logout"),
    path("accounts/tokens/", tokens.token_list, name="tokens"),
    path("audit/", audit.audit_list, name="audit"),
    path("search/", search.search, name="search"),
    path("glossary/", glossary.glossary_page, name="glossary"),
]
