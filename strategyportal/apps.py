from django.apps import AppConfig


class StrategyPortalConfig(AppConfig):
    """The wiring: settings, URLs, the public portal and project-wide commands."""

    name = "strategyportal"
    verbose_name = "Strategiportalen"

    def ready(self):
        from strategyportal import caching

        caching.watch_public_content()
