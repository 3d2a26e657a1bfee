"""Opening what is imported: a file on disk or an upload, as text, with its SHA-256."""

from __future__ import annotations

import hashlib
import io
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import IO

from hofburg.monitoring.errors import MonitoringError

Source = str | Path | IO[bytes]


def open_source(source: Source) -> tuple[IO[str], Callable[[], str], str]:
    """A text stream over the file, its SHA-256 (to be asked for once the file is read) and a
    name. A file on disk is hashed in a thread while it is read (hashing and reading let go of
    the interpreter); asking for the digest waits for that thread to end, so none is left
    running when the import forks its merge workers (decision 0010). An upload is spooled to
    disk and hashed on the way."""
    if isinstance(source, str | Path):
        path = Path(source)
        try:
            stream = path.open(encoding="utf-8-sig", newline="")
        except OSError as error:
            raise MonitoringError(f"{path}: {error.strerror or error}") from None
        hashing = ThreadPoolExecutor(1, thread_name_prefix="sha256")
        hashed = hashing.submit(file_sha256, path)

        def file_digest() -> str:
            hashing.shutdown(wait=True)
            try:
                return hashed.result()
            except OSError as error:
                raise MonitoringError(f"{path}: {error.strerror or error}") from None

        return stream, file_digest, str(path)
    digest = hashlib.sha256()
    spool = tempfile.SpooledTemporaryFile(max_size=16 << 20)  # noqa: SIM115 - returned open
    for block in iter(lambda: source.read(1 << 20), b""):
        digest.update(block)
        spool.write(block)
    spool.seek(0)
    text = io.TextIOWrapper(spool, encoding="utf-8-sig", newline="")
    spooled = digest.hexdigest()
    return text, lambda: spooled, getattr(source, "name", "") or "upload.csv"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
