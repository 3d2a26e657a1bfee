"""Pages that release a reporting period and publish or withdraw what the public reads.

Each asks first: a GET shows what would become public (or why it cannot yet), and the POST
of its form calls one service (`intake.release`, `intake.workflow`), which checks the role
again. A period or event the reader may not see is a 404 like everywhere on the desk.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from hofburg.core import access, dates
from hofburg.core.access import AccessDenied
from hofburg.core.notes import refusal
from hofburg.monitoring import errors, permissions, queries, report_views
from hofburg.monitoring.engine.periods import period_for_report_date
from hofburg.monitoring.forms import ReasonForm
from hofburg.monitoring.intake import release, workflow
from hofburg.monitoring.mission import reporting_calendar


def _require_releaser(request: HttpRequest) -> None:
    if not access.is_entitled(request.user):
        raise Http404("No such page.")
    if not permissions.may_submit(request.user):
        raise PermissionDenied(_("Only editors of the mission release its reporting periods."))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def release_period(request: HttpRequest, day: str) -> HttpResponse:
    """The release of one period: what it would publish, then the release itself."""
    report_date = report_views.report_date(day)
    _require_releaser(request)
    if request.method == "POST":
        try:
            release.release_period(request.user, report_date)
        except AccessDenied:
            raise PermissionDenied(_("Only editors of the mission release its reporting "
                                     "periods.")) from None
        except errors.MonitoringError as error:
            messages.error(request, refusal(error))
            return redirect("monitoring:release_period", day=report_date.isoformat())
        messages.success(request, _("The period of %(day)s is released: its figures are now "
                                    "public.") % {"day": dates.day(report_date)})
        return redirect("monitoring:report", day=report_date.isoformat())
    return render(request, "monitoring/release.html", {
        "readiness": release.period_readiness(report_date),
        "period": period_for_report_date(report_date, reporting_calendar()),
        "form": ReasonForm(),
    })


@login_required
@require_POST
def withdraw_release(request: HttpRequest, day: str) -> HttpResponse:
    report_date = report_views.report_date(day)
    _require_releaser(request)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the release is withdrawn."))
        return redirect("monitoring:release_period", day=report_date.isoformat())
    try:
        count = release.withdraw_release(request.user, report_date,
                                         form.cleaned_data["reason"])
    except AccessDenied:
        raise PermissionDenied(_("Only editors of the mission release its reporting "
                                 "periods.")) from None
    except errors.MonitoringError as error:
        messages.error(request, refusal(error))
        return redirect("monitoring:release_period", day=report_date.isoformat())
    messages.success(request, ngettext(
        "The release of %(day)s is withdrawn; %(count)d event is no longer public.",
        "The release of %(day)s is withdrawn; %(count)d events are no longer public.", count)
        % {"day": dates.day(report_date), "count": count})
    return redirect("monitoring:release_period", day=report_date.isoformat())


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def publish_event(request: HttpRequest, pk: int) -> HttpResponse:
    """One event's publication: what the public will read, or why it cannot be published;
    the POST publishes it."""
    event = queries.get_event_for_user(request.user, pk)
    if not access.can_edit(request.user, event):
        raise PermissionDenied(_("Only editors of the mission that owns this event may change "
                                 "its status."))
    back = reverse("monitoring:event", args=[pk])
    if request.method == "POST":
        try:
            workflow.publish_event(request.user, event)
        except AccessDenied:
            raise PermissionDenied(_("Only editors of the mission that owns this event may "
                                     "change its status.")) from None
        except errors.MonitoringError as error:
            messages.error(request, refusal(error))
            return redirect(back)
        messages.success(request, _("Event %(key)s published: its counts are now public.")
                         % {"key": event.event_key})
        return redirect(back)
    try:
        release.check_publishable(event)
        why_not = None
    except errors.MonitoringError as error:
        why_not = refusal(error)
    return render(request, "monitoring/publish.html", {
        "event": event, "refusal": why_not,
        "members": queries.event_members(request.user, event).count(),
        "period_released": release.is_released(event.report_date),
        "shows_exercise_data": event.is_exercise})


@login_required
@require_POST
def withdraw_publication(request: HttpRequest, pk: int) -> HttpResponse:
    event = queries.get_event_for_user(request.user, pk)
    back = reverse("monitoring:event", args=[pk])
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the publication is withdrawn."))
        return redirect(back)
    try:
        release.withdraw_publication(request.user, event, form.cleaned_data["reason"])
    except AccessDenied:
        raise PermissionDenied(_("Only editors of the mission that owns this event may change "
                                 "its status.")) from None
    except errors.MonitoringError as error:
        messages.error(request, refusal(error))
        return redirect(back)
    messages.success(request, _("Event %(key)s is no longer public; its counts left the "
                                "published figures.") % {"key": event.event_key})
    return redirect(back)
