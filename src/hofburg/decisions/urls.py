from __future__ import annotations

from hofburg.decisions.views import drafts, invocations, meetings, rounds, statements

app_name = "decisions"

urlpatterns = [
    *meetings.urlpatterns,
    *drafts.urlpatterns,
    *statements.urlpatterns,
    *rounds.urlpatterns,
    *invocations.urlpatterns,
]
