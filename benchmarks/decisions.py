"""The decisions desk at scale: twenty years of Permanent Council and FSC records.

Generates, in a fresh database (SQLite in a temporary folder, or the PostgreSQL database named
by HOFBURG_BENCH_DATABASE_URL), EXERCISE records shaped like 2006–2025: about 2,000 plenary
meetings with agendas, 3,000 adopted decisions with revisions and attachments, and 60,000
delegations' statements with their texts in the six languages. Then it times what a delegate
does every week, through the same URLs the browser and scripts use:

- the journal of the day of a meeting, as a page and as a PDF;
- a full-text search over the statements (English and Russian words, common and rare);
- the status table of drafts.

    python -m benchmarks.decisions [--meetings 2000] [--decisions 3000] [--statements 60000]
                                   [--reuse]  (PostgreSQL: time an earlier run's records)

Figures go to benchmarks/README.md by hand.
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

from benchmarks.common import setup, timed


def _words(text: str) -> list[str]:
    return text.split()


EN = _words("security dialogue ceasefire withdrawal budget mandate mission monitoring transparency "
      "border energy water media minority election trafficking cyber consensus confidence "
      "risk reduction inspection evaluation calendar cooperation principles commitments")
FR = _words("sécurité dialogue cessez-le-feu retrait budget mandat mission surveillance"
            " transparence "
      "frontière énergie eau médias minorité élection traite coopération engagements")
DE = _words("Sicherheit Dialog Waffenruhe Rückzug Haushalt Mandat Mission Beobachtung Transparenz "
      "Grenze Energie Wasser Medien Minderheit Wahl Menschenhandel Zusammenarbeit")
IT = _words("sicurezza dialogo cessate-il-fuoco ritiro bilancio mandato missione monitoraggio "
      "trasparenza confine energia acqua media minoranza elezione tratta cooperazione")
RU = _words("безопасность диалог прекращение огня отвод бюджет мандат миссия мониторинг"
            " прозрачность "
      "граница энергия вода СМИ меньшинство выборы торговля сотрудничество обязательства")
ES = _words("seguridad diálogo alto-el-fuego retirada presupuesto mandato misión vigilancia "
      "transparencia frontera energía agua medios minoría elección trata cooperación")
LANGUAGES = {"en": EN, "fr": FR, "de": DE, "it": IT, "ru": RU, "es": ES}
RARE = {"en": "seabed", "ru": "шельф"}


def _text(rng: random.Random, language: str, words: int, rare: bool = False) -> str:
    body = " ".join(rng.choices(LANGUAGES[language], k=words)).capitalize() + "."
    return body + (f" {RARE[language]}." if rare and language in RARE else "")


class Generator:
    """Bulk-writes the records; every one is an exercise record owned by exercise delegations."""

    def __init__(self, args: argparse.Namespace) -> None:
        from hofburg.core.models import Affiliation

        self.args = args
        self.rng = random.Random(1)
        self.delegations = [
            Affiliation.objects.create(code=f"exercise-bench-{i}",
                                       name=f"Exercise Delegation {i}",
                                       kind=Affiliation.Kind.DELEGATION, is_exercise=True)
            for i in range(57)
        ]
        self.secretariat = Affiliation.objects.create(
            code="exercise-bench-secretariat", name="Exercise Secretariat",
            kind=Affiliation.Kind.SECRETARIAT_UNIT, is_exercise=True)

    def _levels(self) -> str:
        return self.rng.choice(["public"] * 6 + ["restricted"] * 3 + ["confidential"])

    def meetings(self) -> list[Any]:
        from hofburg.decisions.models import AgendaItem, Meeting

        count = self.args.meetings
        rows = []
        numbers = {"PC": 500, "FSC": 300}
        day = date(2006, 1, 5)
        step = timedelta(days=max(1, (20 * 365) // (count // 2)))
        for i in range(count):
            body = "PC" if i % 2 == 0 else "FSC"
            numbers[body] += 1
            opens = datetime(day.year, day.month, day.day, 9, 0, tzinfo=UTC)
            rows.append(Meeting(
                body=body, number=numbers[body], date=day, starts_at=opens,
                journal_symbol=f"{body}.JOUR/{numbers[body]}", chairperson="Exercise Chair",
                classification="public", owner_affiliation=self.secretariat,
                journal_issued_at=opens + timedelta(hours=6), is_exercise=True))
            if body == "FSC":
                day += step
        Meeting.objects.bulk_create(rows, batch_size=2000)
        meetings = list(Meeting.objects.order_by("id"))
        items = [AgendaItem(meeting=m, number=n, title=_text(self.rng, "en", 6))
                 for m in meetings for n in range(1, 5)]
        AgendaItem.objects.bulk_create(items, batch_size=5000)
        return meetings

    def decisions(self, meetings: list[Any]) -> None:
        from hofburg.decisions.models import Attachment, Draft, Revision

        per_year: dict[tuple[str, int], int] = {}
        drafts = []
        for i in range(self.args.decisions):
            meeting = meetings[(i * len(meetings)) // self.args.decisions]
            key = (meeting.body, meeting.date.year)
            per_year[key] = per_year.get(key, 0) + 1
            n = per_year[key]
            yy = meeting.date.year % 100
            decision = (f"PC.DEC/{i + 1}" if meeting.body == "PC"
                        else f"FSC.DEC/{n}/{yy:02d}")
            drafts.append(Draft(
                body=meeting.body, number=n, year=meeting.date.year,
                symbol=f"{meeting.body}.DD/{n}/{yy:02d}", title=_text(self.rng, "en", 8),
                status="adopted", adopted_by="meeting", adopted_at=meeting.starts_at,
                adopted_meeting=meeting, decision_number=i + 1, decision_symbol=decision,
                classification=self._levels(), owner_affiliation=self.secretariat,
                is_exercise=True))
        # A Ministerial Council's drafts still open: what the status table is for.
        for n in range(1, 31):
            drafts.append(Draft(body="MC", number=n, year=2025, symbol=f"MC.DD/{n}/25",
                                title=_text(self.rng, "en", 8), venue="prepcomm",
                                classification="restricted", owner_affiliation=self.secretariat,
                                is_exercise=True))
        Draft.objects.bulk_create(drafts, batch_size=2000)
        revisions, attachments = [], []
        for draft in Draft.objects.order_by("id"):
            for r in range(self.rng.randint(1, 3)):
                revisions.append(Revision(
                    draft=draft, number=r,
                    symbol=draft.symbol + (f"/Rev.{r}" if r else ""), original_language="en",
                    texts={code: _text(self.rng, code, 120) for code in LANGUAGES}))
            if draft.status == "adopted" and self.rng.random() < 0.2:
                attachments.append(Attachment(
                    draft=draft, number=1, kind="interpretative_statement",
                    delegation=self.rng.choice(self.delegations), text=_text(self.rng, "en", 60),
                    made_at=draft.adopted_at))
        Revision.objects.bulk_create(revisions, batch_size=2000)
        Attachment.objects.bulk_create(attachments, batch_size=2000)

    def statements(self, meetings: list[Any]) -> None:
        from hofburg.decisions.models import AgendaItem, Statement
        from hofburg.decisions.search import statement_search_text

        items: dict[int, list[int]] = {}
        for item_id, meeting_id in AgendaItem.objects.values_list("id", "meeting_id"):
            items.setdefault(meeting_id, []).append(item_id)
        batch: list[Any] = []
        total = self.args.statements
        for i in range(total):
            meeting = meetings[(i * len(meetings)) // total]
            delegation = self.delegations[i % len(self.delegations)]
            texts = {code: _text(self.rng, code, 150, rare=i % 1000 == 0) for code in LANGUAGES}
            yy = meeting.date.year % 100
            batch.append(Statement(
                body=meeting.body, number=i + 1, year=meeting.date.year,
                symbol=f"{meeting.body}.DEL/{i + 1}/{yy:02d}", meeting=meeting,
                agenda_item_id=self.rng.choice(items[meeting.id]), delegation=delegation,
                speaker_label=delegation.name, delivered_on=meeting.date,
                original_language="en", texts=texts,
                search_text=statement_search_text(speaker_label=delegation.name, speaker_name="",
                                                  aligned=(), alignment_note="", texts=texts),
                classification=self._levels(), owner_affiliation=delegation, is_exercise=True))
            if len(batch) == 5000:
                Statement.objects.bulk_create(batch)
                batch = []
        Statement.objects.bulk_create(batch)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--meetings", type=int, default=2000)
    parser.add_argument("--decisions", type=int, default=3000)
    parser.add_argument("--statements", type=int, default=60_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--reuse", action="store_true",
                        help="PostgreSQL: time the records an earlier run left in the database "
                             "instead of generating them again")
    args = parser.parse_args()
    setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from hofburg.core.models import Role, User
    from hofburg.decisions.models import Meeting

    reuse = args.reuse and connection.vendor == "postgresql" and \
        User.objects.filter(username="bench-reader").exists()
    if reuse:
        reader = User.objects.get(username="bench-reader")
        meetings = list(Meeting.objects.order_by("id"))
        print(f"reusing {len(meetings):,} meetings and their records on postgresql", flush=True)
    else:
        if connection.vendor == "postgresql":
            call_command("flush", interactive=False, verbosity=0)
        call_command("migrate", verbosity=0)
        print(f"{args.meetings:,} meetings, {args.decisions:,} decisions, "
              f"{args.statements:,} statements on {connection.vendor}", flush=True)
        start = time.perf_counter()
        generator = Generator(args)
        meetings = generator.meetings()
        generator.decisions(meetings)
        generator.statements(meetings)
        call_command("refresh_statistics")
        print(f"  {'load (bulk insert, search index kept by triggers)':<62} "
              f"{time.perf_counter() - start:8.1f} s", flush=True)
        reader = User.objects.create(username="bench-reader",
                                     affiliation=generator.delegations[0], roles=[Role.READER])
    busy = max(meetings, key=lambda m: m.statements.count() + m.decisions_adopted.count())
    anonymous, entitled = Client(), Client()
    entitled.force_login(reader)
    for who, client in (("anonymous", anonymous), ("entitled reader", entitled)):
        def get(url: str, c: Client = client) -> None:
            response = c.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")

        timed(f"{who}: journal of the day {busy.journal_symbol} (page)",
              lambda: get(f"/decisions/journals/{busy.journal_symbol}/?exercise=1"),
              args.repeat)
        timed(f"{who}: journal of the day (PDF)",
              lambda: get(f"/decisions/journals/{busy.journal_symbol}.pdf?exercise=1"),
              max(3, args.repeat // 4))
        for label, q in (("'ceasefire withdrawal'", "ceasefire withdrawal"),
                         ("Russian 'безопасность'", "безопасность"),
                         ("rare word (0.1%)", "seabed"), ("rare Russian word", "шельф")):
            timed(f"{who}: statements search {label} (API)",
                  lambda q=q: get(f"/api/v1/decisions/statements?q={q}"), args.repeat)
            timed(f"{who}: statements search {label} (page)",
                  lambda q=q: get(f"/decisions/statements/?q={q}"), args.repeat)
        timed(f"{who}: status table, Ministerial Council (page)",
              lambda: get("/decisions/?body=MC"), args.repeat)
        timed(f"{who}: status table, all bodies (API)",
              lambda: get("/api/v1/decisions/status-table"), args.repeat)


if __name__ == "__main__":
    main()
