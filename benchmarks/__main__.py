"""Run every benchmark in turn: `python -m benchmarks [name ...] [--option ...]`.

Options after the names are passed to each benchmark named (`python -m benchmarks serving
--runs 5`).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = {
    "documents": [sys.executable, "-m", "benchmarks.documents"],
    "decisions": [sys.executable, "-m", "benchmarks.decisions"],
    "monitoring_engine": [sys.executable, str(HERE / "monitoring_engine.py")],
    "monitoring_import": [sys.executable, str(HERE / "monitoring_import.py")],
    "monitoring_report": [sys.executable, "-m", "benchmarks.monitoring_report"],
    "csbm": [sys.executable, "-m", "benchmarks.csbm"],
    "projects": [sys.executable, "-m", "benchmarks.projects"],
    "cases": [sys.executable, "-m", "benchmarks.cases"],
    "elections_engine": [sys.executable, "-m", "benchmarks.elections_engine"],
    "openrosa_intake": [sys.executable, "-m", "benchmarks.openrosa_intake"],
    "backup_restore": [sys.executable, str(HERE / "backup_restore.py")],
    "metrics_hook": [sys.executable, str(HERE / "metrics_hook.py")],
    "serving": [sys.executable, "-m", "benchmarks.serving"],
}


def main(arguments: list[str]) -> int:
    first_option = next((i for i, a in enumerate(arguments) if a.startswith("-")),
                        len(arguments))
    names, options = arguments[:first_option], arguments[first_option:]
    chosen = names or list(BENCHMARKS)
    unknown = [n for n in chosen if n not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}",
              file=sys.stderr)
        return 2
    status = 0
    for name in chosen:
        command = BENCHMARKS[name]
        if not Path(command[-1]).exists() and command[-1].endswith(".py"):
            continue
        print(f"== {name}", flush=True)
        status |= subprocess.run([*command, *options], cwd=HERE.parent,
                                 check=False).returncode
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
