"""Serve the national data set the production way and measure each page type under load.

    .venv/bin/python bench/run.py [--seconds 10] [--warmup 2] [--concurrency 2] [--only PAGE …]

The database is BENCH_DATABASE_URL (PostgreSQL; by default `strategyportal_bench` on the local
server, created if missing), migrated and given the seed and `generate_national_data`'s set
unless it holds one. `make serve` serves it with 2 gunicorn workers, DEBUG=False and the cache
at BENCH_CACHE_URL (by default Redis database 15, which the run empties). For each page: one
request on an empty cache, a warm-up, then --seconds of requests from --concurrency clients.
The table goes to the screen in Markdown, the figures with the machine's to
bench/results/<time>.json and, for a run of every page, bench/results/latest.json."""

import argparse
import datetime
import importlib.metadata
import json
import os
import platform
import secrets
import shlex
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import django
import environ
import psycopg
from psycopg import sql

PROJECT_DIR = Path(__file__).resolve().parent.parent
# Run as a file, Python puts bench/ on the path, not the project that holds the package.
sys.path.insert(0, str(PROJECT_DIR))

from bench.load import measure  # noqa: E402

RESULTS_DIR = PROJECT_DIR / "bench" / "results"
SERVER_LOG = RESULTS_DIR / "server.log"
PID_FILE = RESULTS_DIR / "gunicorn.pid"
DATABASE_URL = "postgres://postgres@127.0.0.1:5432/strategyportal_bench"
CACHE_URL = "redis://127.0.0.1:6379/15"
HOST = "127.0.0.1"
WORKERS = 2
# make serve installs what is missing, collects the static files and migrates before gunicorn.
START_SECONDS = 300
# As a browser asks: the pages come compressed (GZipMiddleware), as readers get them.
HEADERS = {"Accept-Encoding": "gzip", "User-Agent": "strategyportal-bench"}
# The goal for a public page: at least this share of /healthz's requests/s, this
# median under load, and this time for a single request on an empty cache.
GOAL_SHARE, GOAL_P50_MS, GOAL_COLD_MS = 0.1, 150, 500


def main() -> int:
    arguments = parse_arguments()
    RESULTS_DIR.mkdir(exist_ok=True)
    port = free_port()
    database_url = os.environ.get("BENCH_DATABASE_URL", DATABASE_URL)
    cache_url = os.environ.get("BENCH_CACHE_URL", CACHE_URL)
    create_database(database_url)
    # Set before Django reads its settings: this process prepares the database and empties
    # the cache with the server's own settings, and `make serve` inherits them.
    os.environ.update(
        DJANGO_SETTINGS_MODULE="strategyportal.settings",
        DATABASE_URL=database_url,
        CACHE_URL=cache_url,
        DEBUG="False",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        # Asked over plain HTTP, without the TLS proxy that production has in front.
        SECURE_SSL_REDIRECT="False",
        GUNICORN_HOST=HOST,
        PORT=str(port),
        WEB_CONCURRENCY=str(WORKERS),
        # gunicorn replaces a worker after 1000 requests. /healthz alone gets thousands a
        # second, so the run would time worker start-ups, and the memory read at the end
        # would be a fresh worker's instead of one that served every page.
        GUNICORN_MAX_REQUESTS="0",
        # The API's throttle would answer the load's requests with 429 after the first 120.
        API_RATE="1000000/minute",
        # A build of the open-data files takes a processor for a minute: started by a request,
        # it would slow the pages measured after it. The page is measured as it is served.
        OPEN_DATA_BUILD_ON_REQUEST="False",
        # No control socket: it would take over that of a gunicorn already running here.
        GUNICORN_CMD_ARGS=f"--pid {shlex.quote(str(PID_FILE))} --no-control-socket",
    )
    django.setup()
    # The models load only after django.setup().
    from bench import data

    # First, so that a cache that does not answer stops the run now rather than as /readyz's
    # 503 after the server's start.
    data.empty_cache()
    data.prepare()
    pages = data.pages()
    if arguments.only:
        if unknown := set(arguments.only) - {page.name for page in pages}:
            raise SystemExit(f"No such page: {', '.join(sorted(unknown))}")
        pages = [page for page in pages if page.name == "healthz" or page.name in arguments.only]
    report = {
        "started": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "revision": revision(),
        "machine": machine(data.database_version()),
        # Others' work on a shared machine slows the server too.
        "load_average_before": [float(n) for n in Path("/proc/loadavg").read_text().split()[:3]],
        "settings": {
            "workers": WORKERS,
            "concurrency": arguments.concurrency,
            "seconds": arguments.seconds,
            "warmup_seconds": arguments.warmup,
            "cache": cache_url,
            # CACHE_PAGE_SECONDS=0 measures the pages as rendered, without the page cache.
            "page_cache_seconds": os.environ.get("CACHE_PAGE_SECONDS", "default"),
        },
        "data": data.size(),
        "pages": [],
    }
    size = ", ".join(
        f"{count:,} {name}".replace(",", ".") for name, count in report["data"].items()
    )
    print(f"make serve: {size} on http://{HOST}:{port}/ (log: {SERVER_LOG})", flush=True)
    if report["revision"]["uncommitted"]:
        changed = ", ".join(report["revision"]["uncommitted"])
        print(f"Commit {report['revision']['commit'][:7]} with uncommitted changes: {changed}")
    started = time.monotonic()
    with SERVER_LOG.open("w") as log:
        server = subprocess.Popen(
            ["make", "--no-print-directory", "serve"],  # noqa: S607 -- from PATH, as typed
            cwd=PROJECT_DIR,
            stdout=log,
            stderr=subprocess.STDOUT,
            # Its own process group, so that stopping reaches make, gunicorn and the workers.
            start_new_session=True,
        )
        try:
            wait_until_ready(server, port)
            print(TABLE_HEAD, flush=True)
            for page in pages:
                # The first request for each page meets an empty cache.
                data.empty_cache()
                result = measure_page(page, port, arguments)
                report["pages"].append(result)
                judge(result, healthz=report["pages"][0])
                print(row(result), flush=True)
            report["workers"] = workers_memory(int(PID_FILE.read_text()))
        finally:
            stop(server)
    report["seconds"] = round(time.monotonic() - started)
    workers = ", ".join(
        f"{worker['rss_mib']:.0f} MiB (at most {worker['peak_rss_mib']:.0f} MiB)"
        for worker in report["workers"]
    )
    print(f"\nThe workers' resident memory after the run: {workers}. {report['seconds']} s.")
    write(report, every_page=not arguments.only)
    # The figures are the machine's to judge, slow or not; a page that never answered 200 is
    # a broken address or server.
    broken = [result["page"] for result in report["pages"] if not answered(result)]
    if broken:
        print(f"No page at all from: {', '.join(broken)}; see {SERVER_LOG}")
    return 1 if broken else 0


def answered(result: dict) -> bool:
    return result["requests"] > 0 or result["cold_ms"] is not None


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--seconds", type=float, default=10, help="measuring time a page (10)")
    parser.add_argument("--warmup", type=float, default=2, help="warm-up time a page (2)")
    parser.add_argument("--concurrency", type=int, default=2, help="clients at once (2)")
    parser.add_argument(
        "--only",
        nargs="+",
        metavar="PAGE",
        help="measure these pages (and /healthz) only, e.g. strategies admin-values; "
        "latest.json is left as it is",
    )
    return parser.parse_args()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def create_database(url: str) -> None:
    config = environ.Env.db_url_config(url)
    if config["ENGINE"] != "django.db.backends.postgresql":
        raise SystemExit("BENCH_DATABASE_URL must name a PostgreSQL database, as production's.")
    connection_options = {
        "host": config["HOST"],
        "port": config["PORT"],
        "user": config["USER"],
        "password": config["PASSWORD"],
    }
    with psycopg.connect(
        dbname="postgres",
        autocommit=True,  # CREATE DATABASE cannot run in a transaction
        **{name: value for name, value in connection_options.items() if value},
    ) as server:
        name = config["NAME"]
        if server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return
        server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        print(f"Created the database {name}.")


def wait_until_ready(server: subprocess.Popen, port: int) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(
                f"make serve stopped with exit status {server.returncode}; see {SERVER_LOG}"
            )
        if measure(HOST, port, "/readyz").requests:
            # Each worker loads the application after it starts, so one may answer before the
            # other can: keep them both busy for a second before anything is timed.
            measure(HOST, port, "/healthz", concurrency=WORKERS, seconds=1)
            return
        time.sleep(0.5)
    raise SystemExit(f"The server was not ready in {START_SECONDS} s; see {SERVER_LOG}")


def stop(server: subprocess.Popen) -> None:
    """SIGTERM, as a service manager stops `make serve`: the workers finish their requests and
    make waits for gunicorn to exit."""
    try:
        os.killpg(server.pid, signal.SIGTERM)
    except ProcessLookupError:  # make and gunicorn have stopped already
        return
    try:
        server.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def measure_page(page, port: int, arguments: argparse.Namespace) -> dict:
    headers = HEADERS | page.headers
    cold = measure(HOST, port, page.path, headers=headers)
    options = {"concurrency": arguments.concurrency, "headers": headers}
    measure(HOST, port, page.path, seconds=arguments.warmup, **options)
    load = measure(HOST, port, page.path, seconds=arguments.seconds, **options)
    return {
        "page": page.name,
        "path": page.path,
        "public": page.public,
        "cold_ms": milliseconds(cold.latencies[0] if cold.requests else None),
        "cold_errors": cold.errors,
        "requests": load.requests,
        "seconds": round(load.seconds, 2),
        "requests_per_second": round(load.requests_per_second, 2),
        "p50_ms": milliseconds(load.p50),
        "p95_ms": milliseconds(load.p95),
        "errors": load.errors,
        "kib": round(load.bytes_read / load.requests / 1024, 1) if load.requests else None,
    }


def milliseconds(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 1)


def judge(result: dict, *, healthz: dict) -> None:
    """Add the page's share of /healthz's requests/s and, for a public page, whether it meets
    the issue's goal."""
    share = result["requests_per_second"] / healthz["requests_per_second"]
    result["share_of_healthz"] = round(share, 5)
    if result["public"]:
        result["meets_goal"] = (
            share >= GOAL_SHARE
            and result["p50_ms"] is not None
            and result["p50_ms"] <= GOAL_P50_MS
            and result["cold_ms"] is not None
            and result["cold_ms"] <= GOAL_COLD_MS
            and not result["errors"]
            and not result["cold_errors"]
        )


TABLE_HEAD = (
    "| page | address | empty cache | requests/s | of /healthz | p50 | p95 | errors | size | goal |"
    "\n|---|---|--:|--:|--:|--:|--:|--:|--:|---|"
)


def row(result: dict) -> str:
    """The page's line of the table, its numbers written the README's way (1.234,5)."""
    share = result["share_of_healthz"]
    errors = sum(result["errors"].values()) + sum(result["cold_errors"].values())
    cells = [
        result["page"],
        f"`{result['path']}`",
        number(result["cold_ms"], 0, " ms"),
        number(result["requests_per_second"], 1),
        f"1/{number(1 / share, 0)}" if share else "–",
        number(result["p50_ms"], 0, " ms"),
        number(result["p95_ms"], 0, " ms"),
        str(errors),
        number(result["kib"], 1, " KiB"),
        {True: "met", False: "missed"}.get(result.get("meets_goal"), ""),
    ]
    return "| " + " | ".join(cells) + " |"


def number(value: float | None, decimals: int, unit: str = "") -> str:
    if value is None:
        return "–"
    return f"{value:,.{decimals}f}".translate(str.maketrans(",.", ".,")) + unit


def workers_memory(master: int) -> list[dict]:
    """Each gunicorn worker's resident memory now and at its peak (VmRSS, VmHWM), in MiB."""
    workers = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # The fields after the command's name, which may itself hold spaces: state, ppid.
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            status = (stat.parent / "status").read_text() if parent == master else ""
        except OSError:  # a process that ended meanwhile
            continue
        if not status:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        workers.append(
            {
                "pid": int(stat.parent.name),
                "rss_mib": round(int(fields["VmRSS"].split()[0]) / 1024, 1),
                "peak_rss_mib": round(int(fields["VmHWM"].split()[0]) / 1024, 1),
            }
        )
    return workers


def revision() -> dict:
    """The commit served, and the files changed beside it, as others may be editing."""
    options = {"cwd": PROJECT_DIR, "capture_output": True, "text": True, "check": True}
    # git from PATH, as typed.
    commit = subprocess.run(["git", "rev-parse", "HEAD"], **options).stdout  # noqa: S607
    changed = subprocess.run(["git", "status", "--porcelain", "-uno"], **options).stdout  # noqa: S607
    return {"commit": commit.strip(), "uncommitted": [line[3:] for line in changed.splitlines()]}


def machine(database: str) -> dict:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    model = next((line.split(":", 1)[1].strip() for line in cpuinfo if "model name" in line), "")
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    memory_kib = next(int(line.split()[1]) for line in meminfo if line.startswith("MemTotal:"))
    return {
        "cpus": os.cpu_count(),
        "cpu": model or platform.machine(),  # ARM processors name no model there
        "memory_gib": round(memory_kib / 1024**2, 1),
        "system": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "gunicorn": importlib.metadata.version("gunicorn"),
        "database": database,
    }


def write(report: dict, *, every_page: bool) -> None:
    text = json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H-%M-%SZ")
    paths = [RESULTS_DIR / f"{stamp}.json"]
    # latest.json is the committed table's source, so a run of some pages leaves it alone.
    if every_page:
        paths.append(RESULTS_DIR / "latest.json")
    for path in paths:
        path.write_text(text)
    print("Written to " + ", ".join(str(path.relative_to(PROJECT_DIR)) for path in paths))


if __name__ == "__main__":
    sys.exit(main())
