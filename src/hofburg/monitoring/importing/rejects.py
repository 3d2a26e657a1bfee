"""The rejects file: the bad rows of an import as they were, with their row number and reason
in front (beside the imported file unless a path is given)."""

from __future__ import annotations

import os
from pathlib import Path

from hofburg.core.tables import csv_writer
from hofburg.monitoring.importing.summary import ImportSummary, RowProblem


def finish_rejects(summary: ImportSummary, rejects_path: str | Path | None, name: str,
                   header: list[str], bad_rows: list[tuple[int, list[str]]]) -> None:
    """Write the rejects file when there were problems, and say where in `summary`."""
    if summary.problems:
        target = Path(rejects_path) if rejects_path else default_rejects_path(name)
        write_rejects(target, header, bad_rows, summary.problems)
        summary.rejects_path = str(target)


def default_rejects_path(name: str) -> Path:
    path = Path(name)
    return path.with_name(f"{path.stem}.rejects.csv")


def write_rejects(target: Path, header: list[str], bad: list[tuple[int, list[str]]],
                  problems: list[RowProblem]) -> None:
    """The bad rows as they were, with their row number and reason in front."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.tmp")
    with temporary.open("w", encoding="utf-8", newline="") as handle:
        writer = csv_writer(handle)
        writer.writerow(["row", "reason", *header])
        for (line, values), problem in zip(bad, problems, strict=True):
            writer.writerow([line, f"{problem.field}: {problem.reason}", *values])
    os.replace(temporary, target)
