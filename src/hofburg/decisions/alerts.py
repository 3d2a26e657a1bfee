"""This desk's alerts for a participating State's delegation (`core.alerts`, "My State"): the
drafts under the silence procedure the reader may see.

Under Annex 1(A) of the Rules of Procedure a draft placed under silence is adopted at the
expiry unless a participating State objects or proposes an amendment in writing before then:
every participating State's delegation has until that moment to act, so each such draft is an
alert for every one of them. A silence that has expired counts as an adoption, not an alert
(`queries.drafts.with_status`).
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hofburg.core import alerts, dates, updated
from hofburg.core.access import AnyUser
from hofburg.decisions.clock import VIENNA
from hofburg.decisions.engine import silence
from hofburg.decisions.queries.drafts import visible_drafts, with_status


def under_silence(user: AnyUser, iso2: str, now: datetime, limit: int) -> alerts.Raised | None:
    """The drafts `user` may see that are under silence at `now`, the soonest expiry first."""
    drafts = with_status(visible_drafts(user), silence.Status.UNDER_SILENCE, now).order_by(
        "silence_expires_at", "pk")
    total = drafts.count()
    if not total:
        return None
    listed = [
        alerts.Alert(
            title=f"{draft.symbol} — {draft.title}",
            url=reverse("decisions:draft", args=[draft.pk]),
            detail=_("under silence until %(moment)s: an objection or an amendment in writing "
                     "before then breaks it") % {
                "moment": dates.moment(draft.silence_expires_at, VIENNA.key)},
            is_exercise=draft.is_exercise)
        for draft in drafts[:limit] if draft.silence_expires_at is not None]
    return alerts.Raised(
        total=total, alerts=listed, updated=updated.latest_of(drafts, "updated_at"),
        more_url=reverse("decisions:status_table") + "?" + urlencode(
            {"status": silence.Status.UNDER_SILENCE.value}))


def register() -> None:
    alerts.register("decisions", gettext_lazy("Drafts under silence"), under_silence, order=10)
