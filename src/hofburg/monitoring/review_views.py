"""The analysts' review queue: the submitted observations an editor may verify, oldest first,
verified one by one or together (all or none, `intake.workflow.verify_observations`).

Like every restricted page of the desk it does not exist for those who may not read the
desk's records (404); an id that is not in the reader's queue is refused as not found.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from hofburg.core import access
from hofburg.core.access import AccessDenied, AnyUser
from hofburg.core.notes import refusal
from hofburg.monitoring import errors, permissions, queries
from hofburg.monitoring.intake import workflow
from hofburg.monitoring.models import Observation, ObservationStatus

PAGE_SIZE = 50


def review_queue(user: AnyUser) -> QuerySet[Observation] | None:
    """The submitted observations `user` may verify, oldest first; None for a reader who may
    verify none (not an editor). A query: a page reads its 50 rows, a verification the rows
    chosen, never the whole queue."""
    if not permissions.may_submit(user):
        return None
    rows = queries.observations_for(user, status=ObservationStatus.SUBMITTED).filter(
        owner_affiliation_id=getattr(user, "affiliation_id", None))
    return rows.order_by("observed_at", "pk").select_related("event")


@require_http_methods(["GET", "HEAD", "POST"])
def review(request: HttpRequest) -> HttpResponse:
    if not access.is_entitled(request.user):
        raise Http404("No such page.")
    queue = review_queue(request.user)
    if request.method == "POST":
        if queue is None:
            raise PermissionDenied(_("Only editors of the mission may verify observations."))
        return _verify(request, queue)
    page = Paginator(queue if queue is not None else Observation.objects.none(), PAGE_SIZE
                     ).get_page(request.GET.get("page"))
    return render(request, "monitoring/review.html", {
        "page": page, "may_verify": queue is not None, "waiting": page.paginator.count,
        "shows_exercise_data": any(o.is_exercise for o in page.object_list),
        "max_bulk": workflow.MAX_BULK_VERIFY,
    })


def _verify(request: HttpRequest, queue: QuerySet[Observation]) -> HttpResponse:
    back = redirect(request.get_full_path())
    field = "listed" if request.POST.get("scope") == "page" else "observation"
    chosen = request.POST.getlist(field)
    if len(chosen) > workflow.MAX_BULK_VERIFY:
        messages.error(request, _("At most %(most)d observations can be verified at once.")
                       % {"most": workflow.MAX_BULK_VERIFY})
        return back
    wanted = [int(value) for value in chosen if value.isdigit() and len(value) < 19]
    by_pk = {str(o.pk): o for o in queue.filter(pk__in=wanted)}
    unknown = [value for value in chosen if value not in by_pk]
    if unknown:
        messages.error(request, _("Nothing was verified: %(count)d of the chosen observations "
                                  "are not waiting in your queue (already verified, rejected, "
                                  "or not found).") % {"count": len(unknown)})
        return back
    if not chosen:
        messages.error(request, _("Choose at least one observation to verify."))
        return back
    try:
        done = workflow.verify_observations(request.user, [by_pk[v] for v in chosen])
    except AccessDenied:
        raise PermissionDenied(_("Only editors of the mission may verify observations.")
                               ) from None
    except errors.MonitoringError as error:
        messages.error(request, refusal(error))
        return back
    messages.success(request, ngettext("%(count)d observation verified.",
                                       "%(count)d observations verified.", len(done))
                     % {"count": len(done)})
    return back
