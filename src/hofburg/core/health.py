"""The service's health for a load balancer or a monitor: database, migrations, disk, cache.

Nothing sensitive is said: each check is `ok` true or false with at most a number, never an
error text, a path or a version.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection

# Once every migration is applied that stays so until the code changes (a restart), so a
# positive answer is kept; reading the migration files costs tens of milliseconds.
_MIGRATIONS_KEPT_SECONDS = 300.0
_migrations_ok_at: float | None = None  # never checked: a fresh machine's clock may be < 300


def health() -> tuple[bool, dict[str, Any]]:
    """(healthy, checks): every check is a dict with `ok` and perhaps a figure."""
    checks: dict[str, dict[str, Any]] = {"database": _database()}
    checks["migrations"] = _migrations() if checks["database"]["ok"] else {"ok": False}
    checks["disk"] = _disk()
    if "LocMemCache" not in settings.CACHES["default"]["BACKEND"]:
        checks["cache"] = _cache()
    return all(check["ok"] for check in checks.values()), checks


def _database() -> dict[str, Any]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return {"ok": False}
    return {"ok": True}


def _migrations() -> dict[str, Any]:
    global _migrations_ok_at
    if _migrations_ok_at is not None and \
            time.monotonic() - _migrations_ok_at < _MIGRATIONS_KEPT_SECONDS:
        return {"ok": True, "pending": 0}
    from hofburg.core.upgrade import pending_migrations

    try:
        pending = len(pending_migrations())
    except Exception:
        return {"ok": False}
    if pending == 0:
        _migrations_ok_at = time.monotonic()
    return {"ok": pending == 0, "pending": pending}


def _disk() -> dict[str, Any]:
    try:
        free = shutil.disk_usage(Path(settings.DATA_DIR)).free
    except OSError:
        return {"ok": False}
    return {"ok": free >= settings.HEALTH_MIN_FREE_BYTES, "free_bytes": free}


def _cache() -> dict[str, Any]:
    try:
        cache.set("hofburg:healthz", "1", 10)
        return {"ok": cache.get("hofburg:healthz") == "1"}
    except Exception:
        return {"ok": False}
