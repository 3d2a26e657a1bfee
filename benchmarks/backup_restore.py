"""Backup and restore of the 1,000,000-observation database.

EXERCISE DATA: the monitoring import benchmark's file (a year of the scenario generator),
imported into a fresh SQLite database, and into PostgreSQL when HOFBURG_BENCH_DATABASE_URL
names a scratch database (its monitoring tables are emptied first) and
HOFBURG_BENCH_RESTORE_URL an empty one to restore into.

Timed, each as the operator runs it (a `hofburg` process, wall time):
1. `hofburg backup -o FILE` (the database copy, counts in the same snapshot, hashes, manifest),
   while another process registers documents with a file through the service without pause:
   how long each of those writes took during the backup says whether writers were held up;
2. `hofburg restore FILE --data-dir DIR` into a fresh folder (or the empty PostgreSQL
   database): the archive checked part by part, the database put in place, counts, file
   hashes and the ledger checked against the manifest.

Run: .venv/bin/python benchmarks/backup_restore.py [observations]
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import monitoring_import  # the import benchmark builds the database

HOFBURG = monitoring_import.HOFBURG


def timed(arguments: list[str], env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run([str(HOFBURG), *arguments], env=env, capture_output=True, text=True,
                          check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"hofburg {arguments[0]} failed:\n{done.stderr[-3000:]}")
    return seconds, done.stdout


_WRITER = r"""
import datetime, json, os, sys, time, django
from pathlib import Path
os.environ['DJANGO_SETTINGS_MODULE'] = 'hofburg.settings'
django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile
from hofburg.core.models import Affiliation, Role, User
from hofburg.documents.services import register_document
stop = Path(sys.argv[1])
affiliation, _ = Affiliation.objects.get_or_create(code='bench-writer', name='Writer',
                                                   kind='delegation', is_exercise=True)
user, _ = User.objects.get_or_create(username='bench-writer', affiliation=affiliation,
                                     roles=[Role.READER, Role.EDITOR])
seconds = []
while not stop.exists():
    n = len(seconds) + 1
    started = time.perf_counter()
    register_document(user, symbol=f'SEC.GAL/{n}/26', title=f'Exercise {n}',
                      date=datetime.date(2026, 1, 1), originator='Writer',
                      original_language='en', classification='restricted', is_exercise=True,
                      files=[('en', SimpleUploadedFile(f'{n}.txt', b'exercise ' * 500,
                                                       'text/plain'))])
    seconds.append(time.perf_counter() - started)
    if n == 5:
        Path(str(stop) + '.started').write_text('1')
print(json.dumps(seconds))
"""


def measure(label: str, env: dict[str, str], work: Path, restore_url: str | None) -> None:
    archive = work / f"{label}.tar"
    stop = work / f"{label}.stop"
    writer = subprocess.Popen([sys.executable, "-c", _WRITER, str(stop)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    while not Path(f"{stop}.started").exists():
        if writer.poll() is not None:
            raise SystemExit(f"the writer failed:\n{writer.communicate()[1][-3000:]}")
        time.sleep(0.1)
    backup_seconds, out = timed(["backup", "-o", str(archive)], env)
    stop.write_text("stop")
    writes = sorted(json.loads(writer.communicate()[0])[5:])
    print(f"  {label:<11} backup            {backup_seconds:8.1f} s   "
          f"archive {archive.stat().st_size / 1e6:,.0f} MB")
    print(f"  {'':<11} {out.strip().splitlines()[-1]}")
    if writes:
        print(f"  {'':<11} {len(writes)} documents registered while `hofburg backup` ran: median "
              f"{statistics.median(writes) * 1000:.0f} ms, slowest {writes[-1] * 1000:.0f} ms")
    target = work / f"{label}-restored"
    arguments = ["restore", str(archive), "--data-dir", str(target)]
    if restore_url:
        arguments += ["--database-url", restore_url, "--force"]
    restore_seconds, out = timed(arguments, env)
    print(f"  {'':<11} restore + checks  {restore_seconds:8.1f} s")
    print(f"  {'':<11} {out.strip().splitlines()[-1]}")
    archive.unlink()


def main() -> None:
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    with tempfile.TemporaryDirectory(prefix="hofburg-bench-backup-") as directory:
        work = Path(directory)
        path = work / "observations.csv"
        os.environ["HOFBURG_DATA_DIR"] = str(work)
        monitoring_import.generate(path, total)
        env = {**os.environ, "HOFBURG_DATA_DIR": str(work),
               "HOFBURG_DATABASE_URL": f"sqlite:///{work / 'bench.sqlite3'}"}
        env.pop("DJANGO_SETTINGS_MODULE", None)
        loaded = monitoring_import.run_child("import", path, env)
        print(f"backup and restore benchmark (EXERCISE data, {total:,} observations)")
        print(f"  SQLite      loaded in {float(str(loaded['seconds'])):.1f} s, database "
              f"{(work / 'bench.sqlite3').stat().st_size / 1e6:,.0f} MB")
        measure("SQLite", env, work, None)
        pg_url = os.environ.get("HOFBURG_BENCH_DATABASE_URL")
        restore_url = os.environ.get("HOFBURG_BENCH_RESTORE_URL")
        if pg_url and restore_url:
            pg_env = {**env, "HOFBURG_DATABASE_URL": pg_url}
            loaded = monitoring_import.run_child("import", path, pg_env)
            print(f"  PostgreSQL  loaded in {float(str(loaded['seconds'])):.1f} s")
            measure("PostgreSQL", pg_env, work, restore_url)
        else:
            print("  PostgreSQL  skipped (set HOFBURG_BENCH_DATABASE_URL and "
                  "HOFBURG_BENCH_RESTORE_URL)")


if __name__ == "__main__":
    main()
