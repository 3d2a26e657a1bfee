"""This desk's alerts for a participating State's delegation (`core.alerts`, "My State"): the
media-freedom alerts about the State that await its reply.

The Council of Europe platform the desk's alerts follow expects the State concerned to reply
(`models.StateReply`), so an alert about the State without a reply recorded is one its
delegation is asked to act on. Read as the desk reads outside its pages (`finder.desk_reader`):
a signed-in member who has not passed the second factor in this session is answered as a
visitor, with the published alerts only. Only public fields of an alert leave (its id and its
submission date, `engine.fields`); an alert carries no time among them, so these alerts never
move a card's "last updated".
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlencode

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hofburg.cases import queries
from hofburg.cases.finder import desk_reader
from hofburg.cases.models import StateReply
from hofburg.core import alerts, dates
from hofburg.core.access import AnyUser


def awaiting_reply(user: AnyUser, iso2: str, now: datetime, limit: int) -> alerts.Raised | None:
    """The alerts about the State `iso2` that the reader may see and that have no reply of the
    State recorded, the oldest first (the longest without an answer)."""
    found = queries.alerts_for(desk_reader(user), country=iso2).filter(
        ~Exists(StateReply.objects.filter(alert=OuterRef("pk")))).order_by(
        "submitted_on", "alert_id")
    total = found.count()
    if not total:
        return None
    listed = [
        alerts.Alert(
            title=alert.alert_id, url=reverse("cases:alert", args=[alert.alert_id]),
            detail=_("media-freedom alert submitted on %(day)s: no reply of the State recorded")
            % {"day": dates.day(alert.submitted_on)},
            is_exercise=alert.is_exercise)
        for alert in found.select_related(None).only("alert_id", "submitted_on",
                                                     "is_exercise")[:limit]]
    return alerts.Raised(total=total, alerts=listed, updated=None,
                         more_url=reverse("cases:alerts") + "?" + urlencode({"country": iso2}))


def register() -> None:
    alerts.register("cases", gettext_lazy("Media-freedom alerts awaiting your State's reply"),
                    awaiting_reply, order=20)
