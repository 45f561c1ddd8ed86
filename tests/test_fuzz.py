"""No request gives a server error: every public page, with real and arbitrary addresses and
arbitrary text in every query parameter its filter and search forms read (NUL bytes, control
characters, very long strings, the operators of full-text search), answers below 500. So does
every list of the open-data API, with its filters, cursors and page sizes, and oEmbed.

On PostgreSQL, where hostile text reaches full-text search and the database refuses a NUL,
the tests together send more than 5,000 requests; HYPOTHESIS_PROFILE=thorough sends many
more. The seed is loaded once per test, not per example: the requests only read."""

import re
from urllib.parse import quote, urlencode

import pytest
from django.apps import apps
from django.db import connection
from django.urls import NoReverseMatch, Resolver404, URLResolver, resolve
from hypothesis import HealthCheck, given, settings
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from goals.models import Goal
from indicators.models import GoalTarget
from strategyportal.api.urls import router
from strategyportal.filters import StrategyFilter
from strategyportal.forms import ComparisonFilterForm
from strategyportal.urls import portal_patterns
from tests.factories import GoalFactory


def _flattened(patterns, prefix: str = ""):
    """Each named pattern with its whole route, also those included below a page's address
    (the reports' and following's)."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _flattened(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield pattern.name, prefix + str(pattern.pattern)


PATTERNS = dict(_flattened(portal_patterns))
# Arguments no object's address gives: a page below another takes that page's arguments and
# these for the rest.
OTHER_ARGUMENTS = {
    "period": "2024",
    "since": "2023",
    "until": "2024",
    "pk": "1",
    "filename": "statusrapport",
    "token": "x",
}
# On PostgreSQL the patterns share 5,200 requests, so that all of them send over 5,000 however
# many pages there are; each new page takes from the others instead of adding a minute.
EXAMPLES = max(
    -(-5_200 // len(PATTERNS)) if connection.vendor == "postgresql" else 25,
    settings.default.max_examples,
)
PARAMETERS = sorted(
    {
        *StrategyFilter.base_filters,
        *ComparisonFilterForm.base_fields,  # LearningFilterForm's fields and more
        "theme",
        "q",
        "side",
        "show",
        "format",
        "status",
        "organisation",
        "fra",
        "til",
    }
)
OPERATORS = "&|!:*()-\"'<>\\/%+~^@#;,."
HOSTILE_TEXT = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.sampled_from([*OPERATORS, "\x00", "\t", "\r", "\n", " ", "a", "1"])),
    st.text(alphabet=st.characters(max_codepoint=0x1F), max_size=10),  # control characters
    st.integers().map(str),
    st.sampled_from(["-" * 45, "a" * 5000, "!" * 300, "a & b | !c", '"unclosed', "1e999"]),
)
PARAMETER = st.one_of(st.sampled_from(PARAMETERS), st.text(max_size=10))
LANGUAGE = st.sampled_from(["", "/sv", "/en"])


def _real_arguments() -> dict[str, list[dict]]:
    """The arguments of every public page of the seed, by URL name, from the absolute URL
    of each object that has one."""
    found: dict[str, list[dict]] = {name: [] for name in PATTERNS}
    for model in apps.get_models():
        if not hasattr(model, "get_absolute_url"):
            continue
        for obj in model._default_manager.all()[:50]:
            try:
                match = resolve(obj.get_absolute_url())
            except (NoReverseMatch, Resolver404):  # no public page of its own
                continue
            if match.namespace == "portal" and match.kwargs not in found[match.url_name]:
                found[match.url_name].append(match.kwargs)
    found["open_data_file"] = [
        {"filename": name} for name in ("strategiportalen.zip", "datapackage.json", "goals.csv")
    ]
    for name, route in PATTERNS.items():
        if found[name] or "<" not in route:
            continue
        above = max(
            (other for other in PATTERNS if found[other] and route.startswith(PATTERNS[other])),
            key=lambda other: len(PATTERNS[other]),
            default=None,
        )
        keys = re.findall(r"<(?:\w+:)?(\w+)>", route)
        found[name] = [
            {key: arguments[key] if key in arguments else OTHER_ARGUMENTS[key] for key in keys}
            for arguments in (found[above] if above else [{}])
        ]
    return found


def _path(route: str, arguments: dict[str, str]) -> str:
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda match: quote(arguments[match[1]], safe=""), route)


@st.composite
def requests(draw, name: str, real: list[dict]):
    """A path of the pattern with real or arbitrary arguments, and an arbitrary query."""
    route = PATTERNS[name]
    arguments = dict(draw(st.sampled_from(real))) if real else {}
    for key in re.findall(r"<(?:\w+:)?(\w+)>", route):
        arguments[key] = draw(st.one_of(st.just(arguments.get(key, "x")), HOSTILE_TEXT))
    query = draw(st.lists(st.tuples(PARAMETER, HOSTILE_TEXT), max_size=4))
    return f"{draw(LANGUAGE)}/{_path(route, arguments)}?{urlencode(query)}"


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_no_public_page_gives_a_server_error_whatever_is_asked(seed, client, name):
    real = _real_arguments()
    assert real[name] or "<" not in PATTERNS[name], f"the seed has no {name} page"

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(requests(name, real[name]))
    def answers_below_500(url):
        response = client.get(url)
        assert response.status_code < 500, url

    answers_below_500()


API_LISTS = {prefix: viewset for prefix, viewset, _basename in router.registry}
API_PARAMETERS = sorted(
    {"cursor", "page_size", "format"}.union(
        *(viewset.filterset_class.base_filters for viewset in API_LISTS.values())
    )
)


@pytest.mark.parametrize("endpoint", sorted(API_LISTS))
def test_no_api_list_gives_a_server_error_whatever_is_asked(seed, client, settings, endpoint):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api": "1000000/minute"},
    }
    parameter = st.one_of(st.sampled_from(API_PARAMETERS), st.text(max_size=10))

    @hypothesis_settings(
        max_examples=EXAMPLES // 4,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.lists(st.tuples(parameter, HOSTILE_TEXT), max_size=4))
    def answers_below_500(query):
        url = f"/api/v1/{endpoint}/?{urlencode(query)}"
        assert client.get(url).status_code < 500, url

    answers_below_500()


def test_oembed_gives_no_server_error_whatever_is_asked(seed, client):
    target_page = GoalTarget.objects.public().first().get_absolute_url()

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        st.one_of(HOSTILE_TEXT, st.sampled_from([target_page, f"http://testserver{target_page}"])),
        st.lists(st.tuples(st.sampled_from(["format", "maxwidth", "maxheight"]), HOSTILE_TEXT)),
    )
    def answers_below_500(url, query):
        asked = {**dict(query), "url": url}
        response = client.get("/oembed", asked)
        # 501 is oEmbed's answer to a format it does not speak, and no error.
        if asked.get("format", "json") != "json":
            assert response.status_code == 501, asked
        else:
            assert response.status_code < 500, asked

    answers_below_500()


def test_a_nul_byte_in_the_query_is_read_as_unreadable_and_in_the_path_is_a_bad_request(db, client):
    GoalFactory(text="Elevernes trivsel")

    assert client.get("/soeg/?q=%00trivsel%00").status_code == 200
    assert "resultat" in client.get("/soeg/?q=%00").text
    assert client.get("/strategier/?%00=%00").status_code == 200
    assert client.get("/soeg%00/").status_code == 400


def test_a_search_of_many_hyphens_gives_a_page(seed, client):
    assert client.get("/soeg/", {"q": "-" * 45}).status_code == 200


def test_an_admin_history_of_an_id_that_is_no_number_is_not_found(seed, admin_client):
    goal = Goal.objects.first()

    assert admin_client.get(f"/admin/goals/goal/{goal.pk}/history/abc/").status_code == 404
    assert admin_client.get("/admin/goals/goal/abc/history/").status_code == 404
    assert admin_client.get("/admin/goals/goal/abc/history/1/").status_code == 404
    assert admin_client.get(f"/admin/goals/goal/{goal.pk}/history/").status_code == 200


def test_an_admin_autocomplete_with_a_nul_byte_gives_no_server_error(admin_client):
    response = admin_client.get(
        "/admin/autocomplete/",
        {"term": "\x00", "app_label": "goals", "model_name": "goal", "field_name": "strategy"},
    )

    assert response.status_code == 200
