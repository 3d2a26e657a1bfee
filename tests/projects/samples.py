"""A small projects world for the desk's tests and the API's schema run.

Beside the cast (tests/conftest.py): the registry's States AT, FI and MD, a field operation
(`mission-to-moldova`); `erin`, an editor of the cast's CPC (a Secretariat unit, so a project
owner), `paul`, an approver there, and `mona`, the cast's field-operation editor. Donors:
Austria, Finland, the EU. Projects of every classification, each with money and a logframe,
so that every route sees records of every classification mixed together.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from hofburg.core.models import Role, User
from hofburg.projects.models import Donor, Indicator, IndicatorPeriod, Project
from hofburg.projects.services.logframe import (
    IndicatorIn,
    add_indicator,
    add_logframe_element,
    set_target,
    submit_progress_report,
)
from hofburg.projects.services.money import (
    TransactionIn,
    ensure_donor,
    record_transaction,
    set_budget_line,
)
from hofburg.projects.services.projects import ProjectIn, create_project
from hofburg.registry.models import FieldOperation, ParticipatingState
from tests.conftest import PASSWORD, Cast


def make_state(iso2: str, iso3: str, numeric: str, name: str) -> ParticipatingState:
    return ParticipatingState.objects.get_or_create(
        iso2=iso2, defaults={"iso3": iso3, "numeric": numeric, "joined": date(1973, 6, 25),
                             "names": {"en": name}, "source": "test"})[0]


@dataclass
class World:
    erin: User   # editor, CPC (Secretariat unit)
    paul: User   # approver, CPC
    public: Project
    restricted: Project
    confidential: Project      # owned by CPC
    mission_secret: Project    # confidential, owned by the cast's mission
    austria: Donor
    finland: Donor
    eu: Donor


def make_registry() -> None:
    make_state("AT", "AUT", "040", "Austria")
    make_state("FI", "FIN", "246", "Finland")
    moldova = make_state("MD", "MDA", "498", "Moldova")
    FieldOperation.objects.get_or_create(code="mission-to-moldova", defaults={
        "region": "Eastern Europe", "host_state": moldova, "names": {"en": "Mission to Moldova"},
        "source": "test"})


def make_donors() -> tuple[Donor, Donor, Donor]:
    return (ensure_donor("at", kind="participating_state", name="Austria", iso2="AT"),
            ensure_donor("fi", kind="participating_state", name="Finland", iso2="FI"),
            ensure_donor("eu", kind="eu", name="European Union", iati_ref="XI-IATI-EC_INTPA",
                         iati_type="40"))


def project_in(number: str, classification: str, **kw: object) -> ProjectIn:
    values: dict[str, object] = {
        "number": number, "title": f"Anti-corruption training {number}",
        "dimension": "economic_environmental", "theme": "anti_corruption",
        "description": "Training for prosecutors.", "dac_sectors": ["15113"],
        "policy_markers": [{"code": "3", "significance": "2"}], "recipients": ["MD"],
        "planned_start": date(2025, 1, 1), "planned_end": date(2026, 12, 31),
        "classification": classification}
    values.update(kw)
    return ProjectIn(**values)  # type: ignore[arg-type]


def fill(user: User, project: Project, scale: int = 1) -> None:
    """Budget, money and a logframe with one measured indicator."""
    set_budget_line(user, project.pk, year_=2025, original=Decimal(100_000 * scale),
                    revised=Decimal(120_000 * scale))
    set_budget_line(user, project.pk, year_=2026, original=Decimal(80_000 * scale))
    for flow, value, on in (("pledge", 150_000, date(2024, 11, 1)),
                            ("agreement", 120_000, date(2024, 12, 1)),
                            ("contribution", 90_000, date(2025, 2, 1))):
        record_transaction(user, project.pk, TransactionIn(
            flow=flow, value=Decimal(value * scale), value_date=on, donor="at"))
    record_transaction(user, project.pk, TransactionIn(
        flow="contribution", value=Decimal(10_000 * scale), value_date=date(2025, 5, 1),
        donor="eu", earmark="training"))
    record_transaction(user, project.pk, TransactionIn(
        flow="expenditure", value=Decimal(40_000 * scale), value_date=date(2025, 6, 30),
        period_start=date(2025, 1, 1), period_end=date(2025, 6, 30)))
    add_logframe_element(user, project.pk, level="impact", code="1",
                         title="Less corruption in public procurement")
    add_logframe_element(user, project.pk, level="outcome", code="1.1", parent_code="1",
                         title="Prosecutors bring procurement cases")
    add_logframe_element(user, project.pk, level="output", code="1.1.1", parent_code="1.1",
                         title="Prosecutors trained")
    add_logframe_element(user, project.pk, level="activity", code="1.1.1.1",
                         parent_code="1.1.1", title="Four training courses")
    indicator = add_indicator(user, project.pk, IndicatorIn(
        element_code="1.1.1", title="Prosecutors trained", baseline=Decimal(0),
        baseline_year=2024, means_of_verification="Attendance lists"))
    first = set_target(user, indicator.pk, start=date(2025, 1, 1), end=date(2025, 6, 30),
                       target=Decimal(40))
    set_target(user, indicator.pk, start=date(2025, 7, 1), end=date(2025, 12, 31),
               target=Decimal(100))
    submit_progress_report(user, project.pk, period_end=date(2025, 6, 30),
                           actuals=[(first.pk, Decimal(30))], summary="First half")


def make_world(cast: Cast) -> World:
    make_registry()
    austria, finland, eu = make_donors()
    erin = User.objects.create_user("erin", password=PASSWORD, affiliation=cast.cpc,
                                    roles=[Role.READER, Role.EDITOR])
    paul = User.objects.create_user("paul", password=PASSWORD, affiliation=cast.cpc,
                                    roles=[Role.READER, Role.APPROVER])
    public = create_project(erin, project_in("P-100", "public"))
    restricted = create_project(erin, project_in("P-200", "restricted", theme="climate_security",
                                                 dac_sectors=["41010"], recipients=["FI"]))
    confidential = create_project(erin, project_in("P-300", "confidential"))
    mission_secret = create_project(cast.mona, project_in("P-400", "confidential",
                                                          recipients=["AT"]))
    for project, user in ((public, erin), (restricted, erin), (confidential, erin),
                          (mission_secret, cast.mona)):
        fill(user, project)
    return World(erin, paul, public, restricted, confidential, mission_secret,
                 austria, finland, eu)


def periods_of(project: Project) -> list[IndicatorPeriod]:
    return list(IndicatorPeriod.objects.filter(indicator__element__project=project)
                .order_by("start"))


def indicator_of(project: Project) -> Indicator:
    return Indicator.objects.get(element__project=project)
