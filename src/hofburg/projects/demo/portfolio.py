"""The EXERCISE portfolio, replayed through the ordinary services (see the package's
docstring): four projects in every state of the workflow, with money, a logframe and
progress reports."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hofburg.core.models import Role, User
from hofburg.core.services.accounts import ensure_actor, ensure_affiliation
from hofburg.projects.services import logframe, money, projects

MARK = "EXERCISE"


def _actor(code: str, role: str) -> User:
    username = f"exercise-projects-{role}-{code.removeprefix('exercise-')}"
    return ensure_actor(username, affiliation_code=code, roles=[Role.READER, Role(role)])


def load() -> None:
    ensure_affiliation("exercise-secretariat", name="Exercise Secretariat Unit",
                       kind="secretariat_unit", is_exercise=True)
    ensure_affiliation("exercise-mission", name="Exercise Field Mission",
                       kind="field_operation", is_exercise=True)
    ensure_affiliation("exercise-north", name="Exercise Delegation North", kind="delegation",
                       is_exercise=True)
    ensure_affiliation("exercise-south", name="Exercise Delegation South", kind="delegation",
                       is_exercise=True)
    for code, name, kind in (("exercise-north", "Exercise Delegation North",
                              "participating_state"),
                             ("exercise-south", "Exercise Delegation South",
                              "participating_state"),
                             ("exercise-fund", "Exercise Trust Fund", "other")):
        money.ensure_donor(code, kind=kind, name=name, is_exercise=True,
                           iati_type="10" if kind != "other" else "60")
    editor = _actor("exercise-secretariat", "editor")
    approver = _actor("exercise-secretariat", "approver")
    mission = _actor("exercise-mission", "editor")

    def project(user: User, number: str, title: str, theme: str, dimension: str,
                sectors: list[str], markers: list[dict[str, str]],
                planned: tuple[date, date]) -> int:
        created = projects.create_project(user, projects.ProjectIn(
            number=number, title=f"{MARK} {title}", dimension=dimension, theme=theme,
            description=f"{MARK} data for demonstration: {title.lower()}.",
            dac_sectors=sectors, policy_markers=markers, planned_start=planned[0],
            planned_end=planned[1], classification="public"))
        return created.pk

    def tx(user: User, pid: int, flow: str, value: int, on: date, donor: str = "",
           **extra: object) -> None:
        money.record_transaction(user, pid, money.TransactionIn(
            flow=flow, value=Decimal(value), value_date=on, donor=donor,
            **extra))  # type: ignore[arg-type]

    # 1. Anti-corruption, in implementation: money from North, South and the fund, a logframe
    # with two measured indicators and a progress report.
    pid = project(editor, "EX-2026-001", "Integrity in public procurement", "anti_corruption",
                  "economic_environmental", ["15113", "15125"],
                  [{"code": "3", "significance": "2"}], (date(2026, 1, 1), date(2027, 12, 31)))
    money.set_budget_line(editor, pid, year_=2026, original=Decimal(450_000),
                          revised=Decimal(480_000))
    money.set_budget_line(editor, pid, year_=2027, original=Decimal(420_000))
    tx(editor, pid, "pledge", 500_000, date(2025, 11, 5), "exercise-north")
    tx(editor, pid, "agreement", 400_000, date(2025, 12, 10), "exercise-north")
    tx(editor, pid, "contribution", 250_000, date(2026, 1, 20), "exercise-north")
    tx(editor, pid, "contribution", 150_000, date(2026, 7, 1), "exercise-north")
    tx(editor, pid, "pledge", 200_000, date(2025, 12, 1), "exercise-south")
    tx(editor, pid, "agreement", 200_000, date(2026, 2, 1), "exercise-south")
    tx(editor, pid, "contribution", 120_000, date(2026, 3, 15), "exercise-south",
       earmark="training of procurement officers", currency="USD", rate=Decimal("0.92"),
       rate_date=date(2026, 3, 13))
    tx(editor, pid, "contribution", 60_000, date(2026, 5, 2), "exercise-fund")
    tx(editor, pid, "expenditure", 140_000, date(2026, 6, 30),
       period_start=date(2026, 1, 1), period_end=date(2026, 6, 30))
    tx(editor, pid, "expenditure", 185_000, date(2026, 12, 31),
       period_start=date(2026, 7, 1), period_end=date(2026, 12, 31))
    lf = logframe.add_logframe_element
    lf(editor, pid, level="impact", code="1", title="Public money spent with integrity")
    lf(editor, pid, level="outcome", code="1.1", parent_code="1",
       title="Procurement bodies publish and check their tenders")
    lf(editor, pid, level="output", code="1.1.1", parent_code="1.1",
       title="Procurement officers trained in e-procurement")
    lf(editor, pid, level="activity", code="1.1.1.1", parent_code="1.1.1",
       title="Eight regional training courses")
    trained = logframe.add_indicator(editor, pid, logframe.IndicatorIn(
        element_code="1.1.1", title="Officers trained", baseline=Decimal(0),
        baseline_year=2025, means_of_verification="Attendance lists and tests"))
    published = logframe.add_indicator(editor, pid, logframe.IndicatorIn(
        element_code="1.1", title="Share of tenders published online", baseline=Decimal(35),
        baseline_year=2025, measure="2", means_of_verification="Procurement portal statistics"))
    periods = []
    for indicator, targets in ((trained, (60, 150, 240, 320)), (published, (45, 55, 70, 85))):
        for (start, end), target in zip(((date(2026, 1, 1), date(2026, 6, 30)),
                                         (date(2026, 7, 1), date(2026, 12, 31)),
                                         (date(2027, 1, 1), date(2027, 6, 30)),
                                         (date(2027, 7, 1), date(2027, 12, 31))), targets,
                                        strict=True):
            periods.append(logframe.set_target(editor, indicator.pk, start=start, end=end,
                                               target=Decimal(target)))
    logframe.submit_progress_report(editor, pid, period_end=date(2026, 6, 30),
                                    actuals=[(periods[0].pk, Decimal(48)),
                                             (periods[4].pk, Decimal(44))],
                                    summary=f"{MARK} first half-year report")
    logframe.submit_progress_report(editor, pid, period_end=date(2026, 12, 31),
                                    actuals=[(periods[1].pk, Decimal(156)),
                                             (periods[5].pk, Decimal(58))],
                                    summary=f"{MARK} second half-year report")
    projects.take_step(approver, pid, "approve", note=f"{MARK} approval")
    projects.take_step(editor, pid, "start", on=date(2026, 1, 12))

    # 2. Energy-network protection, approved and funded by South.
    pid = project(editor, "EX-2026-002", "Protecting energy networks from attack",
                  "energy_network_protection", "economic_environmental", ["23110"], [],
                  (date(2026, 9, 1), date(2028, 8, 31)))
    money.set_budget_line(editor, pid, year_=2026, original=Decimal(150_000))
    money.set_budget_line(editor, pid, year_=2027, original=Decimal(300_000))
    tx(editor, pid, "pledge", 300_000, date(2026, 4, 1), "exercise-south")
    projects.take_step(approver, pid, "approve")

    # 3. Women's economic empowerment, a concept of the field mission.
    pid = project(mission, "EX-2026-003", "Women entrepreneurs in border regions",
                  "womens_economic_empowerment", "economic_environmental", ["25010"],
                  [{"code": "1", "significance": "2"}], (date(2027, 1, 1), date(2028, 12, 31)))
    money.set_budget_line(mission, pid, year_=2027, original=Decimal(120_000))

    # 4. Climate security, closed.
    pid = project(editor, "EX-2024-004", "Climate security risk assessment",
                  "climate_security", "economic_environmental", ["41010"],
                  [{"code": "7", "significance": "1"}], (date(2024, 3, 1), date(2025, 2, 28)))
    money.set_budget_line(editor, pid, year_=2024, original=Decimal(90_000))
    tx(editor, pid, "agreement", 90_000, date(2024, 2, 1), "exercise-fund")
    tx(editor, pid, "contribution", 90_000, date(2024, 3, 1), "exercise-fund")
    tx(editor, pid, "expenditure", 86_500, date(2025, 2, 28),
       period_start=date(2024, 3, 1), period_end=date(2025, 2, 28))
    projects.take_step(approver, pid, "approve")
    projects.take_step(editor, pid, "start", on=date(2024, 3, 1))
    projects.take_step(editor, pid, "close", on=date(2025, 2, 28))
