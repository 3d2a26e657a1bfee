"""Demo (exercise) data of this desk, loaded by `hofburg demo`.

A week of EXERCISE observations from the scenario generator (scenario.py), entered by an
exercise monitor of the exercise field mission; the multi-observer events of all days but the
last are verified (with their observations), made public and their periods released, so the
public map and trends have something to show and the latest period is left for the desk to work
on. Nothing is attributed to a real party.
Loading again finds the scenario's observations and adds nothing.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

DEMO_DAYS = 7
DEMO_SEED = 7
DEMO_PREFIX = "EXDEMO"
DEMO_START = date(2026, 3, 1)
MONITOR = "exercise-monitor"


def register() -> None:
    """Register this desk's demo loader with core.demo (called from AppConfig.ready)."""
    from hofburg.core.demo import register_loader

    register_loader("monitoring", load_demo_scenario)


def load_demo_scenario() -> None:
    """Import the exercise week and publish its corroborated events (idempotent)."""
    import tempfile

    from django.conf import settings

    from hofburg.core.models import Role
    from hofburg.core.services.accounts import ensure_actor, ensure_affiliation
    from hofburg.monitoring import mission, scenario
    from hofburg.monitoring.importing import header, pipeline
    from hofburg.monitoring.intake import release, workflow
    from hofburg.monitoring.models import Event, EventStatus, Observation, ObservationStatus

    if Observation.objects.filter(observation_id__startswith=f"{DEMO_PREFIX}-").exists():
        return
    ensure_affiliation("exercise-mission", name="Exercise Field Mission",
                       kind="field_operation", is_exercise=True)
    monitor = ensure_actor(MONITOR, affiliation_code="exercise-mission",
                           roles=[Role.READER, Role.EDITOR])
    line = Path(settings.REFERENCE_DATA_DIR) / "monitoring" / "exercise_lines.geojson"
    rows = scenario.generate(days=DEMO_DAYS, seed=DEMO_SEED, line_path=line, start=DEMO_START,
                             id_prefix=DEMO_PREFIX, zone=mission.reporting_calendar().zone)
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "exercise-week.csv"
        scenario.write_csv(path, rows, header.CSV_COLUMNS)
        pipeline.import_observations(path, actor=monitor, is_exercise=True)
    last_day = DEMO_START + timedelta(days=DEMO_DAYS - 1)
    corroborated = Event.objects.filter(is_exercise=True, status=EventStatus.PROVISIONAL,
                                        number_of_sources__gte=2, report_date__lt=last_day)
    for event in corroborated.order_by("first_observed_at"):
        for observation in event.observations.filter(status=ObservationStatus.SUBMITTED):
            workflow.verify_observation(monitor, observation)
        event = workflow.verify_event(monitor, event)
        workflow.declassify_event(monitor, event, "EXERCISE data: released for the "
                                                  "demonstration")
    day = DEMO_START
    while day < last_day:
        release.release_period(monitor, day)
        day += timedelta(days=1)


def demo_window() -> tuple[date, date]:
    """The report dates the demo covers (for pages that want a sensible default range)."""
    return DEMO_START, DEMO_START + timedelta(days=DEMO_DAYS)
