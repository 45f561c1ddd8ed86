from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "indicators"
    # Not "Indikatorer", the name of one of its lists: the admin's breadcrumbs show both.
    verbose_name = _("Målinger og tal")

    def ready(self):
        from indicators import signals  # noqa: F401  (connects the receivers)
