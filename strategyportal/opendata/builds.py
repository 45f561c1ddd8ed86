"""Builds of the open data files, kept in OPEN_DATA_DIR and named by the content version
(`municipalities.content_version`) they were made from.

Building the national set takes longer than a request may (see the README), so in
production a request never waits for one: it serves the last complete build (or none before
the first) and, if the data have changed since, starts `manage.py build_open_data --if-idle`
in a process of its own. `manage.py build_open_data` makes one from cron or after an import,
so that visitors rarely see an old build at all.

- One process builds at a time: the builder holds an exclusive lock on `OPEN_DATA_DIR/.lock`
  (released by the kernel if the process dies). A builder that a request started finds it
  held and returns at once; cron's waits for it.
- At most one attempt per OPEN_DATA_REBUILD_AFTER seconds starts from requests, whether the
  last one succeeded or not: each attempt is recorded in `attempt.json` (when it began, when
  it ended, and its error), and requests start no builder while the last attempt is younger.
  A burst of requests may start a few builders at once; all but one find the lock held, or
  the fresh attempt, and return without building.
- A failed build is logged as an error on the logger "strategyportal.opendata" (and so
  mailed to ADMINS); the last good build is served meanwhile. A build has
  OPEN_DATA_BUILD_TIMEOUT seconds: then it is stopped and recorded as failed, and if it is
  stuck where it cannot be stopped, the process is ended a minute later; the next attempt
  logs an attempt that never ended (a builder killed by anyone).
- The lock is `flock`, which holds between machines only where the shared disk supports
  locks (NFSv4 does; NFSv3 without lockd, or some network file systems, do not). Elsewhere,
  set OPEN_DATA_BUILD_ON_REQUEST off on every server and run `build_open_data` from cron on
  one machine only: requests then build nothing and serve what cron made.
- Nothing half-written is served: a build is written into a `tmp-…` directory, renamed into
  `builds/` when complete (a rename within one file system is atomic), and only then named
  in `current.json`, which is itself replaced by a rename. A directory left by a builder that
  died is removed by the next builder.
- The previous build is kept, so that a download that began before a new build is not cut
  off; older ones are removed.
- On PostgreSQL the build reads one snapshot of the database (REPEATABLE READ), so its tables
  agree with each other even while editors write."""

import faulthandler
import fcntl
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from municipalities.content_version import content_version
from strategyportal.opendata.formats import write_files

CURRENT = "current.json"
ATTEMPT = "attempt.json"
KEPT_BUILDS = 2
# How long a builder stuck past its time limit, where the limit cannot interrupt it (inside a
# C library), is left before the process is ended.
GRACE_SECONDS = 60

logger = logging.getLogger("strategyportal.opendata")


class BuildTimedOut(Exception):
    pass


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


def refresh(
    *, force: bool = False, if_idle: bool = False, time_limit: float | None = None
) -> Build | None:
    """A build of the current data: the latest if the data have not changed since (unless
    `force`), else a new one, made in at most `time_limit` seconds (only in a process's main
    thread: it uses a signal). Waits for a build in progress, unless `if_idle`: then returns
    None at once if another process is building or an attempt began less than
    OPEN_DATA_REBUILD_AFTER seconds ago. A failed build is recorded, logged and raised."""
    with _lock(wait=not if_idle) as locked:
        if not locked:
            return None
        if if_idle and _attempted_recently():
            return None
        version = content_version()
        latest = latest_build()
        if latest is not None and latest.version == version and not force:
            return latest
        started_at = _begin_attempt()
        try:
            with _time_limit(time_limit):
                build = _build(version)
        except BaseException as error:
            _write_attempt(started_at, error=f"{type(error).__name__}: {error}")
            logger.exception("The open-data build of version %s failed", version)
            raise
        _write_attempt(started_at, error=None)
        return build


def last_attempt() -> dict | None:
    """The last attempt to build: `started_at`, `ended_at` (None while it runs, or if the
    builder died) and `error` (None if it succeeded); None before the first."""
    try:
        attempt = json.loads((root() / ATTEMPT).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    for key in ("started_at", "ended_at"):
        attempt[key] = attempt[key] and datetime.fromisoformat(attempt[key])
    return attempt


# This process's builder, so that it is reaped when done and not started twice.
_builder: subprocess.Popen | None = None


def failed_after(build: Build | None) -> bool:
    """Whether the last attempt to build, made after `build` (the one served, or none),
    failed: the page then says that its files are older than the data, or that there are none
    for now, instead of that they are being made."""
    attempt = last_attempt()
    return bool(
        attempt and attempt["error"] and (build is None or attempt["started_at"] > build.built_at)
    )


def refresh_in_background() -> None:
    """Have a new build made by a process of its own while this request is answered with the
    last build, unless an attempt began less than OPEN_DATA_REBUILD_AFTER seconds ago. Not a
    thread: gunicorn recycles its workers (GUNICORN_MAX_REQUESTS) and would take a build of
    minutes with it; the builder outlives the worker. It does not wait for the lock, so the
    builders of several workers and servers do not queue to build one after another."""
    global _builder
    if (_builder is not None and _builder.poll() is None) or _attempted_recently():
        return
    _builder = subprocess.Popen(  # noqa: S603 (our own command, no input of anyone's)
        [
            sys.executable,
            str(settings.BASE_DIR / "manage.py"),
            "build_open_data",
            "--if-idle",
            "-v",
            "0",
        ],
        start_new_session=True,
    )


def _attempted_recently() -> bool:
    attempt = last_attempt()
    return attempt is not None and timezone.now() - attempt["started_at"] < timedelta(
        seconds=settings.OPEN_DATA_REBUILD_AFTER
    )


def _begin_attempt() -> datetime:
    """Record that a build begins; only the holder of the lock calls this, so an attempt
    that has not ended was a builder that died."""
    previous = last_attempt()
    if previous is not None and previous["ended_at"] is None:
        logger.error(
            "The open-data build begun at %s never ended: its process died or was killed",
            previous["started_at"].isoformat(),
        )
    started_at = timezone.now()
    _write_attempt(started_at, error=None, ended=False)
    return started_at


def _write_attempt(started_at: datetime, *, error: str | None, ended: bool = True) -> None:
    attempt = {
        "started_at": started_at.isoformat(),
        "ended_at": timezone.now().isoformat() if ended else None,
        "error": error,
        "pid": os.getpid(),
    }
    _write_atomically(root() / ATTEMPT, json.dumps(attempt, indent=2))


@contextmanager
def _time_limit(seconds: float | None):
    """Stop the build after `seconds` with BuildTimedOut, which is recorded like any failure.
    The signal's handler runs between Python's steps; should the builder be stuck inside a C
    library where it cannot, faulthandler's own thread writes where it was stuck to stderr
    and ends the process GRACE_SECONDS later, releasing the lock."""
    if not seconds:
        yield
        return

    def expire(signum, frame):
        raise BuildTimedOut(f"no build within OPEN_DATA_BUILD_TIMEOUT ({seconds} s)")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    faulthandler.dump_traceback_later(seconds + GRACE_SECONDS, exit=True)
    try:
        yield
    finally:
        faulthandler.cancel_dump_traceback_later()
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


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
    handle, temporary = tempfile.mkstemp(prefix=f".{path.stem}-", dir=path.parent)
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        file.write(text)
    os.replace(temporary, path)
