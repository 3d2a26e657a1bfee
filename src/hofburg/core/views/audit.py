from django.http import HttpRequest, HttpResponse, Http404
from django.shortcuts import render

from hofburg.core import access
from hofburg.core.models import AuditEntry


def audit_list(request: HttpRequest) -> HttpResponse:
    if not access.can_view_audit(request.user):
        raise Http404
    return render(request, "core/audit.html", {"entries": AuditEntry.objects.all()[:200]})
