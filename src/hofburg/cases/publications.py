"""The protection-case publication's page (decisions 0062, 0076): the table of a year as its
owner affiliation released it, and, for its publishers, what a release would hold now.

Staff of an affiliation read and download its release in force, frozen: the same table and
the same CSV bytes at every download (`services.releases`), whatever cases were added since,
so two downloads cannot be differenced. Only the publishers (`permissions.may_publish_protection`,
analysts of the affiliation) see the table computed from the cases of the moment, and release
it, stating why; `hofburg cases publish --dataset protection` does the same from the command
line. Counts only, small cells suppressed (`engine.protection_publication`); exercise cases
only ever go into an exercise table.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hofburg.cases import permissions, queries
from hofburg.cases.engine.fields import countable_fields
from hofburg.cases.engine.protection_publication import COLUMNS
from hofburg.cases.models import AccessLog, ProtectionRelease
from hofburg.cases.services import releases
from hofburg.cases.services.reads import log_access
from hofburg.cases.twofactor import second_factor_required
from hofburg.core import access
from hofburg.core.errors import ServiceError
from hofburg.core.tables import CONTENT_TYPES

PAGE = "cases/protection_publication.html"


class ProtectionPublicationForm(forms.Form):
    year = forms.IntegerField(label=_("Year the cases were opened"),
                              min_value=releases.YEARS[0], max_value=releases.YEARS[1])
    exercise = forms.BooleanField(label=_("The exercise cases instead of the real ones"),
                                  required=False)


class ReleaseForm(forms.Form):
    reason = forms.CharField(label=_("Why this release"), max_length=releases.MAX_REASON,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("For example: the annual publication, or late cases "
                                         "corrected. Kept with the release; name no one."))


def as_written(value: object) -> object:
    """A cell as the CSV writes it (`core.tables`: booleans as true and false)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _written(rows: list[list[object]]) -> list[list[object]]:
    return [[as_written(v) for v in row] for row in rows]


def _download(data: bytes, release: ProtectionRelease) -> HttpResponse:
    response = HttpResponse(data, content_type=CONTENT_TYPES["csv"])
    kind = "-exercise" if release.is_exercise else ""
    name = f"protection-{release.year}{kind}-release-{release.number}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _release(request: HttpRequest, form: ReleaseForm, year: int, exercise: bool) -> bool:
    """Make a release from the posted form; False with the refusal on the form."""
    if not form.is_valid():
        return False
    try:
        releases.release_protection_table(
            request.user, year, exercise=exercise,  # type: ignore[arg-type]
            reason=form.cleaned_data["reason"], k=settings.CASES_SUPPRESSION_K, channel="page")
    except ServiceError as error:
        form.add_error("reason" if error.field == "reason" else None, error.message)
        return False
    return True


def _preview(request: HttpRequest, year: int, exercise: bool) -> list[list[object]]:
    """What a release would hold now, for a publisher; counting it is a read in the log."""
    rows, counted = queries.protection_table(request.user, year, settings.CASES_SUPPRESSION_K,
                                             exercise=exercise)
    log_access(request.user, AccessLog.Action.READ, "protection",
               countable_fields("protection"), counted, "page")
    return _written(rows)


@second_factor_required
def protection_publication(request: HttpRequest) -> HttpResponse:
    """The release in force of a year (`format=csv`: its file); for the publishers, the
    preview and the form that releases it. Staff only: visitors see no protection case."""
    user = request.user
    if not access.is_entitled(user):
        raise Http404("No such record.")
    form = ProtectionPublicationForm(request.GET or {"year": timezone.localdate().year - 1})
    if not form.is_valid():
        return render(request, PAGE, {"form": form, "chosen": False}, status=400)
    year, exercise = form.cleaned_data["year"], form.cleaned_data["exercise"]
    release = releases.latest_release(user, year, exercise=exercise)
    if request.GET.get("format") == "csv":
        if release is None:
            raise Http404("No such record.")
        return _download(releases.release_csv(user, release, channel="page"), release)
    publisher = permissions.may_publish_protection(user)
    release_form = ReleaseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not publisher:
            raise PermissionDenied
        if _release(request, release_form, year, exercise):
            messages.success(request, _("The table is released; every download now gives "
                                        "this release."))
            return redirect(f"{request.path}?{request.GET.urlencode()}")
    query = request.GET.copy()
    query["year"] = str(year)
    query.pop("format", None)
    page_query = query.urlencode()
    query["format"] = "csv"
    return render(request, PAGE, {
        "form": form, "chosen": True, "columns": COLUMNS, "release": release,
        "released": _written(release.rows) if release else None,
        "preview": _preview(request, year, exercise) if publisher else None,
        "release_form": release_form if publisher else None,
        "k": settings.CASES_SUPPRESSION_K, "exercise": exercise,
        "csv_query": query.urlencode(), "page_query": page_query,
        "shows_exercise_data": exercise},
        status=422 if release_form.is_bound else 200)
