"""The panel this desk adds to a State's profile: what the State contributed, and to what."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from hofburg.core import access, panels
from hofburg.projects.contributions import state_contributions
from hofburg.registry.models import ParticipatingState


def state_panel(request: HttpRequest, state: ParticipatingState) -> dict[str, Any] | None:
    """Assessed, extra-budgetary and seconded per year, as far as the user may see them; None
    when there is nothing to show."""
    found = state_contributions(request.user, state.iso2)
    if found.empty:
        return None
    return {
        "found": found,
        "user_is_entitled": access.is_entitled(request.user),
        "approximate": any(r.assessed and r.assessed.approximate for r in found.years),
        "chart": {
            "years": [r.year for r in found.years],
            "series": [
                {"label": _("Assessed (EUR)"),
                 "data": [float(r.assessed.amount_eur) if r.assessed else None
                          for r in found.years]},
                {"label": _("Extra-budgetary received"),
                 "data": [float(r.extra_budgetary) for r in found.years]},
            ],
        },
    }


def register() -> None:
    """Register this desk's panels with core.panels (called from AppConfig.ready)."""
    panels.register("state_profile", "projects", "projects/panels/state.html", state_panel,
                    order=40)
