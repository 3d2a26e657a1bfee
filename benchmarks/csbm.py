"""The Vienna Document desk at OSCE scale: loading an OSCE-wide exchange, the compliance
scorecard for all States, and the what-if over all activities.

Generates exercise data in a fresh database (SQLite in a temporary folder, or the PostgreSQL
database named by HOFBURG_BENCH_DATABASE_URL): 57 participating States, about 10,000
formations and units and 50,000 holdings rows in one year's exchange, and 2,000 activities
over 5 years, all through the services. Target: the scorecard for all States under 1 second
after loading. Figures go to benchmarks/README.md by hand.

    python -m benchmarks.csbm [--units 10000] [--activities 2000]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date


def _time(label: str, action: Callable[[], object], repeat: int = 5) -> float:
    action()  # warm caches and the query planner
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    median = statistics.median(samples)
    print(f"  {label:<58} median {median:8.1f} ms   max {max(samples):8.1f} ms")
    return median


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--activities", type=int, default=2_000)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="hofburg-bench-")
    os.environ["HOFBURG_DATA_DIR"] = tmp
    os.environ["HOFBURG_DATABASE_URL"] = os.environ.get(
        "HOFBURG_BENCH_DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hofburg.settings")
    import django

    django.setup()
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


if __name__ == "__main__":
    main()
