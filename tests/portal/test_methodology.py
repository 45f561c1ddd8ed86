import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_the_methodology_works_through_hegs_target_with_the_engines_numbers(client):
    response = client.get(reverse("portal:methodology"))

    page = response.text
    assert response.status_code == 200
    assert "5,4\xa0%" in page  # the implied rate
    assert "1.459" in page  # expected in 2024
    assert "1.620" in page  # expected in 2026
    assert "På rette vej" in page
    assert "Bagud" in page
    assert "Går den forkerte vej" in page


@pytest.mark.django_db
def test_the_methodology_page_runs_no_queries(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        client.get(reverse("portal:methodology"))
