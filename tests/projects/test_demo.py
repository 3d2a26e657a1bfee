"""The projects desk's demo: EXERCISE projects through the services, loaded once, attributed
to exercise affiliations only, and a valid IATI export."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser

from hofburg.projects import queries
from hofburg.projects.demo import load_projects_demo
from hofburg.projects.iati.export import export_projects
from hofburg.projects.models import Donor, Project, Recipient, Transaction

pytestmark = pytest.mark.django_db


def test_the_demo_is_exercise_data_loaded_once() -> None:
    load_projects_demo()
    counts = (Project.objects.count(), Transaction.objects.count())
    load_projects_demo()
    assert (Project.objects.count(), Transaction.objects.count()) == counts == (4, 14)
    assert all(p.is_exercise and p.title.startswith("EXERCISE ")
               and p.owner_affiliation.is_exercise for p in Project.objects.all())
    assert all(d.is_exercise for d in Donor.objects.all())
    assert not Recipient.objects.exists()  # no real State is named
    statuses = dict(Project.objects.values_list("number", "status"))
    assert statuses == {"EX-2026-001": "implementation", "EX-2026-002": "approved",
                        "EX-2026-003": "concept", "EX-2024-004": "closed"}


def test_the_demo_projects_money_and_results_add_up() -> None:
    load_projects_demo()
    project = Project.objects.get(number="EX-2026-001")
    balances = queries.project_balances(project)
    # 250,000 + 150,000 (North) + 120,000 USD at 0.92 (South) + 60,000 (fund)
    assert balances.received == Decimal("570400.00")
    assert balances.spent == Decimal(325_000) and balances.budget == Decimal(900_000)
    output = next(r for r in queries.logframe(project) if r.code == "1.1.1")
    assert output.indicators[0].progress == Decimal("1.04")  # 156 of a target of 150


def test_the_demo_exports_as_valid_iati() -> None:
    load_projects_demo()
    result = export_projects(queries.visible_projects(AnonymousUser()))
    assert result.valid and result.count == 4
    assert result.content is not None
    assert b"EXERCISE Integrity in public procurement" in result.content
