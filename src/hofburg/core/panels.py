"""Registration points where desks add their panels to shared pages.

A desk registers a panel from its AppConfig.ready():

    panels.register("state_profile", "csbm", "csbm/panels/state.html", state_context, order=20)

`context` receives the request and the page's subject (for a State profile, the
ParticipatingState) and returns the template context, or None when the desk has nothing to
show; such a panel is left out, so users never see empty placeholders. A context with
`"shows_exercise_data": True` makes the page show the exercise-data banner.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

PanelContext = Callable[[HttpRequest, Any], dict[str, Any] | None]


@dataclass(frozen=True)
class Panel:
    slot: str
    name: str
    template: str
    context: PanelContext
    order: int = 100


_panels: dict[str, dict[str, Panel]] = {}


def register(slot: str, name: str, template: str, context: PanelContext, order: int = 100) -> None:
    """Add (or replace, by name) a panel in a slot."""
    _panels.setdefault(slot, {})[name] = Panel(slot, name, template, context, order)


def registered(slot: str) -> list[Panel]:
    return sorted(_panels.get(slot, {}).values(), key=lambda p: (p.order, p.name))


class RenderedPanels(list[SafeString]):
    """The panels' HTML, in order; `shows_exercise_data` is true when any panel said its context
    holds exercise data (`"shows_exercise_data": True`), so the page can show the banner."""

    shows_exercise_data: bool = False


def render_panels(slot: str, request: HttpRequest, subject: Any = None) -> RenderedPanels:
    """The HTML of every panel in `slot` that has something to show, in order."""
    rendered = RenderedPanels()
    for panel in registered(slot):
        context = panel.context(request, subject)
        if context is None:
            continue
        rendered.shows_exercise_data |= bool(context.get("shows_exercise_data"))
        rendered.append(render_to_string(panel.template, context, request=request))
    return rendered
