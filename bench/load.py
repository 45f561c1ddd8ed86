"""A load generator from the standard library: clients in threads, each sending its next request
as soon as its last answer has arrived (a closed loop, as wrk runs), for a set time.

Each request goes on a connection of its own, which the server closes after the answer:
gunicorn's synchronous workers close every connection after one answer anyway, so keeping it
alive would gain nothing. The client writes the request and reads the answer with plain
sockets: http.client cost twice the CPU a request, which on the 2-core machine that client and
server share took a tenth to a half off /healthz's requests/s; this one comes closer to wrk's
(README)."""

import math
import socket
import threading
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# Longer than gunicorn's 30-second worker timeout, so that a killed worker counts as an error
# rather than holding a client.
TIMEOUT_SECONDS = 60


def percentile(values: Sequence[float], p: float) -> float | None:
    """The nearest-rank percentile: the smallest of `values` that at least p % of them do not
    exceed (so the p50 of 1, 2, 3, 4 is 2, and the p95 of 20 values their 19th); None for
    none."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(1, math.ceil(p / 100 * len(ordered))) - 1]


@dataclass(frozen=True)
class Measurement:
    seconds: float  # from the first request sent to the last answer read
    latencies: tuple[float, ...]  # in seconds, one for each answer with status 200
    errors: dict[str, int]  # other statuses by code, and failed requests by exception name
    bytes_read: int  # the bodies of the 200 answers as sent, compressed if they were

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.seconds

    @property
    def p50(self) -> float | None:
        return percentile(self.latencies, 50)

    @property
    def p95(self) -> float | None:
        return percentile(self.latencies, 95)


class IncompleteAnswer(OSError):
    """The server closed the connection before the end of an answer's head."""


def get(address: tuple[str, int], request: bytes) -> tuple[int, int]:
    """Send `request` on a new connection and read the answer until the server closes it;
    return its status and the size of its body."""
    with socket.create_connection(address, timeout=TIMEOUT_SECONDS) as connection:
        connection.sendall(request)
        answer = bytearray()
        while chunk := connection.recv(65536):
            answer += chunk
    head, separator, body = answer.partition(b"\r\n\r\n")
    status_line = head.split(b"\r\n", 1)[0].split()
    if not separator or len(status_line) < 2 or not status_line[1].isdigit():
        raise IncompleteAnswer
    return int(status_line[1]), len(body)


def request_for(host: str, port: int, path: str, headers: Mapping[str, str]) -> bytes:
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}:{port}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


class _Client:
    def __init__(self, address: tuple[str, int], request: bytes, deadline: float):
        self.address, self.request, self.deadline = address, request, deadline
        self.latencies: list[float] = []
        self.errors: Counter[str] = Counter()
        self.bytes_read = 0

    def run(self) -> None:
        while True:
            sent = time.perf_counter()
            try:
                status, size = get(self.address, self.request)
            except OSError as error:
                self.errors[type(error).__name__] += 1
            else:
                if status == 200:
                    self.latencies.append(time.perf_counter() - sent)
                    self.bytes_read += size
                else:
                    self.errors[str(status)] += 1
            if time.perf_counter() >= self.deadline:
                return


def measure(
    host: str,
    port: int,
    path: str,
    *,
    concurrency: int = 1,
    seconds: float = 0.0,
    headers: Mapping[str, str] | None = None,
) -> Measurement:
    """GET `path` from `concurrency` clients until `seconds` have passed. Every client sends at
    least one request, so `seconds=0` times a single request from each."""
    request = request_for(host, port, path, headers or {})
    started = time.perf_counter()
    clients = [_Client((host, port), request, started + seconds) for _ in range(concurrency)]
    threads = [threading.Thread(target=client.run) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    errors: Counter[str] = Counter()
    for client in clients:
        errors.update(client.errors)
    return Measurement(
        seconds=time.perf_counter() - started,
        latencies=tuple(latency for client in clients for latency in client.latencies),
        errors=dict(errors),
        bytes_read=sum(client.bytes_read for client in clients),
    )
