"""The elections desk at the issue's scale: its engine alone, then `tally` end to end.

The engine (pure: no database, no Django):

- `tally` over 100,000 forms of a 60-question checklist (50 yes/no questions with na and
  not_observed, 9 four-point assessments, 1 select_multiple), about 3 % blanks, the answers
  parsed from JSON as a snapshot's are; the same with the breakdowns by region, urban/rural
  and hour, one group at a time (`breakdown`) and coded in one pass (`CodedAnswers`);
- the stratified ratio PVT estimate over 3,000 reporting stations in 20 strata, 5 candidates,
  and its convergence series (the estimate at 40 points as the stations report);
- drawing a 3,000-station sample from a 60,000-station frame in 40 strata.

Then `hofburg elections tally --form ID --cutoff ISO --json` on a database of its own (SQLite
in a temporary folder, or the PostgreSQL database named by HOFBURG_BENCH_DATABASE_URL: emptied
first) holding an EXERCISE mission with as many forms of the same checklist (`load`): the
command as a process (wall time), for a new cut-off and for one already frozen; then the same
path in this process, step by step.

    python -m benchmarks.elections_engine [--forms 100000] [--stations 3000] [--runs 5]
                                          [--no-database | --no-engine]

Median and worst of the runs; figures go to benchmarks/README.md by hand.
"""

from __future__ import annotations

import argparse
import compileall
import hashlib
import json
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from datetime import timezone as tz
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from hofburg.elections.engine.convergence import DEFAULT_POINTS, convergence
from hofburg.elections.engine.pvt import Station, estimate
from hofburg.elections.engine.sample import draw
from hofburg.elections.engine.tally import CodedAnswers, Question, breakdown, tally

YES_NO = ("yes", "no", "na", "not_observed")
FOUR = ("very_good", "good", "bad", "very_bad", "not_observed")


def checklist() -> list[Question]:
    questions = [Question(f"q{i:02}", "select_one", YES_NO) for i in range(50)]
    questions += [Question(f"a{i}", "select_one", FOUR) for i in range(9)]
    questions.append(Question("observers", "select_multiple", ("citizen", "party", "na")))
    return questions


def forms(count: int, rng: random.Random) -> list[dict[str, str | None]]:
    rows = []
    for _ in range(count):
        row: dict[str, str | None] = {f"q{i:02}": rng.choice(YES_NO) if rng.random() > 0.03
                                      else None for i in range(50)}
        row.update({f"a{i}": rng.choice(FOUR) for i in range(9)})
        row["observers"] = rng.choice(("citizen", "party", "citizen party", "na"))
        row["_region"] = f"R{rng.randrange(12)}"
        row["_urban_rural"] = rng.choice(("urban", "rural"))
        row["_hour"] = f"{rng.randrange(7, 21):02}"
        rows.append(row)
    # Parsed as a snapshot's are: every answer a string of its own (the generator's are shared
    # constants, which count faster than the real thing).
    parsed: list[dict[str, str | None]] = json.loads(json.dumps(rows))
    return parsed


def _cpu() -> float:
    """CPU seconds used so far by this process and the commands it ran (and waited for)."""
    used = os.times()
    return used.user + used.system + used.children_user + used.children_system


def timed(label: str, runs: int, work: Callable[[], Any]) -> Any:
    """Run `work` `runs` times, print the median and worst wall time and the median CPU time
    (on a machine shared with other work the wall time waits for the CPU; the CPU time does
    not), and return the last result."""
    times, cpu = [], []
    result = None
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), _cpu()
        result = work()
        times.append(time.perf_counter() - start)
        cpu.append(_cpu() - start_cpu)
    print(f"{label}: median {statistics.median(times):.3f} s, worst {max(times):.3f} s "
          f"(CPU {statistics.median(cpu):.3f} s)", flush=True)
    return result


# --- The `tally` command end to end, on a database -------------------------------------------

REGIONS = 12
STATIONS = 10_000
FORMS_PER_TEAM = 20


def checklist_xlsform() -> bytes:
    """The benchmark's checklist as an XLSForm: `start`, the station, 50 yes/no questions, 9
    four-point assessments and one select_multiple, as `checklist()` above."""
    import io

    from openpyxl import Workbook

    book = Workbook()
    survey = book.active
    assert survey is not None
    survey.title = "survey"
    survey.append(["type", "name", "label"])
    survey.append(["start", "start", ""])
    survey.append(["text", "station_id", "Polling station"])
    for i in range(50):
        survey.append(["select_one yesno", f"q{i:02}", f"Exercise question {i}"])
    for i in range(9):
        survey.append(["select_one four", f"a{i}", f"Exercise assessment {i}"])
    survey.append(["select_multiple observers", "observers", "Other observers present"])
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", "label"])
    for name in YES_NO:
        choices.append(["yesno", name, name])
    for name in FOUR:
        choices.append(["four", name, name])
    for name in ("citizen", "party", "na"):
        choices.append(["observers", name, name])
    settings = book.create_sheet("settings")
    settings.append(["form_id", "form_title", "version"])
    settings.append(["bench_voting", "Exercise voting checklist", "1"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def load(count: int, rng: random.Random) -> tuple[str, Any]:
    """An EXERCISE mission with a 10,000-station frame in 12 regions, the checklist, and
    `count` forms stored as `receive` stores them (bulk inserted: the intake is not what is
    measured). Teams of two observers send 20 forms each; one visit in a hundred is sent by
    both observers with the same answers (a duplicate), one in a thousand with different ones
    (a conflict, held out); one form in fifty names no station of the frame (no region), one
    in forty has no `start` (its hour is the time it was captured, else received)."""
    from datetime import datetime, timedelta

    from django.db import transaction

    from hofburg.core.models import Affiliation, Role, User
    from hofburg.elections.models import Submission
    from hofburg.elections.services.forms import add_form
    from hofburg.elections.services.missions import MissionRecord, create_mission, import_frame

    owner = Affiliation.objects.create(code="exercise-bench-eom", name="Exercise EOM",
                                       kind=Affiliation.Kind.FIELD_OPERATION, is_exercise=True)
    core = User.objects.create(username="bench-core", affiliation=owner,
                               roles=[Role.READER, Role.EDITOR])
    day = (datetime.now(UTC) - timedelta(days=2)).date()
    mission = create_mission(core, MissionRecord(
        code="EXERCISE-BENCH", name="Exercise benchmark mission", state="XE", election_date=day,
        exercise=True))
    lines = ["station_id,name,region,district,urban_rural,registered_voters,lon,lat"]
    lines += [f"P{s:05},Exercise station {s},Exercise region {s % REGIONS + 1:02},D{s % 97},"
              f"{'urban' if s % 3 else 'rural'},{rng.randint(300, 2500)},," for s in
              range(STATIONS)]
    import_frame(core, mission, "\n".join(lines) + "\n")
    form, _created = add_form(core, mission, checklist_xlsform(), "bench_voting.xlsx")
    teams = max(1, count // FORMS_PER_TEAM)
    User.objects.bulk_create([User(username=f"bench-sto-{n:05}", affiliation=owner,
                                   roles=[Role.READER]) for n in range(2 * teams)],
                             batch_size=2000)
    observers = dict(User.objects.filter(username__startswith="bench-sto-")
                     .values_list("username", "pk"))
    plus_one = tz(timedelta(hours=1))
    batch: list[Submission] = []
    made = 0

    def answers() -> dict[str, str | None]:
        data: dict[str, str | None] = {}
        for i in range(50):
            data[f"q{i:02}"] = rng.choice(YES_NO) if rng.random() > 0.03 else None
        for i in range(9):
            data[f"a{i}"] = rng.choice(FOUR) if rng.random() > 0.03 else None
        data["observers"] = rng.choice(("citizen", "party", "citizen party", "na", None))
        return data

    def add(visit: int, sender: int, data: dict[str, str | None], station: str,
            when: datetime, with_start: bool) -> None:
        nonlocal made
        stored: dict[str, str | None] = {}
        if with_start:
            stored["start"] = when.astimezone(plus_one).isoformat(timespec="milliseconds")
        stored["station_id"] = station or None
        stored.update(data)
        xml = "".join(f"<{k}>{v or ''}</{k}>" for k, v in stored.items())
        team = f"T{visit // FORMS_PER_TEAM:05}"
        batch.append(Submission(
            form=form, instance_id=f"uuid:bench-{made:07}", data=stored, station_id=station,
            team=team, xml=f'<data id="bench_voting" version="1">{xml}</data>',
            submitted_by_id=observers[f"bench-sto-{sender:05}"],
            captured_at=when if with_start else None,
            received_at=when + timedelta(minutes=rng.randint(1, 90))))
        made += 1
        if len(batch) >= 5000:
            Submission.objects.bulk_create(batch)
            batch.clear()

    opening = datetime(day.year, day.month, day.day, 7, tzinfo=plus_one)
    with transaction.atomic():
        for visit in range(count):
            team = visit // FORMS_PER_TEAM
            station = "" if visit % 50 == 3 else \
                f"P{(team * FORMS_PER_TEAM + visit % FORMS_PER_TEAM) % STATIONS:05}"
            when = opening + timedelta(minutes=rng.randrange(13 * 60))
            data = answers()
            with_start = visit % 40 != 5
            add(visit, 2 * team, data, station, when, with_start)
            if visit % 100 == 0 and station:
                add(visit, 2 * team + 1, dict(data), station, when, with_start)
            elif visit % 1000 == 1 and station:
                other = dict(data)
                other["q00"] = "no" if data["q00"] == "yes" else "yes"
                add(visit, 2 * team + 1, other, station, when, with_start)
        Submission.objects.bulk_create(batch)
    return form.form_id, mission


def engine(options: argparse.Namespace) -> None:
    rng = random.Random(17)
    questions = checklist()
    data = forms(options.forms, rng)
    keys = ("_region", "_urban_rural", "_hour")
    timed(f"tally, {options.forms:,} forms x {len(questions)} questions", options.runs,
          lambda: tally(questions, data))
    timed(f"breakdown by region, {options.forms:,} forms", options.runs,
          lambda: breakdown(questions, data, "_region"))
    timed("tally + breakdowns by region, urban/rural, hour, group by group", options.runs,
          lambda: [tally(questions, data), *(breakdown(questions, data, k) for k in keys)])
    timed("the same, coded in one pass (CodedAnswers)", options.runs,
          lambda: CodedAnswers(questions, data).figures(
              {k: [form[k] for form in data] for k in keys}))
    candidates = ["A", "B", "C", "D", "E"]
    stations = []
    for i in range(options.stations):
        valid = rng.randint(200, 900)
        shares = [rng.random() for _ in candidates]
        total = sum(shares)
        votes = {c: int(valid * s / total) for c, s in zip(candidates, shares, strict=True)}
        stations.append(Station(f"S{i}", f"H{i % 20}", valid, votes, registered=valid * 2))
    frame = {f"H{h}": options.stations * 10 for h in range(20)}
    timed(f"pvt, {options.stations:,} stations, {len(candidates)} candidates + turnout",
          options.runs, lambda: estimate(stations, frame, candidates))
    timed(f"pvt convergence, {options.stations:,} stations, {DEFAULT_POINTS} points",
          options.runs, lambda: convergence(stations, frame, candidates))
    big_frame = [(f"P{i:06}", f"H{i % 40}") for i in range(60_000)]
    timed("sample 3,000 of 60,000 stations in 40 strata", options.runs,
          lambda: draw(big_frame, 3_000, 20, 1))


def end_to_end(options: argparse.Namespace) -> None:
    """`hofburg elections tally` on a database, as a process and then step by step."""
    from benchmarks.common import setup

    setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql":
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    form_id, mission = load(options.forms, random.Random(17))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"{options.forms:,} visits stored on {connection.vendor} in "
          f"{time.perf_counter() - started:.1f} s; load average {_load()}", flush=True)

    import hofburg
    from hofburg.elections.engine.pairs import reconcile
    from hofburg.elections.queries import (
        breakdown_labels,
        figures,
        form_versions,
        questions_of,
        snapshot_content,
    )
    from hofburg.elections.services.snapshots import freeze, resolutions, submission_rows

    # As installed: the project's modules compiled once (this shell may not write bytecode,
    # and compiling them again would be most of each command's start).
    compileall.compile_dir(Path(hofburg.__file__).parent, quiet=1)
    runs = options.runs
    base = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    cutoffs = (base - timedelta(seconds=s) for s in range(1, 10_000))
    hofburg = Path(sys.executable).with_name("hofburg")

    def command(cutoff: datetime) -> int:
        done = subprocess.run([str(hofburg), "elections", "tally", "--form", form_id,
                               "--cutoff", cutoff.isoformat(), "--json"],
                              capture_output=True, check=False)
        if done.returncode:
            raise SystemExit(done.stderr.decode()[-2000:])
        return len(done.stdout)

    timed("command `tally --json`, a new cut-off (process, wall)", runs,
          lambda: command(next(cutoffs)))
    again = next(cutoffs)
    command(again)
    size = timed("command `tally --json`, a frozen cut-off (process, wall)", runs,
                 lambda: command(again))
    print(f"  its output: {size / 1e6:.2f} MB of JSON", flush=True)

    print("step by step, a new cut-off:", flush=True)
    cutoff = base + timedelta(minutes=5)
    rows = timed("  reading the submissions (values, one query)", runs,
                 lambda: submission_rows(mission, form_id, cutoff))
    kept = timed("  reconciling paired observers", runs,
                 lambda: reconcile(rows, resolutions(mission, form_id)))

    def canonical() -> str:
        text = json.dumps({"forms": kept.kept, "duplicates": sorted(kept.duplicates),
                           "conflicts": kept.conflicts},
                          sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()

    timed("  canonical JSON and its SHA-256", runs, canonical)
    versions = form_versions(None, form_id)
    made = timed("  freeze(), whole (the above, and storing it)", runs,
                 lambda: freeze(None, form_id, next(cutoffs)))
    timed("  figures() of the snapshot just made (no parsing)", runs,
          lambda: figures(made, versions))
    print(f"  the snapshot: {made.forms:,} forms, {len(made.content) / 1e6:.1f} MB", flush=True)

    print("step by step, a frozen cut-off (the Figures page, the command again):", flush=True)
    snapshot = timed("  reading the snapshot's row (freeze() finds it)", runs,
                     lambda: freeze(None, form_id, made.cutoff))
    content = timed("  parsing its content (json.loads)", runs,
                    lambda: snapshot_content(snapshot))
    forms_rows = content["forms"]
    labels = timed("  each form's region, urban/rural and hour", runs,
                   lambda: breakdown_labels(forms_rows, ZoneInfo(snapshot.mission.time_zone)))
    questions = [q for q in questions_of(versions) if q.kind in ("select_one", "select_multiple")]
    answers = [row["data"] for row in forms_rows]
    coded = timed("  coding the answers (CodedAnswers)", runs,
                  lambda: CodedAnswers(questions, answers))
    timed("  overall tally", runs, lambda: coded.figures({}))
    timed("  overall tally and the three breakdowns (one pass)", runs,
          lambda: coded.figures(labels))
    data = timed("  figures(), whole (parsing included)", runs, lambda: figures(snapshot, versions))
    timed("  the JSON printed (indent=2)", runs,
          lambda: json.dumps(data, ensure_ascii=False, indent=2))
    print(f"load average at the end {_load()}", flush=True)


def _load() -> str:
    return " / ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--forms", type=int, default=100_000)
    parser.add_argument("--stations", type=int, default=3_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-database", action="store_true",
                        help="The engine alone: not `tally` end to end.")
    parser.add_argument("--no-engine", action="store_true",
                        help="`tally` end to end alone: not the engine.")
    options = parser.parse_args()
    print(f"load average at the start {_load()}", flush=True)
    if not options.no_engine:
        engine(options)
    if not options.no_database:
        end_to_end(options)


if __name__ == "__main__":
    main()
