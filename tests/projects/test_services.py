"""The projects desk's write path: projects and workflow, money, logframe, secondments."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from hofburg.core.access import AccessDenied
from hofburg.core.errors import Conflict, Invalid, NotFound
from hofburg.core.models import AuditEntry
from hofburg.projects import queries
from hofburg.projects.models import ActualChange, Approval, Project, Transaction
from hofburg.projects.services.logframe import (
    IndicatorIn,
    add_indicator,
    add_logframe_element,
    set_target,
    submit_progress_report,
)
from hofburg.projects.services.money import TransactionIn, record_transaction, set_budget_line
from hofburg.projects.services.personnel import SecondmentIn, record_secondment
from hofburg.projects.services.projects import create_project, take_step
from tests.conftest import Cast
from tests.projects.samples import World, indicator_of, make_world, periods_of, project_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast: Cast) -> World:
    return make_world(cast)


def test_a_secretariat_editor_creates_a_project_owned_by_their_unit(cast: Cast,
                                                                     world: World) -> None:
    project = world.public
    assert project.owner_affiliation == cast.cpc and project.status == "concept"
    assert list(project.recipients.values_list("iso2", flat=True)) == ["MD"]
    assert AuditEntry.objects.filter(model_label="projects.Project", action="create",
                                     object_id=str(project.pk)).exists()


def test_delegations_and_readers_may_not_create_projects(cast: Cast, world: World) -> None:
    with pytest.raises(AccessDenied):
        create_project(cast.alice, project_in("P-900", "public"))
    with pytest.raises(AccessDenied):
        create_project(cast.carol, project_in("P-900", "public"))  # analyst, not editor
    assert not Project.objects.filter(number="P-900").exists()


@pytest.mark.parametrize(("change", "field"), [
    ({"dac_sectors": ["99999"]}, "dac_sectors"),
    ({"currency": "XXY"}, "currency"),
    ({"recipients": ["ZZ"]}, "recipients"),
    ({"theme": "alchemy"}, "theme"),
    ({"policy_markers": [{"code": "3", "significance": "9"}]},
     "policy_markers[0].significance"),
    ({"titles": {"xx": "?"}}, "titles"),
    ({"planned_end": date(2024, 1, 1)}, "planned_end"),
    ({"title": "  "}, "title"),
])
def test_bad_project_input_is_refused_naming_the_field(world: World, change: dict[str, object],
                                                       field: str) -> None:
    with pytest.raises(Invalid) as refused:
        create_project(world.erin, project_in("P-901", "public", **change))
    assert refused.value.field == field
    assert not Project.objects.filter(number="P-901").exists()


def test_a_taken_number_is_a_conflict(world: World) -> None:
    with pytest.raises(Conflict):
        create_project(world.erin, project_in("P-100", "public"))


def test_the_workflow_records_each_approval_and_needs_an_approver_to_approve(
        cast: Cast, world: World) -> None:
    project = world.public
    with pytest.raises(AccessDenied, match="approvers"):
        take_step(world.erin, project.pk, "approve")
    take_step(world.paul, project.pk, "approve", note="Fits the programme")
    with pytest.raises(AccessDenied):
        take_step(world.paul, project.pk, "start")  # an approver, not an editor
    take_step(world.erin, project.pk, "start", on=date(2025, 1, 15))
    with pytest.raises(Conflict, match="implementation cannot approve"):
        take_step(world.paul, project.pk, "approve")
    take_step(world.erin, project.pk, "close", on=date(2026, 12, 31))
    project.refresh_from_db()
    assert (project.status, project.actual_start, project.actual_end) == (
        "closed", date(2025, 1, 15), date(2026, 12, 31))
    steps = list(Approval.objects.filter(project=project).values_list("action", "by__username"))
    assert steps == [("approve", "paul"), ("start", "erin"), ("close", "erin")]
    with pytest.raises(NotFound):
        take_step(cast.alice, world.confidential.pk, "cancel")  # hidden is absent


def test_money_balances_are_computed_from_what_was_recorded(world: World) -> None:
    figures = queries.project_balances(world.public)
    assert figures.budget == Decimal(200_000)  # 120,000 revised 2025 + 80,000 2026
    assert (figures.pledged, figures.agreed, figures.received, figures.spent) == (
        Decimal(150_000), Decimal(120_000), Decimal(100_000), Decimal(40_000))
    assert figures.cash_balance == Decimal(60_000) and figures.burn_rate == Decimal("0.2")
    by_donor = queries.contributions_by_donor_and_year(world.public)
    assert [(r["donor__code"], r["year"], r["total"]) for r in by_donor] == [
        ("at", 2025, Decimal(90_000)), ("eu", 2025, Decimal(10_000))]


def test_a_contribution_in_another_currency_keeps_the_rate_and_its_date(world: World) -> None:
    tx = record_transaction(world.erin, world.public.pk, TransactionIn(
        flow="contribution", value=Decimal(1000), value_date=date(2025, 3, 10), donor="fi",
        currency="USD", rate=Decimal("0.9"), rate_date=date(2025, 3, 7)))
    assert (tx.value, tx.original_value, tx.original_currency, tx.rate_date) == (
        Decimal("900.00"), Decimal(1000), "USD", date(2025, 3, 7))
    count = Transaction.objects.count()
    bad_inputs: list[tuple[dict[str, object], str]] = [
        ({"rate": None}, "rate"), ({"rate_date": date(2025, 3, 11)}, "rate_date"),
        ({"currency": "QQQ"}, "currency")]
    for bad, field in bad_inputs:
        given: dict[str, object] = {
            "flow": "contribution", "value": Decimal(1000), "value_date": date(2025, 3, 10),
            "donor": "fi", "currency": "USD", "rate": Decimal("0.9"),
            "rate_date": date(2025, 3, 7), **bad}
        with pytest.raises(Invalid) as refused:
            record_transaction(world.erin, world.public.pk,
                               TransactionIn(**given))  # type: ignore[arg-type]
        assert refused.value.field == field
    assert Transaction.objects.count() == count


def test_money_refusals_change_nothing(cast: Cast, world: World) -> None:
    count = Transaction.objects.count()
    with pytest.raises(Invalid, match="Unknown donor"):
        record_transaction(world.erin, world.public.pk, TransactionIn(
            flow="pledge", value=Decimal(1), value_date=date(2025, 1, 1), donor="nobody"))
    with pytest.raises(Invalid, match="no donor"):
        record_transaction(world.erin, world.public.pk, TransactionIn(
            flow="expenditure", value=Decimal(1), value_date=date(2025, 1, 1), donor="at"))
    with pytest.raises(Invalid, match="two decimals"):
        record_transaction(world.erin, world.public.pk, TransactionIn(
            flow="pledge", value=Decimal("1.001"), value_date=date(2025, 1, 1), donor="at"))
    with pytest.raises(AccessDenied):
        record_transaction(cast.mona, world.public.pk, TransactionIn(
            flow="pledge", value=Decimal(1), value_date=date(2025, 1, 1), donor="at"))
    with pytest.raises(Invalid):
        set_budget_line(world.erin, world.public.pk, year_=1066, original=Decimal(1))
    assert Transaction.objects.count() == count


def test_the_logframe_nests_and_activities_have_no_indicators(world: World) -> None:
    with pytest.raises(Invalid, match="An output belongs under an outcome"):
        add_logframe_element(world.erin, world.public.pk, level="output", code="2",
                             parent_code="1", title="x")
    with pytest.raises(Conflict):
        add_logframe_element(world.erin, world.public.pk, level="impact", code="1", title="x")
    with pytest.raises(Invalid, match="Activities have no indicators"):
        add_indicator(world.erin, world.public.pk, IndicatorIn(
            element_code="1.1.1.1", title="x", baseline=Decimal(0), baseline_year=2024))


def test_progress_reports_update_actuals_and_keep_what_they_replaced(world: World) -> None:
    first, second = periods_of(world.public)
    assert first.actual == Decimal(30)
    submit_progress_report(world.erin, world.public.pk, period_end=date(2025, 12, 31),
                           actuals=[(first.pk, Decimal(42)), (second.pk, Decimal(75))])
    first.refresh_from_db()
    assert first.actual == Decimal(42)
    history = list(ActualChange.objects.filter(period=first).values_list("before", "after"))
    assert history == [(None, Decimal(30)), (Decimal(30), Decimal(42))]
    rows = queries.logframe(world.public)
    assert [r.code for r in rows] == ["1", "1.1", "1.1.1", "1.1.1.1"]
    assert rows[2].indicators[0].progress == Decimal("0.75")  # 75 of 100 from a baseline of 0


def test_a_report_may_not_touch_another_projects_period_or_a_future_one(world: World) -> None:
    other = periods_of(world.restricted)[0]
    second = periods_of(world.public)[1]
    with pytest.raises(Invalid, match="not a period of this project"):
        submit_progress_report(world.erin, world.public.pk, period_end=date(2025, 12, 31),
                               actuals=[(other.pk, Decimal(1))])
    with pytest.raises(Invalid, match="starts after"):
        submit_progress_report(world.erin, world.public.pk, period_end=date(2025, 6, 30),
                               actuals=[(second.pk, Decimal(1))])
    other.refresh_from_db()
    assert other.actual == Decimal(30)


def test_target_periods_may_not_overlap(world: World) -> None:
    indicator = indicator_of(world.public)
    with pytest.raises(Conflict, match="overlaps"):
        set_target(world.erin, indicator.pk, start=date(2025, 6, 1), end=date(2025, 8, 1),
                   target=Decimal(5))
    revised = set_target(world.erin, indicator.pk, start=date(2025, 7, 1),
                         end=date(2025, 12, 31), target=Decimal(90))
    assert revised.target == Decimal(90)


def test_secondments_are_recorded_by_field_operations_and_the_secretariat(
        cast: Cast, world: World) -> None:
    row = record_secondment(cast.mona, SecondmentIn(
        field_operation="mission-to-moldova", seconding_state="at", year=2025, seconded=4,
        contracted=2))
    assert (row.seconding_state, row.seconded, row.owner_affiliation) == ("AT", 4, cast.mission)
    again = record_secondment(cast.mona, SecondmentIn(
        field_operation="mission-to-moldova", seconding_state="AT", year=2025, seconded=5))
    assert again.pk == row.pk and again.seconded == 5
    with pytest.raises(AccessDenied):
        record_secondment(cast.alice, SecondmentIn(
            field_operation="mission-to-moldova", seconding_state="AT", year=2025, seconded=1))
    with pytest.raises(AccessDenied, match="recorded this figure"):
        record_secondment(world.erin, SecondmentIn(
            field_operation="mission-to-moldova", seconding_state="AT", year=2025, seconded=1))
    with pytest.raises(Invalid) as refused:
        record_secondment(cast.mona, SecondmentIn(
            field_operation="nowhere", seconding_state="AT", year=2025, seconded=1))
    assert refused.value.field == "field_operation"


def test_a_project_is_updated_by_its_owner_keeping_number_and_currency(cast: Cast,
                                                                        world: World) -> None:
    from hofburg.projects.services.projects import update_project

    changed = update_project(world.erin, world.public.pk, project_in(
        "P-100", "public", title="Procurement integrity", recipients=["MD", "FI"],
        titles={"ru": "Честные закупки"}))
    assert changed.title == "Procurement integrity" and changed.titles == {
        "ru": "Честные закупки"}
    assert sorted(changed.recipients.values_list("iso2", flat=True)) == ["FI", "MD"]
    assert AuditEntry.objects.filter(model_label="projects.Project", action="update",
                                     object_id=str(changed.pk)).count() == 1
    with pytest.raises(Conflict, match="number does not change"):
        update_project(world.erin, world.public.pk, project_in("P-101", "public"))
    with pytest.raises(Conflict, match="currency"):
        update_project(world.erin, world.public.pk, project_in("P-100", "public",
                                                               currency="USD"))
    with pytest.raises(AccessDenied):
        update_project(cast.mona, world.public.pk, project_in("P-100", "public"))
    with pytest.raises(NotFound):
        update_project(cast.mona, world.confidential.pk, project_in("P-300", "public"))
    world.public.refresh_from_db()
    assert world.public.title == "Procurement integrity"
