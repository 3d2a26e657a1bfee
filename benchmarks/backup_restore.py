"""Backup and restore of the 1,000,000-observation database.

EXERCISE DATA: the monitoring import benchmark's file (a year of the scenario generator),
imported into a fresh SQLite database, and into PostgreSQL when HOFBURG_BENCH_DATABASE_URL
names a scratch database (its monitoring tables are emptied first) and
HOFBURG_BENCH_RESTORE_URL an empty one to restore into.

Timed, each as the operator runs it (a `hofburg` process, wall time):
1. `hofburg backup -o FILE` (the database copy, counts in the same snapshot, hashes, manifest);
2. `hofburg restore FILE --data-dir DIR` into a fresh folder (or the empty PostgreSQL
   database): the archive checked part by part, the database put in place, counts, file
   hashes and the ledger checked against the manifest.

Run: .venv/bin/python benchmarks/backup_restore.py [observations]
"""

from __future__ import annotations

import os
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


def measure(label: str, env: dict[str, str], work: Path, restore_url: str | None) -> None:
    archive = work / f"{label}.tar"
    backup_seconds, out = timed(["backup", "-o", str(archive)], env)
    print(f"  {label:<11} backup            {backup_seconds:8.1f} s   "
          f"archive {archive.stat().st_size / 1e6:,.0f} MB")
    print(f"  {'':<11} {out.strip().splitlines()[-1]}")
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
