"""Signals for apps above `goals`: imports flow strategyportal → indicators → goals, so what
indicators keep about a goal (its targets) is copied by a receiver there, not from here."""

from django.dispatch import Signal, receiver
from simple_history.signals import pre_create_historical_record

# Sent inside the transaction that creates a strategy's next version, with `strategy` (the
# old version), `version` (the new draft) and `goals` (old goal id → new goal).
strategy_version_created = Signal()


@receiver(pre_create_historical_record)
def record_no_reason_as_empty(sender, history_instance, **kwargs):
    """A change made without a stated reason is stored with an empty one, not NULL, so a
    history page shows nothing rather than "None" for it."""
    if history_instance.history_change_reason is None:
        history_instance.history_change_reason = ""
