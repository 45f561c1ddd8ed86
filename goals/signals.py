"""Signals for apps above `goals`: imports flow strategyportal → indicators → goals, so what
indicators keep about a goal (its targets) is copied by a receiver there, not from here."""

from django.dispatch import Signal

# Sent inside the transaction that creates a strategy's next version, with `strategy` (the
# old version), `version` (the new draft) and `goals` (old goal id → new goal).
strategy_version_created = Signal()
