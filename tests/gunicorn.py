"""gunicorn started by a test as `make serve` runs it, for the tests that need real server
processes: two servers sharing a page cache (tests/test_two_servers.py) and a server that
outlives a database restart (faults/)."""

import http.client
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
START_SECONDS = 60
LISTENING = re.compile(rb"Listening at: http://127\.0\.0\.1:(\d+)")


@contextmanager
def running_gunicorn(environment: dict, log_path: Path) -> Iterator[tuple[subprocess.Popen, int]]:
    """gunicorn with the project's settings on a free port, its output in `log_path`; yields
    the process and its port once /healthz answers, and stops it afterwards, whatever
    happened."""
    with log_path.open("wb") as log:
        process = subprocess.Popen(  # noqa: S603 -- the venv's gunicorn, fixed arguments
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "--config",
                "gunicorn.conf.py",
                # Port 0: the system picks a free one, which gunicorn then logs.
                "--bind",
                f"{HOST}:0",
                # Its control socket would take over that of another gunicorn here.
                "--no-control-socket",
            ],
            cwd=PROJECT_DIR,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        yield process, _wait_until_healthy(process, log_path)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_healthy(process: subprocess.Popen, log_path: Path) -> int:
    deadline = time.monotonic() + START_SECONDS
    port = None
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"The server stopped:\n{log_path.read_text()}")
        if port is None and (listening := LISTENING.search(log_path.read_bytes())):
            port = int(listening[1])
        if port is not None and _healthy(port):
            return port
        time.sleep(0.1)
    pytest.fail(f"The server did not answer within {START_SECONDS} s:\n{log_path.read_text()}")


def _healthy(port: int) -> bool:
    server = http.client.HTTPConnection(HOST, port, timeout=5)
    try:
        server.request("GET", "/healthz", headers={"Host": HOST})
        return server.getresponse().status == 200
    except (OSError, http.client.HTTPException):
        return False  # not listening yet
    finally:
        server.close()
