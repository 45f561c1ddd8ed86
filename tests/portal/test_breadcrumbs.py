"""The breadcrumb trail names the way up, with a link for every step but the current page."""

import re

import pytest
from django.urls import reverse

from tests.factories import GoalFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def breadcrumb_of(html: str) -> str:
    return re.search(r'<nav class="breadcrumbs".*?</nav>', html, re.S).group()


def test_a_theme_page_links_to_learn_from_others_and_marks_only_itself_current(client):
    theme = ThemeFactory(name="Rekruttering")
    GoalFactory().themes.add(theme)

    trail = breadcrumb_of(client.get(theme.get_absolute_url()).text)

    assert trail.count('aria-current="page"') == 1
    assert f'href="{reverse("portal:themes")}">Lær af andre</a>' in trail
    assert re.search(r'aria-current="page">.*Rekruttering', trail, re.S)


def test_the_learn_from_others_page_is_the_current_one_in_its_own_trail(client):
    trail = breadcrumb_of(client.get(reverse("portal:themes")).text)

    assert trail.count('aria-current="page"') == 1
    assert "Lær af andre</span>" in trail
