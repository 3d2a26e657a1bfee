"""The document library at scale: listing, counting and searching what a user may see.

Generates N exercise documents (default 100,000) in a fresh database — SQLite in a temporary
folder, or the PostgreSQL database named by HOFBURG_BENCH_DATABASE_URL — then times the reads
every page and API call makes, for an anonymous visitor and for an entitled user whose
affiliation owns some confidential documents. Figures go to benchmarks/README.md by hand.

    python -m benchmarks.documents [--documents 100000]
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import date, timedelta

from benchmarks.common import setup, timed

WORDS = [
    "security",
    "water",
    "energy",
    "border",
    "mission",
    "monitoring",
    "transparency",
    "workshop",
    "election",
    "media",
    "minority",
    "trafficking",
    "cyber",
    "dialogue",
    "consensus",
    "ceasefire",
    "withdrawal",
    "budget",
    "mandate",
    "report",
    "exercise",
    "confidence",
    "risk",
    "reduction",
    "inspection",
    "evaluation",
    "calendar",
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=100_000)
    args = parser.parse_args()
    setup()
    from django.contrib.auth.models import AnonymousUser
    from django.core.management import call_command
    from django.db import connection

    from hofburg.core import access
    from hofburg.core.models import Affiliation, Classification, Role, User
    from hofburg.documents.models import Document
    from hofburg.documents.search import find_documents

    if connection.vendor == "postgresql":
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    rng = random.Random(1)
    affiliations = [
        Affiliation.objects.create(
            code=f"bench-{i}",
            name=f"Exercise affiliation {i}",
            kind=Affiliation.Kind.DELEGATION,
            is_exercise=True,
        )
        for i in range(60)
    ]
    user = User.objects.create(username="bench", affiliation=affiliations[0], roles=[Role.READER])
    levels = (
        [Classification.PUBLIC] * 5
        + [Classification.RESTRICTED] * 4
        + [Classification.CONFIDENTIAL]
    )

    print(f"{args.documents:,} documents on {connection.vendor}")
    start = time.perf_counter()
    batch = []
    day0 = date(2010, 1, 1)
    for i in range(args.documents):
        batch.append(
            Document(
                symbol=f"PC.DEL/{i + 1}/{10 + i % 17:02d}",
                title=" ".join(rng.choices(WORDS, k=8)).capitalize(),
                date=day0 + timedelta(days=rng.randrange(6000)),
                originator=f"Exercise affiliation {i % 60}",
                original_language="en",
                # One document in a thousand has a rare word: real queries usually find few.
                text=" ".join(rng.choices(WORDS, k=120)) + (" seabed" if i % 1000 == 0 else ""),
                classification=rng.choice(levels),
                owner_affiliation=affiliations[i % 60],
                is_exercise=True,
            )
        )
        if len(batch) == 5000:
            Document.objects.bulk_create(batch)
            batch = []
    Document.objects.bulk_create(batch)
    call_command("refresh_statistics")
    print(
        f"  {'load (bulk insert, search index kept by triggers)':<62} "
        f"{time.perf_counter() - start:8.1f} s"
    )

    anonymous = AnonymousUser()
    for who, person in (("anonymous", anonymous), ("entitled user", user)):
        visible = access.visible(Document.objects.all(), person)
        timed(f"{who}: first page of the list (25)", lambda v=visible: list(v[:25]))
        timed(f"{who}: count of visible documents", lambda v=visible: v.count())
        timed(
            f"{who}: search 'ceasefire withdrawal', first 25",
            lambda v=visible: list(find_documents(v, q="ceasefire withdrawal")[:25]),
        )
        timed(
            f"{who}: search a rare word (0.1% of documents), first 25",
            lambda v=visible: list(find_documents(v, q="seabed")[:25]),
        )
        timed(
            f"{who}: filter year 2015 + distribution, first 25",
            lambda v=visible: list(find_documents(v, year=2015, distribution="public")[:25]),
        )
        timed(f"{who}: detail by id", lambda v=visible: v.filter(pk=4242).first())


if __name__ == "__main__":
    main()
