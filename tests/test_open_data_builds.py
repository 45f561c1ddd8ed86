"""How the open-data files are built and served: what a request does (serve the last build,
start a builder at most once an interval), what the builder it starts does (never waits for
another), and that a build that fails, hangs or dies leaves the last good one served."""

import fcntl
import io
import json
import logging
import time
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from strategyportal.opendata import builds
from strategyportal.opendata.formats import JSON, ZIP
from tests.factories import GoalTargetFactory, IndicatorValueFactory

PAGE = reverse("portal:open_data")


@pytest.fixture
def open_data_dir(settings, tmp_path):
    settings.OPEN_DATA_DIR = tmp_path
    return tmp_path


@pytest.fixture
def production(settings, open_data_dir, monkeypatch):
    """Requests as production answers them, with the builders they would start recorded
    (each as its command) instead of started; as one worker that has started none yet."""
    settings.OPEN_DATA_BUILD_IN_BACKGROUND = True
    settings.OPEN_DATA_REBUILD_AFTER = 600
    started = []

    class Builder:
        def __init__(self, command, **options):
            assert options == {"start_new_session": True}
            started.append(command[command.index("build_open_data") :])

        def poll(self):
            return None  # still running

    monkeypatch.setattr(builds.subprocess, "Popen", Builder)
    monkeypatch.setattr(builds, "_builder", None)
    return started


@pytest.fixture
def change(django_capture_on_commit_callbacks):
    """A write that changes the content version, as an editor's would."""

    def change():
        with django_capture_on_commit_callbacks(execute=True):
            IndicatorValueFactory(period=2030)

    return change


def another_worker(monkeypatch):
    monkeypatch.setattr(builds, "_builder", None)


def fail_halfway(directory: Path, **kwargs):
    (directory / ZIP).write_bytes(b"half")
    raise OSError("disk full")


SPAWNED = ["build_open_data", "--if-idle", "-v", "0"]


def test_a_write_makes_the_next_download_a_new_build(
    db, open_data_dir, client, django_capture_on_commit_callbacks
):
    target = GoalTargetFactory()
    url = reverse("portal:open_data_file", args=["values.csv"])
    before = client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        IndicatorValueFactory(indicator=target.indicator, period=2030, value=Decimal("1234.5"))
    after = client.get(url)
    assert after["ETag"] != before["ETag"]
    assert "1234.5" in b"".join(after.streaming_content).decode()
    assert "1234.5" not in b"".join(before.streaming_content).decode()


def test_unchanged_data_are_served_from_the_same_build(db, open_data_dir, client):
    url = reverse("portal:open_data_file", args=[JSON])
    assert client.get(url)["ETag"] == client.get(url)["ETag"]
    assert len(list((open_data_dir / "builds").iterdir())) == 1


def test_only_the_files_of_a_build_are_served(db, open_data_dir, client):
    client.get(PAGE)
    assert (open_data_dir / "attempt.json").exists()
    for name in ("current.json", "attempt.json", ".lock", "tmp-x", "..", "build.py"):
        assert client.get(reverse("portal:open_data_file", args=[name])).status_code == 404


def test_before_the_first_build_the_page_says_it_is_being_made_and_nobody_waits(
    db, production, client
):
    page = client.get(PAGE)
    assert "Filerne bliver lavet" in page.content.decode()
    assert "no-cache" in page["Cache-Control"]
    download = client.get(reverse("portal:open_data_file", args=[ZIP]))
    assert (download.status_code, download["Retry-After"]) == (503, "120")
    # One builder, that does not wait for another; this worker's is still running.
    assert production == [SPAWNED]
    assert builds.latest_build() is None


def test_stale_files_are_served_while_a_builder_makes_new_ones(
    db, production, client, change, settings
):
    settings.OPEN_DATA_REBUILD_AFTER = 0
    old = builds.refresh()
    change()
    response = client.get(PAGE)
    assert production == [SPAWNED]
    assert response.context["build"].directory == old.directory
    # Not stored as the new version's page: it names the old build.
    assert "no-cache" in response["Cache-Control"]


def test_requests_start_no_builder_while_the_last_attempt_is_younger_than_the_interval(
    db, production, client, change, monkeypatch
):
    builds.refresh()
    change()
    for _ in range(3):
        another_worker(monkeypatch)
        assert client.get(PAGE).status_code == 200
    assert production == []


def test_a_failed_build_is_logged_recorded_and_retried_only_after_the_interval(
    db, production, client, change, monkeypatch, settings, caplog
):
    good = builds.refresh()
    change()
    monkeypatch.setattr(builds, "write_files", fail_halfway)
    with pytest.raises(CommandError, match="disk full"):
        call_command("build_open_data", "-v", "0")
    [record] = [r for r in caplog.records if r.name == "strategyportal.opendata"]
    assert record.levelno == logging.ERROR
    assert "disk full" in str(record.exc_info[1])
    attempt = builds.last_attempt()
    assert attempt["ended_at"] is not None
    assert attempt["error"] == "OSError: disk full"
    # Nothing half-written; the last good build is served and says when it was made.
    assert not list(settings.OPEN_DATA_DIR.glob("tmp-*"))
    assert zipfile.is_zipfile(builds.latest_build().path(ZIP))
    another_worker(monkeypatch)
    response = client.get(PAGE)
    assert response.context["build"].directory == good.directory
    assert "De nuværende blev lavet" in response.content.decode()
    assert "Filerne kunne ikke laves igen efter de seneste ændringer" in response.content.decode()
    assert production == []
    # Once the interval has passed, the next request starts a builder again.
    settings.OPEN_DATA_REBUILD_AFTER = 0
    another_worker(monkeypatch)
    client.get(PAGE)
    assert production == [SPAWNED]


def test_when_the_first_build_failed_the_page_says_so_instead_of_that_it_is_being_made(
    db, production, client, monkeypatch
):
    monkeypatch.setattr(builds, "write_files", fail_halfway)
    with pytest.raises(CommandError):
        call_command("build_open_data", "-v", "0")

    page = client.get(PAGE).content.decode()

    assert "Filerne kunne ikke laves. Portalens drift har fået besked" in page
    assert "Filerne bliver lavet" not in page


def test_a_build_after_a_failed_one_takes_the_failure_off_the_page(
    db, production, client, change, monkeypatch
):
    builds.refresh()
    change()
    with monkeypatch.context() as failing:
        failing.setattr(builds, "write_files", fail_halfway)
        with pytest.raises(CommandError):
            call_command("build_open_data", "-v", "0")
    assert "kunne ikke laves" in client.get(PAGE).content.decode()

    builds.refresh()

    assert "kunne ikke laves" not in client.get(PAGE).content.decode()


def test_the_spawned_builder_returns_at_once_while_another_process_holds_the_lock(
    db, open_data_dir
):
    open_data_dir.mkdir(exist_ok=True)
    # A lock of our own, on a file opened apart: to flock it is another process's, and a
    # builder that waited for it would wait for ever.
    with (open_data_dir / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        output = io.StringIO()
        call_command("build_open_data", "--if-idle", stdout=output)
    assert "Another process is building" in output.getvalue()
    assert builds.latest_build() is None
    assert builds.last_attempt() is None


def test_the_spawned_builder_builds_nothing_after_a_recent_attempt_but_cron_does(
    db, open_data_dir, change
):
    first = builds.refresh()
    change()
    call_command("build_open_data", "--if-idle", "-v", "0")
    assert builds.latest_build() == first
    call_command("build_open_data", "-v", "0")
    assert builds.latest_build().version != first.version


def test_a_build_that_hangs_is_stopped_after_its_time_limit(
    db, open_data_dir, settings, monkeypatch
):
    settings.OPEN_DATA_BUILD_TIMEOUT = 0.05

    def hang(directory: Path, **kwargs):
        time.sleep(60)  # interrupted by the time limit

    monkeypatch.setattr(builds, "write_files", hang)
    started = time.monotonic()
    with pytest.raises(CommandError, match="OPEN_DATA_BUILD_TIMEOUT"):
        call_command("build_open_data", "-v", "0")
    assert time.monotonic() - started < 10
    assert builds.last_attempt()["error"].startswith("BuildTimedOut")
    assert not list(open_data_dir.glob("tmp-*"))
    # The lock is free again.
    with (open_data_dir / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)


def test_a_builder_that_died_is_logged_and_its_directory_removed_by_the_next(
    db, open_data_dir, caplog
):
    (open_data_dir / "tmp-dead").mkdir(parents=True)
    (open_data_dir / "tmp-dead" / ZIP).write_bytes(b"half")
    (open_data_dir / "attempt.json").write_text(
        json.dumps({"started_at": "2026-01-01T00:00:00+00:00", "ended_at": None, "error": None})
    )
    builds.refresh()
    assert not (open_data_dir / "tmp-dead").exists()
    assert "never ended" in caplog.text
    assert builds.last_attempt()["error"] is None


def test_with_builds_on_request_off_a_request_starts_none(db, production, client, change, settings):
    settings.OPEN_DATA_BUILD_ON_REQUEST = False
    settings.OPEN_DATA_BUILD_IN_BACKGROUND = False  # not even the request's own
    old = builds.refresh()
    change()
    assert client.get(PAGE).context["build"].directory == old.directory
    assert production == []
    assert builds.latest_build() == old


def test_the_command_builds_and_lists_the_files(db, open_data_dir):
    output = io.StringIO()
    call_command("build_open_data", stdout=output)
    assert ZIP in output.getvalue()
    assert builds.latest_build().path(ZIP).exists()
