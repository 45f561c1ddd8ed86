"""A fake network for the importer: every request the portal sends is answered from
`tests/statistics_responses/` below urllib3's retries, so the retries, the timeouts and the
pauses are the real ones (the pauses set to nothing)."""

import io
import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from urllib3.connectionpool import HTTPConnectionPool
from urllib3.exceptions import NewConnectionError, ReadTimeoutError
from urllib3.response import HTTPResponse

from indicators.models import Metric, StatisticsLink
from municipalities.models import Membership
from tests.factories import (
    IndicatorFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
)

RESPONSES = Path(__file__).resolve().parent.parent / "statistics_responses"


@dataclass
class Request:
    method: str
    url: str
    body: dict | None


class FakeService:
    """Answers in the order given; the last answer is repeated, as a service that stays
    down does. `requests` holds what was asked."""

    def __init__(self):
        self.answers = []
        self.requests: list[Request] = []

    def answer(self, name: str = "", *, status: int = 200, body: bytes | None = None, headers=None):
        if body is None:
            body = (RESPONSES / name).read_bytes()
        kind = "text/html" if name.endswith(".html") else "application/json"
        self.answers.append((status, body, {"Content-Type": kind, **(headers or {})}))

    def time_out(self):
        self.answers.append(ReadTimeoutError)

    def refuse_connection(self):
        self.answers.append(NewConnectionError)

    def make_request(self, pool, conn, method, url, body=None, **kwargs):
        self.requests.append(
            Request(method, f"{pool.scheme}://{pool.host}{url}", json.loads(body) if body else None)
        )
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if answer is ReadTimeoutError:
            raise ReadTimeoutError(pool, url, "Read timed out. (read timeout=30)")
        if answer is NewConnectionError:
            raise NewConnectionError(conn, "Failed to establish a new connection: refused")
        status, content, headers = answer
        return HTTPResponse(
            body=io.BytesIO(content),
            headers=headers,
            status=status,
            preload_content=False,
            request_method=method,
            request_url=url,
        )


@pytest.fixture
def service(monkeypatch, settings):
    settings.STATISTICS_BACKOFF = 0
    settings.STATBANK_URL = "https://api.statbank.dk/v1"
    settings.KOLADA_URL = "https://api.kolada.se/v3"
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    fake = FakeService()
    monkeypatch.setattr(
        HTTPConnectionPool,
        "_make_request",
        lambda pool, conn, method, url, **kwargs: fake.make_request(
            pool, conn, method, url, **kwargs
        ),
    )
    return fake


@pytest.fixture
def herning(db):
    """Herning's share of young people in an ungdomsuddannelse, linked to a Statistikbank
    table, and an editor of Herning (`.editor`)."""
    municipality = OrganizationFactory(name="Herning Kommune", municipality_code="657")
    indicator = IndicatorFactory(
        organization=municipality,
        name="Andel i gang med en ungdomsuddannelse",
        metric__unit="%",
        metric__measure=Metric.Measure.PERCENT,
        metric__decimals=1,
    )
    link = StatisticsLink.objects.create(
        indicator=indicator,
        service=StatisticsLink.Service.STATBANK,
        table="UDDA42",
        variables={"KØN": ["TOT"]},
    )
    link.editor = UserFactory(username="herning-redaktoer", is_staff=True)
    MembershipFactory(user=link.editor, organization=municipality, role=Membership.Role.EDITOR)
    return link


@pytest.fixture
def solleftea(db):
    """Sollefteå's share of pupils eligible for upper secondary school, per school year,
    linked to a Kolada key figure."""
    municipality = OrganizationFactory(
        name="Sollefteå kommun", country="SE", municipality_code="2283"
    )
    indicator = IndicatorFactory(
        organization=municipality,
        metric__unit="%",
        metric__measure=Metric.Measure.PERCENT,
        metric__decimals=1,
        metric__period_kind=Metric.PeriodKind.SCHOOL_YEAR,
    )
    link = StatisticsLink.objects.create(
        indicator=indicator, service=StatisticsLink.Service.KOLADA, table="N15033"
    )
    link.editor = UserFactory(username="solleftea-redaktoer", is_staff=True)
    MembershipFactory(user=link.editor, organization=municipality, role=Membership.Role.EDITOR)
    return link
