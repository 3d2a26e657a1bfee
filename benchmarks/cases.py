"""The human-dimension desk at scale: 100,000 hate-crime incidents and 20,000 persons.

Generates, in a fresh database (SQLite in a temporary folder, or the PostgreSQL database named
by HOFBURG_BENCH_DATABASE_URL), EXERCISE records through the desk's own services, so the
vault and the incidents' free text are sealed with AES-GCM exactly as in use: 20,000 persons
(name, contacts and identity number in the vault) recorded by an editor, and 100,000
civil-society incidents (source and account sealed) over five reporting years and twenty
exercise jurisdictions imported from CSV files of 10,000 rows. Then a fifth of the
incidents are screened in and published, and an analyst is granted restricted need-to-know on
2,000 persons. Then it times, through the URLs the pages and scripts use (Django's test
client: middleware, second factor, view, template or JSON):

- a filtered incident list (one jurisdiction and year), page and API, for the analyst;
- the persons list, page (the first 500, names unsealed for the granted) and API, for the
  analyst and for the editor who holds a grant on every person;
- the publication table of a year (the public one, small cells suppressed) and the analyst's
  preview page.

    python -m benchmarks.cases [--persons 20000] [--incidents 100000]

Targets (issue 18): a filtered list p95 <= 150 ms, a publication table <= 2 s, encryption on.
Figures go to benchmarks/README.md by hand.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from benchmarks.common import setup, timed

YEARS = (2021, 2022, 2023, 2024, 2025)
# Exercise jurisdictions: ISO 3166 user-assigned codes (XA..XZ, QM..QZ), never a real State.
JURISDICTIONS = [f"X{letter}" for letter in "ABCDEFGHIJKLMNOPQRST"]
CHUNK = 10_000


def _verified(user: Any) -> Any:
    """A test client signed in as `user`, past the second factor."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def generate(args: argparse.Namespace) -> tuple[Any, Any]:
    """The records, through the services; returns (the editor, the analyst)."""
    from hofburg.cases.engine import codes
    from hofburg.cases.models import Grant, Incident, Person
    from hofburg.cases.services import hatecrime, persons
    from hofburg.core.models import Affiliation, Role, User

    rng = random.Random(18)
    owner = Affiliation.objects.create(code="exercise-bench-odihr", name="Exercise ODIHR",
                                       kind=Affiliation.Kind.INSTITUTION, is_exercise=True)
    editor = User.objects.create(username="bench-editor", affiliation=owner,
                                 roles=[Role.READER, Role.EDITOR])
    analyst = User.objects.create(username="bench-analyst", affiliation=owner,
                                  roles=[Role.READER, Role.ANALYST])
    started = time.perf_counter()
    for number in range(args.persons):
        persons.create_person(editor, owner=owner, is_exercise=True, vault_values={
            "name": f"Exercise Person {number:05d}",
            "contacts": f"exercise-{number}@example.org",
            "identity_number": f"EX-{number:08d}"},
            birth_date=(date(1950, 1, 1) + timedelta(days=rng.randrange(20_000))).isoformat())
    print(f"  {args.persons:,} persons sealed in {time.perf_counter() - started:.1f} s",
          flush=True)
    granted = list(Person.objects.order_by("pk").values_list("pk", flat=True)[:2000])
    Grant.objects.bulk_create([Grant(person_id=pk, user=analyst, granted_by=editor,
                                     level=Grant.Level.RESTRICTED) for pk in granted])
    started = time.perf_counter()
    header = ("reporting_year,country,date,incident_type,bias_motivations,source_org,"
              "source_kind,description\n")
    made = 0
    while made < args.incidents:
        lines = []
        for _ in range(min(CHUNK, args.incidents - made)):
            year = rng.choice(YEARS)
            version = codes.version_for(year)
            day = date(year, 1, 1) + timedelta(days=rng.randrange(365))
            biases = ";".join(rng.sample(sorted(version.bias_motivations), rng.choice((1, 1, 2))))
            lines.append(f"{year},{rng.choice(JURISDICTIONS)},{day.isoformat()},"
                         f"{rng.choice(sorted(version.incident_types))},{biases},"
                         "Exercise Monitoring Network,cso,EXERCISE: generated incident\n")
        hatecrime.import_incidents(editor, (header + "".join(lines)).encode(), is_exercise=True)
        made += len(lines)
    print(f"  {made:,} incidents imported in {time.perf_counter() - started:.1f} s", flush=True)
    # A fifth reach publication (the screening itself is not what is measured here).
    chosen = list(Incident.objects.order_by("pk").values_list("pk", flat=True)[::5])
    Incident.objects.filter(pk__in=chosen).update(screening="included", stage="published")
    return editor, analyst


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=20_000)
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from hofburg.cases import queries

    if connection.vendor == "postgresql":
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    print(f"{args.persons:,} persons, {args.incidents:,} incidents on {connection.vendor}",
          flush=True)
    editor, analyst = generate(args)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    analyst_client, editor_client = _verified(analyst), _verified(editor)
    year, place = YEARS[-2], JURISDICTIONS[3]

    def get(client: Any, url: str) -> Callable[[], object]:
        def call() -> object:
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url}: {response.status_code}")
            return response.content
        return call

    repeat = args.repeat
    timed("incidents, one jurisdiction and year (page, analyst)",
          get(analyst_client, f"/cases/hate-crime/incidents/?country={place}&year={year}"),
          repeat)
    timed("incidents, one jurisdiction and year (API, analyst)",
          get(analyst_client, f"/api/v1/cases/incidents?country={place}&year={year}"), repeat)
    timed("incidents, one year, all jurisdictions (API, analyst)",
          get(analyst_client, f"/api/v1/cases/incidents?year={year}"), repeat)
    timed("persons (page, analyst: 2,000 granted)", get(analyst_client, "/cases/persons/"),
          repeat)
    timed("persons (API, analyst)", get(analyst_client, "/api/v1/cases/persons"), repeat)
    timed("persons (page, editor: every person granted, names unsealed)",
          get(editor_client, "/cases/persons/"), repeat)
    timed("persons (API, editor)", get(editor_client, "/api/v1/cases/persons"), repeat)
    k = settings.CASES_SUPPRESSION_K
    timed(f"publication table {year} (public, k={k})",
          lambda: queries.public_hate_crime_table(year, k), max(3, repeat // 4))
    timed(f"publication preview page {year} (analyst)",
          get(analyst_client, f"/cases/hate-crime/publication/?year={year}"),
          max(3, repeat // 4))


if __name__ == "__main__":
    main()
