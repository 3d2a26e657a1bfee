""""My State": a delegation's start on the home page — its State's deadlines, the alerts the
desks raise for it and the new documents concerning it, as far as the member may see them.

The card appears for the members of a participating State's delegation (their affiliation's
`state_iso2`, decision 0061 for the demo's). It gathers the panels desks register in the
`my_state` slot of `core.panels`, each a card of the desk's own (the Vienna Document desk's
deadlines, the library's new documents), and the alerts desks register with `core.alerts`,
which it shows together in one card of its own. Every card says when its records last changed
(`core.updated`); the State's figures and contributions stay on its page, linked from here.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from hofburg.core import alerts, panels, updated
from hofburg.core.access import AnyUser
from hofburg.registry.models import ParticipatingState


def delegation_state(user: AnyUser) -> ParticipatingState | None:
    """The participating State the user's delegation stands for; None for anyone else (a
    Partner's delegation, the Secretariat, a visitor) or while the registry is not loaded."""
    affiliation = getattr(user, "affiliation", None)
    iso2 = (getattr(affiliation, "state_iso2", "") or "").upper()
    if not iso2:
        return None
    return ParticipatingState.objects.filter(iso2=iso2).first()


def my_state_panel(request: HttpRequest, subject: object = None) -> dict[str, Any] | None:
    """The home page's "My State" for a member of a participating State's delegation."""
    state = delegation_state(request.user)
    if state is None:
        return None
    cards = panels.render_panels("my_state", request, state)
    return {"state": state, "cards": cards, "shows_exercise_data": cards.shows_exercise_data}


def alerts_card(request: HttpRequest, state: ParticipatingState) -> dict[str, Any]:
    """The alerts the desks raise for the State, grouped by desk; shown even when there are
    none, so that "nothing" is said rather than guessed."""
    groups = alerts.for_state(request.user, state.iso2, timezone.now())
    at = updated.latest(*(group.raised.updated for group in groups))
    return {"groups": groups, "updated": at, "unrecorded": bool(groups) and at is None,
            "shows_exercise_data": any(alert.is_exercise for group in groups
                                       for alert in group.raised.alerts)}


def register() -> None:
    """The home page's card, and the alerts card among the My State cards (after the
    deadlines, before the documents)."""
    panels.register("home", "my_state", "registry/panels/my_state.html", my_state_panel,
                    order=1)
    panels.register("my_state", "alerts", "registry/panels/my_state_alerts.html",
                    alerts_card, order=20)
