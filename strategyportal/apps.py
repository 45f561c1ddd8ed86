from django.apps import AppConfig


class StrategyPortalConfig(AppConfig):
    """The wiring: settings, URLs, the public portal and project-wide commands."""

    name = "strategyportal"
    verbose_name = "Strategiportalen"

    def ready(self):
        from django.db.backends.signals import connection_created

        from strategyportal import caching, search

        caching.watch_public_content()
        connection_created.connect(search.register_sqlite_functions)
