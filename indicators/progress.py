"""The progress rules: pure functions over plain values, no database and no request."""

from enum import StrEnum


class Direction(StrEnum):
    AT_LEAST = "at_least"
    AT_MOST = "at_most"
    RANGE = "range"
