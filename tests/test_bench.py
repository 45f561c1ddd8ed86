"""The served benchmark's load generator (bench/load.py), against a small server in a thread:
what it counts, and the statistics it reports. No database."""

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench.load import measure, percentile

DELAY = 0.05  # seconds that /slow takes
BODY = b"x" * 1000


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/slow":
            time.sleep(DELAY)
        if self.path == "/missing":
            status = 404
        elif self.path == "/signed-in":
            status = 200 if self.headers["Cookie"] == "sessionid=abc" else 403
        else:
            status = 200
        self.send_response(status)
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)

    def log_message(self, format, *args):
        pass  # the test's output is pytest's


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever)
    thread.start()
    yield httpd.server_address
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def test_percentile_is_the_nearest_rank():
    assert percentile([4.0, 1.0, 3.0, 2.0], 50) == 2.0
    twenty = [float(n) for n in range(20, 0, -1)]
    assert percentile(twenty, 95) == 19.0
    assert percentile(twenty, 100) == 20.0
    assert percentile(twenty, 0) == 1.0
    assert percentile([7.0], 95) == 7.0
    assert percentile([], 50) is None


def test_no_time_sends_one_request_from_each_client(server):
    measurement = measure(*server, "/", concurrency=3)

    assert measurement.requests == 3
    assert measurement.bytes_read == 3 * len(BODY)
    assert measurement.errors == {}


def test_requests_per_second_and_latencies_under_load(server):
    measurement = measure(*server, "/slow", concurrency=2, seconds=0.5)

    # Only what holds however busy the machine is: the test suite runs beside other work,
    # so how close the loop comes to the server's pace is the benchmark's to show.
    assert measurement.seconds >= 0.5
    assert measurement.requests >= 2
    assert measurement.requests_per_second == measurement.requests / measurement.seconds
    # Each client waits for its answer before it sends again, so two of them can get no
    # more than 2 / DELAY answers a second, and no answer comes sooner than the delay.
    assert measurement.requests_per_second <= 2 / DELAY
    assert min(measurement.latencies) >= DELAY
    assert DELAY <= measurement.p50 <= measurement.p95 <= max(measurement.latencies)
    assert measurement.errors == {}


def test_headers_are_sent(server):
    assert measure(*server, "/signed-in", headers={"Cookie": "sessionid=abc"}).requests == 1
    assert measure(*server, "/signed-in").errors == {"403": 1}


def test_other_statuses_and_failed_connections_are_errors_not_requests(server):
    missing = measure(*server, "/missing", concurrency=2)

    assert missing.requests == 0
    assert missing.error_count == 2
    assert missing.errors == {"404": 2}
    assert missing.p50 is None

    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    assert measure("127.0.0.1", port, "/").errors == {"ConnectionRefusedError": 1}
