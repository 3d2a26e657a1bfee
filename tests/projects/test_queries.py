"""Reads through core.access: lists, totals, a donor's and a State's contributions count only
what the reader may see."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from hofburg.projects import queries
from hofburg.projects.contributions import state_contributions
from hofburg.projects.services.personnel import SecondmentIn, record_secondment
from tests.conftest import Cast
from tests.projects.samples import World, make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast: Cast) -> World:
    return make_world(cast)


def numbers(user: object, **filters: object) -> list[str]:
    projects = queries.filtered_projects(user, queries.PortfolioFilters(**filters))  # type: ignore[arg-type]
    return sorted(projects.values_list("number", flat=True))


def test_each_reader_lists_only_what_they_may_see(cast: Cast, world: World) -> None:
    assert numbers(AnonymousUser()) == ["P-100"]
    assert numbers(cast.alice) == ["P-100", "P-200"]
    assert numbers(world.erin) == ["P-100", "P-200", "P-300"]
    assert numbers(cast.mona) == ["P-100", "P-200", "P-400"]
    with pytest.raises(Http404):
        queries.get_project(cast.alice, world.confidential.pk)


def test_filters_narrow_the_portfolio(cast: Cast, world: World) -> None:
    assert numbers(world.erin, theme="climate_security") == ["P-200"]
    assert numbers(world.erin, state="fi") == ["P-200"]
    assert numbers(world.erin, owner="mission") == []
    assert numbers(cast.mona, owner="mission") == ["P-400"]
    assert numbers(world.erin, donor="eu") == ["P-100", "P-200", "P-300"]
    assert numbers(world.erin, status="implementation") == []


def test_totals_add_only_visible_projects_and_match_the_engine(cast: Cast,
                                                               world: World) -> None:
    anonymous = queries.portfolio_totals(queries.visible_projects(AnonymousUser()))
    assert anonymous.count == 1
    assert anonymous.balances == queries.project_balances(world.public)
    alice = queries.portfolio_totals(queries.visible_projects(cast.alice))
    assert alice.count == 2 and alice.balances.received == Decimal(200_000)
    assert alice.currencies == ("EUR",)
    rows = {p.number: p for p in queries.with_money(queries.visible_projects(cast.alice))}
    assert rows["P-200"].budget == Decimal(200_000)  # type: ignore[attr-defined]
    assert rows["P-200"].spent == Decimal(40_000)  # type: ignore[attr-defined]


def test_a_donors_contributions_count_only_visible_projects(cast: Cast, world: World) -> None:
    seen = queries.donor_contributions(cast.alice, world.austria)
    assert [(r["project__number"], r["received"]) for r in seen] == [
        ("P-100", Decimal(90_000)), ("P-200", Decimal(90_000))]


def test_a_states_panel_adds_assessed_extra_budgetary_and_secondments(cast: Cast,
                                                                       world: World) -> None:
    record_secondment(cast.mona, SecondmentIn(
        field_operation="mission-to-moldova", seconding_state="AT", year=2025, seconded=3,
        classification="confidential"))
    anonymous = state_contributions(AnonymousUser(), "at")
    assert [(y.year, y.extra_budgetary, y.seconded) for y in anonymous.years] == [
        (2025, Decimal(90_000), 0)]
    mona = state_contributions(cast.mona, "AT")
    assert [(y.year, y.extra_budgetary, y.seconded) for y in mona.years] == [
        (2025, Decimal(270_000), 3)]  # P-100, P-200 and her mission's P-400
    us = state_contributions(AnonymousUser(), "US")  # in the shipped press scale of 2019
    assert [(y.year, y.assessed.amount_eur if y.assessed else None) for y in us.years] == [
        (2019, Decimal("17940000"))]
    assert us.years[0].assessed is not None and us.years[0].assessed.approximate
