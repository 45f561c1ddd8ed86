"""Builds of the open data files, kept in OPEN_DATA_DIR and named by the content version
(`municipalities.content_version`) they were made from.

Building the national set takes longer than a request may (see the README), so a request
never waits for one when there is a build to serve: it serves the last complete build and,
if the data have changed since, has one made beside it. `manage.py build_open_data` makes one
from cron or after an import, so that visitors rarely see an old build at all.

- One process builds at a time: the builder holds an exclusive lock on `OPEN_DATA_DIR/.lock`
  (released by the kernel if the process dies), and whoever finds it held builds nothing.
- Nothing half-written is served: a build is written into a `tmp-…` directory, renamed into
  `builds/` when complete (a rename within one file system is atomic), and only then named
  in `current.json`, which is itself replaced by a rename. A directory left by a builder that
  died is removed by the next builder.
- The previous build is kept, so that a download that began before a new build is not cut
  off; older ones are removed.
- On PostgreSQL the build reads one snapshot of the database (REPEATABLE READ), so its tables
  agree with each other even while editors write."""

import fcntl
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from municipalities.content_version import content_version
from strategyportal.opendata.formats import write_files

CURRENT = "current.json"
KEPT_BUILDS = 2


@dataclass(frozen=True)
class Build:
    directory: Path
    version: str
    built_at: datetime
    seconds: float
    files: dict[str, int]  # file name: size in bytes
    rows: dict[str, int]  # table name: number of rows

    def path(self, name: str) -> Path | None:
        """The file `name` of this build, or None if it has no such file."""
        return self.directory / name if name in self.files else None


def root() -> Path:
    return Path(settings.OPEN_DATA_DIR)


def latest_build() -> Build | None:
    """The last complete build, or None before the first."""
    try:
        manifest = json.loads((root() / CURRENT).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    directory = root() / "builds" / manifest["directory"]
    if not directory.is_dir():
        return None
    return Build(
        directory=directory,
        version=manifest["version"],
        built_at=datetime.fromisoformat(manifest["built_at"]),
        seconds=manifest["seconds"],
        files=manifest["files"],
        rows=manifest["rows"],
    )


def refresh(*, wait: bool = True, force: bool = False) -> Build | None:
    """A build of the current data: the latest if the data have not changed since (unless
    `force`), else a new one. Waits for a build in progress when `wait`, else returns None
    at once if another process is building."""
    with _lock(wait=wait) as locked:
        if not locked:
            return None
        version = content_version()
        latest = latest_build()
        if latest is not None and latest.version == version and not force:
            return latest
        return _build(version)


# This process's builder, so that it is reaped when done and not started twice.
_builder: subprocess.Popen | None = None


def refresh_in_background() -> None:
    """Have a new build made by a process of its own while this request is answered with the
    last build. Not a thread: gunicorn recycles its workers (GUNICORN_MAX_REQUESTS) and would
    take a build of minutes with it; the builder outlives the worker."""
    global _builder
    if _builder is not None and _builder.poll() is None:
        return
    _builder = subprocess.Popen(  # noqa: S603 (our own command, no input of anyone's)
        [sys.executable, str(settings.BASE_DIR / "manage.py"), "build_open_data", "-v", "0"],
        start_new_session=True,
    )


@contextmanager
def _lock(*, wait: bool):
    root().mkdir(parents=True, exist_ok=True)
    with (root() / ".lock").open("w") as file:
        try:
            fcntl.flock(file, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(file, fcntl.LOCK_UN)


def _build(version: str) -> Build:
    """Write a build and make it the current one; only the holder of the lock calls this."""
    for unfinished in root().glob("tmp-*"):
        shutil.rmtree(unfinished, ignore_errors=True)
    builds = root() / "builds"
    builds.mkdir(exist_ok=True)
    started, built_at = time.monotonic(), timezone.now()
    directory = Path(tempfile.mkdtemp(prefix="tmp-", dir=root()))
    try:
        with _snapshot():
            rows = write_files(directory, created=built_at, version=version)
        name = f"{built_at:%Y%m%dT%H%M%S%f}-{version}"
        files = {path.name: path.stat().st_size for path in sorted(directory.iterdir())}
        directory.rename(builds / name)
    except BaseException:
        shutil.rmtree(directory, ignore_errors=True)
        raise
    manifest = {
        "directory": name,
        "version": version,
        "built_at": built_at.isoformat(),
        "seconds": round(time.monotonic() - started, 2),
        "files": files,
        "rows": rows,
    }
    _write_atomically(root() / CURRENT, json.dumps(manifest, indent=2))
    for old in sorted(builds.iterdir())[:-KEPT_BUILDS]:
        shutil.rmtree(old, ignore_errors=True)
    return latest_build()


@contextmanager
def _snapshot():
    """One consistent view of the database for the whole build, where the database gives one
    (PostgreSQL, outside a transaction already begun, as in tests)."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def _write_atomically(path: Path, text: str) -> None:
    handle, temporary = tempfile.mkstemp(prefix=".current-", dir=path.parent)
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        file.write(text)
    os.replace(temporary, path)
