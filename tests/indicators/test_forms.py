import re
from decimal import Decimal

import pytest

from indicators.forms import parse_number


@pytest.mark.parametrize(
    ("text", "language", "number"),
    [
        ("1384", "da", "1384"),
        ("1.384", "da", "1384"),
        ("1.384,5", "da", "1384.5"),
        ("93,5", "da", "93.5"),
        ("93.5", "da", "93.5"),
        ("1 384", "sv", "1384"),
        ("1\xa0384,25", "sv", "1384.25"),
        ("1,384", "en", "1384"),
        ("1,384.5", "en", "1384.5"),
        ("93.5", "en", "93.5"),
        ("-5", "da", "-5"),
    ],
)
def test_numbers_are_read_the_way_the_language_writes_them(text, language, number):
    assert parse_number(text, language) == Decimal(number)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("abc", "da"),
        ("1,2.3", "da"),
        ("1.2,3", "en"),
        ("", "da"),
        ("NaN", "da"),
        ("Infinity", "en"),
    ],
)
def test_what_is_not_a_number_is_refused(text, language):
    with pytest.raises(ValueError, match=f"^{re.escape(text)}$"):
        parse_number(text, language)
