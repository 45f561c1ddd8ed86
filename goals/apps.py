from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GoalsConfig(AppConfig):
    name = "goals"
    verbose_name = _("Strategier og mål")

    def ready(self):
        from goals import signals  # noqa: F401  (connects the receivers)
