"""The reports' addresses below a strategy's (`STRATEGY` in strategyportal/urls.py), in the
portal's namespace."""

strategy_patterns = []
