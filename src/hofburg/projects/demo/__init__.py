"""Demo data of the projects desk: EXERCISE projects, donors and results, replayed through the
ordinary services.

Every project, donor, amount and indicator here is EXERCISE data: owned by the exercise
Secretariat unit and the exercise field mission, funded by the exercise delegations North and
South and an exercise fund, with no recipient State, so nothing is attributed to a real State,
body or person. The real, sourced facts of the desk (the Unified Budget by year, the 14 %
ceiling, the press's scale shares) are the data files under `data/projects/`, shown with their
labels; they need no loading.
"""

from __future__ import annotations

from hofburg.core.demo import DemoError, register_loader
from hofburg.core.errors import ServiceError


def register() -> None:
    register_loader("projects", load_projects_demo)


def load_projects_demo() -> None:
    """Load the exercise portfolio once (a second run finds it and adds nothing)."""
    from hofburg.projects.models import Project

    if Project.objects.filter(number__startswith="EX-").exists():
        return
    from hofburg.projects.demo import portfolio

    try:
        portfolio.load()
    except ServiceError as exc:
        raise DemoError(f"projects: {exc}") from exc
