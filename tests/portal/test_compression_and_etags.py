"""Pages travel compressed, and a revisit of an unchanged page is answered with 304."""

import gzip

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_page_is_compressed_for_a_browser_that_accepts_it(client, seed):
    response = client.get(reverse("portal:strategies"), HTTP_ACCEPT_ENCODING="gzip")

    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert "Uddannelsesstrategi" in gzip.decompress(response.content).decode()


def test_a_revisit_of_an_unchanged_page_gets_not_modified(client, seed):
    url = reverse("portal:strategies")
    etag = client.get(url)["ETag"]

    revisit = client.get(url, HTTP_IF_NONE_MATCH=etag)

    assert revisit.status_code == 304
    assert revisit.content == b""


def test_a_changed_page_gets_a_new_etag(client, seed):
    from goals.models import Strategy

    url = reverse("portal:strategies")
    etag = client.get(url)["ETag"]
    strategy = Strategy.objects.public().first()
    strategy.title = "En ny titel"
    strategy.save()

    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200
