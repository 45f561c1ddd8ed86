"""PostgreSQL restarted while readers ask for pages and reporters save values (issue #13 item 8).

One production server, gunicorn with gunicorn.conf.py as `make serve` runs it (DEBUG=False,
2 workers, each keeping its database connection with the settings' defaults), serves the test
database on a cluster of this run's own (conftest.py). Threads ask for public pages and post
the reporting page's form, each save a new value, one request after another. Meanwhile
PostgreSQL is stopped for OUTAGE_SECONDS cleanly (`pg_ctl stop -m fast`, which ends every
session), then as in a crash (`-m immediate`: every process killed without a checkpoint, so
the start replays the WAL), and then restarted once more while nobody asks. Then:

- while PostgreSQL is away, a request gets the 503 page with Retry-After, never a traceback;
- every request asked after PostgreSQL accepts connections again succeeds, answered by the
  same server process and workers; the first after the quiet restart too, which takes the
  health check of kept connections (CONN_HEALTH_CHECKS). The time from PostgreSQL's start to
  the first page and save served is printed, and bounded by RECOVERY_BOUND_SECONDS;
- every save that was answered with its redirect is in the database exactly as posted, with
  its history record; and none is half-written: each stored value has the one history record
  its save wrote, whether or not its answer arrived.

Killing PostgreSQL's processes is not a power cut: fsync is on, as in production, but what it
guards against (the operating system's cache lost) is not tested here. Not part of `make
test`: `make faults` runs it.
"""

import http.client
import os
import re
import secrets
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from indicators.models import IndicatorValue
from indicators.services import latest_reportable_period
from municipalities.models import Membership
from tests.factories import (
    GoalTargetFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    MembershipFactory,
    SchoolFactory,
    UserFactory,
)
from tests.gunicorn import HOST, running_gunicorn

WORKERS = 2
READERS = 2
REPORTERS = 2
# The series each reporter fills, a period at a time: more new values than a run can save.
SERIES = 4
OUTAGE_SECONDS = 2
# Load between and after the outages, which shows that the server stays well.
STEADY_SECONDS = 1
# A bound on correctness, not a speed goal: the recovery takes well under a second or two.
RECOVERY_BOUND_SECONDS = 30
ANSWER_SECONDS = 30
BOOTED = re.compile(rb"Booting worker with pid: (\d+)")

pytestmark = pytest.mark.django_db(transaction=True)


@dataclass(frozen=True)
class Save:
    organization_id: int
    indicator_id: int
    period: int
    value: Decimal


@dataclass(frozen=True)
class Answer:
    kind: str  # "page" or "save"
    started: float
    ended: float
    status: int | None  # None: no HTTP answer at all
    text: str = field(repr=False)
    retry_after: str | None
    location: str | None
    save: Save | None = None

    @property
    def succeeded(self) -> bool:
        if self.kind == "page":
            return self.status == 200
        # Saved: back to the reporting page of the period (not, say, to the login page).
        return self.status == 302 and f"?periode={self.save.period}" in self.location


@dataclass(frozen=True)
class Reporter:
    user_id: int
    school_id: int
    address: str
    series: list[int]
    session: str


@dataclass(frozen=True)
class Outage:
    mode: str
    stopped: float  # when PostgreSQL was told to stop
    back: float  # when it accepted connections again


@pytest.fixture
def secret_key(settings):
    """The server checks the sessions this process makes, which are signed with the key."""
    settings.SECRET_KEY = secrets.token_urlsafe(50)
    return settings.SECRET_KEY


@pytest.fixture
def portal(secret_key):
    """A published strategy with a target page to read, and reporters at schools, each
    reporting series without a target, so that every period since 1900 is open to them."""
    target = GoalTargetFactory()
    IndicatorValueFactory(indicator=target.indicator, period=2023, value=Decimal(1384))
    municipality = target.goal.strategy.owner
    reporters = []
    for _number in range(REPORTERS):
        school = SchoolFactory(parent=municipality)
        series = [
            IndicatorFactory(organization=municipality, reporting_organizations=[school]).pk
            for _series in range(SERIES)
        ]
        user = UserFactory()
        MembershipFactory(user=user, organization=school, role=Membership.Role.REPORTER)
        session = Client()
        session.force_login(user)
        reporters.append(
            Reporter(
                user_id=user.pk,
                school_id=school.pk,
                address=reverse("reporting:report", args=[school.slug]),
                series=series,
                session=session.cookies["sessionid"].value,
            )
        )
    strategy = target.goal.strategy
    pages = ["/", reverse("portal:strategies"), strategy.get_absolute_url()]
    return {"pages": [*pages, target.get_absolute_url()], "reporters": reporters}


@pytest.fixture
def server(secret_key, static_root, tmp_path):
    """gunicorn on a free port, serving the test database; stopped after the test, whatever
    happened. Yields the process, its port and its log."""
    database = connection.settings_dict
    environment = {
        **os.environ,
        "DEBUG": "False",
        "SECRET_KEY": secret_key,
        "ALLOWED_HOSTS": HOST,
        # Asked over plain HTTP, without the TLS proxy that production has in front.
        "SECURE_SSL_REDIRECT": "False",
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
            f"{database['NAME']}"
        ),
        # No page cache: every request asks the database.
        "CACHE_URL": "locmemcache://",
        "STATIC_ROOT": str(static_root()),
        "WEB_CONCURRENCY": str(WORKERS),
        # No worker is replaced on schedule, so that one replaced shows.
        "GUNICORN_MAX_REQUESTS": "0",
    }
    # The settings' own defaults for keeping connections, and no error mail.
    for name in ("CONN_MAX_AGE", "ADMINS", "EMAIL_URL"):
        environment.pop(name, None)
    log_path = tmp_path / "server.log"
    with running_gunicorn(environment, log_path) as (process, port):
        yield process, port, log_path


def _ask(port: int, kind: str, path: str, *, body: str = "", headers=None, save=None) -> Answer:
    started = time.monotonic()
    server = http.client.HTTPConnection(HOST, port, timeout=ANSWER_SECONDS)
    try:
        server.request(
            "POST" if body else "GET", path, body=body, headers={"Host": HOST, **(headers or {})}
        )
        response = server.getresponse()
        status, text = response.status, response.read().decode()
        retry_after, location = response.getheader("Retry-After"), response.getheader("Location")
    except (OSError, http.client.HTTPException) as error:
        status, text, retry_after, location = None, repr(error), None, None
    finally:
        server.close()
    return Answer(kind, started, time.monotonic(), status, text, retry_after, location, save)


class Load:
    """Readers asking for the pages in turn and reporters saving a new value each time, one
    request after another, until stopped; every answer is kept. It can pause, so that the
    server's workers sit idle with their kept database connections."""

    def __init__(self, port: int, pages: list[str], reporters: list[Reporter]):
        self.port = port
        self.answers: list[Answer] = []
        self._lock = threading.Lock()
        self._going = threading.Event()
        self._going.set()
        self._stopped = False
        self._in_flight = 0
        self._threads = [
            *(threading.Thread(target=self._read, args=(pages,)) for _ in range(READERS)),
            *(threading.Thread(target=self._report, args=(reporter,)) for reporter in reporters),
        ]

    def __enter__(self):
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exception):
        with self._lock:
            self._stopped = True
            self._going.set()
        for thread in self._threads:
            thread.join()

    def pause(self) -> None:
        """Returns when no request is waiting for its answer."""
        with self._lock:
            self._going.clear()
        while self._in_flight:
            time.sleep(0.01)

    def resume(self) -> None:
        self._going.set()

    def served_since(self, moment: float) -> bool:
        """Whether a page and a save asked for after `moment` have both succeeded."""
        return {
            answer.kind for answer in self.answers if answer.started >= moment and answer.succeeded
        } == {"page", "save"}

    def _ask(self, kind: str, path: str, **request) -> bool:
        """Ask unless paused (then wait) or stopped (then False)."""
        while True:
            self._going.wait()
            with self._lock:
                if self._stopped:
                    return False
                if self._going.is_set():
                    self._in_flight += 1
                    break
        try:
            self.answers.append(_ask(self.port, kind, path, **request))
        finally:
            with self._lock:
                self._in_flight -= 1
        return True

    def _read(self, pages: list[str]) -> None:
        while all(self._ask("page", page) for page in pages):
            pass

    def _report(self, reporter: Reporter) -> None:
        # The reporting page's form as a browser posts it: the CSRF token (any 32 characters,
        # the same in the cookie), the period, the number and its confirmation (a number far
        # from the period before's is only saved when confirmed), and Indsend.
        token = secrets.token_hex(16)
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"sessionid={reporter.session}; csrftoken={token}",
        }
        for period in range(latest_reportable_period(), 1900, -1):
            for series in reporter.series:
                save = Save(reporter.school_id, series, period, Decimal(secrets.randbelow(10**6)))
                prefix = f"indicator-{series}-{period}"
                body = urlencode(
                    {
                        "csrfmiddlewaretoken": token,
                        "periode": period,
                        f"{prefix}-value": save.value,
                        f"{prefix}-confirm": "on",
                        "action": "submit",
                    }
                )
                if not self._ask("save", reporter.address, body=body, headers=headers, save=save):
                    return


def _restart(cluster, mode: str, load: Load) -> Outage:
    """Stop PostgreSQL in `mode` under load, start it after OUTAGE_SECONDS, and wait until a
    page and a save succeed again (or RECOVERY_BOUND_SECONDS pass), then STEADY_SECONDS."""
    stopped = time.monotonic()
    cluster.stop(mode)
    try:
        time.sleep(OUTAGE_SECONDS)
    finally:
        cluster.start()
    back = time.monotonic()
    while not load.served_since(back) and time.monotonic() < back + RECOVERY_BOUND_SECONDS:
        time.sleep(0.05)
    time.sleep(STEADY_SECONDS)
    return Outage(mode, stopped, back)


def _restart_while_idle(cluster, load: Load) -> None:
    """Restart PostgreSQL while nobody asks: each worker keeps a connection that the restart
    has closed, and must notice before using it (CONN_HEALTH_CHECKS), or the next reader gets
    an error."""
    load.pause()
    try:
        cluster.stop("fast")
        cluster.start()
    finally:
        load.resume()
    time.sleep(STEADY_SECONDS)


def test_the_server_recovers_from_a_database_restart_without_losing_a_saved_value(
    postgres_cluster, portal, server
):
    process, port, log_path = server
    workers = BOOTED.findall(log_path.read_bytes())
    with Load(port, portal["pages"], portal["reporters"]) as load:
        time.sleep(STEADY_SECONDS)
        outages = [_restart(postgres_cluster, mode, load) for mode in ("fast", "immediate")]
        _restart_while_idle(postgres_cluster, load)
    answers = load.answers
    # This process's own connection went with the restarts (the test database is flushed with
    # it afterwards, whatever happens below).
    connection.close()

    # The same server process and workers answered throughout.
    assert process.poll() is None
    assert len(workers) == WORKERS
    assert BOOTED.findall(log_path.read_bytes()) == workers

    failed = [answer for answer in answers if not answer.succeeded]
    for answer in failed:
        # A reader sees the portal's page for it, with no detail of the error.
        assert answer.status == 503, (answer, answer.text[:2000])
        assert answer.retry_after == "30"
        assert "Portalen er midlertidigt utilgængelig" in answer.text
        assert "Error" not in answer.text
        # Only while PostgreSQL was away: every request asked after it accepted connections
        # again succeeded, the first after the idle restart too.
        assert any(
            outage.stopped <= answer.ended and answer.started < outage.back for outage in outages
        ), (answer, outages)
    recovered = {}  # (outage, kind): seconds from PostgreSQL's start to the first success
    for outage in outages:
        for kind in ("page", "save"):
            assert any(
                a.kind == kind and outage.stopped <= a.started < outage.back for a in failed
            ), f"no {kind} was asked for while PostgreSQL was away ({outage.mode})"
            first = min(
                (a.ended for a in answers if a.kind == kind and a.started >= outage.back),
                default=None,
            )
            assert first is not None, f"no {kind} was asked for after the {outage.mode} restart"
            recovered[outage, kind] = first - outage.back
            assert recovered[outage, kind] < RECOVERY_BOUND_SECONDS

    schools = [reporter.school_id for reporter in portal["reporters"]]
    stored = {
        (value.organization_id, value.indicator_id, value.period): value
        for value in IndicatorValue.objects.filter(organization__in=schools)
    }
    history = defaultdict(list)
    for record in IndicatorValue.history.filter(organization__in=schools):
        history[record.id].append(record)
    reporter_of = {reporter.school_id: reporter.user_id for reporter in portal["reporters"]}

    saves = [answer for answer in answers if answer.kind == "save"]
    for answer in saves:
        save = answer.save
        value = stored.get((save.organization_id, save.indicator_id, save.period))
        if answer.succeeded:
            # Answered with its redirect: there as posted, submitted by its reporter.
            assert value is not None, save
            assert value.value == save.value
            assert value.status == IndicatorValue.Status.SUBMITTED
            assert value.entered_by_id == reporter_of[value.organization_id]
            assert value.entered_at is not None
            assert value.reviewed_by_id is None
            assert value.reviewed_at is None
            assert value.revision == 1
        else:
            # Its outcome unknown to the reporter: saved whole, or not at all.
            assert value is None or value.value == save.value, save
    # Nothing half-written: each value with the one history record of its save, and no
    # history record of a value that is not there.
    for value in stored.values():
        [record] = history[value.pk]
        assert record.history_type == "+"
        assert record.history_user_id == value.entered_by_id
        assert (record.value, record.status, record.revision) == (
            value.value,
            value.status,
            value.revision,
        )
    assert set(history) == {value.pk for value in stored.values()}
    answered = sum(answer.succeeded for answer in saves)

    for outage in outages:
        print(
            f"\n{outage.mode}: PostgreSQL away {outage.back - outage.stopped:.1f} s "
            f"(stop, {OUTAGE_SECONDS} s, start); after its start, pages again in "
            f"{recovered[outage, 'page']:.2f} s, saves in {recovered[outage, 'save']:.2f} s"
        )
    print(
        f"{len(answers)} requests, {len(failed)} answered 503 during the outages; "
        f"{len(saves)} saves, {answered} answered with their redirect and stored, "
        f"{len(stored) - answered} stored whole without their answer"
    )
