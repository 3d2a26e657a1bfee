"""The projects desk at scale: a portfolio of 5,000 projects.

Generates, in a fresh database (SQLite in a temporary folder, or the PostgreSQL database named
by HOFBURG_BENCH_DATABASE_URL), generated records: 5,000 projects of every classification owned
by a dozen affiliations, two budget lines each, 40,000 transactions from 30 donors, and a
logframe per project whose 10,000 indicators have 60,000 periods with targets and actuals.
Then it times, through the same code paths as the pages and scripts:

- the portfolio with its totals (page, and the API's list and totals);
- a State's contribution panel on its profile;
- the IATI export of every project with validation against the official schema.

    python -m benchmarks.projects [--projects 5000] [--transactions 40000] [--periods 60000]

Targets (issue): portfolio p95 <= 150 ms, panel <= 100 ms, IATI export <= 10 s.
Figures go to benchmarks/README.md by hand.
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from benchmarks.common import setup, timed

STATES = ["AT", "DE", "FI", "FR", "IT", "NL", "NO", "SE", "CH", "US", "GB", "CA", "PL", "ES",
          "DK", "BE", "IE", "LU", "CZ", "SK"]
RECIPIENTS = ["MD", "UA", "GE", "AM", "AZ", "KZ", "KG", "TJ", "UZ", "TM", "RS", "BA", "ME",
              "MK", "AL"]
THEMES = [("anti_corruption", "15113"), ("anti_money_laundering", "24010"),
          ("energy_network_protection", "23110"), ("climate_security", "41010"),
          ("womens_economic_empowerment", "25010"), ("border_management", "15210"),
          ("elections", "15151"), ("media_freedom", "15153")]
STATUSES = ["concept", "approved", "implementation", "implementation", "implementation",
            "closed", "suspended", "cancelled"]


def generate(args: argparse.Namespace) -> tuple[Any, list[Any]]:
    """Bulk-insert the portfolio; returns (a Secretariat affiliation, the projects)."""
    from hofburg.core.models import Affiliation
    from hofburg.projects.models import (
        BudgetLine,
        Donor,
        Indicator,
        IndicatorPeriod,
        LogframeElement,
        Project,
        Recipient,
        Transaction,
    )
    from hofburg.registry.models import ParticipatingState

    rng = random.Random(1)
    for number, iso2 in enumerate(sorted(set(STATES + RECIPIENTS)), start=1):
        ParticipatingState.objects.create(iso2=iso2, iso3=f"X{iso2}", numeric=f"{number:03d}",
                                          joined=date(1973, 6, 25), names={"en": iso2},
                                          source="benchmark")
    owners = [Affiliation.objects.create(code=f"bench-owner-{i}", name=f"Bench owner {i}",
                                         kind=kind)
              for i, kind in enumerate(["secretariat_unit"] * 4 + ["institution"] * 2
                                       + ["field_operation"] * 6)]
    donors = Donor.objects.bulk_create(
        [Donor(code=f"d-{s.lower()}", kind="participating_state", name=f"Donor {s}", iso2=s)
         for s in STATES]
        + [Donor(code=f"other-{i}", kind="other", name=f"Other donor {i}", iati_type="60")
           for i in range(10)])
    projects = []
    for i in range(args.projects):
        theme, sector = THEMES[i % len(THEMES)]
        start = date(2018, 1, 1) + timedelta(days=rng.randrange(2500))
        projects.append(Project(
            number=f"B-{i:05d}", title=f"Generated project {i} on {theme.replace('_', ' ')}",
            description="Generated for the benchmark.", dimension="economic_environmental",
            theme=theme, dac_sectors=[sector], policy_markers=[{"code": "3", "significance": "1"}],
            status=STATUSES[i % len(STATUSES)], planned_start=start,
            planned_end=start + timedelta(days=730),
            classification=("public", "restricted", "confidential")[i % 3],
            owner_affiliation=owners[i % len(owners)]))
    projects = Project.objects.bulk_create(projects, batch_size=2000)
    Recipient.objects.bulk_create(
        [Recipient(project=p, iso2=RECIPIENTS[i % len(RECIPIENTS)])
         for i, p in enumerate(projects)], batch_size=5000)
    BudgetLine.objects.bulk_create(
        [BudgetLine(project=p, year=p.planned_start.year + k,
                    original=Decimal(rng.randrange(50_000, 900_000)))
         for p in projects for k in range(2)], batch_size=5000)
    flows = ["pledge", "agreement", "contribution", "contribution", "contribution",
             "expenditure", "expenditure", "expenditure"]
    rows = []
    for i in range(args.transactions):
        project = projects[i % len(projects)]
        flow = flows[(i // len(projects)) % len(flows)]
        rows.append(Transaction(
            project=project, flow=flow,
            donor=None if flow == "expenditure" else donors[rng.randrange(len(donors))],
            value=Decimal(rng.randrange(1_000, 200_000)),
            value_date=project.planned_start + timedelta(days=rng.randrange(700))))
    Transaction.objects.bulk_create(rows, batch_size=5000)
    elements = []
    for p in projects:
        elements += [LogframeElement(project=p, level="impact", code="1", title="Impact"),
                     LogframeElement(project=p, level="outcome", code="1.1", title="Outcome"),
                     LogframeElement(project=p, level="output", code="1.1.1", title="Output")]
    LogframeElement.objects.bulk_create(elements, batch_size=5000)
    measured = list(LogframeElement.objects.exclude(level="impact"))
    Indicator.objects.bulk_create(
        [Indicator(element=e, title=f"Indicator of {e.code}", baseline=Decimal(0),
                   baseline_year=2017) for e in measured], batch_size=5000)
    indicators = list(Indicator.objects.select_related("element__project"))
    per_indicator = max(1, args.periods // len(indicators))
    periods = []
    for indicator in indicators:
        start = indicator.element.project.planned_start
        for k in range(per_indicator):
            begin = start + timedelta(days=120 * k)
            periods.append(IndicatorPeriod(
                indicator=indicator, start=begin, end=begin + timedelta(days=119),
                target=Decimal(10 * (k + 1)),
                actual=Decimal(rng.randrange(0, 10 * (k + 2))) if k < 3 else None))
    IndicatorPeriod.objects.bulk_create(periods, batch_size=10_000)
    return owners[0], projects


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=5000)
    parser.add_argument("--transactions", type=int, default=40_000)
    parser.add_argument("--periods", type=int, default=60_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    setup()
    from django.contrib.auth.models import AnonymousUser
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client, RequestFactory

    from hofburg.core.models import Role, User
    from hofburg.projects import panels, queries
    from hofburg.projects.iati.export import export_projects
    from hofburg.projects.models import IndicatorPeriod, Transaction
    from hofburg.registry.models import ParticipatingState

    if connection.vendor == "postgresql":
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    owner, projects = generate(args)
    print(f"{len(projects):,} projects, {Transaction.objects.count():,} transactions, "
          f"{IndicatorPeriod.objects.count():,} indicator periods on {connection.vendor}; "
          f"generated in {time.perf_counter() - start:.1f} s", flush=True)
    analyst = User.objects.create(username="bench-analyst", affiliation=owner,
                                  roles=[Role.READER])
    anonymous, entitled = Client(), Client()
    entitled.force_login(analyst)
    for who, client in (("anonymous", anonymous), ("entitled reader", entitled)):
        def get(url: str, c: Client = client) -> None:
            response = c.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")

        timed(f"{who}: portfolio with totals (page)", lambda: get("/projects/"), args.repeat)
        timed(f"{who}: portfolio filtered by theme and State (page)",
              lambda: get("/projects/?theme=anti_corruption&state=MD"), args.repeat)
        timed(f"{who}: portfolio list, 50 (API)", lambda: get("/api/v1/projects/?limit=50"),
              args.repeat)
        timed(f"{who}: portfolio totals (API)", lambda: get("/api/v1/projects/totals"),
              args.repeat)
    state = ParticipatingState.objects.get(iso2="AT")
    factory = RequestFactory()
    for who, user in (("anonymous", AnonymousUser()), ("entitled reader", analyst)):
        request = factory.get("/registry/states/AT/")
        request.user = user

        def panel(r: Any = request) -> None:
            from django.template.loader import render_to_string

            context = panels.state_panel(r, state)
            render_to_string("projects/panels/state.html", context or {}, request=r)

        timed(f"{who}: State contribution panel (AT)", panel, args.repeat)
    for who, user in (("anonymous", AnonymousUser()), ("entitled reader", analyst)):
        visible = queries.visible_projects(user)
        count = visible.count()
        began = time.perf_counter()
        result = export_projects(visible)
        took = time.perf_counter() - began
        if not result.valid:
            raise SystemExit(f"IATI export invalid: {list(result.problems.items())[:3]}")
        size = len(result.content or b"") / 1e6
        print(f"  {who + f': IATI export of {count:,} projects, validated':<62} "
              f"{took:8.2f} s   ({size:.1f} MB)", flush=True)
    # Every project, of every classification: what a publisher with access to all would export.
    from hofburg.projects.models import Project

    began = time.perf_counter()
    result = export_projects(Project.objects.all())
    took = time.perf_counter() - began
    if not result.valid:
        raise SystemExit(f"IATI export invalid: {list(result.problems.items())[:3]}")
    print(f"  {f'all: IATI export of {result.count:,} projects, validated':<62} "
          f"{took:8.2f} s   ({len(result.content or b'') / 1e6:.1f} MB)", flush=True)


if __name__ == "__main__":
    main()
