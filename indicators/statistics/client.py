"""The one way the portal asks a statistics service: a session that waits a fixed time for
an answer, asks again with growing pauses when the service is busy, down or unreachable, and
turns every failure into a `StatisticsError` whose message an editor can act on."""

from dataclasses import dataclass
from decimal import Decimal

import requests
from django.conf import settings
from django.utils.translation import gettext as _
from requests.adapters import HTTPAdapter
from urllib3.exceptions import MaxRetryError, NewConnectionError, ReadTimeoutError
from urllib3.util.retry import Retry

# Busy (429) or failing (5xx): worth asking again after a pause.
RETRIED_STATUSES = (429, 500, 502, 503, 504)
# How much of a refusal's text is shown, when the service explains it in no known shape.
SHOWN_CHARACTERS = 200


@dataclass(frozen=True)
class Observation:
    """One published number: for an area (a municipality code, or a Kolada unit) and a
    period, both as the service writes them."""

    area: str
    period: str
    value: Decimal


def number(value) -> Decimal | None:
    """A number of a JSON answer read with Decimal floats; None for a missing one. Anything
    else (a text, true) is no number."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise TypeError(value)
    return Decimal(value)


class StatisticsError(Exception):
    """The service could not be asked, or answered something that cannot be imported.
    Nothing is saved; the message says why."""


def session() -> requests.Session:
    retry = Retry(
        total=settings.STATISTICS_RETRIES,
        backoff_factor=settings.STATISTICS_BACKOFF,
        status_forcelist=RETRIED_STATUSES,
        # Statistikbanken's data call is a POST, but it only reads: asking again is safe.
        allowed_methods=None,
        # The last answer is read below, so that its status can be named.
        raise_on_status=False,
        # A busy service's Retry-After may ask for hours (urllib3 would wait up to six):
        # an editor waits at the button, so the pauses stay the portal's own.
        respect_retry_after_header=False,
    )
    adapter = HTTPAdapter(max_retries=retry)
    http = requests.Session()
    http.mount("https://", adapter)
    http.mount("http://", adapter)
    http.headers.update({"Accept": "application/json", "User-Agent": "Strategiportalen"})
    return http


def fetch_json(service: str, method: str, url: str, *, payload: dict | None = None):
    """The JSON `service` answers to `method` `url` (with `payload` as a JSON body), its
    decimals read as Decimal so that 93.4 stays 93.4."""
    connect_seconds, read_seconds = settings.STATISTICS_TIMEOUT
    try:
        with session() as http:
            response = http.request(
                method, url, json=payload, timeout=(connect_seconds, read_seconds)
            )
    except requests.RequestException as error:
        if _timed_out(error):
            raise StatisticsError(
                _(
                    "%(service)s svarede ikke inden for %(seconds)s sekunder, heller ikke "
                    "efter flere forsøg. Prøv igen senere. Intet er gemt."
                )
                % {"service": service, "seconds": read_seconds}
            ) from error
        raise StatisticsError(
            _("%(service)s kunne ikke nås (%(address)s). Prøv igen senere. Intet er gemt.")
            % {"service": service, "address": url}
        ) from error
    if response.status_code >= 500:
        raise StatisticsError(
            _(
                "%(service)s svarede med en fejl (HTTP %(status)s), også efter flere forsøg. "
                "Prøv igen senere. Intet er gemt."
            )
            % {"service": service, "status": response.status_code}
        )
    if response.status_code >= 400:
        raise StatisticsError(
            _("%(service)s afviste forespørgslen (HTTP %(status)s): %(reason)s Intet er gemt.")
            % {"service": service, "status": response.status_code, "reason": _reason(response)}
        )
    try:
        return response.json(parse_float=Decimal)
    except ValueError as error:
        raise malformed(service, _("svaret er ikke JSON")) from error


def malformed(service: str, problem: str) -> StatisticsError:
    return StatisticsError(
        _("%(service)s sendte et svar, som ikke kan læses: %(problem)s. Intet er gemt.")
        % {"service": service, "problem": problem}
    )


def _timed_out(error: requests.RequestException) -> bool:
    # Once the tries are used up, requests reports a read timeout as a ConnectionError whose
    # reason is urllib3's; a connection refused is a timeout to urllib3, not to a reader.
    if isinstance(error, requests.ReadTimeout):
        return True
    reason = error.args[0] if error.args else None
    if isinstance(reason, MaxRetryError):
        reason = reason.reason
    return isinstance(reason, ReadTimeoutError) and not isinstance(reason, NewConnectionError)


def _reason(response: requests.Response) -> str:
    """The service's own explanation of a refusal: Statistikbanken's {"message": …}, or the
    beginning of the text."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        return body["message"]
    text = " ".join(response.text.split())
    return text[:SHOWN_CHARACTERS] or response.reason or ""
