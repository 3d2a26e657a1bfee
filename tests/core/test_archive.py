"""The backup archive's format on its own: no database, no Django (`core/archive.py`)."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pytest

from hofburg.core.archive import ArchiveError, ArchiveWriter, Manifest, unpack_verified


def manifest() -> Manifest:
    return Manifest(hofburg_version="0.1.0", created_at="2026-12-06T00:00:00+00:00",
                    database_vendor="sqlite", migrations={"core": ["0001_initial"]},
                    ledger_sequence=0, ledger_head="0" * 64, counts={"core_document": 0})


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    (tmp_path / "db").write_bytes(b"SQLite format 3\x00" + bytes(100))
    (tmp_path / "evidence.pdf").write_bytes(b"%PDF-1.7 exercise")
    path = tmp_path / "backup.tar"
    writer = ArchiveWriter(path)
    writer.add_file("database/hofburg.sqlite3", tmp_path / "db")
    writer.add_file("media/documents/2026/evidence.pdf", tmp_path / "evidence.pdf")
    assert writer.add_file("media/gone.txt", tmp_path / "never-written") is None
    writer.finish(manifest())
    return path


def with_member(source: Path, target: Path, info: tarfile.TarInfo, data: bytes = b"") -> None:
    with tarfile.open(source) as old, tarfile.open(target, "w") as new:
        for member in old.getmembers():
            new.addfile(member, old.extractfile(member))
        new.addfile(info, io.BytesIO(data) if info.isreg() else None)


def test_a_written_archive_unpacks_with_every_part_checked(archive: Path, tmp_path: Path) -> None:
    staged = unpack_verified(archive, tmp_path / "staged")
    assert [part.path for part in staged.manifest.parts] == [
        "database/hofburg.sqlite3", "media/documents/2026/evidence.pdf"]
    assert staged.path_of("media/documents/2026/evidence.pdf").read_bytes() == (
        b"%PDF-1.7 exercise")
    assert staged.manifest.keys_needed == []


@pytest.mark.parametrize("name", ["../outside.txt", "/etc/hofburg.txt",
                                  "media/../../outside.txt"])
def test_a_path_leaving_the_staging_folder_is_refused(archive: Path, tmp_path: Path,
                                                      name: str) -> None:
    bad = tmp_path / "bad.tar"
    info = tarfile.TarInfo(name)
    info.size = 4
    with_member(archive, bad, info, b"evil")
    with pytest.raises(ArchiveError, match="unsafe path"):
        unpack_verified(bad, tmp_path / "staged")
    assert not (tmp_path / "outside.txt").exists()


def test_a_link_in_the_archive_is_refused(archive: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.tar"
    info = tarfile.TarInfo("media/link")
    info.type = tarfile.SYMTYPE
    info.linkname = "/etc/passwd"
    with_member(archive, bad, info)
    with pytest.raises(ArchiveError, match="not a regular file"):
        unpack_verified(bad, tmp_path / "staged")


def test_a_part_the_manifest_does_not_name_is_refused(archive: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.tar"
    info = tarfile.TarInfo("media/smuggled.txt")
    info.size = 3
    with_member(archive, bad, info, b"abc")
    with pytest.raises(ArchiveError, match="not in the manifest"):
        unpack_verified(bad, tmp_path / "staged")


def test_something_that_is_not_a_tar_file_is_refused(tmp_path: Path) -> None:
    junk = tmp_path / "junk.tar"
    junk.write_bytes(b"this is not an archive" * 100)
    with pytest.raises(ArchiveError, match="damaged or truncated"):
        unpack_verified(junk, tmp_path / "staged")
