"""The Vienna Document desk at OSCE scale: loading an OSCE-wide exchange, the compliance
scorecard for all States, and the what-if over all activities.

Generates exercise data in a fresh database (SQLite in a temporary folder, or the PostgreSQL
database named by HOFBURG_BENCH_DATABASE_URL): 57 participating States, about 10,000
formations and units and 50,000 holdings rows in one year's exchange, and 2,000 activities
over 5 years, all through the services. Target: the scorecard for all States under 1 second
after loading. Figures go to benchmarks/README.md by hand.

With --pages, the largest State's exchange page (as an analyst sees it) is measured too: the
server's render time, and the page's height in Chromium at 1280 and 360 pixels wide (with
Playwright, when it is installed); then the map of its units and the changes from a
correction. --largest N makes the largest State's exchange N formations and units.

    python -m benchmarks.csbm [--units 10000] [--activities 2000] [--pages] [--largest N]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from collections.abc import Callable
from datetime import date
from typing import Any

from benchmarks.common import samples, setup


def _time(label: str, action: Callable[[], object], repeat: int = 5) -> float:
    """Median and slowest of a few runs (benchmarks.common.samples): each run is long."""
    taken = samples(action, repeat)
    median = statistics.median(taken)
    print(f"  {label:<58} median {median:8.1f} ms   max {taken[-1]:8.1f} ms")
    return median


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--activities", type=int, default=2_000)
    parser.add_argument("--pages", action="store_true",
                        help="measure the largest State's exchange pages")
    parser.add_argument("--largest", type=int, default=None,
                        help="formations and units of the largest State's exchange")
    args = parser.parse_args()
    setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction

    from hofburg.core.models import Affiliation, Role, User
    from hofburg.csbm import demo, rulesets
    from hofburg.csbm.models import Activity, ExchangeHolding, ExchangeUnit
    from hofburg.csbm.scorecard import build_scorecard
    from hofburg.csbm.services import (
        ActivityRecord,
        ExchangeSubmission,
        engine_activity,
        record_activity,
        submit_exchange,
    )
    from hofburg.csbm.whatif import compare_rulesets
    from hofburg.registry.services import load_reference

    if connection.vendor == "postgresql":
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    load_reference(settings.REFERENCE_DATA_DIR / "registry")
    from hofburg.registry.models import ParticipatingState

    states = list(ParticipatingState.objects.order_by("iso2").values_list("iso2", flat=True))
    rng = random.Random(57)
    year = 2026
    sizes = demo.units_per_state(states, args.units, rng)
    if args.largest:
        sizes[max(sizes, key=lambda iso2: sizes[iso2])] = args.largest
    exchanges = [demo.synthetic_exchange(iso2, rng, sizes[iso2]) for iso2 in states]
    print(f"{len(states)} States, {sum(len(e.units) for e in exchanges):,} formations and units, "
          f"{sum(len(e.holdings) for e in exchanges):,} holdings rows, "
          f"{args.activities:,} activities over 5 years, on {connection.vendor}")

    start = time.perf_counter()
    for iso2, data in zip(states, exchanges, strict=True):
        submit_exchange(None, ExchangeSubmission(
            state=iso2, year=year, submitted_on=date(year - 1, 12, 10), units=data.units,
            holdings=data.holdings, is_exercise=True))
    load_exchange = time.perf_counter() - start
    print(f"  {'load the exchange (57 submit_exchange calls)':<58} {load_exchange:8.1f} s")

    start = time.perf_counter()
    with transaction.atomic():
        for spec in demo.synthetic_activities(states, range(year - 4, year + 1),
                                              args.activities, rng):
            record_activity(None, ActivityRecord.from_fields({**spec, "is_exercise": True}))
    print(f"  {'load the activities (record_activity each)':<58} "
          f"{time.perf_counter() - start:8.1f} s")
    print(f"  stored: {ExchangeUnit.objects.count():,} units, "
          f"{ExchangeHolding.objects.count():,} holdings, {Activity.objects.count():,} activities")

    affiliation = Affiliation.objects.create(code="bench-cpc", name="Exercise CPC",
                                             kind=Affiliation.Kind.SECRETARIAT_UNIT,
                                             is_exercise=True)
    analyst = User.objects.create(username="bench", affiliation=affiliation,
                                  roles=[Role.READER, Role.ANALYST])
    vd2011 = rulesets.get_ruleset("vd2011")
    joint = rulesets.get_ruleset("joint-proposal-2019")
    as_of = date(year, 11, 27)
    scorecard = _time("scorecard, all States, one year",
                      lambda: build_scorecard(year, analyst, vd2011, as_of))
    activities = [engine_activity(a) for a in Activity.objects.all()]
    _time(f"what-if vd2011 vs joint-proposal-2019, {len(activities):,} activities",
          lambda: compare_rulesets(activities, vd2011, joint), repeat=3)
    verdict = "meets" if scorecard < 1000 else "MISSES"
    print(f"  scorecard {verdict} the 1 s target")
    if args.pages:
        largest = max(sizes, key=lambda iso2: sizes[iso2])
        data = exchanges[states.index(largest)]
        exchange_pages(analyst, largest, year, data)


def exchange_pages(analyst: Any, iso2: str, year: int, data: Any) -> None:
    """The largest exchange's page, map and changes: render time on the server and height in
    a browser. A correction is sent first (a tenth of the units' personnel changed, a unit
    added, one removed), so that there are two versions to compare. Pages the code under
    measure lacks (an earlier version of the desk) are reported as such."""
    from dataclasses import replace

    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from hofburg.csbm.services import ExchangeSubmission, UnitIn, submit_exchange

    units, holdings = list(data.units), list(data.holdings)
    removed = units[-1].designation
    corrected = [replace(u, personnel=u.personnel + 10) if i % 10 == 0 else u
                 for i, u in enumerate(units[:-1])]
    corrected.append(UnitIn(designation="Exercise added brigade", level="unit"))
    submit_exchange(None, ExchangeSubmission(
        state=iso2, year=year, submitted_on=date(year, 1, 20), units=corrected,
        holdings=[h for h in holdings if h.unit != removed], is_exercise=True))
    client = Client()
    client.force_login(analyst)
    print(f"  {iso2}'s exchange: {len(units):,} formations and units, {len(holdings):,} holdings")
    for label, name, query in (("exchange page", "csbm:exchange", ""),
                               ("exchange page, every branch open", "csbm:exchange",
                                "?expand=all"),
                               ("map of units", "csbm:exchange_map", ""),
                               ("changes between versions 1 and 2", "csbm:exchange_diff", "")):
        try:
            path = reverse(name, args=[iso2, year]) + query
        except NoReverseMatch:
            print(f"  {label}: no such page")
            continue
        _time(label, lambda path=path: client.get(path), repeat=5)
    _page_heights(client, reverse("csbm:exchange", args=[iso2, year]))


def _page_heights(client: Any, path: str) -> None:
    """The page's height in Chromium, its requests answered by the test client (no server)."""
    try:
        from playwright.sync_api import Route, sync_playwright
    except ImportError:
        print("  page height: Playwright is not installed")
        return
    from pathlib import Path

    from django.contrib.staticfiles import finders

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright runs a loop
    origin = "http://bench.test"

    def answer(route: Route) -> None:
        local = route.request.url.removeprefix(origin)
        if local.startswith("/static/"):
            found = finders.find(local.removeprefix("/static/").split("?")[0])
            route.fulfill(status=200 if found else 404,
                          body=Path(str(found)).read_bytes() if found else b"")
            return
        response = client.get(local)
        route.fulfill(status=response.status_code, body=response.content,
                      headers={"content-type": response["Content-Type"]})

    chromium = os.environ.get("HOFBURG_CHROMIUM", "/usr/bin/chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        for width in (1280, 360):
            context = browser.new_context(viewport={"width": width, "height": 900})
            page = context.new_page()
            page.route("**/*", answer)
            page.goto(origin + path)
            height = page.evaluate("() => document.documentElement.scrollHeight")
            print(f"  {f'page height at {width} px wide':<58} {height:8,} px")
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
