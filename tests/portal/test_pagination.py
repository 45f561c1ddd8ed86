"""Long public lists come in pages: the shared navigation (includes/pagination.html), the
page read from `side`, and the pages that use them."""

from django.template.loader import render_to_string
from django.test import RequestFactory

from strategyportal.paging import page_of


def rendered(query: str = "", **context) -> str:
    request = RequestFactory().get("/liste/" + query)
    page = page_of(request, range(1, 101), 10)
    return render_to_string("includes/pagination.html", {"page": page, **context}, request=request)


def test_page_of_reads_the_page_from_side():
    assert page_of(RequestFactory().get("/", {"side": "3"}), range(100), 10).number == 3


def test_page_of_gives_the_first_page_for_a_number_that_is_none():
    assert page_of(RequestFactory().get("/", {"side": "tre"}), range(100), 10).number == 1


def test_page_of_gives_the_last_page_for_a_number_past_the_end():
    assert page_of(RequestFactory().get("/", {"side": "99"}), range(100), 10).number == 10


def test_the_navigation_marks_the_current_page_and_says_where_one_is():
    html = rendered("?side=5")

    assert '<nav class="pagination" aria-label="Sider">' in html
    assert 'href="?side=5" class="button current-page" aria-current="page"' in html
    assert "Side 5 af 10" in html
    assert 'href="?side=4" class="button button-arrow button-previous"' in html
    assert 'href="?side=6" class="button button-arrow button-next"' in html


def test_the_navigation_links_the_ends_and_the_neighbours_and_leaves_out_the_rest():
    html = rendered("?side=5")

    linked = [number for number in range(1, 11) if f'href="?side={number}"' in html]
    assert linked == [1, 4, 5, 6, 10]
    assert html.count("…") == 2


def test_links_keep_the_filters_and_change_only_the_page():
    html = rendered("?country=SE&side=2&status=on_track")

    assert 'href="?country=SE&amp;side=3&amp;status=on_track"' in html
    assert "side=2&amp;side" not in html


def test_links_end_with_the_anchor_given():
    assert 'href="?side=2#tabel"' in rendered(anchor="#tabel")


def test_the_first_page_has_no_link_backwards():
    html = rendered()

    assert "button-previous hidden" in html
    assert "?side=0" not in html


def test_the_last_page_has_no_link_forwards():
    html = rendered("?side=10")

    assert "button-next hidden" in html
    assert "?side=11" not in html


def test_nothing_is_rendered_for_a_single_page():
    request = RequestFactory().get("/liste/")
    page = page_of(request, range(5), 10)

    html = render_to_string("includes/pagination.html", {"page": page}, request=request)

    assert html.strip() == ""
