"""A PostgreSQL cluster of the fault tests' own, which they may stop, crash and start again:
never the shared server. `make faults` points DATABASE_URL at 127.0.0.1:FAULTS_PORT, where this
starts a throwaway cluster in a temporary directory before pytest-django creates its test
database there, and deletes it after the run, whatever happened."""

import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

PROJECT_DIR = Path(__file__).resolve().parent.parent
START_SECONDS = 60


@dataclass(frozen=True)
class Cluster:
    """A PostgreSQL server that `pg_ctl` stops and starts; the postgres user owns its files."""

    directory: Path
    port: int
    bin: Path

    @property
    def data(self) -> Path:
        return self.directory / "data"

    @property
    def log(self) -> Path:
        return self.directory / "postgresql.log"

    def start(self) -> None:
        self._pg_ctl(
            "start",
            "--wait",
            f"--timeout={START_SECONDS}",
            f"--log={self.log}",
            # Its socket in its own directory, not beside the shared server's.
            f"--options=-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1",
        )

    def stop(self, mode: str, *, check: bool = True) -> None:
        """`fast` ends the sessions and shuts down cleanly; `immediate` kills every process
        without a checkpoint, as a crash does, so the next start recovers from the WAL."""
        self._pg_ctl("stop", "--wait", f"--mode={mode}", check=check)

    def is_running(self) -> bool:
        return self._pg_ctl("status", check=False).returncode == 0

    def _pg_ctl(self, *arguments: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [str(self.bin / "pg_ctl"), f"--pgdata={self.data}", "--silent", *arguments]
        done = subprocess.run(_as_postgres(command), capture_output=True, text=True)  # noqa: S603
        if check and done.returncode:
            log = self.log.read_text() if self.log.exists() else ""
            pytest.fail(f"pg_ctl {arguments[0]} failed: {done.stderr}\n{log[-3000:]}")
        return done


def _as_postgres(command: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root.
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def _postgres_bin() -> Path:
    """PG_BIN, else the newest of Debian's /usr/lib/postgresql/<version>/bin, else the PATH."""
    if os.environ.get("PG_BIN"):
        return Path(os.environ["PG_BIN"])
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"), key=lambda path: int(path.parent.name)
    )
    if versions:
        return versions[-1]
    if pg_ctl := shutil.which("pg_ctl"):
        return Path(pg_ctl).parent
    pytest.fail("pg_ctl not found: set PG_BIN to PostgreSQL's bin directory")


def _listens(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="session")
def postgres_cluster():
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql" or database["HOST"] != "127.0.0.1":
        pytest.fail(
            "The fault tests start their own PostgreSQL and need DATABASE_URL to name it "
            "(postgres://postgres@127.0.0.1:<free port>/faults): run `make faults`."
        )
    port = int(database["PORT"])
    if _listens(port):
        pytest.fail(
            f"Something listens on 127.0.0.1:{port} already; the fault tests start and stop "
            "a PostgreSQL of their own there. Choose another port: make faults FAULTS_PORT=…"
        )
    directory = Path(tempfile.mkdtemp(prefix="strategyportal-faults-"))
    cluster = Cluster(directory=directory, port=port, bin=_postgres_bin())
    try:
        if os.geteuid() == 0:
            shutil.chown(directory, "postgres", "postgres")
        subprocess.run(  # noqa: S603
            _as_postgres(
                [
                    str(cluster.bin / "initdb"),
                    f"--pgdata={cluster.data}",
                    "--username=postgres",
                    "--auth=trust",
                    "--encoding=UTF8",
                    "--locale=C.UTF-8",
                    # Only initdb's own files go unsynced; the server keeps fsync on, as
                    # production does, and commits wait for the WAL to be written.
                    "--no-sync",
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        cluster.start()
        yield cluster
    finally:
        # Whatever state a failure left it in: nothing to keep, so no clean shutdown.
        cluster.stop("immediate", check=False)
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="session")
def static_root(tmp_path_factory):
    """The static files collected for a server with DEBUG=False (their hashed names are in its
    pages): begun first, as it takes seconds, and waited for when asked."""
    path = tmp_path_factory.mktemp("static")
    environment = {
        **os.environ,
        "DEBUG": "False",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_ROOT": str(path),
    }
    collecting = subprocess.Popen(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"],
        cwd=PROJECT_DIR,
        env=environment,
    )

    def collected() -> Path:
        if collecting.wait() != 0:
            pytest.fail("collectstatic failed")
        return path

    yield collected
    collecting.kill()
    collecting.wait()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    static_root, postgres_cluster, django_db_modify_db_settings_parallel_suffix
):
    """pytest-django's own, after the cluster has started: the test database is made there.
    The static files are collected meanwhile."""
