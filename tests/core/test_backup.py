"""`hofburg backup`, `hofburg restore` and `hofburg check`, run as an operator runs them: real
processes on a demo database, SQLite always and PostgreSQL as well when the suite runs on it
(`make test-postgres`), with restore targets in scratch databases `hofburg_ops_restore_*`.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

HOFBURG = str(Path(sys.executable).parent / "hofburg")
SUITE_DATABASE = os.environ.get("HOFBURG_DATABASE_URL", "")
ON_POSTGRES = SUITE_DATABASE.startswith("postgres")
VENDORS = ["sqlite", "postgresql"] if ON_POSTGRES else ["sqlite"]


def _server_url() -> str:
    return SUITE_DATABASE.rsplit("/", 1)[0]


def _psql(sql: str) -> None:
    subprocess.run(["psql", f"{_server_url()}/postgres", "-qAtc", sql],  # noqa: S607
                   check=True, capture_output=True)


@dataclass
class Site:
    """One Hofburg installation: a data folder and its database."""

    data_dir: Path
    database_url: str

    def env(self) -> dict[str, str]:
        env = {**os.environ, "HOFBURG_DATA_DIR": str(self.data_dir),
               "HOFBURG_MEDIA_DIR": str(self.data_dir / "media"),
               "HOFBURG_DATABASE_URL": self.database_url}
        env.pop("DJANGO_SETTINGS_MODULE", None)
        return env

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([HOFBURG, *args], capture_output=True, text=True, env=self.env(),
                              timeout=600, check=False)

    def python(self, code: str) -> subprocess.CompletedProcess[str]:
        setup = "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='hofburg.settings'; " \
                "django.setup()\n"
        return subprocess.run([sys.executable, "-c", setup + code], capture_output=True,
                              text=True, env=self.env(), timeout=600, check=False)


def _new_site(root: Path, vendor: str, purpose: str) -> Site:
    data_dir = root / purpose
    data_dir.mkdir(parents=True)
    if vendor == "sqlite":
        return Site(data_dir, f"sqlite:///{data_dir / 'hofburg.sqlite3'}")
    name = f"hofburg_ops_restore_{purpose}_{uuid.uuid4().hex[:8]}"
    _psql(f"CREATE DATABASE {name}")
    return Site(data_dir, f"{_server_url()}/{name}")


def _drop(site: Site) -> None:
    if site.database_url.startswith("postgres"):
        name = site.database_url.rsplit("/", 1)[1]
        _psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="module", params=VENDORS)
def vendor(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def demo_site(vendor: str, tmp_path_factory: pytest.TempPathFactory,
              migrated_sqlite: Callable[[Path], Path]) -> Iterator[Site]:
    """A demo installation (reference data, demo records, documents with files); on SQLite
    from a migrated file (`migrated_sqlite`)."""
    site = _new_site(tmp_path_factory.mktemp("ops"), vendor, "demo")
    if vendor == "sqlite":
        migrated_sqlite(site.data_dir / "hofburg.sqlite3")
    done = site.run("demo", "--no-serve")
    assert done.returncode == 0, done.stderr
    yield site
    _drop(site)


@pytest.fixture(scope="module")
def archive(demo_site: Site, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("archive") / "demo.tar"
    done = demo_site.run("backup", "-o", str(path))
    assert done.returncode == 0, done.stderr
    return path


@pytest.fixture
def target(vendor: str, tmp_path: Path) -> Iterator[Site]:
    site = _new_site(tmp_path, vendor, "target")
    yield site
    _drop(site)


def restore(archive: Path, site: Site, *extra: str) -> subprocess.CompletedProcess[str]:
    args = ["restore", str(archive), "--data-dir", str(site.data_dir)]
    if site.database_url.startswith("postgres"):
        args += ["--database-url", site.database_url]
    return site.run(*args, *extra)


def manifest_of(archive: Path) -> dict:
    with tarfile.open(archive) as tar:
        stream = tar.extractfile("manifest.json")
        assert stream is not None
        return json.loads(stream.read())


def rewrite(archive: Path, target: Path, *, drop: str | None = None,
            change: str | None = None) -> None:
    """Copy an archive member by member, leaving one out or flipping a byte of one."""
    with tarfile.open(archive) as source, tarfile.open(target, "w") as out:
        for member in source.getmembers():
            if member.name == drop:
                continue
            data = source.extractfile(member).read()  # type: ignore[union-attr]
            if member.name == change:
                data = bytes([data[0] ^ 0xFF]) + data[1:]
            out.addfile(member, io.BytesIO(data))


def repack(staged: Path, manifest: dict, target: Path) -> None:
    """An archive of the unpacked parts in `staged`, with hashes and manifest made anew."""
    with tarfile.open(target, "w") as out:
        for part in manifest["parts"]:
            raw = (staged / part["path"]).read_bytes()
            part["size"], part["sha256"] = len(raw), hashlib.sha256(raw).hexdigest()
            out.add(staged / part["path"], part["path"])
        raw_manifest = json.dumps(manifest).encode()
        digest = hashlib.sha256(raw_manifest).hexdigest().encode()
        for name, raw in (("manifest.json", raw_manifest), ("manifest.json.sha256", digest)):
            info = tarfile.TarInfo(name)
            info.size = len(raw)
            out.addfile(info, io.BytesIO(raw))


# -- backup --------------------------------------------------------------------------------


def test_the_manifest_says_what_the_archive_holds(demo_site: Site, archive: Path,
                                                  vendor: str) -> None:
    manifest = manifest_of(archive)
    assert manifest["format"] == "hofburg-backup"
    assert manifest["database_vendor"] == vendor
    assert "0006_auditentry_request_id" in manifest["migrations"]["core"]
    assert manifest["counts"]["registry_participatingstate"] == 57
    assert manifest["counts"]["core_document"] > 0
    # The human-dimension desk's vault: the archive names the keys it needs, never holds them.
    key_lines = [line.split() for line in
                 (demo_site.data_dir / "cases.keys").read_text().splitlines()]
    assert manifest["keys_needed"] == sorted(
        key_id for purpose, key_id, _key in key_lines if purpose != "digest")
    assert not any(key in json.dumps(manifest) for _purpose, _id, key in key_lines)
    media = [part for part in manifest["parts"] if part["path"].startswith("media/")]
    assert media, "the demo's document files are archived"
    head = demo_site.run("ledger", "head").stdout.split()
    assert [str(manifest["ledger_sequence"]), manifest["ledger_head"]] == head
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert names[-2:] == ["manifest.json", "manifest.json.sha256"]
    assert not any("secret.key" in name for name in names)


def test_backup_needs_exactly_one_destination(demo_site: Site, tmp_path: Path) -> None:
    neither = demo_site.run("backup")
    assert neither.returncode == 2
    assert "--output" in neither.stderr
    both = demo_site.run("backup", "-o", str(tmp_path / "a.tar"), "--directory", str(tmp_path))
    assert both.returncode == 2
    keep_alone = demo_site.run("backup", "-o", str(tmp_path / "a.tar"), "--keep", "3")
    assert keep_alone.returncode == 2


def test_scheduled_backups_keep_the_newest(demo_site: Site, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    for stamp in ("20250101T000000Z", "20250102T000000Z", "20250103T000000Z"):
        (folder / f"hofburg-{stamp}.tar").write_bytes(b"old")
    (folder / "notes.txt").write_text("not a backup")
    done = demo_site.run("backup", "--directory", str(folder), "--keep", "2")
    assert done.returncode == 0, done.stderr
    left = sorted(p.name for p in folder.iterdir())
    assert left[0] == "hofburg-20250103T000000Z.tar"
    assert left[1].startswith("hofburg-2") and left[1] != left[0]
    assert left[2] == "notes.txt"
    assert len(left) == 3
    assert "Removed old backup hofburg-20250101T000000Z.tar" in done.stdout


# -- restore -------------------------------------------------------------------------------


def test_restore_brings_back_every_record_and_file(archive: Path, target: Site) -> None:
    done = restore(archive, target)
    assert done.returncode == 0, done.stderr
    assert "Restored and checked" in done.stdout
    manifest = manifest_of(archive)
    head = target.run("ledger", "verify", "--expect-head", manifest["ledger_head"])
    assert head.returncode == 0, head.stderr
    counted = target.python(
        "from hofburg.documents.models import Document, DocumentFile\n"
        "import hashlib\n"
        "files = list(DocumentFile.objects.all())\n"
        "ok = all(hashlib.sha256(f.file.read()).hexdigest() == f.sha256 for f in files)\n"
        "print(Document.objects.count(), len(files), ok)")
    assert counted.returncode == 0, counted.stderr
    documents, files, hashes_ok = counted.stdout.split()
    assert int(documents) == manifest["counts"]["core_document"]
    assert int(files) == manifest["counts"]["core_documentfile"] > 0
    assert hashes_ok == "True"


def test_restore_refuses_a_target_that_is_not_empty(archive: Path, target: Site) -> None:
    assert restore(archive, target).returncode == 0
    again = restore(archive, target)
    assert again.returncode == 1
    assert "not empty" in again.stderr
    assert "--force" in again.stderr
    forced = restore(archive, target, "--force")
    assert forced.returncode == 0, forced.stderr


@pytest.mark.parametrize("damage", ["flipped byte", "missing part", "truncated",
                                    "altered manifest", "no manifest"])
def test_restore_refuses_a_damaged_archive_before_touching_the_target(
        archive: Path, target: Site, tmp_path: Path, damage: str) -> None:
    bad = tmp_path / "bad.tar"
    manifest = manifest_of(archive)
    database_part = next(p["path"] for p in manifest["parts"] if p["path"].startswith("database"))
    media_part = next(p["path"] for p in manifest["parts"] if p["path"].startswith("media/"))
    if damage == "flipped byte":
        rewrite(archive, bad, change=database_part)
        reason = f"part {database_part} does not match its SHA-256"
    elif damage == "missing part":
        rewrite(archive, bad, drop=media_part)
        reason = f"part {media_part} is missing"
    elif damage == "truncated":
        bad.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
        reason = "truncated"
    elif damage == "altered manifest":
        rewrite(archive, bad, change="manifest.json")
        reason = "the manifest does not match its SHA-256"
    else:
        rewrite(archive, bad, drop="manifest.json")
        reason = "no manifest"
    done = restore(bad, target)
    assert done.returncode == 1
    assert reason in done.stderr
    assert done.stderr.count("\n") == 1, "one line"
    assert not (target.data_dir / "hofburg.sqlite3").exists()
    assert not (target.data_dir / "media").exists()
    assert [p.name for p in target.data_dir.iterdir()] == []


def test_restore_of_a_missing_file_is_a_bad_argument(target: Site, tmp_path: Path) -> None:
    done = restore(tmp_path / "nothing.tar", target)
    assert done.returncode == 2


def test_an_older_archive_is_migrated_after_restore(archive: Path, target: Site,
                                                    tmp_path: Path, vendor: str) -> None:
    """An archive taken before the audit's request id existed, and before the document library
    left core, comes back migrated, its documents under their new app."""
    staged = tmp_path / "old"
    with tarfile.open(archive) as tar:
        tar.extractall(staged, filter="data")
    if vendor == "sqlite":
        _forget_the_request_id_in_sqlite(staged / "database" / "hofburg.sqlite3")
    else:
        _forget_the_request_id_in_postgresql(staged / "database" / "hofburg.pgdump", tmp_path)
    manifest = json.loads((staged / "manifest.json").read_text())
    manifest["migrations"]["core"].remove("0006_auditentry_request_id")
    manifest["migrations"]["core"].remove("0007_documents_leave_core")
    del manifest["migrations"]["documents"]
    manifest["counts"]["django_migrations"] -= 4
    older = tmp_path / "older.tar"
    repack(staged, manifest, older)
    done = restore(older, target)
    assert done.returncode == 0, done.stderr
    assert "Applied 4 migrations" in done.stdout
    assert "Pending migrations: 0" in target.run("check").stdout
    moved = target.python(
        "from django.contrib.contenttypes.models import ContentType\n"
        "from hofburg.documents.models import Document\n"
        "kind = ContentType.objects.get_for_model(Document)\n"
        "print(Document.objects.count(), kind.app_label,"
        " ContentType.objects.filter(app_label='core', model='document').count())").stdout
    assert moved.split() == [str(manifest["counts"]["core_document"]), "documents", "0"]


FORGET_THE_REQUEST_ID = ("ALTER TABLE core_auditentry DROP COLUMN request_id",
                         "DELETE FROM django_migrations WHERE app='core' "
                         "AND name IN ('0006_auditentry_request_id', '0007_documents_leave_core')",
                         # Before the library left core (decision 0028).
                         "DELETE FROM django_migrations WHERE app='documents'",
                         "UPDATE django_content_type SET app_label='core' "
                         "WHERE app_label='documents'",
                         # Before the documents' visibility index (documents 0002).
                         "DROP INDEX document_visibility")
# Before the documents' stored search vector (documents 0002), on PostgreSQL.
FORGET_THE_SEARCH_VECTOR = (
    "ALTER TABLE core_document DROP COLUMN search_vector",
    "CREATE INDEX core_document_search_gin ON core_document USING GIN (("
    "setweight(to_tsvector('simple'::regconfig, COALESCE(title, '')), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, COALESCE(text, '')), 'B')))")


def _forget_the_request_id_in_sqlite(database: Path) -> None:
    db = sqlite3.connect(database)
    for (index,) in db.execute("SELECT name FROM sqlite_master WHERE type='index' "
                               "AND tbl_name='core_auditentry' AND sql LIKE '%request_id%'"
                               ).fetchall():
        db.execute(f"DROP INDEX {index}")
    for statement in FORGET_THE_REQUEST_ID:
        db.execute(statement)
    db.commit()
    db.close()  # the copy is in WAL mode: closing writes the log back into the file


def _forget_the_request_id_in_postgresql(dump: Path, tmp_path: Path) -> None:
    """Restore the dump into a scratch database, take the column out, dump it again."""
    scratch = _new_site(tmp_path, "postgresql", "older")
    try:
        url = scratch.database_url
        subprocess.run(["pg_restore", "--no-owner", "--dbname", url, str(dump)],  # noqa: S607
                       check=True, capture_output=True)
        for statement in (*FORGET_THE_REQUEST_ID, *FORGET_THE_SEARCH_VECTOR):
            subprocess.run(["psql", url, "-qAtc", statement],  # noqa: S607
                           check=True, capture_output=True)
        subprocess.run(["pg_dump", "--format=custom", "--no-owner", f"--file={dump}",  # noqa: S607
                        url], check=True, capture_output=True)
    finally:
        _drop(scratch)


def test_a_backup_taken_under_writes_restores_whole(demo_site: Site, target: Site,
                                                    tmp_path: Path) -> None:
    """Documents with files are registered without pause while the backup runs; the
    restored copy holds every record and file the manifest names, and nothing half-done."""
    stop = tmp_path / "stop"
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(stop)], env=demo_site.env(), stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while not (tmp_path / "stop.started").exists():
            assert writer.poll() is None, writer.communicate()[1]
            assert time.monotonic() < deadline
            time.sleep(0.05)
        (tmp_path / "stop.started").unlink()
        path = tmp_path / "busy.tar"
        done = demo_site.run("backup", "-o", str(path))
        assert done.returncode == 0, done.stderr
    finally:
        stop.write_text("stop")
        out, err = writer.communicate(timeout=120)
    assert writer.returncode == 0, err
    written = int(out.split()[-1])
    manifest = manifest_of(path)
    assert written > 0
    restored = restore(path, target)
    assert restored.returncode == 0, restored.stderr + restored.stdout
    check = target.python(
        "from hofburg.documents.models import Document, DocumentFile\n"
        "import hashlib\n"
        "docs = Document.objects.filter(symbol__startswith='SEC.GAL/')\n"
        "files = DocumentFile.objects.filter(document__in=docs)\n"
        "ok = all(hashlib.sha256(f.file.read()).hexdigest() == f.sha256 for f in files)\n"
        "print(docs.count(), files.count(), ok)")
    assert check.returncode == 0, check.stderr
    documents, files, ok = check.stdout.split()
    assert int(documents) == int(files), "every restored document has its file"
    assert ok == "True"
    assert manifest["counts"]["core_document"] == int(
        target.python("from hofburg.documents.models import Document\n"
                      "print(Document.objects.count())").stdout)


WRITER = r"""
import datetime, os, sys, django
from pathlib import Path
os.environ['DJANGO_SETTINGS_MODULE'] = 'hofburg.settings'
django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile
from hofburg.core.models import Affiliation, Role, User
from hofburg.documents.services import register_document
stop = Path(sys.argv[1])
affiliation = Affiliation.objects.create(code='ops-writer', name='Writer', kind='delegation')
user = User.objects.create_user(username='ops-writer', password='x' * 12,
                                affiliation=affiliation, roles=[Role.READER, Role.EDITOR])
written = 0
while not stop.exists():
    written += 1
    body = (f'Exercise document {written} ' * 2000).encode()
    register_document(user, symbol=f'SEC.GAL/{written}/26', title=f'Exercise {written}',
                      date=datetime.date(2026, 1, 1), originator='Writer', original_language='en',
                      classification='restricted', is_exercise=True,
                      files=[('en', SimpleUploadedFile(f'doc{written}.txt', body, 'text/plain'))])
    if written == 3:
        Path(str(stop) + '.started').write_text('1')
print(written)
"""


# -- check ---------------------------------------------------------------------------------


def test_check_says_nothing_would_change_on_a_current_database(demo_site: Site) -> None:
    done = demo_site.run("check")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Pending migrations: 0" in done.stdout
    assert "Reference data differences" in done.stdout


def test_check_lists_reference_differences_and_changes_nothing(demo_site: Site,
                                                               tmp_path: Path) -> None:
    reference = tmp_path / "data"
    shutil.copytree(Path(__file__).parents[2] / "data", reference)
    institutions = reference / "registry" / "institutions.yaml"
    text = institutions.read_text()
    assert "seat: Warsaw" in text
    institutions.write_text(text.replace("seat: Warsaw", "seat: Vienna", 1))
    env_site = Site(demo_site.data_dir, demo_site.database_url)
    env = env_site.env() | {"HOFBURG_REFERENCE_DIR": str(reference)}
    changed = subprocess.run([HOFBURG, "check"], capture_output=True, text=True, env=env,
                             timeout=600, check=False)
    assert changed.returncode == 1, changed.stderr
    assert "Reference data differences" in changed.stdout
    assert "1 updated" in changed.stdout
    assert demo_site.run("check").returncode == 0, "the comparison wrote nothing"


def test_check_lists_pending_migrations(vendor: str, tmp_path: Path,
                                        migrated_sqlite: Callable[[Path], Path]) -> None:
    site = _new_site(tmp_path, vendor, "pending")
    if vendor == "sqlite":
        migrated_sqlite(site.data_dir / "hofburg.sqlite3")
    try:
        assert site.run("init").returncode == 0
        back = site.python("from django.core.management import call_command\n"
                           "call_command('migrate', 'core', '0005', verbosity=0)")
        assert back.returncode == 0, back.stderr
        done = site.run("check")
        assert done.returncode == 1
        assert "core.0006_auditentry_request_id" in done.stdout
    finally:
        _drop(site)


def test_the_manifest_names_the_keys_desks_register_and_never_holds_them(
        transactional_db: None, tmp_path: Path, settings: object) -> None:
    from hofburg.core import backup

    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]
    backup.register_key_source("evidence", lambda: ["evidence-2026", "evidence-2025"])
    try:
        manifest = backup.take_backup(tmp_path / "keys.tar")
    finally:
        backup._key_sources.pop("evidence")
    assert manifest.keys_needed == ["evidence-2025", "evidence-2026"]
    assert manifest_of(tmp_path / "keys.tar")["keys_needed"] == ["evidence-2025", "evidence-2026"]
    assert backup.keys_needed() == []


def test_a_backup_inside_a_transaction_is_refused(db: None, tmp_path: Path) -> None:
    """Its copy would include writes not yet committed (and SQLite would wait for ever)."""
    from hofburg.core import backup

    with pytest.raises(backup.BackupError, match="inside a transaction"):
        backup.take_backup(tmp_path / "never.tar")
    assert not (tmp_path / "never.tar").exists()
