"""The OpenAPI description validates, the documentation works under the portal's
Content-Security-Policy, and the developers' page explains the API."""

import pytest
import yaml
from django.urls import reverse
from openapi_spec_validator import validate

from tests.api.conftest import ENDPOINTS

pytestmark = pytest.mark.django_db


def test_the_openapi_schema_validates_and_describes_every_endpoint(client):
    answer = client.get("/api/v1/schema/")

    schema = yaml.safe_load(answer.content)
    validate(schema)
    assert schema["openapi"].startswith("3.")
    for name in ENDPOINTS:
        assert f"/api/v1/{name}/" in schema["paths"]
        assert "cursor" in str(schema["paths"][f"/api/v1/{name}/"]["get"]["parameters"])


def test_the_schema_as_json_validates_too(client):
    validate(client.get("/api/v1/schema/?format=json").json())


def test_the_schema_is_english_whatever_the_browser_asks_for(client):
    schema = client.get("/api/v1/schema/?format=json", HTTP_ACCEPT_LANGUAGE="da").content.decode()

    # The models' labels are Danish by default: a country filter titled "Land", ids
    # "identifying this målsætning".
    assert "identifying this target." in schema
    for danish in ("Land", "målsætning", "fokusområde"):
        assert danish not in schema


def test_the_documentation_loads_its_scripts_and_styles_from_the_portal(client):
    page = client.get("/api/v1/docs/")
    script = client.get("/api/v1/docs/?script=")

    html = page.content.decode()
    assert page.status_code == 200
    assert "<script>" not in html
    assert "<style>" not in html
    assert '<script src="/static/drf_spectacular_sidecar/' in html
    assert "script-src 'self'" in page["Content-Security-Policy"]
    assert script["Content-Type"].startswith("application/javascript")
    assert "/api/v1/schema/" in script.content.decode()


def test_the_developers_page_explains_the_api_with_examples(client, seed):
    page = client.get(reverse("portal:api_docs"))

    text = page.content.decode()
    assert page.status_code == 200
    assert "curl 'http://testserver/api/v1/strategies/'" in text
    assert "If-None-Match" in text
    assert "cursor=" in text
    assert "120 forespørgsler pr. minut" in text
    assert 'href="/api/v1/docs/"' in text
    assert "https://creativecommons.org/licenses/by/4.0/" in text


def test_the_developers_page_is_translated_under_the_language_prefixes(client, db):
    assert client.get("/en/aabne-data/api/").status_code == 200
    assert client.get("/sv/aabne-data/api/").status_code == 200
