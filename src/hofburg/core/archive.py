"""The backup archive's format: a tar file of parts and a manifest that names each part's hash.

Standard library only, no Django: `hofburg restore` checks an archive with it before Django is
set up against the target, so a damaged archive is refused before anything is written there.

Layout (an uncompressed tar: the database is most of it, and compressing a gigabyte would
cost minutes of one core while the service serves):

    database/hofburg.sqlite3   or   database/hofburg.pgdump     (pg_dump custom format)
    media/<path>                                                 uploaded files and evidence
    manifest.json                                                written last
    manifest.json.sha256                                         the manifest's own SHA-256

The manifest (`Manifest`) carries the format version, the Hofburg version, the migration
state, the ledger head, the row count of every table and the size and SHA-256 of every part.
An archive is complete only with both manifest members, every part the manifest lists, and
nothing else.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tarfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

FORMAT = "hofburg-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MANIFEST_DIGEST = "manifest.json.sha256"
DATABASE_PARTS = {"sqlite": "database/hofburg.sqlite3", "postgresql": "database/hofburg.pgdump"}
MEDIA_PREFIX = "media/"
_CHUNK = 1024 * 1024


class ArchiveError(ValueError):
    """The archive is damaged, incomplete or not a Hofburg backup; the message says why."""


@dataclass(frozen=True)
class Part:
    path: str
    size: int
    sha256: str


@dataclass
class Manifest:
    """What an archive holds and what a restore must find again."""

    hofburg_version: str
    created_at: str  # ISO 8601, UTC
    database_vendor: str  # "sqlite" or "postgresql"
    migrations: dict[str, list[str]]  # app label -> applied migration names, sorted
    ledger_sequence: int
    ledger_head: str
    counts: dict[str, int]  # table -> rows, in the same snapshot as the database part
    parts: list[Part] = field(default_factory=list)
    # Ids of the keys that protect encrypted data in this archive. The keys are never inside.
    keys_needed: list[str] = field(default_factory=list)
    format: str = FORMAT
    format_version: int = FORMAT_VERSION

    @property
    def database_part(self) -> str:
        return DATABASE_PARTS[self.database_vendor]

    def media_parts(self) -> list[Part]:
        return [part for part in self.parts if part.path.startswith(MEDIA_PREFIX)]

    def to_json(self) -> bytes:
        return json.dumps(asdict(self), indent=1, sort_keys=True).encode("utf-8")

    @classmethod
    def from_json(cls, raw: bytes) -> Manifest:
        try:
            data = json.loads(raw.decode("utf-8"))
            if data.get("format") != FORMAT:
                raise ArchiveError("not a Hofburg backup (the manifest names another format)")
            if data.get("format_version") != FORMAT_VERSION:
                raise ArchiveError(
                    f"backup format version {data.get('format_version')} is not supported "
                    f"(this Hofburg reads version {FORMAT_VERSION})")
            data["parts"] = [Part(**part) for part in data["parts"]]
            manifest = cls(**data)
        except ArchiveError:
            raise
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            raise ArchiveError(f"the manifest cannot be read: {exc}") from exc
        if manifest.database_vendor not in DATABASE_PARTS:
            raise ArchiveError(
                f"the manifest names an unknown database {manifest.database_vendor!r}")
        return manifest


def sha256_of(path: Path) -> tuple[int, str]:
    """The size and SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


class _HashingReader(io.RawIOBase):
    """Reads at most `limit` bytes of a stream, hashing what it hands out."""

    def __init__(self, stream: IO[bytes], limit: int) -> None:
        self.stream = stream
        self.left = limit
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if size < 0 or size > self.left:
            size = self.left
        chunk = self.stream.read(size)
        if len(chunk) < size and not chunk:
            # The file shrank while it was copied: pad, so the tar stays whole; the hash
            # names the bytes archived.
            chunk = bytes(size)
        self.left -= len(chunk)
        self.digest.update(chunk)
        return chunk


class ArchiveWriter:
    """Writes parts into a new tar file; `finish` appends the manifest.

    Each part is hashed as it is copied, so the manifest names the bytes that are in the
    archive, whatever happens to the source file afterwards.
    """

    def __init__(self, path: Path) -> None:
        self.tar = tarfile.open(path, "w", format=tarfile.PAX_FORMAT)  # noqa: SIM115
        self.parts: list[Part] = []

    def add_file(self, name: str, source: Path) -> Part | None:
        """Copy `source` into the archive as `name`; None when the file vanished first.

        The size is the one the file had when opened. The manifest names the bytes copied, so
        a file still being written is either complete in the archive or, if a writer was
        part-way, present with the hash of what was copied; no record of the database
        snapshot, taken before the files are read, refers to a file written after it.
        """
        try:
            stream = source.open("rb")
        except FileNotFoundError:
            return None
        with stream:
            status = os.fstat(stream.fileno())
            info = tarfile.TarInfo(name)
            info.size = status.st_size
            info.mtime = int(status.st_mtime)
            info.mode = 0o600
            reader = _HashingReader(stream, status.st_size)
            self.tar.addfile(info, reader)
        part = Part(name, status.st_size, reader.digest.hexdigest())
        self.parts.append(part)
        return part

    def finish(self, manifest: Manifest) -> None:
        manifest.parts = list(self.parts)
        raw = manifest.to_json()
        self._add_bytes(MANIFEST, raw)
        self._add_bytes(MANIFEST_DIGEST, (hashlib.sha256(raw).hexdigest() + "\n").encode())
        self.tar.close()

    def abandon(self) -> None:
        self.tar.close()

    def _add_bytes(self, name: str, raw: bytes) -> None:
        info = tarfile.TarInfo(name)
        info.size = len(raw)
        info.mode = 0o600
        self.tar.addfile(info, io.BytesIO(raw))


@dataclass
class StagedArchive:
    """An archive checked part by part and unpacked into `directory`."""

    manifest: Manifest
    directory: Path

    def path_of(self, part: str) -> Path:
        return self.directory / part

    def discard(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)


def unpack_verified(archive: Path, directory: Path) -> StagedArchive:
    """Unpack `archive` into the empty `directory`, checking every part against the manifest.

    Raises ArchiveError naming the first problem: not a tar file, a damaged header, a
    truncated part, a part whose size or SHA-256 differs from the manifest, a part missing or
    one the manifest does not name, an unsafe path, a missing or altered manifest.
    Only regular files under `database/` and `media/` are written, and only below `directory`.
    """
    seen, manifest_raw, manifest_digest = _unpack_members(archive, directory)
    if manifest_raw is None or manifest_digest is None:
        raise ArchiveError("the archive has no manifest: it is incomplete or truncated")
    if hashlib.sha256(manifest_raw).hexdigest() != manifest_digest:
        raise ArchiveError("the manifest does not match its SHA-256: it was altered or damaged")
    manifest = Manifest.from_json(manifest_raw)
    _check_parts(manifest, seen)
    return StagedArchive(manifest, directory)


def _unpack_members(archive: Path, directory: Path
                    ) -> tuple[dict[str, Part], bytes | None, str | None]:
    """Every part unpacked below `directory` (path: size and SHA-256), the manifest and its
    digest as found (None when absent)."""
    seen: dict[str, Part] = {}
    manifest_raw: bytes | None = None
    manifest_digest: str | None = None
    try:
        with tarfile.open(archive, "r:") as tar:
            for member in _members(tar):
                name = _safe_name(member)
                if name == MANIFEST:
                    manifest_raw = _read_small(tar, member)
                elif name == MANIFEST_DIGEST:
                    manifest_digest = _read_small(tar, member).decode("ascii", "replace").strip()
                elif name.startswith(("database/", MEDIA_PREFIX)):
                    if name in seen:
                        raise ArchiveError(f"{name} appears twice in the archive")
                    seen[name] = _unpack(tar, member, directory / name)
                else:
                    raise ArchiveError(f"unexpected member {name!r}: not a Hofburg backup")
    except tarfile.TarError as exc:
        raise ArchiveError(f"the archive is damaged or truncated: {exc}") from exc
    except EOFError as exc:
        raise ArchiveError("the archive is truncated") from exc
    return seen, manifest_raw, manifest_digest


def _check_parts(manifest: Manifest, seen: dict[str, Part]) -> None:
    """The parts unpacked are exactly the manifest's, each of its size and SHA-256."""
    listed = {part.path: part for part in manifest.parts}
    if manifest.database_part not in listed:
        raise ArchiveError("the manifest lists no database part")
    for path, part in listed.items():
        found = seen.get(path)
        if found is None:
            raise ArchiveError(f"part {path} is missing from the archive")
        if found.size != part.size:
            raise ArchiveError(f"part {path} has {found.size} bytes, the manifest says {part.size}")
        if found.sha256 != part.sha256:
            raise ArchiveError(f"part {path} does not match its SHA-256 in the manifest")
    extra = sorted(set(seen) - set(listed))
    if extra:
        raise ArchiveError(f"part {extra[0]} is in the archive but not in the manifest")


def _members(tar: tarfile.TarFile) -> Iterator[tarfile.TarInfo]:
    # Iterating a TarFile stops quietly at a damaged header after the first; `next()` raises.
    while True:
        member = tar.next()
        if member is None:
            return
        yield member


def _safe_name(member: tarfile.TarInfo) -> str:
    path = PurePosixPath(member.name)
    if path.is_absolute() or ".." in path.parts or not member.name:
        raise ArchiveError(f"unsafe path {member.name!r} in the archive")
    if not member.isreg():
        raise ArchiveError(f"{member.name!r} in the archive is not a regular file")
    return str(path)


def _read_small(tar: tarfile.TarFile, member: tarfile.TarInfo) -> bytes:
    if member.size > 512 * 1024 * 1024:
        raise ArchiveError(f"{member.name} is implausibly large")
    stream = tar.extractfile(member)
    assert stream is not None  # a regular file, checked by _safe_name
    raw = stream.read()
    if len(raw) != member.size:
        raise ArchiveError(f"{member.name} is truncated")
    return raw


def _unpack(tar: tarfile.TarFile, member: tarfile.TarInfo, target: Path) -> Part:
    stream = tar.extractfile(member)
    assert stream is not None
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    with target.open("wb") as out:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
            out.write(chunk)
            size += len(chunk)
    if size != member.size:
        raise ArchiveError(f"part {member.name} is truncated")
    return Part(member.name, size, digest.hexdigest())


def as_dict(manifest: Manifest) -> dict[str, Any]:
    return asdict(manifest)
